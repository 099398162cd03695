import ArgumentParser
import Foundation
import Interchange
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

      ONEROSTER. `regroup import --oneroster MAPPING.toml` reads a OneRoster 1.1
      or 1.2 CSV set (a .zip or a folder with manifest.csv), a CASE 1.0 JSON
      package and Regroup's own files (school.toml, blocks.csv and the optional
      unavailable.csv, requests.csv, pins.csv, history.csv), all named in the
      mapping's [files] (--roster, --case, --school override them). Students,
      staff and targets come from the set and the package; the evidence is one
      row per resultLearningObjectiveIds row (1.2) or per result of a tagged
      line item. Bulk files replace what the last import of that file held; a
      delta file applies its active and tobedeleted rows. The record is --db
      PATH, else the school folder's regroup.db.

      EXIT STATUS
        0   imported; a summary on stdout, warnings on stderr
        1   bad input: every problem on stderr, and the record unchanged
      """)

  @Argument(help: "The school folder (not with --oneroster).")
  var folder: String?

  @Option(help: ArgumentHelp("The record (default: FOLDER/regroup.db).", valueName: "PATH"))
  var db: String?

  @Option(
    help: ArgumentHelp(
      "Import a OneRoster set and CASE package as this mapping file says.", valueName: "MAPPING.toml"))
  var oneroster: String?

  @Option(
    help: ArgumentHelp("The OneRoster set (default: the mapping's files.roster).", valueName: "ZIP|FOLDER"))
  var roster: String?

  @Option(
    name: .customLong("case"),
    help: ArgumentHelp("The CASE package (default: files.case).", valueName: "JSON"))
  var casePackage: String?

  @Option(help: ArgumentHelp("Regroup's own files (default: files.school).", valueName: "FOLDER"))
  var school: String?

  func validate() throws {
    if oneroster == nil {
      guard folder != nil else {
        throw ValidationError("give the school FOLDER, or --oneroster MAPPING.toml")
      }
      guard roster == nil, casePackage == nil, school == nil else {
        throw ValidationError("--roster, --case and --school go with --oneroster")
      }
    } else if folder != nil {
      throw ValidationError(
        "give either FOLDER or --oneroster, not both (Regroup's own files go in --school)")
    }
  }

  func run() throws {
    if let oneroster { return try importOneRoster(oneroster) }
    guard let folder else { return }
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

extension Import {
  /// `--oneroster`: the set, the package and Regroup's own files into the record, in one transaction.
  func importOneRoster(_ mappingPath: String) throws {
    let request: OneRosterImport
    let schoolFolder: URL
    var ignored: [Diagnostic] = []
    do {
      let mapping = try OneRosterMapping.load(URL(fileURLWithPath: mappingPath))
      func need(_ given: String?, _ mapped: URL?, _ key: String) throws -> URL {
        if let given { return URL(fileURLWithPath: given) }
        if let mapped { return mapped }
        throw InputError([
          Diagnostic(
            .error, file: mapping.origin,
            "no files.\(key): add it to the mapping, or pass --\(key == "case" ? "case" : key)")
        ])
      }
      let rosterURL = try need(roster, mapping.roster, "roster")
      let caseURL = try need(casePackage, mapping.casePackage, "case")
      schoolFolder = try need(school, mapping.school, "school")
      var files: [String: String] = [:]
      for (name, text) in try SchoolRecord.readFiles(in: schoolFolder) {
        if OneRosterImport.schoolFileNames.contains(name) {
          files[name] = text
        } else {
          ignored.append(
            Diagnostic(
              .warning, file: name,
              "not read: with --oneroster, students, targets, staff and evidence come from the set and the package"
            ))
        }
      }
      request = OneRosterImport(
        mapping: mapping, source: try RosterSource(rosterURL), package: try CASEPackage.load(caseURL),
        schoolFiles: files, label: mappingPath)
    } catch let error as InputError {
      report(error.diagnostics)
      throw ExitCode(1)
    }
    let url = RecordLocation.resolve(db: db, folder: schoolFolder.path)
    let existed = FileManager.default.fileExists(atPath: url.path)
    /// A rejected first import leaves no record behind (as a folder import does).
    func removeNewRecord() {
      guard !existed else { return }
      for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: url.path + suffix) }
    }
    let summary: OneRosterSummary
    do {
      summary = try SchoolRecord.open(at: url, create: true).importOneRoster(request)
    } catch let error as InputError {
      report(error.diagnostics)
      removeNewRecord()
      throw ExitCode(1)
    } catch let error as SchoolRecordError {
      printError(error.description)
      removeNewRecord()
      throw ExitCode(1)
    }
    report(ignored + summary.school.warnings)
    let s = summary.school
    let files = summary.files.map { f in
      "\(f.file) \(f.mode) \(f.rows)" + (f.deleted > 0 ? " −\(f.deleted)" : "")
    }.joined(separator: ", ")
    let unscored =
      summary.rowsWithoutScore > 0 ? " (\(summary.rowsWithoutScore) rows without a score left out)" : ""
    try emit(
      """
      imported OneRoster \(summary.version) into \(url.path): \(s.students) students, \
      \(s.targets) targets (\(summary.prerequisites) prerequisites), \(s.staff) staff, \(s.blocks) blocks; \
      evidence \(s.evidenceTotal) rows\(unscored); history +\(s.historyAdded), requests +\(s.requestsAdded)
        rows read: \(files)

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
