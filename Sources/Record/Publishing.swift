import Foundation
import GRDB
import LearnerStatus
import Planning

/// What publishing a plan did.
public struct PublishResult: Sendable, Equatable {
  public var date: Day
  /// 1 for the day's first plan; one more for each replacement.
  public var version: Int
  /// Whether an earlier plan of the day was replaced (and kept in the audit trail).
  public var replaced: Bool
  public var sessions: Int
  /// Student placements appended to history.
  public var placements: Int
  /// Requests whose outcome was recorded and which are now closed.
  public var requestsClosed: Int
}

/// One version of a day's plan in the audit trail.
public struct PublishedVersion: Sendable, Equatable {
  public var plan: Plan
  public var version: Int
  public var publishedAt: String
  public var publishedBy: String
  /// When and by whom it was replaced; nil for the current version.
  public var replacedAt: String?
  public var replacedBy: String?
}

/// The plan as stored in the record (the JSON of spec §5 plus `seconds`).
struct StoredPlan: Codable {
  var date: Day
  var status: Plan.Status
  var objective: Double?
  var bound: Double?
  var seconds: Double
  var sessions: [Session]
  var requests: [RequestOutcome]
  var conflicts: [Conflict]
  /// A re-plan's changes (spec §13), kept so each teacher's My day can say what changed and why.
  var changes: [Change]?

  init(_ plan: Plan) {
    date = plan.date
    status = plan.status
    objective = plan.objective
    bound = plan.bound
    seconds = plan.seconds
    sessions = plan.sessions
    requests = plan.requests
    conflicts = plan.conflicts
    changes = plan.changes
  }

  var plan: Plan {
    var plan = Plan(
      date: date, status: status, objective: objective, bound: bound, sessions: sessions,
      requests: requests, conflicts: conflicts, seconds: seconds)
    plan.changes = changes
    return plan
  }

  func json() throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(self), as: UTF8.self)
  }

  static func decode(_ text: String) throws -> StoredPlan {
    try JSONDecoder().decode(StoredPlan.self, from: Data(text.utf8))
  }
}

extension SchoolRecord {
  /// Test hook: when set to a path, `publish` creates that file midway through its transaction and waits to be killed.
  public static let pauseInPublishVariable = "REGROUP_TEST_PAUSE_IN_PUBLISH"

  /// Stores the day's plan, appends its sessions to history and records and closes the requests it decided, in one transaction.
  ///
  /// Publishing a day that already has a plan needs `replace`; the earlier version goes to
  /// the audit trail, its history rows are taken back and its requests reopened first.
  ///
  /// - Throws: `SchoolRecordError` when the plan has no sessions to publish (infeasible or
  ///   timeout), names ids the record lacks, or the day is published and `replace` is false.
  @discardableResult
  public func publish(_ plan: Plan, replace: Bool = false, by: String = currentUser()) throws
    -> PublishResult
  {
    guard plan.status == .optimal || plan.status == .feasible else {
      throw SchoolRecordError(
        "error: there is no plan to publish for \(plan.date) (status \(plan.status.rawValue))")
    }
    let body = try StoredPlan(plan).json()
    let day = plan.date.description
    return try write { db in
      try requireSchool(db)
      try Self.checkIDs(of: plan, db)
      let now = timestamp()
      var version = 1
      var replaced = false
      if let old = try Row.fetchOne(db, sql: "SELECT * FROM plan WHERE date = ?", arguments: [day]) {
        guard replace else {
          throw SchoolRecordError(
            "error: a plan for \(day) is already published (version \(old["version"] as Int), "
              + "\(old["published_at"] as String) by \(old["published_by"] as String)); "
              + "publish again with --replace to replace it (the earlier one is kept in the audit trail)")
        }
        version = (old["version"] as Int) + 1
        replaced = true
        try db.execute(
          sql: """
            INSERT INTO plan_audit (date, version, status, objective, bound, body, published_at,
              published_by, replaced_at, replaced_by)
            SELECT date, version, status, objective, bound, body, published_at, published_by, ?, ?
            FROM plan WHERE date = ?
            """, arguments: [now, by, day])
        try db.execute(sql: "DELETE FROM plan WHERE date = ?", arguments: [day])
        try db.execute(
          sql: "DELETE FROM history WHERE date = ? AND source = 'plan'", arguments: [day])
        try db.execute(sql: "DELETE FROM request_outcome WHERE date = ?", arguments: [day])
        try db.execute(
          sql: "UPDATE request SET state = 'open', closed_on = NULL WHERE state = 'closed' AND closed_on = ?",
          arguments: [day])
      }
      try db.execute(
        sql: """
          INSERT INTO plan (date, version, status, objective, bound, body, published_at, published_by)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [day, version, plan.status.rawValue, plan.objective, plan.bound, body, now, by])

      var placements = 0
      let insertHistory = try db.makeStatement(
        sql: """
          INSERT OR IGNORE INTO history (date, block_id, student_id, staff_id, target_id, source)
          VALUES (?, ?, ?, ?, ?, 'plan')
          """)
      for (index, session) in plan.sessions.enumerated() {
        for student in session.students {
          try insertHistory.execute(arguments: [day, session.block, student, session.staff, session.target])
          placements += 1
        }
        if index == 0 { Self.pauseIfAsked() }
      }

      var closed = 0
      for outcome in plan.requests {
        guard let request = try Self.request(db, outcome.requestID), request.state == .open,
          request.date == nil || request.date == plan.date
        else { continue }
        try db.execute(
          sql:
            "INSERT OR REPLACE INTO request_outcome (date, request_id, honored, reason) VALUES (?, ?, ?, ?)",
          arguments: [day, outcome.requestID, outcome.honored, outcome.honored ? nil : outcome.reason])
        try db.execute(
          sql: "UPDATE request SET state = 'closed', closed_on = ? WHERE id = ?",
          arguments: [day, outcome.requestID])
        closed += 1
      }
      return PublishResult(
        date: plan.date, version: version, replaced: replaced, sessions: plan.sessions.count,
        placements: placements, requestsClosed: closed)
    }
  }

  /// The plan published for `date`, or nil.
  public func publishedPlan(on date: Day) throws -> Plan? {
    try read { db in
      try String.fetchOne(db, sql: "SELECT body FROM plan WHERE date = ?", arguments: [date.description])
    }.map { try StoredPlan.decode($0).plan }
  }

  /// The days that have a published plan, oldest first.
  public func publishedDates() throws -> [Day] {
    try read { db in try String.fetchAll(db, sql: "SELECT date FROM plan ORDER BY date") }
      .compactMap(Day.init)
  }

  /// Every version of `date`'s plan, oldest first, the current one last.
  public func auditTrail(on date: Day) throws -> [PublishedVersion] {
    try read { db in
      let old = try Row.fetchAll(
        db, sql: "SELECT * FROM plan_audit WHERE date = ? ORDER BY version, seq",
        arguments: [date.description])
      let current = try Row.fetchAll(
        db, sql: "SELECT *, NULL AS replaced_at, NULL AS replaced_by FROM plan WHERE date = ?",
        arguments: [date.description])
      return try (old + current).map { row in
        PublishedVersion(
          plan: try StoredPlan.decode(row["body"]).plan, version: row["version"],
          publishedAt: row["published_at"], publishedBy: row["published_by"],
          replacedAt: row["replaced_at"], replacedBy: row["replaced_by"])
      }
    }
  }

  /// Every id of the plan must be one the record defines, so history never holds strangers.
  static func checkIDs(of plan: Plan, _ db: Database) throws {
    func ids(_ table: String) throws -> Set<String> {
      Set(try String.fetchAll(db, sql: "SELECT id FROM \(table)"))
    }
    let students = try ids("student")
    let staff = try ids("staff")
    let targets = try ids("target")
    let blocks = try ids("block")
    var unknown: [String] = []
    func note(_ kind: String, _ id: String, _ known: Set<String>) {
      let item = "\(kind) \"\(id)\""
      if !known.contains(id), !unknown.contains(item) { unknown.append(item) }
    }
    for s in plan.sessions {
      note("block", s.block, blocks)
      note("staff", s.staff, staff)
      note("target", s.target, targets)
      for student in s.students { note("student", student, students) }
    }
    if !unknown.isEmpty {
      throw SchoolRecordError(
        "error: the plan names what the record does not have: \(unknown.joined(separator: ", ")); "
          + "nothing was published")
    }
  }

  static func pauseIfAsked() {
    guard let marker = ProcessInfo.processInfo.environment[pauseInPublishVariable], !marker.isEmpty
    else { return }
    _ = FileManager.default.createFile(atPath: marker, contents: Data("paused\n".utf8))
    Thread.sleep(forTimeInterval: 120)
  }
}
