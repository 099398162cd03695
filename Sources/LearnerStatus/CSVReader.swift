/// One CSV record with the physical line it starts on (the header is line 1).
struct CSVRecord: Sendable, Equatable {
  /// The physical line of the file where the record starts.
  var line: Int
  /// The cells, unquoted; unquoted cells are trimmed of spaces and tabs.
  var cells: [String]
}

/// A problem that makes a CSV file malformed (spec §6), with the line where known.
struct CSVProblem: Sendable, Equatable {
  var line: Int?
  var message: String
}

/// A small RFC 4180 reader that remembers where each record starts.
///
/// The CSV libraries that build here report no line numbers, and the spec's messages
/// need the physical line a record starts on (a quoted cell may span lines). This
/// reader accepts `\n`, `\r\n` and lone `\r` line ends, quoted cells with doubled
/// quotes and line breaks, ignores a UTF-8 byte-order mark, skips blank lines and
/// trims spaces around unquoted cells (and around the quotes of quoted ones).
/// A quote inside an unquoted cell is kept as written (`O"Neil`), as spreadsheets do.
enum CSVReader {
  /// The records of `text`, including the header as the first record, plus any problems.
  ///
  /// An unterminated quote ends reading: the rest of the file is one cell, so the
  /// problem names the line where the quoted cell starts.
  static func records(in text: String) -> (records: [CSVRecord], problems: [CSVProblem]) {
    // Bytes: every delimiter is ASCII, so scanning UTF-8 is safe and fast.
    var bytes = Array(text.utf8)
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"),
      cr = UInt8(ascii: "\r"), space = UInt8(ascii: " "), tab = UInt8(ascii: "\t")
    var records: [CSVRecord] = []
    var problems: [CSVProblem] = []
    var i = 0
    var line = 1
    let n = bytes.count

    @inline(__always) func isSpace(_ c: UInt8) -> Bool { c == space || c == tab }
    @inline(__always) func endsCell(_ c: UInt8) -> Bool { c == comma || c == lf || c == cr }

    while i < n {
      // One record.
      let recordLine = line
      var cells: [String] = []
      var allUnquotedEmpty = true
      var endOfRecord = false
      while !endOfRecord {
        // One cell: skip leading spaces.
        var j = i
        while j < n, isSpace(bytes[j]) { j += 1 }
        if j < n, bytes[j] == quote {
          // Quoted cell.
          allUnquotedEmpty = false
          let quoteLine = line
          var cell: [UInt8] = []
          i = j + 1
          var closed = false
          while i < n {
            let c = bytes[i]
            if c == quote {
              if i + 1 < n, bytes[i + 1] == quote {
                cell.append(quote)
                i += 2
              } else {
                i += 1
                closed = true
                break
              }
            } else {
              if c == cr {
                line += 1
                if i + 1 < n, bytes[i + 1] == lf {
                  cell.append(cr)
                  cell.append(lf)
                  i += 2
                  continue
                }
              } else if c == lf {
                line += 1
              }
              cell.append(c)
              i += 1
            }
          }
          if !closed {
            problems.append(
              CSVProblem(
                line: quoteLine,
                message: "a quoted cell starting on this line has no closing quote"))
            cells.append(String(decoding: cell, as: UTF8.self))
            records.append(CSVRecord(line: recordLine, cells: cells))
            return (records, problems)
          }
          // After the closing quote: spaces, then a separator or a line end.
          while i < n, isSpace(bytes[i]) { i += 1 }
          if i < n, !endsCell(bytes[i]) {
            problems.append(
              CSVProblem(
                line: line,
                message: "unexpected text after a closing quote; a quote inside a cell must be doubled (\"\")"
              ))
            // Recover: take the rest of the cell as written.
            while i < n, !endsCell(bytes[i]) {
              cell.append(bytes[i])
              i += 1
            }
          }
          cells.append(String(decoding: cell, as: UTF8.self))
        } else {
          // Unquoted cell: up to the next separator or line end, trimmed.
          i = j
          while i < n, !endsCell(bytes[i]) { i += 1 }
          var end = i
          while end > j, isSpace(bytes[end - 1]) { end -= 1 }
          if end > j { allUnquotedEmpty = false }
          cells.append(String(decoding: bytes[j..<end], as: UTF8.self))
        }
        // Separator or end of record.
        if i >= n {
          endOfRecord = true
        } else if bytes[i] == comma {
          i += 1
        } else {
          // A line end.
          if bytes[i] == cr, i + 1 < n, bytes[i + 1] == lf { i += 2 } else { i += 1 }
          line += 1
          endOfRecord = true
        }
      }
      // A blank line (nothing but spaces) is skipped.
      if cells.count == 1, allUnquotedEmpty { continue }
      records.append(CSVRecord(line: recordLine, cells: cells))
    }
    return (records, problems)
  }
}

/// A CSV file read into its header and records, with problems found while reading.
struct CSVTable: Sendable {
  /// Column names (trimmed), in file order.
  var header: [String]
  /// The records after the header.
  var rows: [CSVRecord]
  /// Malformed-file problems: unterminated quotes, rows with more cells than the header.
  var problems: [CSVProblem]

  /// Reads `text`; short rows are padded with empty cells, long rows are problems (and dropped).
  init(text: String) {
    let (records, readProblems) = CSVReader.records(in: text)
    var problems = readProblems
    header = records.first?.cells ?? []
    var rows: [CSVRecord] = []
    for var record in records.dropFirst() {
      if record.cells.count > header.count {
        problems.append(
          CSVProblem(
            line: record.line,
            message: "row has \(record.cells.count) cells but the header has \(header.count)"))
        continue
      }
      if record.cells.count < header.count {
        record.cells += Array(repeating: "", count: header.count - record.cells.count)
      }
      rows.append(record)
    }
    self.rows = rows
    self.problems = problems
  }

  /// The index of the column named `name`, if present (first one when repeated).
  func column(_ name: String) -> Int? { header.firstIndex(of: name) }
}
