/// A school as its folder describes it (spec §1): plain values, validated when loaded.
///
/// Every record keeps the physical line of its file on which it starts (`line`), so that
/// later checks (references, plan questions) can still point at the file.
public struct School: Sendable, Equatable {
  public var policy: Policy
  public var students: [Student]
  public var targets: [Target]
  public var staff: [StaffMember]
  public var blocks: [Block]
  public var evidence: [Evidence]
  public var unavailable: [Unavailability]
  public var history: [HistoryEntry]
  public var requests: [Request]
  public var pins: [Pin]
  /// Rows of `absences.csv` (spec §12), of every date; `absences(on:)` gives the plan day's.
  public var absences: [Absence]

  public init(
    policy: Policy = Policy(), students: [Student] = [], targets: [Target] = [],
    staff: [StaffMember] = [], blocks: [Block] = [], evidence: [Evidence] = [],
    unavailable: [Unavailability] = [], history: [HistoryEntry] = [],
    requests: [Request] = [], pins: [Pin] = [], absences: [Absence] = []
  ) {
    self.policy = policy
    self.students = students
    self.targets = targets
    self.staff = staff
    self.blocks = blocks
    self.evidence = evidence
    self.unavailable = unavailable
    self.history = history
    self.requests = requests
    self.pins = pins
    self.absences = absences
  }

  /// The absences that apply on `day` (spec §12: only rows dated the plan date).
  public func absences(on day: Day) -> [Absence] {
    absences.filter { $0.date == day }
  }
}

/// A row of `absences.csv` (spec §12): a staff member or a student absent on a day.
public struct Absence: Sendable, Hashable {
  public var date: Day
  /// A staff_id or a student_id (never both).
  public var id: String
  /// nil: the whole day.
  public var blockID: String?
  public var line: Int

  public init(date: Day, id: String, blockID: String? = nil, line: Int = 0) {
    self.date = date
    self.id = id
    self.blockID = blockID
    self.line = line
  }

  /// Whether the absence covers block `block` (a whole-day absence covers every block).
  public func covers(block: String) -> Bool { blockID == nil || blockID == block }
}

/// A calendar day, `YYYY-MM-DD`, with day arithmetic (proleptic Gregorian).
public struct Day: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
  public let year: Int
  public let month: Int
  public let day: Int

  /// The day, or nil when the date does not exist.
  public init?(year: Int, month: Int, day: Int) {
    guard (1...9999).contains(year), (1...12).contains(month),
      (1...Day.daysInMonth(year, month)).contains(day)
    else { return nil }
    self.year = year
    self.month = month
    self.day = day
  }

  /// Parses exactly `YYYY-MM-DD`; nil for anything else or a day that does not exist.
  public init?(_ text: String) {
    let bytes = Array(text.utf8)
    guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-")
    else { return nil }
    func number(_ range: Range<Int>) -> Int? {
      var value = 0
      for i in range {
        let b = bytes[i]
        guard b >= 48, b <= 57 else { return nil }
        value = value * 10 + Int(b - 48)
      }
      return value
    }
    guard let y = number(0..<4), let m = number(5..<7), let d = number(8..<10) else { return nil }
    self.init(year: y, month: m, day: d)
  }

  static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

  static func daysInMonth(_ y: Int, _ m: Int) -> Int {
    switch m {
    case 2: return isLeap(y) ? 29 : 28
    case 4, 6, 9, 11: return 30
    default: return 31
    }
  }

  /// Days since 1970-01-01 (negative before).
  public var ordinal: Int {
    // Howard Hinnant's days_from_civil.
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let mp = (month + 9) % 12
    let doy = (153 * mp + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468
  }

  /// The day `ordinal` days after 1970-01-01.
  public init(ordinal z0: Int) {
    let z = z0 + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let doe = z - era * 146097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let d = doy - (153 * mp + 2) / 5 + 1
    let m = mp < 10 ? mp + 3 : mp - 9
    self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
    self.month = m
    self.day = d
  }

  /// Calendar days from `self` to `other` (positive when `other` is later).
  public func days(to other: Day) -> Int { other.ordinal - ordinal }

  /// The day `n` days later.
  public func adding(days n: Int) -> Day { Day(ordinal: ordinal + n) }

  /// 0 = Monday … 6 = Sunday.
  public var weekday: Int { ((ordinal % 7) + 7 + 3) % 7 }

  public var description: String {
    func pad(_ v: Int, _ width: Int) -> String {
      let s = String(v)
      return String(repeating: "0", count: max(0, width - s.count)) + s
    }
    return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
  }

  public static func < (a: Day, b: Day) -> Bool { a.ordinal < b.ordinal }

  public init(from decoder: Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let day = Day(text) else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "not a date: \(text)"))
    }
    self = day
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(description)
  }
}

/// A set of subjects: `*` (any) or a list.
public enum SubjectSet: Sendable, Hashable, CustomStringConvertible {
  case any
  case only(Set<String>)

  /// Parses a list cell: `*` means any; otherwise `;`-separated names, trimmed, empty parts dropped.
  public init(cell: String) {
    let parts = cell.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty }
    if parts.contains("*") { self = .any } else { self = .only(Set(parts)) }
  }

  public func allows(_ subject: String) -> Bool {
    switch self {
    case .any: return true
    case .only(let set): return set.contains(subject)
    }
  }

  public var description: String {
    switch self {
    case .any: return "*"
    case .only(let set): return set.sorted().joined(separator: ";")
    }
  }
}

/// A row of `students.csv`: a student and their tier (1 by default).
public struct Student: Sendable, Equatable {
  public var id: String
  public var givenName: String
  public var familyName: String
  public var grade: String
  public var tier: Int
  public var flags: [String]
  public var line: Int

  public init(
    id: String, givenName: String = "", familyName: String = "", grade: String = "",
    tier: Int = 1, flags: [String] = [], line: Int = 0
  ) {
    self.id = id
    self.givenName = givenName
    self.familyName = familyName
    self.grade = grade
    self.tier = tier
    self.flags = flags
    self.line = line
  }
}

/// A row of `targets.csv`: a learning target within a subject.
public struct Target: Sendable, Equatable {
  public var id: String
  public var subject: String
  public var title: String
  public var grade: String
  public var sequence: Int?
  /// Targets a student should master first (spec §11), by id, in the file's order.
  public var prerequisites: [String]
  public var line: Int

  public init(
    id: String, subject: String, title: String = "", grade: String = "", sequence: Int? = nil,
    prerequisites: [String] = [], line: Int = 0
  ) {
    self.id = id
    self.subject = subject
    self.title = title
    self.grade = grade
    self.sequence = sequence
    self.prerequisites = prerequisites
    self.line = line
  }
}

/// A row of `staff.csv`: who can lead sessions, in which subjects, how large and for how long.
public struct StaffMember: Sendable, Equatable {
  public var id: String
  public var name: String
  public var subjects: SubjectSet
  public var maxGroupSize: Int
  public var maxMinutes: Int
  public var line: Int

  public init(
    id: String, name: String = "", subjects: SubjectSet = .any, maxGroupSize: Int,
    maxMinutes: Int, line: Int = 0
  ) {
    self.id = id
    self.name = name
    self.subjects = subjects
    self.maxGroupSize = maxGroupSize
    self.maxMinutes = maxMinutes
    self.line = line
  }
}

/// A row of `blocks.csv`: a time block of the day and the subjects it allows.
public struct Block: Sendable, Equatable {
  public var id: String
  /// Minutes after midnight.
  public var start: Int
  /// Minutes after midnight; after `start`.
  public var end: Int
  public var subjects: SubjectSet
  public var line: Int

  public init(id: String, start: Int, end: Int, subjects: SubjectSet = .any, line: Int = 0) {
    self.id = id
    self.start = start
    self.end = end
    self.subjects = subjects
    self.line = line
  }

  /// Block minutes: end − start.
  public var minutes: Int { end - start }

  /// `HH:MM` for minutes after midnight.
  public static func clock(_ minutes: Int) -> String {
    let h = minutes / 60
    let m = minutes % 60
    return (h < 10 ? "0" : "") + String(h) + ":" + (m < 10 ? "0" : "") + String(m)
  }
}

/// A row of `evidence.csv`: one observed level of a student on a target on a day.
public struct Evidence: Sendable, Equatable {
  public var studentID: String
  public var targetID: String
  public var date: Day
  public var level: Double
  public var line: Int

  public init(studentID: String, targetID: String, date: Day, level: Double, line: Int = 0) {
    self.studentID = studentID
    self.targetID = targetID
    self.date = date
    self.level = level
    self.line = line
  }
}

/// A row of `unavailable.csv`: a staff member who cannot lead a session in a block.
public struct Unavailability: Sendable, Hashable {
  public var staffID: String
  public var blockID: String
  public var line: Int

  public init(staffID: String, blockID: String, line: Int = 0) {
    self.staffID = staffID
    self.blockID = blockID
    self.line = line
  }
}

/// A row of `history.csv`: a session a student took part in on an earlier day.
public struct HistoryEntry: Sendable, Equatable {
  public var date: Day
  public var blockID: String
  public var studentID: String
  public var staffID: String
  public var targetID: String
  public var line: Int

  public init(
    date: Day, blockID: String, studentID: String, staffID: String, targetID: String,
    line: Int = 0
  ) {
    self.date = date
    self.blockID = blockID
    self.studentID = studentID
    self.staffID = staffID
    self.targetID = targetID
    self.line = line
  }
}

/// A request's priority: `required` is a rule (R9); `high` and `normal` are scored.
public enum Priority: String, Sendable, Codable, CaseIterable {
  case required, high, normal
}

/// A row of `requests.csv`: a staff member asks for a student, in a block or any.
public struct Request: Sendable, Equatable {
  public var id: String
  public var staffID: String
  public var studentID: String
  /// nil: any block.
  public var blockID: String?
  public var priority: Priority
  public var line: Int

  public init(
    id: String, staffID: String, studentID: String, blockID: String? = nil,
    priority: Priority, line: Int = 0
  ) {
    self.id = id
    self.staffID = staffID
    self.studentID = studentID
    self.blockID = blockID
    self.priority = priority
    self.line = line
  }
}

/// A row of `pins.csv`: a student who must be in a staff member's session in a block (R8).
public struct Pin: Sendable, Equatable {
  public var studentID: String
  public var blockID: String
  public var staffID: String
  public var line: Int

  public init(studentID: String, blockID: String, staffID: String, line: Int = 0) {
    self.studentID = studentID
    self.blockID = blockID
    self.staffID = staffID
    self.line = line
  }
}

/// How evidence folds into a level (spec §2).
public enum StatusMethod: String, Sendable, CaseIterable, Codable {
  case decaying, recent, mean, highest
}

/// `school.toml` (spec §1.1), with the spec's defaults.
public struct Policy: Sendable, Equatable {
  public var name: String = ""
  public var date: Day? = nil
  public var method: StatusMethod = .decaying
  public var decay: Double = 0.65
  public var proficient: Double = 3.0
  public var minSize: Int = 2
  public var weights = Weights()
  /// `[dosage]` (spec §14); nil when `school.toml` has no `[dosage]` table, and then dosage
  /// does not count at all (a folder without it plans exactly as before).
  public var dosage: Dosage? = nil

  public init() {}
}

/// `[dosage]` of `school.toml` (spec §14): sessions per school week by tier.
public struct Dosage: Sendable, Equatable {
  public var tier1: Int = 0
  public var tier2: Int = 2
  public var tier3: Int = 4
  /// True: a tier-3 student's most frequent staff member this week is an implicit normal request.
  public var keepStaff: Bool = false

  public init(tier1: Int = 0, tier2: Int = 2, tier3: Int = 4, keepStaff: Bool = false) {
    self.tier1 = tier1
    self.tier2 = tier2
    self.tier3 = tier3
    self.keepStaff = keepStaff
  }

  /// Sessions per week for a student of `tier`.
  public func perWeek(tier: Int) -> Int {
    switch tier {
    case 2: return tier2
    case 3: return tier3
    default: return tier1
    }
  }
}

/// `[weights]` of `school.toml` (spec §1.1).
public struct Weights: Sendable, Equatable {
  public var gap: Double = 10.0
  public var wait: Double = 1.0
  public var waitCap: Int = 10
  public var tier2: Double = 1.5
  public var tier3: Double = 2.0
  public var requestHigh: Double = 30.0
  public var requestNormal: Double = 12.0
  public var session: Double = 4.0
  /// The multiplier of a need whose prerequisite is itself a need (spec §11), 0 to 1.
  public var notReady: Double = 0.25
  /// The cost of each published placement a re-plan does not keep (spec §13).
  public var move: Double = 5.0
  /// Per session today for a student still short of their weekly dosage (spec §14).
  public var dosage: Double = 20.0

  public init() {}

  /// The tier multiplier m(s).
  public func multiplier(tier: Int) -> Double {
    switch tier {
    case 2: return tier2
    case 3: return tier3
    default: return 1
    }
  }

  /// w(r) for a scored request; 0 for `required` (a rule, not score).
  public func weight(of priority: Priority) -> Double {
    switch priority {
    case .high: return requestHigh
    case .normal: return requestNormal
    case .required: return 0
    }
  }
}
