import Foundation
import LearnerStatus
import Solver

/// A restricted day around a good plan, small enough for GLPK to search quickly: the
/// plan's sessions and the ones the Lagrangian relaxation chose lately (each count at
/// most the largest any of them uses), and per slot only the students who could matter
/// there (the plan's own, and the heaviest needs up to twice the slot's seats).
struct Neighbourhood {
  let day: DayInput
  let built: BuiltModel
  /// Each slot's placements, heaviest need first (ties by student): ranked once, used by
  /// every restriction of the search.
  private let ranked: [SlotKey: [PlacementKey]]

  init(day: DayInput, built: BuiltModel) {
    self.day = day
    self.built = built
    var bySlot: [SlotKey: [PlacementKey]] = [:]
    for key in built.placementKeys {
      bySlot[SlotKey(block: key.block, target: key.target), default: []].append(key)
    }
    for (slot, keys) in bySlot {
      bySlot[slot] = keys.sorted {
        let a = day.weight(student: $0.student, target: $0.target)!
        let b = day.weight(student: $1.student, target: $1.target)!
        return a != b ? a > b : $0.student < $1.student
      }
    }
    ranked = bySlot
  }

  /// The placements that could matter in slots with these seats: the heaviest needs, up
  /// to twice the seats (and a few more).
  private func heaviest(seats: [SlotKey: Double]) -> Set<PlacementKey> {
    var placements = Set<PlacementKey>()
    for (slot, n) in seats where n > 0 {
      placements.formUnion((ranked[slot] ?? []).prefix(Int(2 * n) + 4))
    }
    return placements
  }

  /// The restriction around `sessions` and `proposals`.
  func restriction(
    around sessions: [Session], proposals: [[(staffClass: Int, block: Int, target: Int)]]
  ) -> Restriction {
    var counts: [SessionKey: Double] = [:]
    var placements = Set<PlacementKey>()
    for session in sessions {
      guard let b = day.blockIndex[session.block], let k = day.staffIndex[session.staff],
        let t = day.targetIndex[session.target], built.classOf[k] >= 0
      else { continue }
      counts[SessionKey(staffClass: built.classOf[k], block: b, target: t), default: 0] += 1
      for id in session.students {
        if let s = day.studentIndex[id] { placements.insert(PlacementKey(student: s, block: b, target: t)) }
      }
    }
    for proposal in proposals {
      var chosen: [SessionKey: Double] = [:]
      for choice in proposal {
        chosen[
          SessionKey(staffClass: choice.staffClass, block: choice.block, target: choice.target), default: 0] +=
          Double(built.classes[choice.staffClass].size)
      }
      // A session the plan lacks enters once: enough to try it, few enough to stay small.
      for (key, _) in chosen where built.sessions[key] != nil && counts[key] == nil {
        counts[key] = 1
      }
    }
    var seats: [SlotKey: Double] = [:]
    for (key, count) in counts {
      seats[SlotKey(block: key.block, target: key.target), default: 0] +=
        count * Double(built.classes[key.staffClass].capacity)
    }
    placements.formUnion(heaviest(seats: seats))
    return Restriction(sessions: counts, placements: placements)
  }

  /// A restriction that keeps every session of the plan fixed except those of the classes
  /// in `free`, which may run any session they could; students only where they could matter.
  func restriction(around sessions: [Session], freeing free: Set<Int>) -> Restriction {
    var counts: [SessionKey: Double] = [:]
    var fixed = Set<SessionKey>()
    var placements = Set<PlacementKey>()
    for session in sessions {
      guard let b = day.blockIndex[session.block], let k = day.staffIndex[session.staff],
        let t = day.targetIndex[session.target], built.classOf[k] >= 0
      else { continue }
      let key = SessionKey(staffClass: built.classOf[k], block: b, target: t)
      counts[key, default: 0] += 1
      if !free.contains(key.staffClass) { fixed.insert(key) }
      for id in session.students {
        if let s = day.studentIndex[id] { placements.insert(PlacementKey(student: s, block: b, target: t)) }
      }
    }
    var extraSeats: [SlotKey: Double] = [:]
    for key in built.sessionKeys where free.contains(key.staffClass) {
      let size = Double(built.classes[key.staffClass].size)
      counts[key] = size
      extraSeats[SlotKey(block: key.block, target: key.target), default: 0] +=
        Double(built.classes[key.staffClass].capacity)
    }
    var seats: [SlotKey: Double] = [:]
    for key in fixed {
      seats[SlotKey(block: key.block, target: key.target), default: 0] +=
        counts[key]! * Double(built.classes[key.staffClass].capacity)
    }
    placements.formUnion(heaviest(seats: seats.merging(extraSeats, uniquingKeysWith: +)))
    return Restriction(sessions: counts, placements: placements, fixed: fixed)
  }

  /// The best plan GLPK finds in a restricted day within `seconds`, as sessions.
  func search(
    around sessions: [Session], proposals: [[(staffClass: Int, block: Int, target: Int)]],
    seconds: Double, log: Bool, gap: Double
  ) -> (sessions: [Session], termination: TerminationReason, columns: Int)? {
    search(
      around: sessions, restriction: restriction(around: sessions, proposals: proposals), seconds: seconds,
      log: log, gap: gap)
  }

  /// The best plan GLPK finds in `restriction` within `seconds`, starting from `sessions`.
  func search(
    around sessions: [Session], restriction: Restriction, seconds: Double, log: Bool, gap: Double
  ) -> (sessions: [Session], termination: TerminationReason, columns: Int)? {
    var formulation = DayFormulation(day: day)
    formulation.restriction = restriction
    let small = formulation.makeModel()
    let start = WarmStart(day: day, built: small).values(for: sessions)
    guard
      let result = try? GLPKSolver().solve(
        small.model,
        options: SolverOptions(timeLimit: seconds, relativeGap: gap, log: log, startValues: start)),
      result.primal == .feasible,
      let found = try? PlanDecoder(day: day, built: small).sessions(from: result.values)
    else { return nil }
    return (found, result.termination, small.model.variables.count)
  }
}
