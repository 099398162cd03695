import Foundation

/// Stable number printing for reports: rounded to 6 decimals, no trailing noise.
public enum NumberFormat {
  /// `x` rounded to `decimals` places, trailing zeros dropped but one kept (`22.0`, `1.8`, `12.3625`).
  public static func plain(_ x: Double, decimals: Int = 6) -> String {
    guard x.isFinite else { return x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf") }
    var text = String(format: "%.\(decimals)f", x)
    if text.contains(".") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text += "0" }
    }
    if text == "-0.0" { text = "0.0" }
    return text
  }

  /// `x` with exactly `decimals` places (for aligned text tables); `-0.00` printed as `0.00`.
  public static func fixed(_ x: Double, decimals: Int) -> String {
    let text = String(format: "%.\(decimals)f", x)
    if text.hasPrefix("-"), text.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) {
      return String(text.dropFirst())
    }
    return text
  }
}
