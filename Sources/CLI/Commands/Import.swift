import ArgumentParser
import Foundation
import LearnerStatus
import Record

/// `regroup import FOLDER`: create or refresh the school's record from its files (spec §8).
struct Import: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Load a school folder into the school's record.",
    discussion: """
      Validates every file of the folder as `regroup plan` does, then, in one
      transaction, replaces the record's students, targets, staff, blocks,
      unavailability, pins and school.toml settings, and adds what is new in
      evidence.csv (a multiset: importing the same file twice adds nothing),
      history.csv and requests.csv (keyed by content and request_id). A rejected
      import changes nothing.

      The record is --db PATH, else FOLDER/regroup.db.

      EXIT STATUS
        0   imported; a summary on stdout, warnings on stderr
        1   bad input: every problem on stderr, and the record unchanged
      """)

  @Argument(help: "The school folder.")
  var folder: String

  @Option(help: ArgumentHelp("The record (default: FOLDER/regroup.db).", valueName: "PATH"))
  var db: String?

  func run() throws {
    let url = RecordLocation.resolve(db: db, folder: folder)
    let loaded: LoadedSchool
    do {
      let files = try SchoolRecord.readFiles(in: URL(fileURLWithPath: folder))
      loaded = try SchoolRecord.validate(files: files)
    } catch let error as InputError {
      report(error.diagnostics)
      throw ExitCode(1)
    }
    let summary: ImportSummary
    do {
      let record = try openRecord(url, create: true)
      summary = try record.importSchool(loaded, from: folder)
    } catch let error as InputError {
      report(error.diagnostics)
      throw ExitCode(1)
    } catch let error as SchoolRecordError {
      printError(error.description)
      throw ExitCode(1)
    }
    report(summary.warnings)
    try emit(
      """
      imported \(folder) into \(url.path): \(summary.students) students, \(summary.targets) targets, \
      \(summary.staff) staff, \(summary.blocks) blocks; evidence +\(summary.evidenceAdded) \
      (\(summary.evidenceTotal) in all), history +\(summary.historyAdded), requests +\(summary.requestsAdded)

      """, to: nil)
  }
}

/// Opens the record, printing a `SchoolRecordError` (no record, unreadable, newer schema) and exiting 1.
func openRecord(_ url: URL, create: Bool = false) throws -> SchoolRecord {
  do {
    return try SchoolRecord.open(at: url, create: create)
  } catch let error as SchoolRecordError {
    printError(error.description)
    throw ExitCode(1)
  }
}

/// Runs a record operation, printing its `SchoolRecordError` and exiting 1 when it fails.
func recordStep<T>(_ body: () throws -> T) throws -> T {
  do {
    return try body()
  } catch let error as SchoolRecordError {
    printError(error.description)
    throw ExitCode(1)
  } catch let error as InputError {
    report(error.diagnostics)
    throw ExitCode(1)
  }
}

/// Columns aligned with two spaces between them, trailing spaces trimmed, a final newline.
func textTable(_ header: [String], _ rows: [[String]]) -> String {
  var widths = header.map(\.count)
  for row in rows {
    for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) }
  }
  func line(_ cells: [String]) -> String {
    var out = ""
    for (i, cell) in cells.enumerated() {
      out += i == cells.count - 1 ? cell : cell.padding(toLength: widths[i] + 2, withPad: " ", startingAt: 0)
    }
    while out.hasSuffix(" ") { out.removeLast() }
    return out
  }
  return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
}
