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
    // The streaming parser holds the rules; here it is fed the whole text at once.
    var parser = CSVStreamParser()
    var records: [CSVRecord] = []
    var utf8 = Array(text.utf8)
    utf8.withUnsafeBytes { bytes in
      parser.feed(bytes) { records.append(CSVRecord(line: $0.line, cells: $0.cells)) }
    }
    utf8 = []
    parser.finish { records.append(CSVRecord(line: $0.line, cells: $0.cells)) }
    return (records, parser.problems.map { CSVProblem(line: $0.line, message: $0.message) })
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
