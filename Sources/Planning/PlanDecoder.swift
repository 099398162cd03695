import LearnerStatus
import Solver

/// Turns a solution of the day's model into sessions: the one place that maps columns back
/// to the domain and reads binaries with a tolerance.
struct PlanDecoder {
  let day: DayInput
  let built: BuiltModel

  struct DecodingError: Error, CustomStringConvertible {
    let description: String
  }

  /// The sessions of a solution, sorted by block (folder order), staff id, target id.
  func sessions(from values: [Double]) throws -> [Session] {
    func count(_ v: Variable) -> Int { Int((values[v.index]).rounded()) }
    func isOn(_ v: Variable) -> Bool { values[v.index] > 0.5 }
    let school = day.school

    // Which member of each class leads which sessions: members take patterns in order.
    var leader: [SessionKey: [Int]] = [:]
    for (c, staffClass) in built.classes.enumerated() {
      var membersByBlock: [Int: [Int]] = [:]
      var next = 0
      for (p, pattern) in staffClass.patterns.enumerated() {
        let n = count(built.patterns[c][p])
        for _ in 0..<n where next < staffClass.members.count {
          let k = staffClass.members[next]
          next += 1
          for b in pattern { membersByBlock[b, default: []].append(k) }
        }
      }
      for b in staffClass.blocks {
        var free = membersByBlock[b] ?? []
        for t in staffClass.teachable[b] ?? [] {
          let key = SessionKey(staffClass: c, block: b, target: t)
          guard let z = built.sessions[key] else { continue }
          let n = count(z)
          guard n > 0 else { continue }
          guard free.count >= n else {
            throw DecodingError(description: "the solution opens more sessions than staff patterns allow")
          }
          leader[key] = Array(free.prefix(n))
          free.removeFirst(n)
        }
      }
    }

    // Students: named placements go to their staff member; the rest fill the slot's sessions.
    struct Open {
      let staff: Int
      let capacity: Int
      var students: [Int]
    }
    var slots: [SlotKey: [Open]] = [:]
    for key in built.sessionKeys {
      guard let members = leader[key] else { continue }
      let capacity = built.classes[key.staffClass].capacity
      for k in members {
        slots[SlotKey(block: key.block, target: key.target), default: []].append(
          Open(staff: k, capacity: capacity, students: []))
      }
    }
    for key in built.namedKeys where isOn(built.named[key]!) {
      let slot = SlotKey(block: key.block, target: key.target)
      guard let i = slots[slot]?.firstIndex(where: { $0.staff == key.staff }) else {
        throw DecodingError(description: "a named placement without its session")
      }
      slots[slot]![i].students.append(key.student)
    }
    var generic: [SlotKey: [Int]] = [:]
    for key in built.placementKeys where isOn(built.placements[key]!) {
      generic[SlotKey(block: key.block, target: key.target), default: []].append(key.student)
    }
    let minSize = day.minSize
    var result: [Session] = []
    for slot in slots.keys.sorted() {
      var opens = slots[slot]!
      let students = (generic[slot] ?? []).sorted()
      // Each session takes at least what min_size still asks, then the rest round-robin.
      var take = opens.map { max(0, minSize - $0.students.count) }
      let room = opens.map { $0.capacity - $0.students.count }
      var remaining = students.count - take.reduce(0, +)
      guard remaining >= 0, zip(take, room).allSatisfy({ $0 <= $1 }) else {
        throw DecodingError(
          description:
            "slot sizes do not add up (\(students.count) students for minimums \(take), room \(room))")
      }
      while remaining > 0 {
        var gave = false
        for i in opens.indices where remaining > 0 && take[i] < room[i] {
          take[i] += 1
          remaining -= 1
          gave = true
        }
        guard gave else { throw DecodingError(description: "slot capacity exceeded") }
      }
      var cursor = 0
      for i in opens.indices {
        opens[i].students.append(contentsOf: students[cursor..<(cursor + take[i])])
        cursor += take[i]
      }
      for open in opens where !open.students.isEmpty {
        result.append(
          Session(
            block: school.blocks[slot.block].id, staff: school.staff[open.staff].id,
            target: school.targets[slot.target].id,
            students: open.students.map { school.students[$0].id }.sorted()))
      }
    }
    return PlanDecoder.sorted(result, school: school)
  }

  /// Block in folder order, then staff id, then target id.
  static func sorted(_ sessions: [Session], school: School) -> [Session] {
    var blockOrder: [String: Int] = [:]
    for (i, b) in school.blocks.enumerated() { blockOrder[b.id] = i }
    return sessions.sorted {
      let a = (blockOrder[$0.block] ?? Int.max, $0.staff, $0.target)
      let b = (blockOrder[$1.block] ?? Int.max, $1.staff, $1.target)
      return a < b
    }
  }
}
