/// What the plan uses, derived from the folder (spec §2): levels, needs, waits and weights.
///
/// ```swift
/// let needs = Derivation.needs(in: school, on: date)      // heaviest first
/// let demand = Derivation.demand(in: school, needs: needs)
/// ```
public enum Derivation {
  /// Folds evidence values, oldest first, into a level by `policy.method`; nil when there are none.
  ///
  /// `recent` is the last value, `mean` the arithmetic mean, `highest` the maximum, and
  /// `decaying` starts at the first value and then takes `decay·v + (1 − decay)·L` for each later `v`.
  public static func level(_ values: [Double], policy: Policy) -> Double? {
    guard let first = values.first else { return nil }
    switch policy.method {
    case .recent:
      return values.last
    case .mean:
      return values.reduce(0, +) / Double(values.count)
    case .highest:
      return values.max()
    case .decaying:
      var level = first
      for v in values.dropFirst() { level = policy.decay * v + (1 - policy.decay) * level }
      return level
    }
  }

  /// Every (student, target) level from evidence dated on or before `date`, same-date rows in file order.
  ///
  /// Only students and targets the school defines get a level.
  public static func levels(in school: School, on date: Day) -> [StudentTarget: Double] {
    let students = Set(school.students.map(\.id))
    let targets = Set(school.targets.map(\.id))
    var observations: [StudentTarget: [(day: Day, order: Int, value: Double)]] = [:]
    for (order, e) in school.evidence.enumerated()
    where e.date <= date && students.contains(e.studentID) && targets.contains(e.targetID) {
      observations[StudentTarget(e.studentID, e.targetID), default: []].append((e.date, order, e.level))
    }
    var levels: [StudentTarget: Double] = [:]
    levels.reserveCapacity(observations.count)
    for (key, rows) in observations {
      let ordered = rows.sorted { ($0.day, $0.order) < ($1.day, $1.order) }.map(\.value)
      levels[key] = level(ordered, policy: school.policy)
    }
    return levels
  }

  /// The latest `history.csv` date of each (student, target) pair strictly before `date`.
  ///
  /// Pairs with no history before `date` are absent (their wait is `wait_cap`).
  public static func lastSessions(in school: School, before date: Day) -> [StudentTarget: Day] {
    var latest: [StudentTarget: Day] = [:]
    for h in school.history where h.date < date {
      let key = StudentTarget(h.studentID, h.targetID)
      if let d = latest[key], d >= h.date { continue }
      latest[key] = h.date
    }
    return latest
  }

  /// The wait for a pair whose latest earlier session was on `last` (nil: none), capped at `wait_cap`.
  public static func wait(since last: Day?, on date: Day, policy: Policy) -> Int {
    let cap = policy.weights.waitCap
    guard let last else { return cap }
    return min(cap, last.days(to: date))
  }

  /// Every need on `date`, heaviest first (ties: student id, then target id).
  ///
  /// A need is a level below `proficient`; its weight is
  /// m(s) · (gap · (proficient − L) + wait · W), times `not_ready` when some prerequisite of
  /// the target is itself a need of the student (spec §11; a prerequisite without evidence
  /// does not count).
  ///
  /// - Complexity: O(*e* log *e* + *h* + *p*) for *e* evidence, *h* history rows and *p*
  ///   prerequisite links of the needed targets.
  public static func needs(in school: School, on date: Day) -> [Need] {
    let policy = school.policy
    let tiers = Dictionary(school.students.map { ($0.id, $0.tier) }, uniquingKeysWith: { a, _ in a })
    let prerequisites = Dictionary(
      school.targets.map { ($0.id, $0.prerequisites) }, uniquingKeysWith: { a, _ in a })
    let last = lastSessions(in: school, before: date)
    let levels = levels(in: school, on: date)
    var needs: [Need] = []
    for (key, level) in levels where level < policy.proficient {
      let wait = wait(since: last[key], on: date, policy: policy)
      let m = policy.weights.multiplier(tier: tiers[key.student] ?? 1)
      var weight =
        m * (policy.weights.gap * (policy.proficient - level) + policy.weights.wait * Double(wait))
      let missing = (prerequisites[key.target] ?? []).filter { p in
        levels[StudentTarget(key.student, p)].map { $0 < policy.proficient } ?? false
      }
      if !missing.isEmpty { weight *= policy.weights.notReady }
      needs.append(
        Need(
          student: key.student, target: key.target, level: level, wait: wait, weight: weight,
          missingPrerequisites: missing))
    }
    needs.sort(by: heavierFirst)
    return needs
  }

  /// The needs order: weight descending, then student id, then target id.
  public static func heavierFirst(_ a: Need, _ b: Need) -> Bool {
    if a.weight != b.weight { return a.weight > b.weight }
    if a.student != b.student { return a.student < b.student }
    return a.target < b.target
  }

  /// Whether `staff` could lead a session on `target` in `block`.
  ///
  /// The staff member's and the block's subjects allow the target's subject (R2), they are
  /// not unavailable in the block (R1), the block fits their minutes (R3) and their
  /// `max_group_size` admits `min_size` (R4).
  public static func canTeach(
    _ staff: StaffMember, _ target: Target, in block: Block, school: School
  ) -> Bool {
    Teaching(school).canTeach(staff, target.subject, block)
  }

  /// Demand per target: students needing it and who could teach it where (spec §7 `targets`).
  ///
  /// Targets with a need come heaviest total weight first (ties: target id); each target
  /// in `including` that has no need follows, with no students. Staff and blocks keep
  /// file order.
  public static func demand(
    in school: School, needs: [Need], including extra: [String] = []
  ) -> [TargetDemand] {
    let teaching = Teaching(school)
    let targets = Dictionary(school.targets.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    var byTarget: [String: [Need]] = [:]
    for need in needs { byTarget[need.target, default: []].append(need) }
    var result: [TargetDemand] = byTarget.compactMap { id, rows in
      guard let target = targets[id] else { return nil }
      return TargetDemand(
        target: id, subject: target.subject, needs: rows.sorted(by: heavierFirst),
        staff: teaching.options(for: target))
    }
    result.sort {
      $0.totalWeight != $1.totalWeight ? $0.totalWeight > $1.totalWeight : $0.target < $1.target
    }
    var seen = Set(result.map(\.target))
    for id in extra where !seen.contains(id) {
      guard let target = targets[id] else { continue }
      seen.insert(id)
      result.append(
        TargetDemand(target: id, subject: target.subject, needs: [], staff: teaching.options(for: target)))
    }
    return result
  }
}

/// A (student, target) pair.
public struct StudentTarget: Hashable, Sendable, Comparable {
  public var student: String
  public var target: String
  public init(_ student: String, _ target: String) {
    self.student = student
    self.target = target
  }
  public static func < (a: StudentTarget, b: StudentTarget) -> Bool {
    (a.student, a.target) < (b.student, b.target)
  }
}

/// Who could teach a target where: one staff member and the blocks open to them.
public struct TeachingOption: Sendable, Equatable {
  /// The staff id.
  public var staff: String
  /// Block ids in file order.
  public var blocks: [String]
  public init(staff: String, blocks: [String]) {
    self.staff = staff
    self.blocks = blocks
  }
}

/// The demand for one target (spec §7): how many students need it and who could teach it where.
public struct TargetDemand: Sendable, Equatable {
  /// The target id.
  public var target: String
  /// The target's subject.
  public var subject: String
  /// The needs on this target, heaviest first.
  public var needs: [Need]
  /// Staff who could teach it, with their blocks; empty when nobody can.
  public var staff: [TeachingOption]

  public init(target: String, subject: String, needs: [Need], staff: [TeachingOption]) {
    self.target = target
    self.subject = subject
    self.needs = needs
    self.staff = staff
  }

  /// The number of students needing the target.
  public var students: Int { needs.count }
  /// The mean level of those students; nil when none.
  public var meanLevel: Double? {
    needs.isEmpty ? nil : needs.map(\.level).reduce(0, +) / Double(needs.count)
  }
  /// The mean wait of those students; nil when none.
  public var meanWait: Double? {
    needs.isEmpty ? nil : Double(needs.map(\.wait).reduce(0, +)) / Double(needs.count)
  }
  /// The sum of the need weights.
  public var totalWeight: Double { needs.map(\.weight).reduce(0, +) }
}

/// Precomputed teaching possibilities of a school (R1–R4 without the plan).
struct Teaching {
  let school: School
  let unavailable: Set<Unavailability.Key>

  init(_ school: School) {
    self.school = school
    self.unavailable = Set(school.unavailable.map { Unavailability.Key($0.staffID, $0.blockID) })
  }

  func canTeach(_ staff: StaffMember, _ subject: String, _ block: Block) -> Bool {
    staff.subjects.allows(subject) && block.subjects.allows(subject)
      && !unavailable.contains(.init(staff.id, block.id))
      && staff.maxMinutes >= block.minutes
      && staff.maxGroupSize >= school.policy.minSize
  }

  /// Staff in file order with the blocks (file order) where they could teach `target`.
  func options(for target: Target) -> [TeachingOption] {
    school.staff.compactMap { k in
      let blocks = school.blocks.filter { canTeach(k, target.subject, $0) }.map(\.id)
      return blocks.isEmpty ? nil : TeachingOption(staff: k.id, blocks: blocks)
    }
  }
}

extension Unavailability {
  /// A (staff, block) pair, for lookups.
  struct Key: Hashable {
    let staff: String
    let block: String
    init(_ staff: String, _ block: String) {
      self.staff = staff
      self.block = block
    }
  }
}
