import LearnerStatus
import Solver

/// A pin or a required request: the rules (R8, R9) that can make a day infeasible.
enum HardItem: Hashable, Comparable, Sendable {
  case pin(Int)
  case required(Int)
}

/// How to treat the hard items when building the model.
struct HardItemMode: Sendable {
  /// Items left out entirely.
  var dropped: Set<HardItem> = []
  /// Items kept but made elastic: a slack with a large penalty absorbs a violation.
  var elastic: Bool = false
  /// Zero objective: the model only asks whether a plan exists.
  var feasibilityOnly: Bool = false
}

/// A smaller model for the primal search: only some sessions, each up to a count, and
/// only some placements. Its plans are plans of the day; its bound is not the day's.
struct Restriction: Sendable {
  var sessions: [SessionKey: Double]
  var placements: Set<PlacementKey>
  /// Sessions whose count is fixed at its upper bound.
  var fixed: Set<SessionKey> = []
  /// Sessions whose count may not fall below this (a neighbourhood keeps the rest of a plan).
  var lowerSessions: [SessionKey: Double] = [:]
  /// Placements fixed at 1: students the neighbourhood keeps where they are.
  var fixedPlacements: Set<PlacementKey> = []
}

/// The day's integer program, with the maps from domain keys to its columns.
///
/// The formulation aggregates what is interchangeable: students are placed on a target in
/// a block (not with a named staff member), and interchangeable staff form classes whose
/// sessions are counted, so the model has no staff symmetry. A placement with a named
/// staff member exists only where a request or a pin ties the two. Every plan of the
/// model maps to a plan of the day and back, with the same score (see TheModel.md).
struct BuiltModel: Sendable {
  var model: Model
  let classes: [StaffClass]
  /// Staff index -> class index.
  let classOf: [Int]
  let patterns: [[Variable]]
  let sessions: [SessionKey: Variable]
  let sessionKeys: [SessionKey]
  let fill: [SessionKey: Variable]
  /// O[b,t]: how many sessions of any class run on target t in block b (lean linking only).
  let opened: [SlotKey: Variable]
  /// Whether the model was built with lean linking (restricted days follow it).
  let leanLinking: Bool
  let placements: [PlacementKey: Variable]
  let placementKeys: [PlacementKey]
  let named: [NamedPlacementKey: Variable]
  let namedKeys: [NamedPlacementKey]
  /// Honored-request indicators for high and normal requests, by request index.
  let honored: [Int: Variable]
  /// Elastic slacks by hard item (only in elastic mode).
  let slacks: [HardItem: Variable]
  /// D[s]: the sessions today that count towards student s's weekly dosage, by student index.
  let dosage: [Int: Variable]
}

/// Builds the integer program for one day. Solving is a separate step.
struct DayFormulation {
  let day: DayInput
  var mode = HardItemMode()
  var restriction: Restriction?
  /// Counts each slot's open sessions once, in O[b,t], so a placement's R4 row has two terms
  /// (false: the row lists every class's session count). The lean rows make large models
  /// ten times smaller for GLPK. Small schools keep the long rows: the small-school search was
  /// measured with them, and the lean rows were measured on large schools only.
  var leanLinking = true

  /// The penalty on a unit of elastic slack: more than any plan can score.
  var elasticPenalty: Double {
    let needs = day.needs.reduce(0) { $0 + $1.weight }
    let w = day.school.policy.weights
    let requests = Double(day.school.requests.count) * max(w.requestHigh, w.requestNormal)
    return 10 * (needs + requests + 1)
  }

  func makeModel() -> BuiltModel {
    var model = Model(name: "regroup-\(day.date)", sense: .maximize)
    let (classes, classOf) = makeStaffClasses()
    let patterns = addPatternVariables(to: &model, classes: classes)
    let named = addNamedPlacementVariables(to: &model, classOf: classOf)
    let (sessions, sessionKeys) = addSessionVariables(
      to: &model, classes: classes, classOf: classOf, named: named.keys)
    let (placements, placementKeys) = addPlacementVariables(
      to: &model, classes: classes, sessions: sessions)
    addStaffTime(
      to: &model, classes: classes, patterns: patterns, sessionKeys: sessionKeys,
      sessions: sessions)  // R1, R3
    let fill = addGroupSizes(
      to: &model, classes: classes, classOf: classOf, sessionKeys: sessionKeys,
      sessions: sessions, named: named)  // R4
    addSlotBalance(
      to: &model, sessionKeys: sessionKeys, fill: fill, placements: placementKeys,
      vars: placements)
    let opened = addPlacementNeedsSession(
      to: &model, sessionKeys: sessionKeys, sessions: sessions,
      placements: placementKeys, vars: placements)  // R4 linking
    addOneSessionPerStudentAndBlock(
      to: &model, placements: placementKeys, vars: placements,
      named: named)  // R5
    addOneSessionPerStudentAndTarget(
      to: &model, placements: placementKeys, vars: placements,
      named: named)  // R7
    var slacks: [HardItem: Variable] = [:]
    addPins(to: &model, named: named, slacks: &slacks)  // R8
    let honored = addRequests(to: &model, named: named, slacks: &slacks)  // R9 and request scores
    let dosage = addDosage(to: &model, placements: placementKeys, vars: placements, named: named)  // §14
    if mode.feasibilityOnly {
      for i in model.variables.indices where !slacks.values.contains(Variable(index: i)) {
        model.setObjective(Variable(index: i), 0)
      }
    }
    return BuiltModel(
      model: model, classes: classes, classOf: classOf, patterns: patterns, sessions: sessions,
      sessionKeys: sessionKeys, fill: fill, opened: opened, leanLinking: leanLinking, placements: placements,
      placementKeys: placementKeys,
      named: named.vars, namedKeys: named.keys, honored: honored, slacks: slacks, dosage: dosage)
  }

  // MARK: - Staff classes

  /// Staff with the same subjects, size, minutes and blocks, named by no request or pin,
  /// are interchangeable: they form one class.
  func makeStaffClasses() -> ([StaffClass], [Int]) {
    let school = day.school
    var namedStaff = Set<Int>()
    for key in day.requestsByPair.keys { namedStaff.insert(key.staff) }
    struct Signature: Hashable {
      let subjects: SubjectSet
      let capacity: Int
      let minutes: Int
      let lead: [Bool]
    }
    var classes: [StaffClass] = []
    var classOf = Array(repeating: -1, count: school.staff.count)
    var bySignature: [Signature: Int] = [:]
    var membersOf: [[Int]] = []
    var namedFlags: [Bool] = []
    for (k, member) in school.staff.enumerated() {
      guard day.canLead[k].contains(true) else { continue }
      let signature = Signature(
        subjects: member.subjects, capacity: member.maxGroupSize, minutes: member.maxMinutes,
        lead: day.canLead[k])
      if !namedStaff.contains(k), let c = bySignature[signature] {
        membersOf[c].append(k)
        classOf[k] = c
      } else {
        let c = membersOf.count
        membersOf.append([k])
        namedFlags.append(namedStaff.contains(k))
        classOf[k] = c
        if !namedStaff.contains(k) { bySignature[signature] = c }
      }
    }
    for (c, members) in membersOf.enumerated() {
      let k = members[0]
      let member = school.staff[k]
      let blocks = school.blocks.indices.filter { day.canLead[k][$0] }
      var teachable: [Int: [Int]] = [:]
      for b in blocks { teachable[b] = day.teachable[k][b] }
      classes.append(
        StaffClass(
          members: members, blocks: blocks, teachable: teachable, capacity: member.maxGroupSize,
          maxMinutes: member.maxMinutes,
          patterns: maximalPatterns(blocks: blocks, maxMinutes: member.maxMinutes),
          isNamed: namedFlags[c]))
    }
    return (classes, classOf)
  }

  /// The maximal sets of blocks whose minutes add up to at most `maxMinutes`.
  ///
  /// Found by a depth-first search that only visits sets which can still become maximal, so a
  /// day of many short blocks costs as many steps as it has maximal sets (never 2^blocks), in
  /// the order of their bit masks (bit i: `blocks[i]`).
  func maximalPatterns(blocks: [Int], maxMinutes: Int) -> [[Int]] {
    let minutes = blocks.map { day.blockMinutes[$0] }
    let n = blocks.count
    // suffix[i]: the minutes of blocks i..<n.
    var suffix = [Int](repeating: 0, count: n + 1)
    for i in stride(from: n - 1, through: 0, by: -1) { suffix[i] = suffix[i + 1] + minutes[i] }
    var found: [[Bool]] = []
    var chosen = [Bool](repeating: false, count: n)
    // smallestLeftOut: the fewest minutes of a block left out so far (a maximal set has no
    // room left for any of them).
    func visit(_ i: Int, total: Int, smallestLeftOut: Int) {
      if total + suffix[i] + smallestLeftOut <= maxMinutes { return }  // can never be maximal
      if i == n {
        if total > 0 { found.append(chosen) }
        return
      }
      if total + minutes[i] <= maxMinutes {
        chosen[i] = true
        visit(i + 1, total: total + minutes[i], smallestLeftOut: smallestLeftOut)
        chosen[i] = false
      }
      visit(i + 1, total: total, smallestLeftOut: min(smallestLeftOut, minutes[i]))
    }
    visit(0, total: 0, smallestLeftOut: Int.max / 4)
    // The order of the sets' bit masks: compare from the highest block down.
    found.sort { a, b in
      for i in stride(from: n - 1, through: 0, by: -1) where a[i] != b[i] { return b[i] }
      return false
    }
    return found.map { set in (0..<n).filter { set[$0] }.map { blocks[$0] } }
  }

  // MARK: - Variables

  /// P[c,p]: how many members of class c work the block pattern p.
  func addPatternVariables(to model: inout Model, classes: [StaffClass]) -> [[Variable]] {
    classes.enumerated().map { c, staffClass in
      staffClass.patterns.enumerated().map { p, _ in
        model.addVariable(
          lpName("P", "c\(c)", "p\(p)"), lower: 0, upper: Double(staffClass.size),
          kind: staffClass.size == 1 ? .binary : .integer)
      }
    }
  }

  struct NamedPlacements {
    var vars: [NamedPlacementKey: Variable] = [:]
    var keys: [NamedPlacementKey] = []
  }

  /// y[s,b,k,t]: student s with staff k on target t in block b, for every pair a request
  /// or pin ties, in the blocks that request or pin allows (R6), on any target k may teach there.
  func addNamedPlacementVariables(to model: inout Model, classOf: [Int]) -> NamedPlacements {
    var result = NamedPlacements()
    let school = day.school
    var blocksOfPair: [DayInput.PairKey: Set<Int>] = [:]
    for key in day.requestsByPair.keys.sorted() {
      var blocks = Set<Int>()
      for r in day.requestsByPair[key]! {
        if let blockID = school.requests[r].blockID {
          if let b = day.blockIndex[blockID] { blocks.insert(b) }
        } else {
          blocks.formUnion(school.blocks.indices)
        }
      }
      blocksOfPair[key] = blocks
    }
    for pin in school.pins {
      guard let s = day.studentIndex[pin.studentID], let k = day.staffIndex[pin.staffID],
        let b = day.blockIndex[pin.blockID]
      else { continue }
      blocksOfPair[DayInput.PairKey(student: s, staff: k), default: []].insert(b)
    }
    for key in day.keepable {
      blocksOfPair[DayInput.PairKey(student: key.student, staff: key.staff), default: []].insert(key.block)
    }
    for pair in blocksOfPair.keys.sorted() {
      let k = pair.staff
      guard classOf[k] >= 0 else { continue }
      for b in blocksOfPair[pair]!.sorted()
      where day.canLead[k][b] && !day.isAway(student: pair.student, block: b) {
        for t in day.teachable[k][b] {
          if let restriction,
            restriction.sessions[SessionKey(staffClass: classOf[k], block: b, target: t)] == nil
          {
            continue
          }
          let key = NamedPlacementKey(student: pair.student, block: b, staff: k, target: t)
          let v = model.addVariable(
            lpName(
              "y", school.students[pair.student].id, school.blocks[b].id, school.staff[k].id,
              school.targets[t].id), kind: .binary,
            objective: (day.weight(student: pair.student, target: t) ?? 0)
              + (day.keepable.contains(key) ? day.moveWeight : 0))
          result.vars[key] = v
          result.keys.append(key)
        }
      }
    }
    result.keys.sort()
    return result
  }

  /// Z[c,b,t]: how many sessions class c runs on target t in block b. Only targets somebody
  /// needs, or a named placement could use, get one.
  func addSessionVariables(
    to model: inout Model, classes: [StaffClass], classOf: [Int], named: [NamedPlacementKey]
  ) -> ([SessionKey: Variable], [SessionKey]) {
    let school = day.school
    var demanded = Set<Int>()
    for targets in day.neededTargets { demanded.formUnion(targets) }
    var namedSessions = Set<SessionKey>()
    for key in named {
      namedSessions.insert(SessionKey(staffClass: classOf[key.staff], block: key.block, target: key.target))
    }
    var vars: [SessionKey: Variable] = [:]
    var keys: [SessionKey] = []
    for (c, staffClass) in classes.enumerated() {
      for b in staffClass.blocks {
        for t in staffClass.teachable[b] ?? [] {
          let key = SessionKey(staffClass: c, block: b, target: t)
          guard demanded.contains(t) || namedSessions.contains(key) else { continue }
          var upper = Double(staffClass.size)
          var lower = 0.0
          if let restriction {
            guard let allowed = restriction.sessions[key], allowed > 0 else { continue }
            upper = min(upper, allowed)
            if restriction.fixed.contains(key) { lower = upper }
            if let least = restriction.lowerSessions[key] { lower = min(upper, max(lower, least)) }
          }
          let v = model.addVariable(
            lpName("Z", "c\(c)", school.blocks[b].id, school.targets[t].id), lower: lower,
            upper: upper, kind: staffClass.size == 1 ? .binary : .integer,
            objective: -day.sessionCost)
          vars[key] = v
          keys.append(key)
        }
      }
    }
    keys.sort()
    return (vars, keys)
  }

  /// x[s,b,t]: student s studies needed target t in block b, wherever some class can teach it.
  func addPlacementVariables(
    to model: inout Model, classes: [StaffClass], sessions: [SessionKey: Variable]
  ) -> ([PlacementKey: Variable], [PlacementKey]) {
    let school = day.school
    var offered = Set<SlotKey>()
    for key in sessions.keys { offered.insert(SlotKey(block: key.block, target: key.target)) }
    var vars: [PlacementKey: Variable] = [:]
    var keys: [PlacementKey] = []
    for s in school.students.indices {
      for b in school.blocks.indices where !day.isAway(student: s, block: b) {
        for t in day.neededTargets[s] where offered.contains(SlotKey(block: b, target: t)) {
          let key = PlacementKey(student: s, block: b, target: t)
          if let restriction, !restriction.placements.contains(key) { continue }
          let kept = restriction?.fixedPlacements.contains(key) ?? false
          vars[key] = model.addVariable(
            lpName("x", school.students[s].id, school.blocks[b].id, school.targets[t].id),
            lower: kept ? 1 : 0, kind: .binary, objective: day.weight(student: s, target: t)!)
          keys.append(key)
        }
      }
    }
    return (vars, keys)
  }

  // MARK: - Rules

  /// R1, R3: a staff member leads at most one session per block, only where available,
  /// and the blocks they lead in fit in their minutes; for a class, its sessions in a
  /// block are at most the members whose block pattern includes that block.
  func addStaffTime(
    to model: inout Model, classes: [StaffClass], patterns: [[Variable]],
    sessionKeys: [SessionKey], sessions: [SessionKey: Variable]
  ) {
    let school = day.school
    var byClassBlock: [[Int]: [Variable]] = [:]
    for key in sessionKeys { byClassBlock[[key.staffClass, key.block], default: []].append(sessions[key]!) }
    for (c, staffClass) in classes.enumerated() {
      model.addLessOrEqual(
        lpName("R3_patterns", "c\(c)"), patterns[c].map { ($0, 1.0) }, Double(staffClass.size))
      for b in staffClass.blocks {
        guard let opened = byClassBlock[[c, b]] else { continue }
        var terms = opened.map { ($0, 1.0) }
        for (p, pattern) in staffClass.patterns.enumerated() where pattern.contains(b) {
          terms.append((patterns[c][p], -1.0))
        }
        model.addLessOrEqual(
          lpName("R1_R3_sessionsWithinPatterns", "c\(c)", school.blocks[b].id), terms, 0)
      }
    }
  }

  /// R4: each session has between `min_size` and the staff member's `max_group_size`
  /// students: F[c,b,t] students come from the slot's placements, plus the named ones.
  func addGroupSizes(
    to model: inout Model, classes: [StaffClass], classOf: [Int], sessionKeys: [SessionKey],
    sessions: [SessionKey: Variable], named: NamedPlacements
  ) -> [SessionKey: Variable] {
    let school = day.school
    var namedBySession: [SessionKey: [Variable]] = [:]
    for key in named.keys {
      let session = SessionKey(staffClass: classOf[key.staff], block: key.block, target: key.target)
      guard let z = sessions[session] else {
        // A restricted model without that session: the placement cannot happen.
        model.setBounds(named.vars[key]!, lower: 0, upper: 0)
        continue
      }
      namedBySession[session, default: []].append(named.vars[key]!)
      // A named placement needs its staff member's session open.
      model.addLessOrEqual(
        lpName(
          "R4_namedNeedsSession", school.students[key.student].id, school.blocks[key.block].id,
          school.staff[key.staff].id, school.targets[key.target].id),
        [(named.vars[key]!, 1), (z, -1)], 0)
    }
    var fill: [SessionKey: Variable] = [:]
    let minSize = Double(day.minSize)
    for key in sessionKeys {
      let staffClass = classes[key.staffClass]
      let z = sessions[key]!
      let cap = Double(staffClass.capacity)
      let f = model.addVariable(
        lpName("F", "c\(key.staffClass)", school.blocks[key.block].id, school.targets[key.target].id),
        lower: 0, upper: cap * Double(staffClass.size))
      fill[key] = f
      let namedTerms = (namedBySession[key] ?? []).map { ($0, 1.0) }
      let label = lpName("c\(key.staffClass)", school.blocks[key.block].id, school.targets[key.target].id)
      model.addGreaterOrEqual("R4_minSize_" + label, [(f, 1), (z, -minSize)] + namedTerms, 0)
      model.addLessOrEqual("R4_maxSize_" + label, [(f, 1), (z, -cap)] + namedTerms, 0)
    }
    return fill
  }

  /// The students placed on a target in a block fill that slot's sessions.
  func addSlotBalance(
    to model: inout Model, sessionKeys: [SessionKey], fill: [SessionKey: Variable],
    placements: [PlacementKey], vars: [PlacementKey: Variable]
  ) {
    let school = day.school
    var terms: [SlotKey: [(Variable, Double)]] = [:]
    for key in sessionKeys {
      terms[SlotKey(block: key.block, target: key.target), default: []].append((fill[key]!, -1))
    }
    for key in placements {
      terms[SlotKey(block: key.block, target: key.target), default: []].append((vars[key]!, 1))
    }
    for slot in terms.keys.sorted() {
      model.addEqual(
        lpName("slotBalance", school.blocks[slot.block].id, school.targets[slot.target].id),
        terms[slot]!, 0)
    }
  }

  /// A student can only be placed on a target in a block where a session on it is open.
  /// (Implied by the slot balance for integer points; it makes the LP bound tight.) The
  /// slot's open sessions are counted once, in O[b,t], so each placement's row has two
  /// terms however many classes teach the slot: a lean matrix GLPK takes in and solves fast.
  func addPlacementNeedsSession(
    to model: inout Model, sessionKeys: [SessionKey], sessions: [SessionKey: Variable],
    placements: [PlacementKey], vars: [PlacementKey: Variable]
  ) -> [SlotKey: Variable] {
    let school = day.school
    var bySlot: [SlotKey: [SessionKey]] = [:]
    for key in sessionKeys { bySlot[SlotKey(block: key.block, target: key.target), default: []].append(key) }
    var opened: [SlotKey: Variable] = [:]
    for slot in bySlot.keys.sorted() where leanLinking {
      let keys = bySlot[slot]!
      let upper = keys.reduce(0.0) { $0 + model.variables[sessions[$1]!.index].upper }
      let label = lpName(school.blocks[slot.block].id, school.targets[slot.target].id)
      let o = model.addVariable("O_" + label, lower: 0, upper: upper)
      opened[slot] = o
      model.addEqual("R4_openInSlot_" + label, [(o, 1)] + keys.map { (sessions[$0]!, -1.0) }, 0)
    }
    for key in placements {
      let slot = SlotKey(block: key.block, target: key.target)
      let open = leanLinking ? [(opened[slot]!, -1.0)] : bySlot[slot]!.map { (sessions[$0]!, -1.0) }
      model.addLessOrEqual(
        lpName(
          "R4_placementNeedsSession", school.students[key.student].id, school.blocks[key.block].id,
          school.targets[key.target].id),
        [(vars[key]!, 1)] + open, 0)
    }
    return opened
  }

  /// R5: a student is in at most one session per block.
  func addOneSessionPerStudentAndBlock(
    to model: inout Model, placements: [PlacementKey], vars: [PlacementKey: Variable],
    named: NamedPlacements
  ) {
    let school = day.school
    var terms: [[Int]: [(Variable, Double)]] = [:]
    for key in placements { terms[[key.student, key.block], default: []].append((vars[key]!, 1)) }
    for key in named.keys { terms[[key.student, key.block], default: []].append((named.vars[key]!, 1)) }
    for pair in terms.keys.sorted(by: { ($0[0], $0[1]) < ($1[0], $1[1]) }) {
      let row = terms[pair]!
      guard row.count > 1 else { continue }
      model.addLessOrEqual(
        lpName("R5_oneSessionPerBlock", school.students[pair[0]].id, school.blocks[pair[1]].id),
        row, 1)
    }
  }

  /// R7: a student is in at most one session per target that day.
  func addOneSessionPerStudentAndTarget(
    to model: inout Model, placements: [PlacementKey], vars: [PlacementKey: Variable],
    named: NamedPlacements
  ) {
    let school = day.school
    var terms: [[Int]: [(Variable, Double)]] = [:]
    for key in placements { terms[[key.student, key.target], default: []].append((vars[key]!, 1)) }
    for key in named.keys { terms[[key.student, key.target], default: []].append((named.vars[key]!, 1)) }
    for pair in terms.keys.sorted(by: { ($0[0], $0[1]) < ($1[0], $1[1]) }) {
      let row = terms[pair]!
      guard row.count > 1 else { continue }
      model.addLessOrEqual(
        lpName("R7_oneSessionPerTarget", school.students[pair[0]].id, school.targets[pair[1]].id),
        row, 1)
    }
  }

  /// R8: every pin (s, b, k) holds: s is in k's session in block b.
  func addPins(
    to model: inout Model, named: NamedPlacements, slacks: inout [HardItem: Variable]
  ) {
    let school = day.school
    for (i, pin) in school.pins.enumerated() where !mode.dropped.contains(.pin(i)) {
      guard let s = day.studentIndex[pin.studentID], let k = day.staffIndex[pin.staffID],
        let b = day.blockIndex[pin.blockID]
      else { continue }
      var terms = day.teachable[k][b].compactMap { t in
        named.vars[NamedPlacementKey(student: s, block: b, staff: k, target: t)].map { ($0, 1.0) }
      }
      if mode.elastic {
        let slack = model.addVariable(
          lpName("slack_R8_pin", "\(i + 1)"), lower: 0, upper: 1, objective: -elasticPenalty)
        slacks[.pin(i)] = slack
        terms.append((slack, 1))
      }
      model.addEqual(lpName("R8_pin", pin.studentID, pin.blockID, pin.staffID), terms, 1)
    }
  }

  /// R9 and the request terms of the score: a required request holds; a high or normal
  /// request scores w(r) once when s is in one of k's sessions in its block (any block if empty).
  func addRequests(
    to model: inout Model, named: NamedPlacements, slacks: inout [HardItem: Variable]
  ) -> [Int: Variable] {
    let school = day.school
    let weights = school.policy.weights
    var honored: [Int: Variable] = [:]
    for (r, request) in school.requests.enumerated() {
      guard let s = day.studentIndex[request.studentID], let k = day.staffIndex[request.staffID]
      else { continue }
      let blocks: [Int]
      if let blockID = request.blockID {
        blocks = day.blockIndex[blockID].map { [$0] } ?? []
      } else {
        blocks = Array(school.blocks.indices)
      }
      var terms: [(Variable, Double)] = []
      for b in blocks {
        for t in day.teachable[k][b] {
          if let v = named.vars[NamedPlacementKey(student: s, block: b, staff: k, target: t)] {
            terms.append((v, 1))
          }
        }
      }
      switch request.priority {
      case .required:
        guard !mode.dropped.contains(.required(r)) else { continue }
        if mode.elastic {
          let slack = model.addVariable(
            lpName("slack_R9", request.id), lower: 0, upper: 1, objective: -elasticPenalty)
          slacks[.required(r)] = slack
          terms.append((slack, 1))
        }
        model.addGreaterOrEqual(lpName("R9_required", request.id), terms, 1)
      case .high, .normal:
        guard !terms.isEmpty else { continue }
        let h = model.addVariable(
          lpName("h", request.id), kind: .binary, objective: weights.weight(of: request.priority))
        honored[r] = h
        model.addLessOrEqual(lpName("request_honored", request.id), [(h, 1)] + terms.map { ($0.0, -1.0) }, 0)
      }
    }
    return honored
  }

  /// Dosage (spec §14): a student short of their week gains `dosage` per session today, up
  /// to short(s) sessions; D[s] ≤ short(s) and D[s] ≤ the student's placements today.
  func addDosage(
    to model: inout Model, placements: [PlacementKey], vars: [PlacementKey: Variable],
    named: NamedPlacements
  ) -> [Int: Variable] {
    let school = day.school
    let weight = day.dosageWeight
    guard weight > 0 else { return [:] }
    var terms: [Int: [(Variable, Double)]] = [:]
    for key in placements where day.short[key.student] > 0 {
      terms[key.student, default: []].append((vars[key]!, -1))
    }
    for key in named.keys where day.short[key.student] > 0 {
      terms[key.student, default: []].append((named.vars[key]!, -1))
    }
    var result: [Int: Variable] = [:]
    for s in terms.keys.sorted() {
      let d = model.addVariable(
        lpName("D", school.students[s].id), lower: 0, upper: Double(day.short[s]), objective: weight)
      result[s] = d
      model.addLessOrEqual(lpName("R12_dosage", school.students[s].id), [(d, 1)] + terms[s]!, 0)
    }
    return result
  }
}
