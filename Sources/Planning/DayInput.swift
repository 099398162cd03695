import LearnerStatus

/// What one day's plan is made from: the school reduced to dense indices, with needs (spec §2).
///
/// Students, targets, staff and blocks are numbered in file order; every collection the
/// formulation iterates is an array in a fixed order, so the same input builds the same model.
public struct DayInput: Sendable {
  public let school: School
  public let date: Day
  public let needs: [Need]

  /// Need weight n(s,t) by [student index][target index]; absent when s does not need t.
  let needWeight: [[Int: Double]]
  /// Targets each student needs, ascending target index.
  let neededTargets: [[Int]]
  let studentIndex: [String: Int]
  let targetIndex: [String: Int]
  let staffIndex: [String: Int]
  let blockIndex: [String: Int]
  /// canLead[k][b]: staff k may lead a session in block b at all (R1 availability, R3 minutes, R4 size).
  let canLead: [[Bool]]
  /// teachable[k][b]: target indices whose subject k and b both allow (R2), empty when !canLead.
  let teachable: [[[Int]]]
  /// The block minutes, by block index.
  let blockMinutes: [Int]
  /// Request and pin pairs: for each staff, the students a request or pin ties to them.
  let requestsByPair: [PairKey: [Int]]
  /// Pins by index in school.pins.
  let pins: [Pin]
  /// (student index, block index) pairs where the student is absent (spec §12): no placement there.
  let away: Set<[Int]>
  /// short(s) by student index (spec §14): sessions still owed this week; all 0 without `[dosage]`.
  let short: [Int]
  /// A re-plan (spec §13): the published placements an absence does not make impossible;
  /// each one the new plan keeps scores `move` (the plan's score is then §4 − move · not kept).
  let keepable: Set<NamedPlacementKey>

  var minSize: Int { school.policy.minSize }
  var sessionCost: Double { school.policy.weights.session }

  struct PairKey: Hashable, Comparable {
    let student: Int
    let staff: Int
    static func < (a: PairKey, b: PairKey) -> Bool {
      (a.staff, a.student) < (b.staff, b.student)
    }
  }

  /// Builds the day from a validated school.
  public init(school: School, date: Day, needs: [Need]) {
    self.init(school: school, date: date, needs: needs, published: [])
  }

  /// Builds the day of a re-plan of `published` (spec §13).
  init(school: School, date: Day, needs: [Need], published: [Session]) {
    self.school = school
    self.date = date
    self.needs = needs
    var si: [String: Int] = [:]
    for (i, s) in school.students.enumerated() { si[s.id] = i }
    var ti: [String: Int] = [:]
    for (i, t) in school.targets.enumerated() { ti[t.id] = i }
    var ki: [String: Int] = [:]
    for (i, k) in school.staff.enumerated() { ki[k.id] = i }
    var bi: [String: Int] = [:]
    for (i, b) in school.blocks.enumerated() { bi[b.id] = i }
    studentIndex = si
    targetIndex = ti
    staffIndex = ki
    blockIndex = bi

    var weight = Array(repeating: [Int: Double](), count: school.students.count)
    for need in needs {
      guard let s = si[need.student], let t = ti[need.target] else { continue }
      weight[s][t] = need.weight
    }
    needWeight = weight
    neededTargets = weight.map { $0.keys.sorted() }

    blockMinutes = school.blocks.map(\.minutes)
    var unavailable = Set<[Int]>()
    for u in school.unavailable {
      if let k = ki[u.staffID], let b = bi[u.blockID] { unavailable.insert([k, b]) }
    }
    // Spec §12: an absent staff member leads no session in the blocks of the absence, and an
    // absent student is placed in none of them.
    let absent = AbsentSet(school, on: date)
    var away = Set<[Int]>()
    if !absent.isEmpty {
      for (b, block) in school.blocks.enumerated() {
        for (k, member) in school.staff.enumerated() where absent.isAbsent(member.id, in: block.id) {
          unavailable.insert([k, b])
        }
        for (s, student) in school.students.enumerated() where absent.isAbsent(student.id, in: block.id) {
          away.insert([s, b])
        }
      }
    }
    self.away = away
    let week = WeekCount(school, on: date)
    short = school.students.map { week.short($0, school.policy.dosage) }
    let minSize = school.policy.minSize
    var lead: [[Bool]] = []
    var teach: [[[Int]]] = []
    for (k, member) in school.staff.enumerated() {
      var leadRow: [Bool] = []
      var teachRow: [[Int]] = []
      for (b, block) in school.blocks.enumerated() {
        let ok =
          !unavailable.contains([k, b]) && block.minutes <= member.maxMinutes
          && member.maxGroupSize >= minSize
        leadRow.append(ok)
        if ok {
          teachRow.append(
            school.targets.indices.filter { t in
              let subject = school.targets[t].subject
              return member.subjects.allows(subject) && block.subjects.allows(subject)
            })
        } else {
          teachRow.append([])
        }
      }
      lead.append(leadRow)
      teach.append(teachRow)
    }
    canLead = lead
    teachable = teach

    var pairs: [PairKey: [Int]] = [:]
    for (r, request) in school.requests.enumerated() {
      guard let s = si[request.studentID], let k = ki[request.staffID] else { continue }
      pairs[PairKey(student: s, staff: k), default: []].append(r)
    }
    for pin in school.pins {
      guard let s = si[pin.studentID], let k = ki[pin.staffID] else { continue }
      if pairs[PairKey(student: s, staff: k)] == nil { pairs[PairKey(student: s, staff: k)] = [] }
    }
    // Spec §13: a published placement can be kept only with its staff member by name.
    var keep = Set<NamedPlacementKey>()
    for session in published {
      guard let b = bi[session.block], let k = ki[session.staff], let t = ti[session.target],
        !absent.isAbsent(session.staff, in: session.block)
      else { continue }
      for id in session.students {
        guard let s = si[id], !away.contains([s, b]) else { continue }
        keep.insert(NamedPlacementKey(student: s, block: b, staff: k, target: t))
        if pairs[PairKey(student: s, staff: k)] == nil { pairs[PairKey(student: s, staff: k)] = [] }
      }
    }
    keepable = keep
    requestsByPair = pairs
    pins = school.pins
  }

  /// Whether student s is absent in block b.
  func isAway(student s: Int, block b: Int) -> Bool { !away.isEmpty && away.contains([s, b]) }

  /// The `move` weight of a re-plan (spec §13).
  var moveWeight: Double { school.policy.weights.move }

  /// move · (published placements the sessions keep): what the model adds to §4 in a re-plan.
  func keptBonus(_ sessions: [Session]) -> Double {
    guard !keepable.isEmpty else { return 0 }
    var kept = 0
    for session in sessions {
      guard let b = blockIndex[session.block], let k = staffIndex[session.staff],
        let t = targetIndex[session.target]
      else { continue }
      for id in session.students {
        if let s = studentIndex[id],
          keepable.contains(NamedPlacementKey(student: s, block: b, staff: k, target: t))
        {
          kept += 1
        }
      }
    }
    return moveWeight * Double(kept)
  }

  /// The `dosage` weight when the school has `[dosage]`, else 0.
  var dosageWeight: Double { school.policy.dosage == nil ? 0 : school.policy.weights.dosage }

  /// The most the dosage term can add for student s: dosage · min(short(s), blocks).
  func dosageCap(student s: Int) -> Double {
    dosageWeight * Double(min(short[s], school.blocks.count))
  }

  /// n(s,t), or nil when s does not need t.
  func weight(student s: Int, target t: Int) -> Double? { needWeight[s][t] }
}
