import LearnerStatus

/// Small pieces of hand-written JSON: escaped strings and byte-stable numbers.
///
/// Hand-written so that keys come out in the spec's order and numbers never carry
/// floating-point noise (`702.804375`, not `702.8043750000001`).
enum JSONText {
  /// A JSON string literal with quotes, backslashes and control characters escaped.
  static func string(_ text: String) -> String { LearnerStatus.JSONText.string(text) }

  /// A list of strings on one line: `["S001", "S017"]`.
  static func strings(_ list: [String]) -> String {
    "[" + list.map(string).joined(separator: ", ") + "]"
  }

  /// A number rounded to `decimals` places, or `null` for nil and non-finite values.
  static func number(_ value: Double?, decimals: Int = 6) -> String {
    guard let value, value.isFinite else { return "null" }
    return Number.format(value, decimals: decimals)
  }
}

/// Byte-stable decimal numbers for every report.
///
/// A value is rounded to a number of decimal places and printed in Swift's shortest
/// round-trip form, so an integral value prints with one trailing zero (`866.0`), and
/// `702.804375` prints as written. Negative zero prints as `0.0`.
public enum Number {
  /// `value` rounded to `decimals` places (at most 15), shortest form, always with a
  /// decimal point or exponent (`866.0`, `702.804375`, `1.5e-07`).
  public static func format(_ value: Double, decimals: Int = 6) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
    var scale = 1.0
    for _ in 0..<min(max(decimals, 0), 15) { scale *= 10 }
    var rounded = (value * scale).rounded() / scale
    // Very large values would overflow the scaling; keep them as they are.
    if !rounded.isFinite { rounded = value }
    if rounded == 0 { rounded = 0 }  // no "-0.0"
    return "\(rounded)"
  }

  /// `value` with exactly `decimals` places (`1.250`), for durations.
  public static func fixed(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return "0" }
    var scale = 1
    for _ in 0..<min(max(decimals, 0), 15) { scale *= 10 }
    let units = Int((abs(value) * Double(scale)).rounded())
    let sign = value < 0 && units != 0 ? "-" : ""
    let whole = units / scale
    guard decimals > 0 else { return sign + String(whole) }
    let fraction = String(units % scale)
    return sign + String(whole) + "." + String(repeating: "0", count: decimals - fraction.count)
      + fraction
  }
}
