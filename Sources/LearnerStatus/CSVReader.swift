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
    var scalars = Array(text.unicodeScalars)
    if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
    var records: [CSVRecord] = []
    var problems: [CSVProblem] = []

    var i = 0
    var line = 1
    let n = scalars.count

    func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" }

    while i < n {
      // One record.
      let recordLine = line
      var cells: [String] = []
      var allUnquotedEmpty = true
      var endOfRecord = false
      while !endOfRecord {
        // One cell: skip leading spaces.
        var cell = String.UnicodeScalarView()
        var j = i
        while j < n, isSpace(scalars[j]) { j += 1 }
        if j < n, scalars[j] == "\"" {
          // Quoted cell.
          allUnquotedEmpty = false
          let quoteLine = line
          i = j + 1
          var closed = false
          while i < n {
            let c = scalars[i]
            if c == "\"" {
              if i + 1 < n, scalars[i + 1] == "\"" {
                cell.append("\"")
                i += 2
              } else {
                i += 1
                closed = true
                break
              }
            } else {
              if c == "\r" {
                line += 1
                if i + 1 < n, scalars[i + 1] == "\n" {
                  cell.append("\r")
                  cell.append("\n")
                  i += 2
                  continue
                }
              } else if c == "\n" {
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
            cells.append(String(cell))
            records.append(CSVRecord(line: recordLine, cells: cells))
            return (records, problems)
          }
          // After the closing quote: spaces, then a separator or a line end.
          while i < n, isSpace(scalars[i]) { i += 1 }
          if i < n, scalars[i] != ",", scalars[i] != "\n", scalars[i] != "\r" {
            problems.append(
              CSVProblem(
                line: line,
                message: "unexpected text after a closing quote; a quote inside a cell must be doubled (\"\")"))
            // Recover: take the rest of the cell as written.
            while i < n, scalars[i] != ",", scalars[i] != "\n", scalars[i] != "\r" {
              cell.append(scalars[i])
              i += 1
            }
          }
          cells.append(String(cell))
        } else {
          // Unquoted cell: up to the next separator or line end, trimmed.
          i = j
          while i < n, scalars[i] != ",", scalars[i] != "\n", scalars[i] != "\r" {
            cell.append(scalars[i])
            i += 1
          }
          var text = String(cell)
          while let last = text.unicodeScalars.last, isSpace(last) {
            text.unicodeScalars.removeLast()
          }
          if !text.isEmpty { allUnquotedEmpty = false }
          cells.append(text)
        }
        // Separator or end of record.
        if i >= n {
          endOfRecord = true
        } else if scalars[i] == "," {
          i += 1
        } else {
          // A line end.
          if scalars[i] == "\r", i + 1 < n, scalars[i + 1] == "\n" { i += 2 } else { i += 1 }
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
