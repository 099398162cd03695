/// An RFC 4180 reader fed in chunks, for files too large to hold whole (OneRoster exports).
///
/// It follows exactly the rules of `CSVReader` (which is built on it): `\n`, `\r\n` and
/// lone `\r` line ends, quoted cells with doubled quotes and line breaks, a UTF-8
/// byte-order mark ignored, blank lines skipped, spaces around unquoted cells (and around
/// the quotes of quoted ones) trimmed, a quote inside an unquoted cell kept as written.
/// Each record carries the physical line it starts on (the header is line 1).
///
/// ```swift
/// var parser = CSVStreamParser()
/// try parser.feed(chunk) { record in … }   // as often as there are chunks
/// try parser.finish { record in … }
/// ```
public struct CSVStreamParser: Sendable {
  /// One record: the physical line it starts on and its cells, unquoted.
  public struct Record: Sendable, Equatable {
    public var line: Int
    public var cells: [String]
    public init(line: Int, cells: [String]) {
      self.line = line
      self.cells = cells
    }
  }

  /// A malformed-file problem, at a line where known.
  public struct Problem: Sendable, Equatable {
    public var line: Int
    public var message: String
  }

  enum State: Sendable {
    case startCell, unquoted, quoted, quotedQuote, afterQuoted, garbage
  }

  var state = State.startCell
  var cell: [UInt8] = []
  var cells: [String] = []
  var line = 1
  var recordLine = 1
  var quoteLine = 1
  var allUnquotedEmpty = true
  /// A CR ended the previous record or line; an LF right after it belongs to it.
  var skipLF = false
  /// Inside a quoted cell, a CR was just counted; an LF right after it is the same line end.
  var quotedAfterCR = false
  /// The first bytes, held until we know whether they are a byte-order mark.
  var head: [UInt8] = []
  var headDone = false
  /// True once an unterminated quote ended reading.
  public private(set) var stopped = false
  /// Problems found so far (unterminated quotes, text after a closing quote).
  public private(set) var problems: [Problem] = []

  public init() {}

  /// Parses `bytes`, calling `emit` for every complete record (the header included).
  public mutating func feed(
    _ bytes: UnsafeRawBufferPointer, _ emit: (Record) throws -> Void
  ) rethrows {
    guard !stopped else { return }
    var start = 0
    if !headDone {
      while head.count < 3, start < bytes.count {
        head.append(bytes[start])
        start += 1
      }
      guard head.count == 3 else { return }
      headDone = true
      let held = head
      head = []
      if held != [0xEF, 0xBB, 0xBF] {
        for b in held { try step(b, emit) }
      }
    }
    var i = start
    while i < bytes.count {
      try step(bytes[i], emit)
      i += 1
    }
  }

  /// Parses `bytes` (see `feed(_:_:)` for a raw buffer).
  public mutating func feed(_ bytes: [UInt8], _ emit: (Record) throws -> Void) rethrows {
    try bytes.withUnsafeBytes { try feed($0, emit) }
  }

  /// Ends the input: emits the last record, and reports an unterminated quote.
  public mutating func finish(_ emit: (Record) throws -> Void) rethrows {
    guard !stopped else { return }
    if !headDone {
      headDone = true
      let held = head
      head = []
      if held != [0xEF, 0xBB, 0xBF] {
        for b in held { try step(b, emit) }
      }
    }
    switch state {
    case .quoted:
      problems.append(
        Problem(line: quoteLine, message: "a quoted cell starting on this line has no closing quote"))
      cells.append(String(decoding: cell, as: UTF8.self))
      try emit(Record(line: recordLine, cells: cells))
      stopped = true
      return
    case .startCell:
      // Nothing pending unless a separator was just read (a trailing empty cell).
      if cells.isEmpty { return }
      endCell(quoted: false)
    case .unquoted:
      endCell(quoted: false)
    case .quotedQuote, .afterQuoted, .garbage:
      endCell(quoted: true)
    }
    try endRecord(emit)
    stopped = true
  }

  @inline(__always) static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }

  mutating func endCell(quoted: Bool) {
    if quoted {
      cells.append(String(decoding: cell, as: UTF8.self))
    } else {
      var end = cell.count
      while end > 0, Self.isSpace(cell[end - 1]) { end -= 1 }
      if end > 0 { allUnquotedEmpty = false }
      cells.append(String(decoding: cell[0..<end], as: UTF8.self))
    }
    cell.removeAll(keepingCapacity: true)
  }

  mutating func endRecord(_ emit: (Record) throws -> Void) rethrows {
    let record = cells
    cells.removeAll(keepingCapacity: true)
    let blank = record.count == 1 && allUnquotedEmpty
    allUnquotedEmpty = true
    state = .startCell
    if !blank { try emit(Record(line: recordLine, cells: record)) }
  }

  /// A separator or a line end after a cell; false when `c` is neither.
  mutating func separator(_ c: UInt8, quoted: Bool, _ emit: (Record) throws -> Void) rethrows
    -> Bool
  {
    switch c {
    case 0x2C:
      endCell(quoted: quoted)
      state = .startCell
      return true
    case 0x0A, 0x0D:
      endCell(quoted: quoted)
      line += 1
      skipLF = c == 0x0D
      try endRecord(emit)
      recordLine = line
      return true
    default:
      return false
    }
  }

  @inline(__always)
  mutating func step(_ c: UInt8, _ emit: (Record) throws -> Void) rethrows {
    if skipLF {
      skipLF = false
      if c == 0x0A { return }
    }
    switch state {
    case .startCell:
      if cells.isEmpty { recordLine = line }
      if Self.isSpace(c) { return }
      if c == 0x22 {
        allUnquotedEmpty = false
        quoteLine = line
        state = .quoted
        return
      }
      if try separator(c, quoted: false, emit) { return }
      cell.append(c)
      state = .unquoted
    case .unquoted:
      if try separator(c, quoted: false, emit) { return }
      cell.append(c)
    case .quoted:
      if quotedAfterCR {
        quotedAfterCR = false
        if c == 0x0A {
          cell.append(c)
          return
        }
      }
      if c == 0x22 {
        state = .quotedQuote
        return
      }
      if c == 0x0D {
        line += 1
        quotedAfterCR = true
      } else if c == 0x0A {
        line += 1
      }
      cell.append(c)
    case .quotedQuote:
      if c == 0x22 {
        cell.append(c)
        state = .quoted
        return
      }
      state = .afterQuoted
      try step(c, emit)
    case .afterQuoted:
      if Self.isSpace(c) { return }
      if try separator(c, quoted: true, emit) { return }
      problems.append(
        Problem(
          line: line,
          message: "unexpected text after a closing quote; a quote inside a cell must be doubled (\"\")"))
      cell.append(c)
      state = .garbage
    case .garbage:
      if try separator(c, quoted: true, emit) { return }
      cell.append(c)
    }
  }
}
