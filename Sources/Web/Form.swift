import Foundation

/// A submitted `application/x-www-form-urlencoded` form: each field's values in order.
public struct Form: Sendable {
  var fields: [String: [String]] = [:]

  public init() {}

  /// Parses `a=1&b=x+y&c=%C3%A9`; a field without `=` has the empty value.
  public init(urlEncoded text: String) {
    for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let name = Self.decode(parts[0])
      let value = parts.count > 1 ? Self.decode(parts[1]) : ""
      fields[name, default: []].append(value)
    }
  }

  static func decode(_ part: Substring) -> String {
    let spaced = part.replacingOccurrences(of: "+", with: " ")
    return spaced.removingPercentEncoding ?? spaced
  }

  /// The field's first value, trimmed of surrounding whitespace; nil when absent.
  public subscript(_ name: String) -> String? {
    fields[name]?.first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
  }

  /// Every value of a repeated field (checkboxes, multiple selects), untrimmed.
  public func all(_ name: String) -> [String] { fields[name] ?? [] }
}
