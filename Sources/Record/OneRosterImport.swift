import Foundation
import GRDB
import Interchange
import LearnerStatus

/// A OneRoster set, its CASE package and mapping, and Regroup's own files, to import together.
public struct OneRosterImport {
  public var mapping: OneRosterMapping
  public var source: RosterSource
  public var package: CASEPackage
  /// Regroup's own files keyed by name (`school.toml`, `blocks.csv`, `unavailable.csv`,
  /// `requests.csv`, `pins.csv`, `history.csv`); students, targets, staff and evidence come from the set.
  public var schoolFiles: [String: String]
  /// What the import log records as the source (the mapping file's path).
  public var label: String

  public init(
    mapping: OneRosterMapping, source: RosterSource, package: CASEPackage,
    schoolFiles: [String: String], label: String
  ) {
    self.mapping = mapping
    self.source = source
    self.package = package
    self.schoolFiles = schoolFiles
    self.label = label
  }

  /// Regroup's own files that go with a OneRoster set (the rest come from the set).
  public static let schoolFileNames = [
    "school.toml", "blocks.csv", "unavailable.csv", "history.csv", "requests.csv", "pins.csv",
  ]
}

/// What a OneRoster import did.
public struct OneRosterSummary: Sendable {
  public var version = ""
  /// Rows taken in per file: bulk (replacing), delta upserts and deletions.
  public var files: [(file: String, mode: String, rows: Int, deleted: Int)] = []
  public var school = ImportSummary()
  public var rowsWithoutScore = 0
  public var resultsSkipped = 0
  public var prerequisites = 0
}

extension SchoolRecord {
  /// Imports a OneRoster set in one transaction: its rows update the stored set (bulk replaces
  /// a file's rows, delta applies `active` and `tobedeleted` rows), then the whole stored set is
  /// mapped and checked and replaces the record's students, targets, staff and evidence.
  ///
  /// - Throws: `InputError` naming member, line and what to fix; nothing is stored then.
  public func importOneRoster(_ request: OneRosterImport) throws -> OneRosterSummary {
    let manifest = try request.source.manifest()
    return try write { db in
      // Millions of rows go into two indexed tables: a page cache of 256 MiB keeps their
      // B-trees in memory instead of rereading pages (spec: ≤ 1 GiB for 2 million rows).
      try db.execute(sql: "PRAGMA cache_size = -262144")
      defer { try? db.execute(sql: "PRAGMA cache_size = -2000") }
      var summary = OneRosterSummary()
      summary.version = manifest.version.rawValue
      var warnings: [Diagnostic] = []
      for file in OneRosterFiles.names {
        let name = OneRosterFiles.manifestName(file)
        let member = request.source.member(named: file)
        var mode = manifest.mode(name)
        // userFlags.csv is not a OneRoster file: when present it is always whole.
        if file == "userFlags.csv", member != nil, manifest.files[name] == nil { mode = .bulk }
        switch mode {
        case .absent:
          if let member {
            warnings.append(
              Diagnostic(
                .warning, file: request.source.origin(member),
                "manifest.csv gives file.\(name) as absent, so this file is not read"))
          }
          continue
        case .bulk, .delta:
          guard let member else {
            throw InputError([
              Diagnostic(
                .error, file: manifest.origin, line: manifest.lines[name],
                "file.\(name) is \(mode.rawValue) but \(file) is not in the set: add the file, or make it absent"
              )
            ])
          }
          let (rows, deleted) = try Self.store(
            member: member, as: file, delta: mode == .delta, version: manifest.version,
            source: request.source, db)
          summary.files.append((file, mode.rawValue, rows, deleted))
        }
      }

      let mapper = Mapper(mapping: request.mapping, version: manifest.version, package: request.package)
      let mapped = try mapper.map(StoredRows(db: db))
      summary.rowsWithoutScore = mapped.rowsWithoutScore
      summary.resultsSkipped = mapped.resultsSkipped
      summary.prerequisites = mapped.prerequisites.values.reduce(0) { $0 + $1.count }

      // Regroup's own files are checked against the mapped people, targets and staff.
      var files = request.schoolFiles.filter { OneRosterImport.schoolFileNames.contains($0.key) }
      files["students.csv"] = Self.csv(
        ["student_id", "given_name", "family_name", "grade", "tier", "flags"],
        mapped.students.map {
          [$0.id, $0.givenName, $0.familyName, $0.grade, String($0.tier), $0.flags.joined(separator: ";")]
        })
      files["targets.csv"] = Self.csv(
        ["target_id", "subject", "title", "grade", "sequence", "prerequisites"],
        mapped.targets.map {
          [
            $0.id, $0.subject, $0.title, $0.grade, $0.sequence.map(String.init) ?? "",
            $0.prerequisites.joined(separator: ";"),
          ]
        })
      files["staff.csv"] = Self.csv(
        ["staff_id", "name", "subjects", "max_group_size", "max_minutes"],
        mapped.staff.map {
          [$0.id, $0.name, $0.subjects.description, String($0.maxGroupSize), String($0.maxMinutes)]
        })
      files["evidence.csv"] = "student_id,target_id,date,level\n"
      var loaded = try Self.validate(files: files)
      // The generated files' line numbers mean nothing to the user: point at the set instead.
      loaded.school.students = mapped.students
      loaded.school.targets = mapped.targets
      loaded.school.staff = mapped.staff
      loaded.school.evidence = mapped.evidence
      let withEvidence = Set(mapped.evidence.lazy.filter { $0.date <= loaded.date }.map(\.studentID))
      let without = mapped.students.filter { !withEvidence.contains($0.id) }.count
      loaded.warnings = loaded.warnings.filter { !$0.message.contains("has no evidence") }
      if without > 0 {
        loaded.warnings.append(
          Diagnostic(
            .warning, file: request.source.origin("results.csv"),
            "\(without) student\(without == 1 ? " has" : "s have") no evidence on or before \(loaded.date), so no needs"
          ))
      }
      summary.school = try Self.store(loaded, from: request.label, db, replacingEvidence: true)
      summary.school.warnings = warnings + summary.school.warnings
      return summary
    }
  }

  /// Takes one member's rows into the stored set; returns rows stored and rows deleted.
  static func store(
    member: String, as file: String, delta: Bool, version: Manifest.Version, source: RosterSource,
    _ db: Database
  ) throws -> (Int, Int) {
    if !delta { try db.execute(sql: "DELETE FROM oneroster_row WHERE file = ?", arguments: [file]) }
    let insert = try db.makeStatement(
      sql: delta
        ? "INSERT OR REPLACE INTO oneroster_row (file, key, line, header, cells) VALUES (?, ?, ?, ?, ?)"
        : "INSERT INTO oneroster_row (file, key, line, header, cells) VALUES (?, ?, ?, ?, ?) ON CONFLICT (file, key) DO NOTHING"
    )
    let remove = try db.makeStatement(sql: "DELETE FROM oneroster_row WHERE file = ? AND key = ?")
    var header: (RosterHeader, Int64)?
    var stored = 0
    var deleted = 0
    try source.rows(of: member, required: OneRosterFiles.required(file, version)) { row in
      let headerID: Int64
      if let header, header.0 === row.header {
        headerID = header.1
      } else {
        let columns = row.header.names.joined(separator: "\u{1F}")
        try db.execute(
          sql: "INSERT OR IGNORE INTO oneroster_header (origin, columns) VALUES (?, ?)",
          arguments: [row.origin, columns])
        headerID =
          try Int64.fetchOne(
            db, sql: "SELECT id FROM oneroster_header WHERE origin = ? AND columns = ?",
            arguments: [row.origin, columns]) ?? 0
        header = (row.header, headerID)
      }
      let key = OneRosterFiles.key(file, row)
      if key.isEmpty || key == "\u{1F}" {
        throw InputError([
          row.error(
            file == "userFlags.csv" ? "userSourcedId is empty" : "sourcedId is empty; every row needs one")
        ])
      }
      let status = row["status"].lowercased()
      if delta {
        switch status {
        case "active":
          break
        case "tobedeleted":
          try remove.execute(arguments: [file, key])
          deleted += db.changesCount
          return
        default:
          throw InputError([
            row.error(
              "status must be active or tobedeleted in a delta file, found \"\(row["status"])\"")
          ])
        }
      } else if status == "tobedeleted" {
        // A bulk file that still carries status: a row marked for deletion is not there.
        return
      }
      insert.setUncheckedArguments([file, key, row.line, headerID, row.cells.joined(separator: "\u{1F}")])
      try insert.execute()
      if !delta, db.changesCount == 0 {
        let first = try Int.fetchOne(
          db, sql: "SELECT line FROM oneroster_row WHERE file = ? AND key = ?", arguments: [file, key])
        throw InputError([
          row.error(
            "duplicate sourcedId \"\(key)\" (first on line \(first ?? 0)); sourcedIds are unique within a file"
          )
        ])
      }
      stored += 1
    }
    return (stored, deleted)
  }

  /// A small CSV text (RFC 4180 quoting where needed).
  static func csv(_ header: [String], _ rows: [[String]]) -> String {
    func field(_ s: String) -> String {
      s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
        || s != s.trimmingCharacters(in: .whitespaces)
        ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
    var out = header.joined(separator: ",") + "\n"
    for row in rows { out += row.map(field).joined(separator: ",") + "\n" }
    return out
  }
}

/// The stored OneRoster rows of the record, read file by file in the order they were stored.
struct StoredRows: RosterRows {
  let db: Database

  func rows(of file: String, _ body: (RosterRow) throws -> Void) throws -> Bool {
    guard
      try Bool.fetchOne(
        db, sql: "SELECT EXISTS (SELECT 1 FROM oneroster_row WHERE file = ?)", arguments: [file]) == true
    else { return false }
    var headers: [Int64: (String, RosterHeader)] = [:]
    for row in try GRDB.Row.fetchAll(db, sql: "SELECT id, origin, columns FROM oneroster_header") {
      let columns: String = row["columns"]
      headers[row["id"]] = (row["origin"], RosterHeader(split(columns)))
    }
    let cursor = try GRDB.Row.fetchCursor(
      db, sql: "SELECT header, line, cells FROM oneroster_row WHERE file = ? ORDER BY rowid",
      arguments: [file])
    while let stored = try cursor.next() {
      guard let (origin, header) = headers[stored["header"]] else { continue }
      let cells: String = stored["cells"]
      var values = split(cells)
      if values.count < header.count { values += Array(repeating: "", count: header.count - values.count) }
      try body(RosterRow(origin: origin, line: stored["line"], header: header, cells: values))
    }
    return true
  }

  func split(_ text: String) -> [String] {
    var out: [String] = []
    var utf8 = text.utf8[...]
    while let i = utf8.firstIndex(of: 0x1F) {
      out.append(String(decoding: utf8[..<i], as: UTF8.self))
      utf8 = utf8[utf8.index(after: i)...]
    }
    out.append(String(decoding: utf8, as: UTF8.self))
    return out
  }
}
