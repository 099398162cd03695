import Foundation
import LearnerStatus
import Solver

/// Explains an infeasible day (GLPK has no conflict finder): an elastic relaxation of the
/// pins and required requests shows which ones give way; a deletion filter shrinks that
/// to a small set in which every member matters; the set is said in plain words.
struct ConflictFinder {
  let day: DayInput
  let options: PlanOptions

  /// At most this many separate conflicts are reported.
  let maxConflicts = 5

  func conflicts() throws -> [Conflict] {
    let all = allItems()
    // 1. Elastic relaxation: which items give way in the least-violating plan.
    var formulation = DayFormulation(day: day)
    formulation.mode.elastic = true
    let built = formulation.makeModel()
    let relaxed = try GLPKSolver().solve(
      built.model, options: SolverOptions(timeLimit: options.remaining, relativeGap: 1e-4))
    var violated: [HardItem] = []
    if relaxed.primal == .feasible {
      violated = built.slacks.keys.sorted().filter { relaxed.values[built.slacks[$0]!.index] > 0.5 }
    }
    if violated.isEmpty { violated = all }

    var found: [Conflict] = []
    var removed = Set<HardItem>()
    var seeds = violated
    while let seed = seeds.first, found.count < maxConflicts {
      let pool = all.filter { !removed.contains($0) }
      // 2. Start from the items related to the seed; fall back to every remaining item.
      var candidates = pool.filter { related($0, seed) }
      if try !isInfeasible(keeping: candidates) {
        candidates = pool
        guard try isInfeasible(keeping: candidates) else { break }
      }
      // 3. Deletion filter: drop each member whose removal leaves the set infeasible.
      var conflict = candidates
      for item in candidates where conflict.count > 1 {
        let without = conflict.filter { $0 != item }
        if try isInfeasible(keeping: without) { conflict = without }
      }
      found.append(describe(conflict))
      removed.formUnion(conflict)
      seeds = seeds.filter { !removed.contains($0) }
      if seeds.isEmpty, try isInfeasible(keeping: all.filter { !removed.contains($0) }) {
        seeds = all.filter { !removed.contains($0) }
      }
    }
    if found.isEmpty {
      found.append(
        Conflict(
          rules: ["R8", "R9"], items: [], message: "the pins and required requests cannot all hold together"))
    }
    return found
  }

  func allItems() -> [HardItem] {
    let pins = day.school.pins.indices.map { HardItem.pin($0) }
    let required = day.school.requests.indices.filter { day.school.requests[$0].priority == .required }
      .map { HardItem.required($0) }
    return pins + required
  }

  /// Whether the day has no plan when only `kept` of the hard items are enforced.
  func isInfeasible(keeping kept: [HardItem]) throws -> Bool {
    var formulation = DayFormulation(day: day)
    formulation.mode.dropped = Set(allItems()).subtracting(kept)
    formulation.mode.feasibilityOnly = true
    let result = try GLPKSolver().solve(
      formulation.makeModel().model, options: SolverOptions(timeLimit: options.remaining))
    return result.primal == .noSolution && result.termination == .infeasible
  }

  /// (student, staff, block) of an item; block nil for a request with any block.
  func parts(_ item: HardItem) -> (student: String, staff: String, block: String?, label: String) {
    switch item {
    case .pin(let i):
      let pin = day.school.pins[i]
      return (pin.studentID, pin.staffID, pin.blockID, "pin \(pin.studentID)/\(pin.blockID)/\(pin.staffID)")
    case .required(let r):
      let request = day.school.requests[r]
      return (request.studentID, request.staffID, request.blockID, request.id)
    }
  }

  func related(_ a: HardItem, _ b: HardItem) -> Bool {
    let x = parts(a)
    let y = parts(b)
    return x.student == y.student || x.staff == y.staff
  }

  /// Plain words for a conflict, with the rules and ids involved.
  func describe(_ items: [HardItem]) -> Conflict {
    let school = day.school
    let p = items.map(parts)
    var ids: [String] = []
    func add(_ id: String?) { if let id, !ids.contains(id) { ids.append(id) } }
    for part in p {
      add(part.student)
      add(part.block)
      add(part.staff)
    }
    for item in items { if case .required(let r) = item { add(school.requests[r].id) } }
    let baseRules = Set(
      items.map { item -> String in
        if case .pin = item { return "R8" } else { return "R9" }
      })
    func rules(_ extra: String...) -> [String] {
      Set(baseRules).union(extra).sorted { Int($0.dropFirst())! < Int($1.dropFirst())! }
    }

    if items.count == 1, let only = p.first {
      let what = describeItem(items[0])
      if let k = day.staffIndex[only.staff] {
        let member = school.staff[k]
        let blocks = only.block.map { [$0] } ?? school.blocks.map(\.id)
        let unavailable = blocks.filter { id in
          school.unavailable.contains { $0.staffID == only.staff && $0.blockID == id }
        }
        if unavailable.count == blocks.count {
          return Conflict(
            rules: rules("R1"), items: ids,
            message: "\(what), but \(only.staff) is unavailable in \(blocks.joined(separator: ", "))")
        }
        if let b = only.block.flatMap({ day.blockIndex[$0] }) {
          if school.blocks[b].minutes > member.maxMinutes {
            return Conflict(
              rules: rules("R3"), items: ids,
              message:
                "\(what), but \(school.blocks[b].id) takes \(school.blocks[b].minutes) minutes and \(only.staff) has \(member.maxMinutes)"
            )
          }
          if day.teachable[k][b].isEmpty {
            return Conflict(
              rules: rules("R2"), items: ids,
              message: "\(what), but \(only.staff) teaches none of \(school.blocks[b].id)'s subjects")
          }
        }
        if member.maxGroupSize < day.minSize {
          return Conflict(
            rules: rules("R4"), items: ids,
            message:
              "\(what), but \(only.staff)'s groups (at most \(member.maxGroupSize)) are below the minimum group size of \(day.minSize)"
          )
        }
        return Conflict(
          rules: rules("R4"), items: ids,
          message:
            "\(what), but not enough students can join \(only.staff)'s session to reach the minimum group size of \(day.minSize)"
        )
      }
    }

    let students = Set(p.map(\.student))
    let staff = Set(p.map(\.staff))
    let blocks = Set(p.compactMap(\.block))
    if students.count == 1, blocks.count == 1, staff.count > 1, p.allSatisfy({ $0.block != nil }) {
      let names = p.map(\.staff)
      let verb =
        items.allSatisfy({ if case .pin = $0 { return true } else { return false } })
        ? "is pinned to" : "is pinned or required with"
      return Conflict(
        rules: rules("R5"), items: ids,
        message: "\(p[0].student) \(verb) \(names.joined(separator: " and to ")) in block \(blocks.first!)")
    }
    if staff.count == 1, blocks.count == 1, let k = day.staffIndex[staff.first!],
      students.count > school.staff[k].maxGroupSize
    {
      let cap = school.staff[k].maxGroupSize
      return Conflict(
        rules: rules("R4"), items: ids,
        message:
          "\(staff.first!) has \(students.count) pinned or required students in \(blocks.first!) but groups of at most \(cap)"
      )
    }
    if staff.count == 1, let k = day.staffIndex[staff.first!],
      blocks.compactMap({ day.blockIndex[$0] }).reduce(0, { $0 + school.blocks[$1].minutes })
        > school.staff[k].maxMinutes
    {
      let member = school.staff[k]
      let minutes = blocks.compactMap { day.blockIndex[$0] }.reduce(0) { $0 + school.blocks[$1].minutes }
      return Conflict(
        rules: rules("R3"), items: ids,
        message:
          "\(member.id) is pinned or required in \(blocks.sorted().joined(separator: ", ")) (\(minutes) minutes) but has \(member.maxMinutes) minutes"
      )
    }
    return Conflict(
      rules: rules("R4", "R5"), items: ids,
      message: "these cannot all hold together: " + items.map(describeItem).joined(separator: "; "))
  }

  func describeItem(_ item: HardItem) -> String {
    switch item {
    case .pin(let i):
      let pin = day.school.pins[i]
      return "\(pin.studentID) is pinned to \(pin.staffID) in \(pin.blockID)"
    case .required(let r):
      let request = day.school.requests[r]
      let where_ = request.blockID.map { " in \($0)" } ?? ""
      return "request \(request.id) requires \(request.studentID) with \(request.staffID)\(where_)"
    }
  }
}
