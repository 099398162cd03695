import LearnerStatus
import Planning

/// One simulated day of one scenario.
public struct DayResult: Sendable, Equatable, Codable {
  public var date: Day
  /// Needs at the start of the day.
  public var needs: Int
  /// Needs placed in a session on their target that day.
  public var served: Int
  public var sessions: Int
  /// The plan's status (`optimal` when proven within the gap, else `feasible`).
  public var status: String
}

/// Service of a group of students (all, a tier, a flag): the equity table's row.
public struct GroupService: Sendable, Equatable, Codable {
  public var group: String
  public var students: Int
  /// Needs at the start of a day, summed over days.
  public var needDays: Int
  /// Of those, served that day.
  public var served: Int
  /// served / needDays.
  public var serviceRate: Double
  /// Mean wait in days of those needs.
  public var meanWait: Double
  /// Sessions per student over the simulation (dosage).
  public var sessionsPerStudent: Double

  enum CodingKeys: String, CodingKey {
    case group, students, served
    case needDays = "need_days"
    case serviceRate = "service_rate"
    case meanWait = "mean_wait"
    case sessionsPerStudent = "sessions_per_student"
  }
}

/// Weekly dosage (spec §14) of a group of students: how many of its student-weeks with a
/// dosage target reached it.
public struct DosageGroup: Sendable, Equatable, Codable {
  public var group: String
  /// (student, school week) pairs with `per_week` > 0 whose week the simulation finished.
  public var studentWeeks: Int
  /// Of those, the weeks in which the student had at least `per_week` sessions.
  public var reached: Int
  /// reached / studentWeeks.
  public var share: Double

  enum CodingKeys: String, CodingKey {
    case group, reached, share
    case studentWeeks = "student_weeks"
  }
}

/// What a scenario gave students over the simulation.
public struct ScenarioResult: Sendable, Equatable, Codable {
  public var name: String
  public var file: String
  public var days: [DayResult]
  public var needsServedPerDay: Double
  public var waitMedian: Double
  public var waitP90: Double
  /// Count of need-days by wait in days (index = wait, 0…wait_cap).
  public var waitHistogram: [Int]
  public var needsAtStart: Int
  public var needsAtEnd: Int
  /// Share of the first day's needs still open after the last day.
  public var openAtEnd: Double
  public var studentsWithNeeds: Int
  /// Students with a need on some day who were never in a session.
  public var studentsNeverServed: Int
  public var staffMinutesUsed: Int
  public var staffMinutesAvailable: Int
  /// Rows: all students, tier 1–3, then each flag (sorted).
  public var equity: [GroupService]
  /// Mean over students of the share of consecutive-day pairs (both days in a session)
  /// in which their session-mates were mostly the same (Jaccard ≥ 0.5).
  public var samePeers: Double
  /// Students with at least one such pair.
  public var samePeersStudents: Int
  /// Days whose plan was not proven within the gap.
  public var daysAtTimeLimit: Int
  /// Days with no plan (infeasible or no plan in time).
  public var daysWithoutPlan: Int
  /// With `[dosage]`: the share of student-weeks that reached their dosage, for every
  /// student with a target, by tier, then by flag; nil (absent from the JSON) without it.
  public var dosage: [DosageGroup]? = nil

  enum CodingKeys: String, CodingKey {
    case name, file, days, equity, dosage
    case needsServedPerDay = "needs_served_per_day"
    case waitMedian = "wait_median"
    case waitP90 = "wait_p90"
    case waitHistogram = "wait_histogram"
    case needsAtStart = "needs_at_start"
    case needsAtEnd = "needs_at_end"
    case openAtEnd = "open_at_end"
    case studentsWithNeeds = "students_with_needs"
    case studentsNeverServed = "students_never_served"
    case staffMinutesUsed = "staff_minutes_used"
    case staffMinutesAvailable = "staff_minutes_available"
    case samePeers = "same_peers"
    case samePeersStudents = "same_peers_students"
    case daysAtTimeLimit = "days_at_time_limit"
    case daysWithoutPlan = "days_without_plan"
  }

  /// Needs served over all days.
  public var totalServed: Int { days.map(\.served).reduce(0, +) }
}

/// Accumulates one scenario's measures day by day.
struct Measures {
  let tiers: [String: Int]
  let flags: [String: [String]]
  let students: [String]
  let waitCap: Int
  var days: [DayResult] = []
  var waits: [Int] = []
  var firstNeeds: Set<StudentTarget>?
  var withNeeds: Set<String> = []
  var sessionsOf: [String: Int] = [:]
  var needDays: [String: Int] = [:]
  var servedOf: [String: Int] = [:]
  var waitSum: [String: Int] = [:]
  var minutesUsed = 0
  var minutesAvailable = 0
  var matesYesterday: [String: Set<String>] = [:]
  var pairs: [String: (same: Int, all: Int)] = [:]
  /// Per school week (its Monday): whether each dosage student's sessions so far that week
  /// (history before the first simulated day included) reach their target.
  var weekDosage: [Day: [String: Bool]] = [:]
  /// Weeks whose Friday was simulated: only finished weeks count.
  var finishedWeeks: Set<Day> = []
  /// Whether the school has `[dosage]` (spec §14).
  let hasDosage: Bool

  init(school: School, waitCap: Int) {
    tiers = Dictionary(school.students.map { ($0.id, $0.tier) }, uniquingKeysWith: { a, _ in a })
    flags = Dictionary(school.students.map { ($0.id, $0.flags) }, uniquingKeysWith: { a, _ in a })
    students = school.students.map(\.id)
    hasDosage = school.policy.dosage != nil
    self.waitCap = max(0, waitCap)
  }

  mutating func record(day: Day, needs: [Need], plan: Planning.Plan?, sessions: [Session], school: School) {
    let keys = Set(needs.map { StudentTarget($0.student, $0.target) })
    if firstNeeds == nil { firstNeeds = keys }
    var placed = Set<StudentTarget>()
    var mates: [String: Set<String>] = [:]
    let blockMinutes = Dictionary(school.blocks.map { ($0.id, $0.minutes) }, uniquingKeysWith: { a, _ in a })
    for s in sessions {
      minutesUsed += blockMinutes[s.block] ?? 0
      for student in s.students {
        placed.insert(StudentTarget(student, s.target))
        sessionsOf[student, default: 0] += 1
        mates[student, default: []].formUnion(s.students.filter { $0 != student })
      }
    }
    var served = 0
    for need in needs {
      withNeeds.insert(need.student)
      waits.append(need.wait)
      needDays[need.student, default: 0] += 1
      waitSum[need.student, default: 0] += need.wait
      if placed.contains(StudentTarget(need.student, need.target)) {
        served += 1
        servedOf[need.student, default: 0] += 1
      }
    }
    // Tracking: the same peers as on the previous simulated day?
    for (student, today) in mates {
      guard let yesterday = matesYesterday[student] else { continue }
      let union = today.union(yesterday).count
      let jaccard = union == 0 ? 1 : Double(today.intersection(yesterday).count) / Double(union)
      var p = pairs[student] ?? (0, 0)
      p.all += 1
      if jaccard >= 0.5 { p.same += 1 }
      pairs[student] = p
    }
    matesYesterday = mates
    // Staff minutes available: each person's max_minutes, at most the blocks they can be in.
    let off = Set(school.unavailable.map { "\($0.staffID)\u{1F}\($0.blockID)" })
    for member in school.staff {
      let open = school.blocks.filter { !off.contains("\(member.id)\u{1F}\($0.id)") }.map(\.minutes)
        .reduce(0, +)
      minutesAvailable += min(member.maxMinutes, open)
    }
    // Weekly dosage (§14): the day's lines count this week's sessions before today (the
    // simulated days' and, in the first week, the school's history) and today's.
    if let lines = DosageLine.lines(school: school, date: day, sessions: sessions) {
      let monday = day.adding(days: -day.weekday)
      for line in lines {
        weekDosage[monday, default: [:]][line.studentID] = line.beforeToday + line.today >= line.perWeek
      }
      if day.weekday == 4 { finishedWeeks.insert(monday) }
    }
    let status = plan?.status.rawValue ?? "error"
    days.append(
      DayResult(date: day, needs: needs.count, served: served, sessions: sessions.count, status: status))
  }

  func result(name: String, file: String, openAtEnd open: Set<StudentTarget>) -> ScenarioResult {
    let sorted = waits.sorted()
    func median() -> Double {
      guard !sorted.isEmpty else { return 0 }
      let n = sorted.count
      return n % 2 == 1 ? Double(sorted[n / 2]) : Double(sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }
    func percentile(_ p: Double) -> Double {
      guard !sorted.isEmpty else { return 0 }
      let rank = Int((p * Double(sorted.count)).rounded(.up))
      return Double(sorted[max(0, min(sorted.count - 1, rank - 1))])
    }
    var histogram = Array(repeating: 0, count: waitCap + 1)
    for w in waits { histogram[max(0, min(waitCap, w))] += 1 }
    let first = firstNeeds ?? []
    let stillOpen = first.intersection(open).count

    func group(_ label: String, _ members: [String]) -> GroupService {
      let nd = members.map { needDays[$0] ?? 0 }.reduce(0, +)
      let sv = members.map { servedOf[$0] ?? 0 }.reduce(0, +)
      let ws = members.map { waitSum[$0] ?? 0 }.reduce(0, +)
      let ss = members.map { sessionsOf[$0] ?? 0 }.reduce(0, +)
      return GroupService(
        group: label, students: members.count, needDays: nd, served: sv,
        serviceRate: round4(nd == 0 ? 0 : Double(sv) / Double(nd)),
        meanWait: round4(nd == 0 ? 0 : Double(ws) / Double(nd)),
        sessionsPerStudent: round4(members.isEmpty ? 0 : Double(ss) / Double(members.count)))
    }
    var equity = [group("all", students)]
    for tier in 1...3 {
      equity.append(group("tier \(tier)", students.filter { (tiers[$0] ?? 1) == tier }))
    }
    for flag in Set(flags.values.flatMap { $0 }).sorted() {
      equity.append(group(flag, students.filter { flags[$0]?.contains(flag) == true }))
    }
    func dosageGroup(_ label: String, _ member: (String) -> Bool) -> DosageGroup {
      var weeks = 0
      var reached = 0
      for week in finishedWeeks {
        for (student, reachedIt) in weekDosage[week] ?? [:] where member(student) {
          weeks += 1
          if reachedIt { reached += 1 }
        }
      }
      return DosageGroup(
        group: label, studentWeeks: weeks, reached: reached,
        share: round4(weeks == 0 ? 0 : Double(reached) / Double(weeks)))
    }
    var dosage: [DosageGroup]?
    if hasDosage {
      let withTarget = Set(weekDosage.values.flatMap(\.keys))
      var rows = [dosageGroup("all", { _ in true })]
      for tier in 1...3 where withTarget.contains(where: { (tiers[$0] ?? 1) == tier }) {
        rows.append(dosageGroup("tier \(tier)", { (tiers[$0] ?? 1) == tier }))
      }
      for flag in Set(withTarget.flatMap { flags[$0] ?? [] }).sorted() {
        rows.append(dosageGroup(flag, { flags[$0]?.contains(flag) == true }))
      }
      dosage = rows
    }
    let shares = pairs.keys.sorted().map { Double(pairs[$0]!.same) / Double(pairs[$0]!.all) }
    return ScenarioResult(
      name: name, file: file, days: days,
      needsServedPerDay: round4(
        days.isEmpty ? 0 : Double(days.map(\.served).reduce(0, +)) / Double(days.count)),
      waitMedian: median(), waitP90: percentile(0.9), waitHistogram: histogram,
      needsAtStart: first.count, needsAtEnd: open.count,
      openAtEnd: round4(first.isEmpty ? 0 : Double(stillOpen) / Double(first.count)),
      studentsWithNeeds: withNeeds.count,
      studentsNeverServed: withNeeds.filter { (sessionsOf[$0] ?? 0) == 0 }.count,
      staffMinutesUsed: minutesUsed, staffMinutesAvailable: minutesAvailable, equity: equity,
      samePeers: round4(shares.isEmpty ? 0 : shares.reduce(0, +) / Double(shares.count)),
      samePeersStudents: shares.count,
      daysAtTimeLimit: days.filter { $0.status == "feasible" }.count,
      daysWithoutPlan: days.filter { $0.status != "feasible" && $0.status != "optimal" }.count,
      dosage: dosage)
  }
}

/// Rounded to 4 decimals: stable, readable JSON.
func round4(_ x: Double) -> Double { (x * 10000).rounded() / 10000 }
