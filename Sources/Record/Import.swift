import Foundation
import GRDB
import LearnerStatus

/// What one import changed.
public struct ImportSummary: Sendable, Equatable {
  /// Rows of the files that replace the record's (students, targets, staff, blocks).
  public var students = 0, targets = 0, staff = 0, blocks = 0
  /// Evidence observations new to the record, and how many it now holds.
  public var evidenceAdded = 0, evidenceTotal = 0
  /// `history.csv` rows new to the record.
  public var historyAdded = 0
  /// `requests.csv` rows new to the record.
  public var requestsAdded = 0
  /// Warnings of the files (spec §6) and of the record (open requests naming removed ids).
  public var warnings: [Diagnostic] = []

  public init() {}
}

extension SchoolRecord {
  /// The texts of the school's files in `folder` (spec §1), keyed by file name; absent files are left out.
  ///
  /// - Throws: `InputError` when the folder is missing or a file cannot be read as UTF-8.
  public static func readFiles(in folder: URL) throws -> [String: String] {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory),
      isDirectory.boolValue
    else { throw InputError([Diagnostic(.error, file: folder.path, "no such folder")]) }
    var files: [String: String] = [:]
    var problems: [Diagnostic] = []
    for name in SchoolFolder.fileNames {
      let path = folder.appendingPathComponent(name).path
      guard FileManager.default.fileExists(atPath: path) else { continue }
      guard let data = FileManager.default.contents(atPath: path) else {
        problems.append(Diagnostic(.error, file: name, "cannot read the file"))
        continue
      }
      guard let text = String(data: data, encoding: .utf8) else {
        problems.append(Diagnostic(.error, file: name, "the file is not UTF-8 text"))
        continue
      }
      files[name] = text
    }
    if !problems.isEmpty { throw InputError(problems) }
    return files
  }

  /// Validates the files exactly as `SchoolFolder` does (spec §6); a `school.toml` without a date is fine here.
  ///
  /// - Throws: `InputError` listing every diagnostic when any is an error.
  public static func validate(files: [String: String]) throws -> LoadedSchool {
    do {
      return try SchoolFolder.load(files: files)
    } catch let error as InputError {
      // The day is the plan's business, not the import's: with no date in school.toml,
      // validate against today instead of rejecting the folder.
      let errors = error.diagnostics.filter { $0.severity == .error }
      guard errors.count == 1, errors[0].file == "school.toml",
        errors[0].message.hasPrefix("no day to plan")
      else { throw error }
      return try SchoolFolder.load(files: files, date: today())
    }
  }

  /// Creates or refreshes the record from a validated school, in one transaction: a failure changes nothing.
  ///
  /// Students, targets, staff, blocks, unavailability, pins and the policy are replaced;
  /// evidence is added as a multiset (an identical row counts once per occurrence in its
  /// file, so re-importing a file adds nothing); `history.csv` and `requests.csv` rows are
  /// keyed by content (and `request_id`) and never stored twice.
  ///
  /// - Throws: `InputError` when a `requests.csv` row reuses a `request_id` the record
  ///   holds with other content.
  public func importSchool(_ loaded: LoadedSchool, from folder: String) throws -> ImportSummary {
    try write { db in try Self.store(loaded, from: folder, db, replacingEvidence: false) }
  }

  /// The body of `importSchool`, inside the caller's transaction; `replacingEvidence` makes
  /// the school's evidence the record's whole evidence (a OneRoster import) instead of adding to it.
  static func store(
    _ loaded: LoadedSchool, from folder: String, _ db: Database, replacingEvidence: Bool
  ) throws -> ImportSummary {
    let school = loaded.school
    do {
      var summary = ImportSummary()
      summary.warnings = loaded.warnings

      // Requests first: a conflict rejects the whole import before anything is written.
      var conflicts: [Diagnostic] = []
      var newRequests: [Request] = []
      for r in school.requests {
        if let row = try Row.fetchOne(
          db, sql: "SELECT staff_id, student_id, block_id, priority FROM request WHERE id = ?",
          arguments: [r.id])
        {
          let same =
            row["staff_id"] == r.staffID && row["student_id"] == r.studentID
            && (row["block_id"] as String?) == r.blockID && row["priority"] == r.priority.rawValue
          if !same {
            conflicts.append(
              Diagnostic(
                .error, file: "requests.csv", line: r.line,
                "request_id \"\(r.id)\" is already in the record with other content "
                  + "(staff \(row["staff_id"] as String), student \(row["student_id"] as String), "
                  + "block \((row["block_id"] as String?) ?? "any"), priority \(row["priority"] as String)); "
                  + "give the changed request a new id"))
          }
        } else {
          newRequests.append(r)
        }
      }
      if !conflicts.isEmpty { throw InputError(conflicts) }

      try db.execute(
        sql: """
          DELETE FROM policy; DELETE FROM student; DELETE FROM target; DELETE FROM staff;
          DELETE FROM block; DELETE FROM unavailable; DELETE FROM pin;
          """)
      let p = school.policy
      try db.execute(
        sql: """
          INSERT INTO policy (id, name, date, method, decay, proficient, min_size, gap, wait,
            wait_cap, tier2, tier3, request_high, request_normal, session, not_ready,
            move, dosage, has_dosage, dosage_tier1, dosage_tier2, dosage_tier3, keep_staff)
          VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          p.name, p.date?.description, p.method.rawValue, p.decay, p.proficient, p.minSize,
          p.weights.gap, p.weights.wait, p.weights.waitCap, p.weights.tier2, p.weights.tier3,
          p.weights.requestHigh, p.weights.requestNormal, p.weights.session, p.weights.notReady,
          p.weights.move, p.weights.dosage, p.dosage == nil ? 0 : 1, p.dosage?.tier1 ?? 0,
          p.dosage?.tier2 ?? 2, p.dosage?.tier3 ?? 4, (p.dosage?.keepStaff ?? false) ? 1 : 0,
        ])
      for s in school.students {
        try db.execute(
          sql: "INSERT INTO student VALUES (?, ?, ?, ?, ?, ?, ?)",
          arguments: [
            s.id, s.givenName, s.familyName, s.grade, s.tier, s.flags.joined(separator: ";"), s.line,
          ])
      }
      for t in school.targets {
        try db.execute(
          sql: """
            INSERT INTO target (id, subject, title, grade, sequence, line, prerequisites)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            t.id, t.subject, t.title, t.grade, t.sequence, t.line,
            t.prerequisites.joined(separator: ";"),
          ])
      }
      for k in school.staff {
        try db.execute(
          sql: "INSERT INTO staff VALUES (?, ?, ?, ?, ?, ?)",
          arguments: [k.id, k.name, k.subjects.description, k.maxGroupSize, k.maxMinutes, k.line])
      }
      for b in school.blocks {
        try db.execute(
          sql: "INSERT INTO block VALUES (?, ?, ?, ?, ?)",
          arguments: [b.id, b.start, b.end, b.subjects.description, b.line])
      }
      for u in school.unavailable {
        try db.execute(
          sql: "INSERT INTO unavailable VALUES (?, ?, ?)", arguments: [u.staffID, u.blockID, u.line])
      }
      for pin in school.pins {
        try db.execute(
          sql: "INSERT INTO pin VALUES (?, ?, ?, ?)",
          arguments: [pin.studentID, pin.blockID, pin.staffID, pin.line])
      }
      // absences.csv is the truth for the rows it gave; those added by command stay.
      try db.execute(sql: "DELETE FROM absence WHERE source = 'import'")
      let madeAt = timestamp()
      for a in school.absences {
        try db.execute(
          sql: """
            INSERT OR IGNORE INTO absence (date, person_id, block_id, line, source, made_by, made_at)
            VALUES (?, ?, ?, ?, 'import', 'absences.csv', ?)
            """,
          arguments: [a.date.description, a.id, a.blockID ?? "", a.line, madeAt])
      }
      summary.students = school.students.count
      summary.targets = school.targets.count
      summary.staff = school.staff.count
      summary.blocks = school.blocks.count

      // Evidence: the k-th identical row of this file is the k-th observation of its kind.
      struct Key: Hashable {
        var s: String, t: String, d: Day, level: Double
      }
      var seen: [Key: Int] = [:]
      if replacingEvidence { try db.execute(sql: "DELETE FROM evidence") }
      let insertEvidence = try db.makeStatement(
        sql: """
          INSERT OR IGNORE INTO evidence (student_id, target_id, date, level, occurrence)
          VALUES (?, ?, ?, ?, ?)
          """)
      // Replacing, identical rows need distinct occurrences only within this import: a
      // counter per hash (8 bytes a key instead of the key's strings) is enough then.
      var seenHashes: [Int: Int32] = [:]
      var dayTexts: [Day: String] = [:]
      for e in school.evidence {
        let key = Key(s: e.studentID, t: e.targetID, d: e.date, level: e.level)
        let occurrence: Int
        if replacingEvidence {
          let hash = key.hashValue
          let count = seenHashes[hash, default: 0]
          seenHashes[hash] = count + 1
          occurrence = Int(count)
        } else {
          occurrence = seen[key, default: 0]
          seen[key] = occurrence + 1
        }
        let date = dayTexts[e.date] ?? e.date.description
        dayTexts[e.date] = date
        insertEvidence.setUncheckedArguments([e.studentID, e.targetID, date, e.level, occurrence])
        try insertEvidence.execute()
        summary.evidenceAdded += db.changesCount
      }
      summary.evidenceTotal = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM evidence") ?? 0

      for h in school.history {
        try db.execute(
          sql: """
            INSERT OR IGNORE INTO history (date, block_id, student_id, staff_id, target_id, source)
            VALUES (?, ?, ?, ?, ?, 'import')
            """,
          arguments: [h.date.description, h.blockID, h.studentID, h.staffID, h.targetID])
        summary.historyAdded += db.changesCount
      }

      let now = timestamp()
      for r in newRequests {
        try db.execute(
          sql: """
            INSERT INTO request (id, staff_id, student_id, block_id, priority, date, note,
              made_by, made_at, source, state)
            VALUES (?, ?, ?, ?, ?, NULL, '', 'requests.csv', ?, 'import', 'open')
            """,
          arguments: [r.id, r.staffID, r.studentID, r.blockID, r.priority.rawValue, now])
      }
      summary.requestsAdded = newRequests.count

      summary.warnings += try Self.orphanWarnings(db)

      let finished = Date().timeIntervalSince1970
      try db.execute(
        sql: "INSERT OR REPLACE INTO meta (key, value) VALUES ('last_import', ?), ('last_folder', ?)",
        arguments: [String(finished), folder])
      try db.execute(
        sql: """
          INSERT INTO import_log (at, folder, evidence_added, history_added, requests_added)
          VALUES (?, ?, ?, ?, ?)
          """,
        arguments: [
          finished, folder, summary.evidenceAdded, summary.historyAdded, summary.requestsAdded,
        ])
      return summary
    }
  }

  /// Warnings for open requests that name a staff member, student or block the record no longer has.
  static func orphanWarnings(_ db: Database) throws -> [Diagnostic] {
    let rows = try Row.fetchAll(
      db,
      sql: """
        SELECT r.id, r.staff_id, r.student_id, r.block_id,
          (SELECT COUNT(*) FROM staff WHERE id = r.staff_id) AS has_staff,
          (SELECT COUNT(*) FROM student WHERE id = r.student_id) AS has_student,
          (r.block_id IS NULL OR (SELECT COUNT(*) FROM block WHERE id = r.block_id)) AS has_block
        FROM request r WHERE r.state = 'open' ORDER BY r.seq
        """)
    var warnings: [Diagnostic] = []
    for row in rows {
      var missing: [String] = []
      if row["has_staff"] == 0 { missing.append("staff \(row["staff_id"] as String)") }
      if row["has_student"] == 0 { missing.append("student \(row["student_id"] as String)") }
      if row["has_block"] == 0 { missing.append("block \(row["block_id"] as String)") }
      guard !missing.isEmpty else { continue }
      warnings.append(
        Diagnostic(
          .warning, file: RecordLocation.fileName,
          "open request \(row["id"] as String) names \(missing.joined(separator: " and ")), "
            + "no longer in the school; plans leave it out until it is withdrawn or the id returns"))
    }
    return warnings
  }
}

/// Today in UTC.
func today() -> Day {
  Day(ordinal: Int((Date().timeIntervalSince1970 / 86_400).rounded(.down)))
}
