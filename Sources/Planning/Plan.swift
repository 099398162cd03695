import LearnerStatus

/// One session of a plan: a staff member teaching a target to students in a block.
public struct Session: Sendable, Hashable, Codable {
  public var block: String
  public var staff: String
  public var target: String
  /// Student ids, sorted.
  public var students: [String]

  public init(block: String, staff: String, target: String, students: [String]) {
    self.block = block
    self.staff = staff
    self.target = target
    self.students = students
  }
}

/// What became of one request.
public struct RequestOutcome: Sendable, Hashable, Codable {
  public var requestID: String
  public var honored: Bool
  /// Plain words when not honored.
  public var reason: String?

  public init(requestID: String, honored: Bool, reason: String? = nil) {
    self.requestID = requestID
    self.honored = honored
    self.reason = reason
  }

  enum CodingKeys: String, CodingKey {
    case requestID = "request_id"
    case honored
    case reason
  }
}

/// A set of rules and items that cannot hold together (spec §5, infeasible days).
public struct Conflict: Sendable, Hashable, Codable {
  public var rules: [String]
  public var items: [String]
  public var message: String

  public init(rules: [String], items: [String], message: String) {
    self.rules = rules
    self.items = items
    self.message = message
  }
}

/// The outcome of planning one day (spec §5).
public struct Plan: Sendable, Equatable {
  public enum Status: String, Sendable, Codable {
    case optimal, feasible, infeasible, timeout
  }

  public var date: Day
  public var status: Status
  /// The score (§4) of the plan; nil when there is no plan.
  public var objective: Double?
  /// A proven upper bound on the score of any plan; nil when none is known.
  public var bound: Double?
  /// Sorted by block order in the folder, then staff id, then target id.
  public var sessions: [Session]
  /// Every request of the folder, in file order.
  public var requests: [RequestOutcome]
  /// Non-empty only when infeasible.
  public var conflicts: [Conflict]
  /// Wall-clock seconds for the whole run.
  public var seconds: Double
  /// Pins and required requests an absence made impossible, dropped (spec §12), one line each.
  public var warnings: [String] = []
  /// Every student with a dosage target (spec §14); nil when the school has no `[dosage]`.
  public var dosage: [DosageLine]? = nil
  /// A re-plan's changes against the published plan (spec §13); nil for a plan from scratch.
  public var changes: [Change]? = nil

  public init(
    date: Day, status: Status, objective: Double?, bound: Double?, sessions: [Session],
    requests: [RequestOutcome], conflicts: [Conflict] = [], seconds: Double = 0
  ) {
    self.date = date
    self.status = status
    self.objective = objective
    self.bound = bound
    self.sessions = sessions
    self.requests = requests
    self.conflicts = conflicts
    self.seconds = seconds
  }

  /// (bound − objective) / max(1, |bound|), the one gap Regroup reports; nil without both.
  public var gap: Double? {
    guard let objective, let bound else { return nil }
    return max(0, bound - objective) / max(1, abs(bound))
  }
}

/// One student's week in the plan (spec §14): `{"student_id", "tier", "per_week", "before_today", "today", "short_after_today"}`.
public struct DosageLine: Sendable, Equatable, Codable {
  public var studentID: String
  public var tier: Int
  public var perWeek: Int
  public var beforeToday: Int
  public var today: Int
  public var shortAfterToday: Int

  public init(
    studentID: String, tier: Int, perWeek: Int, beforeToday: Int, today: Int, shortAfterToday: Int
  ) {
    self.studentID = studentID
    self.tier = tier
    self.perWeek = perWeek
    self.beforeToday = beforeToday
    self.today = today
    self.shortAfterToday = shortAfterToday
  }

  /// The dosage lines of a plan's sessions: every student whose tier has a target above 0.
  public static func lines(school: School, date: Day, sessions: [Session]) -> [DosageLine]? {
    guard let dosage = school.policy.dosage else { return nil }
    let week = WeekCount(school, on: date)
    var today: [String: Int] = [:]
    for session in sessions { for s in session.students { today[s, default: 0] += 1 } }
    return school.students.compactMap { student in
      let perWeek = dosage.perWeek(tier: student.tier)
      guard perWeek > 0 else { return nil }
      let before = week.before[student.id] ?? 0
      let now = today[student.id] ?? 0
      return DosageLine(
        studentID: student.id, tier: student.tier, perWeek: perWeek, beforeToday: before, today: now,
        shortAfterToday: max(0, perWeek - before - now))
    }
  }
}
