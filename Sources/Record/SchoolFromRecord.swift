import Foundation
import GRDB
import LearnerStatus

extension SchoolRecord {
  /// The school for a plan, `status` or `check`, as `SchoolFolder.load` gives it, read from the record.
  ///
  /// The day is `date` (from `--date`), else the imported `school.toml`'s. The school holds
  /// everything imported plus what was added since: the requests that apply to the day
  /// (open ones, those dated that day, and those a published plan of that day closed) and
  /// the history, published sessions included.
  ///
  /// - Throws: `InputError` when neither gives a day; `SchoolRecordError` when nothing was imported yet.
  public func load(date: Day?) throws -> LoadedSchool {
    let (policyDate, school) = try read { db -> (Day?, School) in
      guard try Row.fetchOne(db, sql: "SELECT 1 FROM policy") != nil else {
        throw SchoolRecordError(
          "\(url.path): error: the record holds no school yet: run `regroup import FOLDER`")
      }
      let policyDate = try Self.policy(db).date
      return (policyDate, try Self.school(db, on: date ?? policyDate ?? today()))
    }
    guard let day = date ?? policyDate else {
      throw InputError([
        Diagnostic(
          .error, file: "school.toml",
          "no day to plan: pass --date YYYY-MM-DD, or add date = \"YYYY-MM-DD\" to school.toml and import again"
        )
      ])
    }
    var warnings: [Diagnostic] = []
    let later = school.evidence.filter { $0.date > day }.count
    if later > 0 {
      warnings.append(
        Diagnostic(
          .warning, file: RecordLocation.fileName,
          "\(later) evidence \(later == 1 ? "row is" : "rows are") dated after the plan date \(day); ignored")
      )
    }
    warnings += try read { try Self.orphanWarnings($0) }
    return LoadedSchool(school: school, date: day, warnings: warnings)
  }

  /// The school the record holds for planning `date` (see `load(date:)`), without warnings.
  public func school(on date: Day) throws -> School {
    try read { try Self.school($0, on: date) }
  }

  static func policy(_ db: Database) throws -> Policy {
    var p = Policy()
    guard let row = try Row.fetchOne(db, sql: "SELECT * FROM policy WHERE id = 1") else { return p }
    p.name = row["name"]
    p.date = (row["date"] as String?).flatMap(Day.init)
    p.method = StatusMethod(rawValue: row["method"]) ?? .decaying
    p.decay = row["decay"]
    p.proficient = row["proficient"]
    p.minSize = row["min_size"]
    p.weights.gap = row["gap"]
    p.weights.wait = row["wait"]
    p.weights.waitCap = row["wait_cap"]
    p.weights.tier2 = row["tier2"]
    p.weights.tier3 = row["tier3"]
    p.weights.requestHigh = row["request_high"]
    p.weights.requestNormal = row["request_normal"]
    p.weights.session = row["session"]
    p.weights.notReady = row["not_ready"]
    p.weights.move = row["move"]
    p.weights.dosage = row["dosage"]
    if (row["has_dosage"] as Int) != 0 {
      p.dosage = Dosage(
        tier1: row["dosage_tier1"], tier2: row["dosage_tier2"], tier3: row["dosage_tier3"],
        keepStaff: (row["keep_staff"] as Int) != 0)
    }
    return p
  }

  /// The school's policy, students, targets, staff and blocks, without evidence, unavailability,
  /// history, requests or pins: what a page that only names things needs, read quickly.
  public func directory() throws -> School {
    try read { try Self.directory($0) }
  }

  static func school(_ db: Database, on date: Day) throws -> School {
    var school = try directory(db)
    school.evidence = try Row.fetchAll(
      db, sql: "SELECT student_id, target_id, date, level FROM evidence ORDER BY seq"
    ).compactMap {
      guard let day = Day($0["date"] as String) else { return nil }
      return Evidence(studentID: $0["student_id"], targetID: $0["target_id"], date: day, level: $0["level"])
    }
    school.unavailable = try Row.fetchAll(db, sql: "SELECT * FROM unavailable ORDER BY line").map {
      Unavailability(staffID: $0["staff_id"], blockID: $0["block_id"], line: $0["line"])
    }
    school.history = try Row.fetchAll(
      db, sql: "SELECT date, block_id, student_id, staff_id, target_id FROM history ORDER BY seq"
    ).compactMap {
      guard let day = Day($0["date"] as String) else { return nil }
      return HistoryEntry(
        date: day, blockID: $0["block_id"], studentID: $0["student_id"], staffID: $0["staff_id"],
        targetID: $0["target_id"])
    }
    school.requests = try Row.fetchAll(
      db,
      sql: """
        SELECT r.id, r.staff_id, r.student_id, r.block_id, r.priority FROM request r
        WHERE ((r.state = 'open' AND (r.date IS NULL OR r.date = ?1))
            OR (r.state = 'closed' AND r.closed_on = ?1))
          AND EXISTS (SELECT 1 FROM staff WHERE id = r.staff_id)
          AND EXISTS (SELECT 1 FROM student WHERE id = r.student_id)
          AND (r.block_id IS NULL OR EXISTS (SELECT 1 FROM block WHERE id = r.block_id))
        ORDER BY r.seq
        """, arguments: [date.description]
    ).compactMap {
      guard let priority = Priority(rawValue: $0["priority"]) else { return nil }
      return Request(
        id: $0["id"], staffID: $0["staff_id"], studentID: $0["student_id"],
        blockID: $0["block_id"], priority: priority)
    }
    school.pins = try Row.fetchAll(db, sql: "SELECT * FROM pin ORDER BY line").map {
      Pin(studentID: $0["student_id"], blockID: $0["block_id"], staffID: $0["staff_id"], line: $0["line"])
    }
    school.absences = try Self.absenceRows(db, on: nil).map(\.absence)
    return school
  }

  /// The part of `school(_:on:)` that does not depend on the day.
  static func directory(_ db: Database) throws -> School {
    var school = School()
    school.policy = try policy(db)
    school.students = try Row.fetchAll(db, sql: "SELECT * FROM student ORDER BY line, id").map {
      Student(
        id: $0["id"], givenName: $0["given_name"], familyName: $0["family_name"],
        grade: $0["grade"], tier: $0["tier"],
        flags: ($0["flags"] as String).split(separator: ";").map(String.init), line: $0["line"])
    }
    school.targets = try Row.fetchAll(db, sql: "SELECT * FROM target ORDER BY line, id").map {
      Target(
        id: $0["id"], subject: $0["subject"], title: $0["title"], grade: $0["grade"],
        sequence: $0["sequence"],
        prerequisites: ($0["prerequisites"] as String).split(separator: ";").map(String.init),
        line: $0["line"])
    }
    school.staff = try Row.fetchAll(db, sql: "SELECT * FROM staff ORDER BY line, id").map {
      StaffMember(
        id: $0["id"], name: $0["name"], subjects: SubjectSet(cell: $0["subjects"]),
        maxGroupSize: $0["max_group_size"], maxMinutes: $0["max_minutes"], line: $0["line"])
    }
    school.blocks = try Row.fetchAll(db, sql: "SELECT * FROM block ORDER BY line, id").map {
      Block(
        id: $0["id"], start: $0["start"], end: $0["end"], subjects: SubjectSet(cell: $0["subjects"]),
        line: $0["line"])
    }
    return school
  }
}
