import LearnerStatus

/// One broken rule of a plan (spec §3), as `regroup check` prints it.
///
/// `message` is plain words without the rule number; the CLI prints `"\(rule): \(message)"`.
public struct Violation: Sendable, Hashable, Codable {
  /// The rule's number, `R1` … `R10`.
  public var rule: String
  /// The ids involved, most specific first (a student, then the block, staff, target).
  public var items: [String]
  /// What is wrong, in plain words.
  public var message: String

  public init(rule: String, items: [String], message: String) {
    self.rule = rule
    self.items = items
    self.message = message
  }
}

/// Checks a plan against the rules R1–R11 and scores it (R12: the dosage term) (spec §3, §4) by a second route.
///
/// The checker works from the school and the day alone: it derives levels, needs and
/// waits from the evidence and history itself (spec §2) and never looks at a model, a
/// solver or the planner's own data, so a planner bug cannot hide from it.
///
/// ```swift
/// let checker = PlanChecker(school: loaded.school, date: loaded.date)
/// let broken = checker.violations(of: plan.sessions)   // empty when every rule holds
/// let score = checker.score(of: plan.sessions)
/// ```
///
/// Each rule has its own code path; an id the folder does not define is an R10
/// violation, and the other rules skip what they cannot judge without it.
public struct PlanChecker: Sendable {
  let school: School
  let date: Day
  let students: [String: Student]
  let targets: [String: Target]
  let staff: [String: StaffMember]
  let blocks: [String: Block]
  /// Need weight n(s,t) of every need on this day, keyed by student then target.
  let needWeights: [String: [String: Double]]
  let requestsByStudent: [String: [Request]]
  let pinsByStudent: [String: [Pin]]
  /// The folder's request ids (those an absence leaves out included).
  let requestIDs: Set<String>
  /// Ids absent the whole plan day, and [id, block] pairs absent in one block (spec §12).
  let absentWholeDay: Set<String>
  let absentInBlock: Set<[String]>
  /// short(s) of each student still short of their week before today (spec §14).
  let shortOf: [String: Int]

  /// Prepares a checker for one school on one day.
  ///
  /// - Complexity: O(*e* log *e* + *h*) for *e* evidence rows and *h* history rows.
  public init(school: School, date: Day) {
    // The day as absences leave it (spec §12): pins and requests they make impossible do
    // not bind; keep_staff's implicit requests score (spec §14).
    self.requestIDs = Set(school.requests.map(\.id))
    let school = WeekDay.prepare(school, on: date).school
    self.school = school
    self.date = date
    self.students = Dictionary(school.students.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    self.targets = Dictionary(school.targets.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    self.staff = Dictionary(school.staff.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    self.blocks = Dictionary(school.blocks.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    self.needWeights = PlanChecker.deriveNeedWeights(school: school, date: date)
    self.requestsByStudent = Dictionary(grouping: school.requests, by: \.studentID)
    self.pinsByStudent = Dictionary(grouping: school.pins, by: \.studentID)
    var wholeDay: Set<String> = []
    var inBlock: Set<[String]> = []
    for a in school.absences where a.date == date {
      if let b = a.blockID { inBlock.insert([a.id, b]) } else { wholeDay.insert(a.id) }
    }
    self.absentWholeDay = wholeDay
    self.absentInBlock = inBlock
    self.shortOf = PlanChecker.deriveShort(school: school, date: date)
  }

  /// short(s) (spec §14), derived here from the history of the plan date's week: the
  /// tier's sessions per week less the student's distinct (day, block) sessions from
  /// Monday to the day before; empty without `[dosage]`.
  static func deriveShort(school: School, date: Day) -> [String: Int] {
    guard let dosage = school.policy.dosage else { return [:] }
    let monday = Day(ordinal: date.ordinal - ((date.ordinal % 7 + 7 + 3) % 7))
    var sessions: [String: Set<String>] = [:]
    for row in school.history where row.date >= monday && row.date < date {
      sessions[row.studentID, default: []].insert("\(row.date) \(row.blockID)")
    }
    var result: [String: Int] = [:]
    for student in school.students {
      let perWeek: Int
      switch student.tier {
      case 2: perWeek = dosage.tier2
      case 3: perWeek = dosage.tier3
      default: perWeek = dosage.tier1
      }
      let short = perWeek - (sessions[student.id]?.count ?? 0)
      if short > 0 { result[student.id] = short }
    }
    return result
  }

  /// The need weight n(s,t) (spec §2), or nil when s does not need t on this day.
  public func needWeight(student: String, target: String) -> Double? {
    needWeights[student]?[target]
  }

  // MARK: - Needs (spec §2), derived here independently of LearnerStatus's derivation

  static func deriveNeedWeights(school: School, date: Day) -> [String: [String: Double]] {
    let policy = school.policy
    let weights = policy.weights

    // Evidence on or before the day, oldest first; equal dates keep file (array) order.
    struct Key: Hashable { var student: String, target: String }
    var observations: [Key: [(date: Day, index: Int, level: Double)]] = [:]
    for (index, row) in school.evidence.enumerated() where row.date <= date {
      observations[Key(student: row.studentID, target: row.targetID), default: []]
        .append((row.date, index, row.level))
    }

    // Latest history date before the day, per (student, target).
    var lastServed: [Key: Day] = [:]
    for row in school.history where row.date < date {
      let key = Key(student: row.studentID, target: row.targetID)
      if let seen = lastServed[key], seen >= row.date { continue }
      lastServed[key] = row.date
    }

    let tiers = Dictionary(school.students.map { ($0.id, $0.tier) }, uniquingKeysWith: { a, _ in a })
    var levels: [Key: Double] = [:]
    for (key, rows) in observations {
      let values = rows.sorted { ($0.date, $0.index) < ($1.date, $1.index) }.map(\.level)
      levels[key] = fold(values, method: policy.method, decay: policy.decay)
    }
    // Spec §11: a need waits on a prerequisite when the student needs that prerequisite too.
    var prerequisites: [String: [String]] = [:]
    for t in school.targets where prerequisites[t.id] == nil { prerequisites[t.id] = t.prerequisites }
    func waitsOnPrerequisite(_ key: Key) -> Bool {
      (prerequisites[key.target] ?? []).contains { p in
        (levels[Key(student: key.student, target: p)] ?? .infinity) < policy.proficient
      }
    }
    var result: [String: [String: Double]] = [:]
    for (key, level) in levels {
      guard level < policy.proficient else { continue }
      let wait: Int
      if let served = lastServed[key] {
        wait = min(served.days(to: date), weights.waitCap)
      } else {
        wait = weights.waitCap
      }
      let multiplier = weights.multiplier(tier: tiers[key.student] ?? 1)
      let weight =
        multiplier
        * (weights.gap * (policy.proficient - level) + weights.wait * Double(wait))
        * (waitsOnPrerequisite(key) ? weights.notReady : 1)
      result[key.student, default: [:]][key.target] = weight
    }
    return result
  }

  /// Folds evidence values, oldest first, into a level by the school's method.
  static func fold(_ values: [Double], method: StatusMethod, decay: Double) -> Double? {
    guard let first = values.first else { return nil }
    switch method {
    case .recent:
      return values.last
    case .mean:
      return values.reduce(0, +) / Double(values.count)
    case .highest:
      return values.max()
    case .decaying:
      var level = first
      for value in values.dropFirst() {
        level = decay * value + (1 - decay) * level
      }
      return level
    }
  }
}

// MARK: - Rules

extension PlanChecker {
  /// Every broken rule of the plan, ordered by rule number, then in the order found.
  ///
  /// - Parameter sessions: The plan's sessions.
  /// - Returns: An empty list when R1–R10 all hold.
  public func violations(of sessions: [Session]) -> [Violation] {
    var found: [Violation] = []
    found += checkR1(sessions)
    found += checkR2(sessions)
    found += checkR3(sessions)
    found += checkR4(sessions)
    found += checkR5(sessions)
    found += checkR6(sessions)
    found += checkR7(sessions)
    found += checkR8(sessions)
    found += checkR9(sessions)
    found += checkR10(sessions)
    found += checkR11(sessions)
    return found
  }

  /// R11 (spec §12): an absent staff member leads no session, and an absent student is in
  /// no session, in the blocks of the absence.
  func checkR11(_ sessions: [Session]) -> [Violation] {
    guard !absentWholeDay.isEmpty || !absentInBlock.isEmpty else { return [] }
    func absent(_ id: String, _ block: String) -> Bool {
      absentWholeDay.contains(id) || absentInBlock.contains([id, block])
    }
    var found: [Violation] = []
    for session in sessions {
      if absent(session.staff, session.block) {
        found.append(
          Violation(
            rule: "R11", items: [session.staff, session.block, session.target],
            message:
              "\(session.staff) is absent but leads a session on \(session.target) in block \(session.block)")
        )
      }
      for student in session.students where absent(student, session.block) {
        found.append(
          Violation(
            rule: "R11", items: [student, session.block, session.staff, session.target],
            message: "\(student) is absent but is placed in \(session.staff)'s session on \(session.target) "
              + "in block \(session.block)"))
      }
    }
    return found
  }

  /// Every broken rule, also checking that the plan's request outcomes name requests the
  /// folder defines (R10).
  public func violations(of sessions: [Session], requests: [RequestOutcome]) -> [Violation] {
    var found = violations(of: sessions)
    let known = requestIDs
    var reported: Set<String> = []
    for outcome in requests where !known.contains(outcome.requestID) {
      guard reported.insert(outcome.requestID).inserted else { continue }
      found.append(
        Violation(
          rule: "R10", items: [outcome.requestID],
          message: "request \(outcome.requestID) is not in the folder's requests"))
    }
    return found
  }

  /// R1: a staff member leads at most one session per block, and none in a block
  /// `unavailable.csv` lists for them.
  func checkR1(_ sessions: [Session]) -> [Violation] {
    var found: [Violation] = []
    struct Slot: Hashable { var staff: String, block: String }
    var order: [Slot] = []
    var targetsBySlot: [Slot: [String]] = [:]
    for session in sessions {
      let slot = Slot(staff: session.staff, block: session.block)
      if targetsBySlot[slot] == nil { order.append(slot) }
      targetsBySlot[slot, default: []].append(session.target)
    }
    let unavailable = Set(school.unavailable.map { Slot(staff: $0.staffID, block: $0.blockID) })
    for slot in order {
      let targets = targetsBySlot[slot]!
      if targets.count > 1 {
        found.append(
          Violation(
            rule: "R1", items: [slot.staff, slot.block] + targets,
            message: "\(slot.staff) leads \(countWord(targets.count)) sessions in block \(slot.block)"
              + " (\(targets.joined(separator: ", ")))"))
      }
      if unavailable.contains(slot) {
        found.append(
          Violation(
            rule: "R1", items: [slot.staff, slot.block],
            message: "\(slot.staff) leads a session in block \(slot.block), where they are unavailable"))
      }
    }
    return found
  }

  /// R2: the target's subject is in the staff member's subjects and in the block's subjects.
  func checkR2(_ sessions: [Session]) -> [Violation] {
    var found: [Violation] = []
    var seen: Set<[String]> = []
    for session in sessions {
      guard let target = targets[session.target] else { continue }
      if let member = staff[session.staff], !member.subjects.allows(target.subject) {
        let items = [session.staff, session.target]
        if seen.insert(["staff"] + items).inserted {
          found.append(
            Violation(
              rule: "R2", items: items,
              message: "\(session.staff) does not teach \(target.subject) (target \(target.id))"
                + "; their subjects are \(member.subjects)"))
        }
      }
      if let block = blocks[session.block], !block.subjects.allows(target.subject) {
        let items = [session.block, session.target]
        if seen.insert(["block"] + items).inserted {
          found.append(
            Violation(
              rule: "R2", items: items,
              message: "block \(block.id) is not for \(target.subject) (target \(target.id))"
                + "; its subjects are \(block.subjects)"))
        }
      }
    }
    return found
  }

  /// R3: the minutes of the blocks in which a staff member leads sessions add up to at
  /// most their `max_minutes`.
  func checkR3(_ sessions: [Session]) -> [Violation] {
    var found: [Violation] = []
    var order: [String] = []
    var blocksByStaff: [String: [String]] = [:]
    for session in sessions where staff[session.staff] != nil && blocks[session.block] != nil {
      if blocksByStaff[session.staff] == nil { order.append(session.staff) }
      if !blocksByStaff[session.staff, default: []].contains(session.block) {
        blocksByStaff[session.staff, default: []].append(session.block)
      }
    }
    for id in order {
      let member = staff[id]!
      let used = blocksByStaff[id]!
      let minutes = used.reduce(0) { $0 + blocks[$1]!.minutes }
      if minutes > member.maxMinutes {
        found.append(
          Violation(
            rule: "R3", items: [id] + used,
            message: "\(id) leads sessions for \(minutes) minutes"
              + " (\(used.joined(separator: ", "))), more than their \(member.maxMinutes)"))
      }
    }
    return found
  }

  /// R4: a session has at least `min_size` and at most the staff member's
  /// `max_group_size` students.
  func checkR4(_ sessions: [Session]) -> [Violation] {
    var found: [Violation] = []
    let minSize = school.policy.minSize
    for session in sessions {
      let size = session.students.count
      let items = [session.block, session.staff, session.target]
      let name = "\(session.staff)'s session on \(session.target) in block \(session.block)"
      if size < minSize {
        found.append(
          Violation(
            rule: "R4", items: items,
            message: "\(name) has \(studentCount(size)), fewer than the minimum of \(minSize)"))
      }
      if let member = staff[session.staff], size > member.maxGroupSize {
        found.append(
          Violation(
            rule: "R4", items: items,
            message: "\(name) has \(studentCount(size)), more than \(session.staff)'s maximum of"
              + " \(member.maxGroupSize)"))
      }
    }
    return found
  }

  /// R5: a student is in at most one session per block.
  func checkR5(_ sessions: [Session]) -> [Violation] {
    struct Seat: Hashable { var student: String, block: String }
    var order: [Seat] = []
    var sessionsBySeat: [Seat: [Session]] = [:]
    for session in sessions {
      for student in session.students {
        let seat = Seat(student: student, block: session.block)
        if sessionsBySeat[seat] == nil { order.append(seat) }
        sessionsBySeat[seat, default: []].append(session)
      }
    }
    var found: [Violation] = []
    for seat in order {
      let joined = sessionsBySeat[seat]!
      guard joined.count > 1 else { continue }
      let staffIDs = joined.map(\.staff)
      let names = joined.map { "\($0.staff) on \($0.target)" }
      let message: String
      if Set(names).count == 1 {
        message =
          "\(seat.student) is listed \(joined.count) times in \(joined[0].staff)'s session on"
          + " \(joined[0].target) in block \(seat.block)"
      } else {
        let ambiguous = Set(staffIDs).count < staffIDs.count
        message =
          "\(seat.student) is in \(countWord(joined.count)) sessions in block \(seat.block)"
          + " (\((ambiguous ? names : staffIDs).joined(separator: ", ")))"
      }
      found.append(
        Violation(
          rule: "R5", items: [seat.student, seat.block] + distinct(staffIDs), message: message))
    }
    return found
  }

  /// R6: a student may be in session (b, k, t) only if they need t, or a request (k, s)
  /// exists whose block is b or empty, or a pin (s, b, k) exists.
  ///
  /// Judged only where the student and the session's block, staff member and target
  /// exist (an unknown id is R10's).
  func checkR6(_ sessions: [Session]) -> [Violation] {
    var found: [Violation] = []
    for session in sessions {
      guard blocks[session.block] != nil, staff[session.staff] != nil,
        targets[session.target] != nil
      else { continue }
      for student in distinct(session.students) where students[student] != nil {
        if needWeight(student: student, target: session.target) != nil { continue }
        if hasRequest(student: student, staff: session.staff, block: session.block) { continue }
        if hasPin(student: student, staff: session.staff, block: session.block) { continue }
        found.append(
          Violation(
            rule: "R6", items: [student, session.block, session.staff, session.target],
            message: "\(student) does not need \(session.target) and has no request or pin"
              + " for \(session.staff) in block \(session.block)"))
      }
    }
    return found
  }

  /// R7: a student is in at most one session per target that day.
  func checkR7(_ sessions: [Session]) -> [Violation] {
    struct Pair: Hashable { var student: String, target: String }
    var order: [Pair] = []
    var sessionsByPair: [Pair: [Session]] = [:]
    for session in sessions {
      for student in distinct(session.students) {  // a repeat within one session is R5's
        let pair = Pair(student: student, target: session.target)
        if sessionsByPair[pair] == nil { order.append(pair) }
        sessionsByPair[pair, default: []].append(session)
      }
    }
    var found: [Violation] = []
    for pair in order {
      let joined = sessionsByPair[pair]!
      guard joined.count > 1 else { continue }
      found.append(
        Violation(
          rule: "R7", items: [pair.student, pair.target] + distinct(joined.map(\.block)),
          message: "\(pair.student) is in \(countWord(joined.count)) sessions on \(pair.target)"
            + " (" + joined.map { "\($0.staff) in \($0.block)" }.joined(separator: ", ") + ")"))
    }
    return found
  }

  /// R8: every pin (s, b, k) holds: s is in k's session in block b.
  func checkR8(_ sessions: [Session]) -> [Violation] {
    var found: [Violation] = []
    let placed = SeatIndex(sessions, known: { _ in true })
    for pin in school.pins {
      let seat = SeatIndex.InBlock(student: pin.studentID, staff: pin.staffID, block: pin.blockID)
      if placed.inBlock.contains(seat) { continue }
      let leads = sessions.contains { $0.block == pin.blockID && $0.staff == pin.staffID }
      found.append(
        Violation(
          rule: "R8", items: [pin.studentID, pin.blockID, pin.staffID],
          message: "\(pin.studentID) is pinned to \(pin.staffID) in block \(pin.blockID) but is not"
            + (leads ? " in their session" : " placed with them; \(pin.staffID) leads no session there")))
    }
    return found
  }

  /// R9: every `required` request (k, s, b) holds: s is in k's session in block b, or,
  /// with an empty block, in one of k's sessions in some block.
  func checkR9(_ sessions: [Session]) -> [Violation] {
    var found: [Violation] = []
    let placed = SeatIndex(sessions, known: isKnown)
    for request in school.requests where request.priority == .required {
      if placed.honors(request) { continue }
      let place = request.blockID.map { "in block \($0)" } ?? "in any block"
      found.append(
        Violation(
          rule: "R9",
          items: [request.id, request.studentID, request.staffID] + (request.blockID.map { [$0] } ?? []),
          message: "required request \(request.id) is not met: \(request.studentID) is not in"
            + " a session of \(request.staffID) \(place)"))
    }
    return found
  }

  /// R10: every id in the plan exists in the folder.
  func checkR10(_ sessions: [Session]) -> [Violation] {
    var found: [Violation] = []
    var reported: Set<String> = []
    func unknown(_ kind: String, _ id: String, file: String, in session: Session) {
      guard reported.insert(kind + "\u{0}" + id).inserted else { return }
      found.append(
        Violation(
          rule: "R10", items: [id],
          message: "\(kind) \(quoted(id)) is not in \(file) (used in \(session.staff)'s session on"
            + " \(session.target) in block \(session.block))"))
    }
    for session in sessions {
      if blocks[session.block] == nil { unknown("block", session.block, file: "blocks.csv", in: session) }
      if staff[session.staff] == nil {
        unknown("staff member", session.staff, file: "staff.csv", in: session)
      }
      if targets[session.target] == nil {
        unknown("target", session.target, file: "targets.csv", in: session)
      }
      for student in session.students where students[student] == nil {
        unknown("student", student, file: "students.csv", in: session)
      }
    }
    return found
  }
}

// MARK: - Score (spec §4)

extension PlanChecker {
  /// The plan's score, spec §4 exactly.
  ///
  /// Σ n(s,t) over each student in a session on a target they need, plus w(r) for each
  /// high or normal request the plan honors (once each), minus `session` per session.
  /// Students placed by a request or pin on a target they do not need add nothing. Each
  /// listing of a student counts (a plan that lists a student twice also breaks R5), and a
  /// session naming a block, staff member or target the folder does not define (R10)
  /// adds nothing but its cost.
  public func score(of sessions: [Session]) -> Double {
    var total = 0.0
    for session in sessions where isKnown(session) {
      for student in session.students {
        total += needWeight(student: student, target: session.target) ?? 0
      }
    }
    let honored = honoredRequests(in: sessions)
    for request in school.requests where honored.contains(request.id) {
      total += school.policy.weights.weight(of: request.priority)
    }
    total -= school.policy.weights.session * Double(sessions.count)
    total += dosageScore(of: sessions)
    return total
  }

  /// R12, the dosage term of the score (spec §14): dosage · min(short(s), sessions of s
  /// today), summed over students; 0 without `[dosage]`.
  public func dosageScore(of sessions: [Session]) -> Double {
    guard school.policy.dosage != nil, !shortOf.isEmpty else { return 0 }
    var today: [String: Int] = [:]
    for session in sessions where isKnown(session) {
      for student in session.students { today[student, default: 0] += 1 }
    }
    var counted = 0
    for (student, count) in today { counted += min(shortOf[student] ?? 0, count) }
    return school.policy.weights.dosage * Double(counted)
  }

  /// The ids of every request (of any priority) the plan honors: s is in k's session in
  /// block b, or, with an empty block, in any of k's sessions.
  ///
  /// - Complexity: O(*p* + *r*) for *p* placements and *r* requests.
  public func honoredRequests(in sessions: [Session]) -> Set<String> {
    let placed = SeatIndex(sessions, known: isKnown)
    return Set(school.requests.filter { placed.honors($0) }.map(\.id))
  }
}

// MARK: - Helpers

extension PlanChecker {
  /// Whether the session's block, staff member and target all exist in the folder.
  func isKnown(_ session: Session) -> Bool {
    blocks[session.block] != nil && staff[session.staff] != nil && targets[session.target] != nil
  }

  func hasRequest(student: String, staff: String, block: String) -> Bool {
    requestsByStudent[student, default: []].contains {
      $0.staffID == staff && ($0.blockID == nil || $0.blockID == block)
    }
  }

  func hasPin(student: String, staff: String, block: String) -> Bool {
    pinsByStudent[student, default: []].contains { $0.staffID == staff && $0.blockID == block }
  }
}

/// Who is with whom where, for request and pin look-ups in O(1).
private struct SeatIndex {
  struct WithStaff: Hashable { var student: String, staff: String }
  struct InBlock: Hashable { var student: String, staff: String, block: String }
  var withStaff: Set<WithStaff> = []
  var inBlock: Set<InBlock> = []

  init(_ sessions: [Session], known: (Session) -> Bool) {
    for session in sessions where known(session) {
      for student in session.students {
        withStaff.insert(WithStaff(student: student, staff: session.staff))
        inBlock.insert(InBlock(student: student, staff: session.staff, block: session.block))
      }
    }
  }

  /// Whether s is in k's session in block b, or, with an empty block, in any of k's sessions.
  func honors(_ request: Request) -> Bool {
    if let block = request.blockID {
      return inBlock.contains(InBlock(student: request.studentID, staff: request.staffID, block: block))
    }
    return withStaff.contains(WithStaff(student: request.studentID, staff: request.staffID))
  }
}

/// The list without repeats, first occurrence kept.
private func distinct(_ ids: [String]) -> [String] {
  var seen: Set<String> = []
  return ids.filter { seen.insert($0).inserted }
}

/// "two", "three", … for small counts.
private func countWord(_ n: Int) -> String {
  let words = [2: "two", 3: "three", 4: "four", 5: "five"]
  return words[n] ?? String(n)
}

private func studentCount(_ n: Int) -> String {
  n == 1 ? "1 student" : "\(n) students"
}

/// An id in double quotes, so that blanks and odd characters show.
private func quoted(_ id: String) -> String {
  "\"" + id + "\""
}
