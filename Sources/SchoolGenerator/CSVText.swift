/// Builds RFC 4180 CSV text in a byte buffer (fast for hundreds of thousands of rows).
///
/// A cell is quoted when it holds a comma, a double quote, a line break or leading or trailing
/// spaces (which a reader would trim from an unquoted cell); a double quote inside is doubled.
/// Lines end in `\n`.
public struct CSVText: Sendable {
  public private(set) var bytes: [UInt8] = []
  private var atLineStart = true

  public init(header: [String]) {
    bytes.reserveCapacity(1 << 12)
    row(header)
  }

  public init(header: [String], reserving capacity: Int) {
    bytes.reserveCapacity(capacity)
    row(header)
  }

  /// Whether a cell must be quoted.
  public static func needsQuoting(_ text: String) -> Bool {
    let utf8 = text.utf8
    guard let first = utf8.first, let last = utf8.last else { return false }
    if first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 { return true }
    for b in utf8 where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D { return true }
    return false
  }

  /// The cell as written: quoted (quotes doubled) when it needs quoting, as is otherwise.
  public static func escape(_ text: String) -> String {
    guard needsQuoting(text) else { return text }
    var out = "\""
    for ch in text { if ch == "\"" { out += "\"\"" } else { out.append(ch) } }
    out += "\""
    return out
  }

  @inline(__always)
  private mutating func separator() {
    if atLineStart { atLineStart = false } else { bytes.append(0x2C) }
  }

  /// A text cell, quoted when needed.
  public mutating func cell(_ text: String) {
    separator()
    if CSVText.needsQuoting(text) {
      bytes.append(0x22)
      for b in text.utf8 {
        if b == 0x22 { bytes.append(0x22) }
        bytes.append(b)
      }
      bytes.append(0x22)
    } else {
      bytes.append(contentsOf: text.utf8)
    }
  }

  /// A cell known to need no quoting (ids, numbers, dates).
  public mutating func plain(_ text: String) {
    separator()
    bytes.append(contentsOf: text.utf8)
  }

  /// A non-negative integer cell.
  public mutating func int(_ value: Int) {
    separator()
    appendDigits(value)
  }

  /// An empty cell.
  public mutating func empty() { separator() }

  /// A level in half steps (`halves` = level × 2): `2.5`, `3.0`.
  mutating func halfStep(_ halves: Int) {
    separator()
    appendDigits(halves / 2)
    bytes.append(0x2E)
    bytes.append(halves % 2 == 1 ? 0x35 : 0x30)
  }

  /// A date cell, `YYYY-MM-DD`, from precomputed bytes.
  mutating func raw(_ utf8: [UInt8]) {
    separator()
    bytes.append(contentsOf: utf8)
  }

  private mutating func appendDigits(_ value: Int) {
    precondition(value >= 0)
    if value < 10 {
      bytes.append(0x30 + UInt8(value))
      return
    }
    var digits: [UInt8] = []
    var v = value
    while v > 0 {
      digits.append(0x30 + UInt8(v % 10))
      v /= 10
    }
    bytes.append(contentsOf: digits.reversed())
  }

  /// Ends the current row.
  public mutating func endRow() {
    bytes.append(0x0A)
    atLineStart = true
  }

  /// A whole row of text cells.
  public mutating func row(_ cells: [String]) {
    for c in cells { cell(c) }
    endRow()
  }

  public var text: String { String(decoding: bytes, as: UTF8.self) }
}
