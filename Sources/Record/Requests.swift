import Foundation
import GRDB
import LearnerStatus

/// A teacher's request as the record keeps it: what was asked, by whom, when, and what became of it.
public struct StoredRequest: Sendable, Equatable {
  /// Open (plans use it), closed (a published plan recorded its outcome) or withdrawn.
  public enum State: String, Sendable, Codable { case open, closed, withdrawn }

  public var id: String
  public var staffID: String
  public var studentID: String
  /// nil: any block.
  public var blockID: String?
  public var priority: Priority
  /// The day it is for; nil: open until a published plan takes it.
  public var date: Day?
  public var note: String
  /// Who made it (`--by`, else `$USER`; `requests.csv` for imported rows).
  public var madeBy: String
  /// When it was made, ISO 8601 UTC.
  public var madeAt: String
  public var state: State
  /// The day of the published plan that closed it.
  public var closedOn: Day?

  init(row: Row) {
    id = row["id"]
    staffID = row["staff_id"]
    studentID = row["student_id"]
    blockID = row["block_id"]
    priority = Priority(rawValue: row["priority"]) ?? .normal
    date = (row["date"] as String?).flatMap(Day.init)
    note = row["note"]
    madeBy = row["made_by"]
    madeAt = row["made_at"]
    state = State(rawValue: row["state"]) ?? .open
    closedOn = (row["closed_on"] as String?).flatMap(Day.init)
  }
}

/// What a published plan did with one request: `request status`'s line.
public struct RequestFeedback: Sendable, Equatable {
  public var request: StoredRequest
  /// The published plan's day; nil while the request is still open.
  public var planDate: Day?
  /// nil while open (or withdrawn before any plan).
  public var honored: Bool?
  /// Plain words when not honored.
  public var reason: String?
}

extension SchoolRecord {
  /// Adds a request with the next free `REQ-0001`-style id, in one transaction; every id is checked first.
  ///
  /// - Throws: `SchoolRecordError` naming every unknown id, block or priority; nothing is written then.
  @discardableResult
  public func addRequest(
    staff: String, student: String, block: String? = nil, date: Day? = nil,
    priority: String = "normal", note: String = "", by: String = currentUser()
  ) throws -> StoredRequest {
    try write { db in
      var problems: [String] = []
      try requireSchool(db)
      if try !exists(db, "staff", staff) {
        problems.append("unknown staff \"\(staff)\": it is not in the record's staff.csv")
      }
      if try !exists(db, "student", student) {
        problems.append("unknown student \"\(student)\": it is not in the record's students.csv")
      }
      if let block, try !exists(db, "block", block) {
        problems.append("unknown block \"\(block)\": it is not in the record's blocks.csv")
      }
      let level = Priority(rawValue: priority)
      if level == nil {
        problems.append("priority must be required, high or normal, found \"\(priority)\"")
      }
      guard problems.isEmpty, let level else {
        throw SchoolRecordError(problems.map { "error: \($0)" }.joined(separator: "\n"))
      }
      let id = try Self.nextRequestID(db)
      try db.execute(
        sql: """
          INSERT INTO request (id, staff_id, student_id, block_id, priority, date, note,
            made_by, made_at, source, state)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'command', 'open')
          """,
        arguments: [
          id, staff, student, block, level.rawValue, date?.description, note, by, timestamp(),
        ])
      return try Self.request(db, id)!
    }
  }

  /// The next `REQ-NNNN` id above every `REQ-` number in the record (withdrawn and imported ones too).
  static func nextRequestID(_ db: Database) throws -> String {
    let ids = try String.fetchAll(db, sql: "SELECT id FROM request WHERE id LIKE 'REQ-%'")
    var highest = 0
    for id in ids {
      let digits = id.dropFirst(4)
      if !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
        let n = Int(digits)
      {
        highest = max(highest, n)
      }
    }
    let number = String(highest + 1)
    return "REQ-" + String(repeating: "0", count: max(0, 4 - number.count)) + number
  }

  /// Requests, open ones first, then by when they were made; `staff` and `date` narrow the list.
  ///
  /// With `date`, the requests for that day: dated that day, or undated and open or closed by that day's plan.
  public func requests(staff: String? = nil, date: Day? = nil) throws -> [StoredRequest] {
    try read { db in
      var conditions: [String] = []
      var arguments: StatementArguments = []
      if let staff {
        conditions.append("staff_id = ?")
        arguments += [staff]
      }
      if let date {
        conditions.append("(date = ? OR (date IS NULL AND (state = 'open' OR closed_on = ?)))")
        arguments += [date.description, date.description]
      }
      let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
      return try Row.fetchAll(
        db,
        sql: "SELECT * FROM request \(filter) ORDER BY state <> 'open', seq",
        arguments: arguments
      ).map(StoredRequest.init(row:))
    }
  }

  /// Withdraws an open request, keeping who withdrew it and when.
  ///
  /// - Throws: `SchoolRecordError` when there is no such request, or it is closed or withdrawn already.
  @discardableResult
  public func withdrawRequest(_ id: String, by: String = currentUser()) throws -> StoredRequest {
    try write { db in
      guard let request = try Self.request(db, id) else {
        throw SchoolRecordError("error: no request \"\(id)\" in the record")
      }
      switch request.state {
      case .withdrawn:
        throw SchoolRecordError("error: request \(id) was withdrawn already")
      case .closed:
        throw SchoolRecordError(
          "error: request \(id) was already planned in the plan published for "
            + "\(request.closedOn?.description ?? "an earlier day"); it cannot be withdrawn")
      case .open:
        try db.execute(
          sql: """
            UPDATE request SET state = 'withdrawn', withdrawn_at = ?, withdrawn_by = ?
            WHERE id = ?
            """, arguments: [timestamp(), by, id])
        return try Self.request(db, id)!
      }
    }
  }

  /// A staff member's requests and what the published plans did with them (honored, or why not); open ones last.
  ///
  /// - Throws: `SchoolRecordError` when the staff member is unknown to the record.
  public func requestStatus(staff: String, date: Day? = nil) throws -> [RequestFeedback] {
    try read { db in
      try requireSchool(db)
      let known =
        try exists(db, "staff", staff)
        || (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM request WHERE staff_id = ?", arguments: [staff])
          ?? 0) > 0
      if !known {
        throw SchoolRecordError("error: unknown staff \"\(staff)\": it is not in the record's staff.csv")
      }
      var feedback: [RequestFeedback] = []
      let decided = try Row.fetchAll(
        db,
        sql: """
          SELECT r.*, o.date AS plan_date, o.honored, o.reason
          FROM request_outcome o JOIN request r ON r.id = o.request_id
          WHERE r.staff_id = ? \(date == nil ? "" : "AND o.date = ?")
          ORDER BY o.date, r.seq
          """,
        arguments: date == nil ? [staff] : [staff, date!.description])
      for row in decided {
        feedback.append(
          RequestFeedback(
            request: StoredRequest(row: row), planDate: Day(row["plan_date"] as String),
            honored: (row["honored"] as Int) != 0, reason: row["reason"]))
      }
      let open = try Row.fetchAll(
        db,
        sql: """
          SELECT * FROM request WHERE staff_id = ? AND state = 'open'
            \(date == nil ? "" : "AND (date IS NULL OR date = ?)")
          ORDER BY seq
          """,
        arguments: date == nil ? [staff] : [staff, date!.description])
      for row in open {
        feedback.append(
          RequestFeedback(request: StoredRequest(row: row), planDate: nil, honored: nil, reason: nil))
      }
      return feedback
    }
  }

  static func request(_ db: Database, _ id: String) throws -> StoredRequest? {
    try Row.fetchOne(db, sql: "SELECT * FROM request WHERE id = ?", arguments: [id])
      .map(StoredRequest.init(row:))
  }

  func exists(_ db: Database, _ table: String, _ id: String) throws -> Bool {
    try Row.fetchOne(db, sql: "SELECT 1 FROM \(table) WHERE id = ?", arguments: [id]) != nil
  }

  func requireSchool(_ db: Database) throws {
    guard try Row.fetchOne(db, sql: "SELECT 1 FROM policy") != nil else {
      throw SchoolRecordError(
        "\(url.path): error: the record holds no school yet: run `regroup import FOLDER`")
    }
  }
}
