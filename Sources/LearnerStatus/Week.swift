/// The plan day as the school's week changes it: absences (spec §12) and weekly dosage (spec §14).
///
/// `prepare` is applied by the planner and by the checker alike (it is idempotent), so both
/// judge the same day: pins and requests an absence makes impossible are left out, and
/// `keep_staff` adds its implicit normal requests.
public struct WeekDay: Sendable, Equatable {
  /// The school to plan: without the pins and requests the day's absences make impossible,
  /// with the implicit `keep_staff` requests.
  public var school: School
  /// One line per pin or required request dropped, naming it and the absence
  /// (`pins.csv:3: warning: pin of S00012 with T003 in block B1 dropped: T003 is absent`).
  public var warnings: [String]
  /// Requests left out because a person they name is absent, by id: the reason ("absent").
  public var absentRequests: [String: String]

  /// The id prefix of the implicit `keep_staff` requests: `keep-S00012`.
  public static let keepStaffPrefix = "keep-"

  /// Rule 12: absent people drop the pins and requests that need them; rule 14: keep_staff
  /// makes a tier-3 student's most frequent staff member this week an implicit normal request.
  public static func prepare(_ school: School, on date: Day) -> WeekDay {
    var result = WeekDay(school: school, warnings: [], absentRequests: [:])
    let away = AbsentSet(school, on: date)
    let blockIDs = school.blocks.map(\.id)
    if !away.isEmpty {
      result.school.pins = school.pins.filter { pin in
        guard let who = away.absent(pin.studentID, pin.staffID, in: pin.blockID) else { return true }
        result.warnings.append(
          "pins.csv\(pin.line > 0 ? ":\(pin.line)" : ""): warning: pin of \(pin.studentID) with \(pin.staffID) in block \(pin.blockID) "
            + "dropped: \(who) is absent")
        return false
      }
      result.school.requests = school.requests.filter { request in
        let blocks = request.blockID.map { [$0] } ?? blockIDs
        let blocked = blocks.map { away.absent(request.studentID, request.staffID, in: $0) }
        guard !blocks.isEmpty, blocked.allSatisfy({ $0 != nil }), let who = blocked.first ?? nil
        else { return true }
        result.absentRequests[request.id] = "absent"
        if request.priority == .required {
          result.warnings.append(
            "requests.csv\(request.line > 0 ? ":\(request.line)" : ""): warning: required request \(request.id) "
              + "(\(request.staffID) with \(request.studentID)) dropped: \(who) is absent")
        }
        return false
      }
    }
    if let dosage = school.policy.dosage, dosage.keepStaff {
      let known = Set(result.school.requests.map(\.id))
      let week = WeekCount(school, on: date)
      for student in school.students where student.tier == 3 {
        let id = keepStaffPrefix + student.id
        guard !known.contains(id), let staff = week.mostFrequentStaff[student.id],
          school.staff.contains(where: { $0.id == staff }),
          !away.wholeDay(student.id, blocks: blockIDs), !away.wholeDay(staff, blocks: blockIDs)
        else { continue }
        result.school.requests.append(
          Request(id: id, staffID: staff, studentID: student.id, priority: .normal))
      }
    }
    return result
  }
}

/// Who is absent in which block on one day (spec §12).
public struct AbsentSet: Sendable {
  var wholeDay: Set<String> = []
  var inBlock: Set<[String]> = []

  /// The absences of `school` dated `date`.
  public init(_ school: School, on date: Day) {
    for a in school.absences(on: date) {
      if let b = a.blockID { inBlock.insert([a.id, b]) } else { wholeDay.insert(a.id) }
    }
  }

  /// Whether nobody is absent.
  public var isEmpty: Bool { wholeDay.isEmpty && inBlock.isEmpty }

  /// Whether `id` (staff or student) is absent in block `block`.
  public func isAbsent(_ id: String, in block: String) -> Bool {
    wholeDay.contains(id) || inBlock.contains([id, block])
  }

  /// The first of `ids` absent in `block`, or nil.
  public func absent(_ ids: String..., in block: String) -> String? {
    ids.first { isAbsent($0, in: block) }
  }

  /// Whether `id` is absent in every one of `blocks`.
  public func wholeDay(_ id: String, blocks: [String]) -> Bool {
    wholeDay.contains(id) || (!blocks.isEmpty && blocks.allSatisfy { inBlock.contains([id, $0]) })
  }
}

/// Sessions this school week (Monday to Friday of the plan date) before the plan date (spec §14).
public struct WeekCount: Sendable {
  /// Sessions of each student this week before the plan date (one per day and block).
  public var before: [String: Int] = [:]
  /// Each student's most frequent staff member this week (ties: the earlier session).
  public var mostFrequentStaff: [String: String] = [:]
  /// School days (Monday to Friday) of the week after the plan date.
  public let daysLeft: Int

  /// Counts `school.history` rows dated from the plan date's Monday to the day before it.
  public init(_ school: School, on date: Day) {
    let monday = date.adding(days: -date.weekday)
    daysLeft = max(0, 4 - date.weekday)
    let start = Dictionary(school.blocks.map { ($0.id, $0.start) }, uniquingKeysWith: { a, _ in a })
    var seen: Set<[String]> = []
    struct Tally { var count = 0, first: (Int, Int) = (Int.max, Int.max) }
    var tallies: [String: [String: Tally]] = [:]
    for h in school.history where h.date >= monday && h.date < date {
      guard seen.insert([h.studentID, h.date.description, h.blockID]).inserted else { continue }
      before[h.studentID, default: 0] += 1
      var t = tallies[h.studentID, default: [:]][h.staffID, default: Tally()]
      t.count += 1
      let when = (h.date.ordinal, start[h.blockID] ?? 0)
      if when < t.first { t.first = when }
      tallies[h.studentID, default: [:]][h.staffID] = t
    }
    for (student, byStaff) in tallies {
      let best = byStaff.min { a, b in
        if a.value.count != b.value.count { return a.value.count > b.value.count }
        if a.value.first != b.value.first { return a.value.first < b.value.first }
        return a.key < b.key
      }
      if let best { mostFrequentStaff[student] = best.key }
    }
  }

  /// short(s) = max(0, dosage(tier) − sessions before today), for a school with `[dosage]`; else 0.
  public func short(_ student: Student, _ dosage: Dosage?) -> Int {
    guard let dosage else { return 0 }
    return max(0, dosage.perWeek(tier: student.tier) - (before[student.id] ?? 0))
  }
}
