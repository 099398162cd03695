import LearnerStatus

/// A neediest-first start plan, the way a scheduler fills groups in a spreadsheet:
/// pinned and required placements first, then repeatedly the session whose best free
/// students weigh most, until no session adds to the score.
///
/// It keeps every rule it can; when a pin or required request cannot be placed it
/// returns nil and the solver decides.
struct GreedyPlanner {
  let day: DayInput

  private struct State {
    var blockOfStudent: [Set<Int>]
    var targetsOfStudent: [Set<Int>]
    var minutesUsed: [Int]
    /// sessionAt[k][b] = index into sessions.
    var sessionAt: [[Int: Int]]
    var sessions: [(block: Int, staff: Int, target: Int, students: [Int])] = []
    let slotLists = SlotLists()
  }

  /// The greedy plan's sessions, or nil when a pin or required request could not be placed.
  func plan(preferring preferred: Set<[Int]>? = nil) -> [Session]? {
    let school = day.school
    var state = State(
      blockOfStudent: Array(repeating: [], count: school.students.count),
      targetsOfStudent: Array(repeating: [], count: school.students.count),
      minutesUsed: Array(repeating: 0, count: school.staff.count),
      sessionAt: Array(repeating: [:], count: school.staff.count))
    guard placeForced(&state) else { return nil }
    fill(&state)
    // A forced session that could not reach the minimum size defeats the greedy plan.
    guard state.sessions.allSatisfy({ $0.students.count >= day.minSize }) else { return nil }
    if let preferred { openSessions(&state, only: preferred) }
    openSessions(&state, only: nil)
    return PlanDecoder.sorted(
      state.sessions.map { s in
        Session(
          block: school.blocks[s.block].id, staff: school.staff[s.staff].id,
          target: school.targets[s.target].id,
          students: s.students.map { school.students[$0].id }.sorted())
      }, school: school)
  }

  /// Requests (k, s) that allow s in k's session in block b, with their weight.
  private func requestWeight(student s: Int, staff k: Int, block b: Int) -> Double {
    guard let list = day.requestsByPair[DayInput.PairKey(student: s, staff: k)] else { return 0 }
    var best = 0.0
    for r in list {
      let request = day.school.requests[r]
      if request.blockID == nil || request.blockID == day.school.blocks[b].id {
        best = max(best, day.school.policy.weights.weight(of: request.priority))
      }
    }
    return best
  }

  /// Whether s may join k's session on t in b (R5, R6, R7).
  private func mayJoin(_ s: Int, staff k: Int, block b: Int, target t: Int, _ state: State) -> Bool {
    if state.blockOfStudent[s].contains(b) || state.targetsOfStudent[s].contains(t) { return false }
    if day.isAway(student: s, block: b) { return false }  // spec §12
    if day.weight(student: s, target: t) != nil { return true }
    guard let list = day.requestsByPair[DayInput.PairKey(student: s, staff: k)] else {
      return day.pins.contains {
        $0.studentID == day.school.students[s].id && $0.staffID == day.school.staff[k].id
          && $0.blockID == day.school.blocks[b].id
      }
    }
    if list.contains(where: {
      let blockID = day.school.requests[$0].blockID
      return blockID == nil || blockID == day.school.blocks[b].id
    }) {
      return true
    }
    return day.pins.contains {
      $0.studentID == day.school.students[s].id && $0.staffID == day.school.staff[k].id
        && $0.blockID == day.school.blocks[b].id
    }
  }

  private func gain(_ s: Int, staff k: Int, block b: Int, target t: Int) -> Double {
    (day.weight(student: s, target: t) ?? 0) + requestWeight(student: s, staff: k, block: b)
      - priceWeight * (prices?.price(student: s, block: b, target: t) ?? 0)
  }

  /// Lagrangian prices of student time: with them, sessions are chosen by what they add
  /// net of what their students could do elsewhere.
  var prices: LagrangianBound.Prices?
  var priceWeight = 1.0

  private func canOpen(staff k: Int, block b: Int, _ state: State) -> Bool {
    day.canLead[k][b] && state.sessionAt[k][b] == nil
      && state.minutesUsed[k] + day.blockMinutes[b] <= day.school.staff[k].maxMinutes
  }

  private func open(staff k: Int, block b: Int, target t: Int, _ state: inout State) -> Int {
    state.sessions.append((b, k, t, []))
    state.sessionAt[k][b] = state.sessions.count - 1
    state.minutesUsed[k] += day.blockMinutes[b]
    return state.sessions.count - 1
  }

  private func add(_ s: Int, to index: Int, _ state: inout State) {
    let session = state.sessions[index]
    state.sessions[index].students.append(s)
    state.blockOfStudent[s].insert(session.block)
    state.targetsOfStudent[s].insert(session.target)
  }

  /// Pins, then required requests: open the staff member's session on the target that
  /// suits the forced student best, and place them.
  private func placeForced(_ state: inout State) -> Bool {
    let school = day.school
    var forced: [(student: Int, staff: Int, blocks: [Int])] = []
    for pin in school.pins {
      guard let s = day.studentIndex[pin.studentID], let k = day.staffIndex[pin.staffID],
        let b = day.blockIndex[pin.blockID]
      else { return false }
      forced.append((s, k, [b]))
    }
    for request in school.requests where request.priority == .required {
      guard let s = day.studentIndex[request.studentID], let k = day.staffIndex[request.staffID] else {
        return false
      }
      let blocks = request.blockID.flatMap { day.blockIndex[$0] }.map { [$0] } ?? Array(school.blocks.indices)
      forced.append((s, k, blocks))
    }
    for item in forced {
      // Already satisfied (e.g. a pin and a required request for the same pair)?
      if item.blocks.contains(where: { b in
        state.sessionAt[item.staff][b].map { state.sessions[$0].students.contains(item.student) } ?? false
      }) {
        continue
      }
      var placed = false
      // Prefer a session the staff member already leads, then a new one.
      for b in item.blocks {
        if let index = state.sessionAt[item.staff][b],
          state.sessions[index].students.count < school.staff[item.staff].maxGroupSize,
          mayJoin(item.student, staff: item.staff, block: b, target: state.sessions[index].target, state)
        {
          add(item.student, to: index, &state)
          placed = true
          break
        }
      }
      if placed { continue }
      var best: (block: Int, target: Int, value: Double)?
      for b in item.blocks where canOpen(staff: item.staff, block: b, state) {
        for t in day.teachable[item.staff][b]
        where mayJoin(item.student, staff: item.staff, block: b, target: t, state)
          && candidates(staff: item.staff, block: b, target: t, state, limit: day.minSize)
            .filter({ $0.student != item.student }).count >= day.minSize - 1
        {
          let value =
            gain(item.student, staff: item.staff, block: b, target: t)
            + topFill(staff: item.staff, block: b, target: t, excluding: item.student, state)
          if best == nil || value > best!.value { best = (b, t, value) }
        }
      }
      guard let choice = best else { return false }
      let index = open(staff: item.staff, block: choice.block, target: choice.target, &state)
      add(item.student, to: index, &state)
    }
    return true
  }

  /// The weight of the best students who could still join a session, up to its free seats.
  private func topFill(staff k: Int, block b: Int, target t: Int, excluding: Int, _ state: State) -> Double {
    let seats = day.school.staff[k].maxGroupSize - 1
    let gains = candidates(staff: k, block: b, target: t, state, limit: seats + 1).filter {
      $0.student != excluding
    }
    return gains.prefix(seats).reduce(0) { $0 + $1.gain }
  }

  /// Per slot, the students who need its target, best first; entries that can no longer
  /// join (placed in the block, or on the target) are dropped as they are met, since
  /// placements are never undone.
  final class SlotLists {
    var lists: [Int: [(student: Int, gain: Double)]] = [:]
  }

  /// Students who may join k's session on t in b, best first (ties by index), at most `limit`.
  private func candidates(staff k: Int, block b: Int, target t: Int, _ state: State, limit: Int = .max)
    -> [(student: Int, gain: Double)]
  {
    // Needs' gains do not depend on the staff member: walk the slot's cached list; a
    // staff member's requested students then get their request's weight on top.
    let requested = requestedBy[k]
    let key = b * day.school.targets.count + t
    if state.slotLists.lists[key] == nil {
      var list = studentsNeeding[t].map { s in
        (
          student: s,
          gain: (day.weight(student: s, target: t) ?? 0)
            - priceWeight * (prices?.price(student: s, block: b, target: t) ?? 0)
        )
      }
      list.sort { $0.gain != $1.gain ? $0.gain > $1.gain : $0.student < $1.student }
      state.slotLists.lists[key] = list
    }
    var result: [(student: Int, gain: Double)] = []
    let wanted = limit == .max ? .max : limit + requested.count
    var list = state.slotLists.lists[key]!
    state.slotLists.lists[key] = nil  // unique, so the edits below happen in place
    var read = 0
    while read < list.count, result.count < wanted {
      let entry = list[read]
      read += 1
      if state.blockOfStudent[entry.student].contains(b) || state.targetsOfStudent[entry.student].contains(t)
        || day.isAway(student: entry.student, block: b)
      {
        continue
      }
      result.append(entry)
    }
    list.replaceSubrange(0..<read, with: result)
    state.slotLists.lists[key] = list
    if requested.isEmpty { return result }
    let inResult = Set(result.map(\.student))
    for i in result.indices where requested.contains(result[i].student) {
      result[i].gain += requestWeight(student: result[i].student, staff: k, block: b)
    }
    for s in requested where !inResult.contains(s) && mayJoin(s, staff: k, block: b, target: t, state) {
      let g = gain(s, staff: k, block: b, target: t)
      if g > 0 || day.weight(student: s, target: t) != nil { result.append((s, g)) }
    }
    result.sort { $0.gain != $1.gain ? $0.gain > $1.gain : $0.student < $1.student }
    return Array(result.prefix(limit))
  }

  private var studentsNeeding: [[Int]] {
    _studentsNeeding
  }

  private var requestedBy: [[Int]] { _requestedBy }

  private let _studentsNeeding: [[Int]]
  private let _requestedBy: [[Int]]

  init(day: DayInput) {
    self.day = day
    var needing = Array(repeating: [Int](), count: day.school.targets.count)
    for (s, targets) in day.neededTargets.enumerated() {
      for t in targets { needing[t].append(s) }
    }
    _studentsNeeding = needing
    var requested = Array(repeating: [Int](), count: day.school.staff.count)
    for key in day.requestsByPair.keys.sorted() { requested[key.staff].append(key.student) }
    _requestedBy = requested
  }

  /// Sessions opened for forced students get their best free students, up to size.
  private func fill(_ state: inout State) {
    for index in state.sessions.indices {
      let session = state.sessions[index]
      let room = day.school.staff[session.staff].maxGroupSize - session.students.count
      guard room > 0 else { continue }
      let best = candidates(
        staff: session.staff, block: session.block, target: session.target, state, limit: room
      )
      .filter { $0.gain > 0 }
      for c in best { add(c.student, to: index, &state) }
    }
  }

  /// Lazy greedy: the candidate session with the highest value (its best free students
  /// minus the session cost) opens next; values only fall as students are placed.
  private func openSessions(_ state: inout State, only preferred: Set<[Int]>?) {
    let school = day.school
    let minSize = day.minSize
    let cost = day.sessionCost
    struct Candidate {
      var value: Double
      let staff: Int
      let block: Int
      let target: Int
    }
    func evaluate(_ k: Int, _ b: Int, _ t: Int, _ state: State) -> Double? {
      let cap = school.staff[k].maxGroupSize
      let list = candidates(staff: k, block: b, target: t, state, limit: cap)
      guard list.count >= minSize else { return nil }
      let top = list.prefix(cap)
      var value = -cost
      var count = 0
      for c in top where c.gain > 0 || count < minSize {
        value += c.gain
        count += 1
      }
      return count >= minSize ? value : nil
    }
    func better(_ a: Candidate, _ b: Candidate) -> Bool {
      if a.value != b.value { return a.value > b.value }
      return (a.block, a.staff, a.target) < (b.block, b.staff, b.target)
    }
    var heap = BinaryHeap<Candidate>(by: better)
    for k in school.staff.indices {
      for b in school.blocks.indices where canOpen(staff: k, block: b, state) {
        for t in day.teachable[k][b] where preferred?.contains([k, b, t]) ?? true {
          if let v = evaluate(k, b, t, state), v > 0 {
            heap.push(Candidate(value: v, staff: k, block: b, target: t))
          }
        }
      }
    }
    while let top = heap.pop() {
      guard canOpen(staff: top.staff, block: top.block, state) else { continue }
      guard let value = evaluate(top.staff, top.block, top.target, state), value > 0 else { continue }
      let updated = Candidate(value: value, staff: top.staff, block: top.block, target: top.target)
      if let next = heap.peek, better(next, updated) {
        heap.push(updated)
        continue
      }
      let cap = school.staff[top.staff].maxGroupSize
      let list = candidates(staff: top.staff, block: top.block, target: top.target, state, limit: cap)
      let index = open(staff: top.staff, block: top.block, target: top.target, &state)
      var count = 0
      for c in list.prefix(cap) where c.gain > 0 || count < minSize {
        add(c.student, to: index, &state)
        count += 1
      }
    }
  }
}

/// A binary heap ordered by `before` (the first element is the one `before` puts first).
struct BinaryHeap<Element> {
  private var items: [Element] = []
  private let before: (Element, Element) -> Bool

  init(by before: @escaping (Element, Element) -> Bool) { self.before = before }

  var peek: Element? { items.first }
  var isEmpty: Bool { items.isEmpty }

  mutating func push(_ element: Element) {
    items.append(element)
    var i = items.count - 1
    while i > 0 {
      let parent = (i - 1) / 2
      guard before(items[i], items[parent]) else { break }
      items.swapAt(i, parent)
      i = parent
    }
  }

  mutating func pop() -> Element? {
    guard !items.isEmpty else { return nil }
    items.swapAt(0, items.count - 1)
    let top = items.removeLast()
    var i = 0
    while true {
      let l = 2 * i + 1
      let r = l + 1
      var best = i
      if l < items.count, before(items[l], items[best]) { best = l }
      if r < items.count, before(items[r], items[best]) { best = r }
      if best == i { break }
      items.swapAt(i, best)
      i = best
    }
    return top
  }
}
