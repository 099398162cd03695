import Foundation
import LearnerStatus
import Solver

/// Restricted days around a good plan, small enough for GLPK to search quickly.
///
/// Two kinds: `restriction(around:proposals:)` with the plan's sessions and the ones the Lagrangian
/// relaxation chose lately, and per slot only the students who could matter there (the
/// plan's own, and the heaviest needs up to twice the slot's seats); and
/// `restriction(around:releasing:freeing:)`, the plan itself with a few sessions released
/// and a few staff members freed, everything else fixed (the large schools' many small
/// neighbourhoods).
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

  /// The day restricted to session counts near `average` (the relaxation's averaged choice,
  /// close to the LP's): a count the average holds near a whole number is fixed there, one
  /// in between may take either neighbouring value; per slot, the heaviest needs up to
  /// twice the seats may be placed. Pins and required requests keep their sessions possible.
  func restriction(guidedBy average: [SessionKey: Double]) -> Restriction {
    var counts: [SessionKey: Double] = [:]
    var lower: [SessionKey: Double] = [:]
    var seats: [SlotKey: Double] = [:]
    for (key, value) in average where built.sessions[key] != nil {
      let low = (value + 0.1).rounded(.down)
      let high = (value - 0.1).rounded(.up)
      guard high > 0 else { continue }
      counts[key] = high
      if low > 0 { lower[key] = low }
      seats[SlotKey(block: key.block, target: key.target), default: 0] +=
        high * Double(built.classes[key.staffClass].capacity)
    }
    // Pins and required requests keep their staff member's every session in their blocks open.
    var hard: [(staff: Int, block: Int?)] = []
    for pin in day.pins {
      if let k = day.staffIndex[pin.staffID], let b = day.blockIndex[pin.blockID] { hard.append((k, b)) }
    }
    for request in day.school.requests where request.priority == .required {
      guard let k = day.staffIndex[request.staffID] else { continue }
      hard.append((k, request.blockID.flatMap { day.blockIndex[$0] }))
    }
    for (k, block) in hard where built.classOf[k] >= 0 {
      let c = built.classOf[k]
      for key in built.sessionKeys where key.staffClass == c && (block == nil || key.block == block) {
        if counts[key] == nil {
          counts[key] = 1
          seats[SlotKey(block: key.block, target: key.target), default: 0] += Double(
            built.classes[c].capacity)
        }
      }
    }
    return Restriction(sessions: counts, placements: heaviest(seats: seats), lowerSessions: lower)
  }

  /// A small neighbourhood of a plan: the sessions `released` (indices into `sessions`) may
  /// change target or close, and their staff may take any target they teach in that block;
  /// the staff members `freed` may also lead in any block their minutes allow. Students free
  /// in a block (in no kept session there) may join its new sessions. Every other session
  /// and placement of the plan stays as it is.
  func restriction(around sessions: [Session], releasing released: Set<Int>, freeing freed: Set<Int> = [])
    -> Restriction
  {
    var counts: [SessionKey: Double] = [:]
    var lower: [SessionKey: Double] = [:]
    var placements = Set<PlacementKey>()
    var kept = Set<PlacementKey>()
    /// Members of each class free to take a session in each block: [class, block].
    var open: [[Int]: Double] = [:]
    /// Students held in a block by a kept session, and each student's targets held.
    var held = Set<[Int]>()
    var heldTargets: [Int: Set<Int>] = [:]
    for k in freed where built.classOf[k] >= 0 {
      for b in built.classes[built.classOf[k]].blocks { open[[built.classOf[k], b], default: 0] += 1 }
    }
    for (i, session) in sessions.enumerated() {
      guard let b = day.blockIndex[session.block], let k = day.staffIndex[session.staff],
        let t = day.targetIndex[session.target], built.classOf[k] >= 0
      else { continue }
      let key = SessionKey(staffClass: built.classOf[k], block: b, target: t)
      counts[key, default: 0] += 1
      let isReleased = released.contains(i) || freed.contains(k)
      if isReleased {
        if !freed.contains(k) { open[[key.staffClass, b], default: 0] += 1 }
      } else {
        lower[key, default: 0] += 1
      }
      for id in session.students {
        guard let s = day.studentIndex[id] else { continue }
        let placement = PlacementKey(student: s, block: b, target: t)
        placements.insert(placement)
        if !isReleased {
          // A seat by request or pin is a named placement, not x: it stays by its own rows.
          if built.named[NamedPlacementKey(student: s, block: b, staff: k, target: t)] == nil {
            kept.insert(placement)
          }
          held.insert([s, b])
          heldTargets[s, default: []].insert(t)
        }
      }
    }
    var seats: [SlotKey: Double] = [:]
    for key in built.sessionKeys {
      guard let n = open[[key.staffClass, key.block]] else { continue }
      counts[key] = (counts[key] ?? 0) + n
      seats[SlotKey(block: key.block, target: key.target), default: 0] +=
        n * Double(built.classes[key.staffClass].capacity)
    }
    for (slot, n) in seats.sorted(by: { $0.key < $1.key }) {
      var taken = 0
      for key in ranked[slot] ?? [] where taken < Int(2 * n) + 4 {
        if held.contains([key.student, slot.block]) || heldTargets[key.student]?.contains(key.target) == true
        {
          continue
        }
        placements.insert(key)
        taken += 1
      }
    }
    return Restriction(
      sessions: counts, placements: placements, lowerSessions: lower, fixedPlacements: kept)
  }

  /// The best plan GLPK finds in a restricted day within `seconds`, as sessions.
  func search(
    around sessions: [Session], proposals: [[(staffClass: Int, block: Int, target: Int)]],
    seconds: Double, log: Bool, gap: Double, nodeLimit: Int? = nil
  ) -> (sessions: [Session], termination: TerminationReason, columns: Int)? {
    search(
      around: sessions, restriction: restriction(around: sessions, proposals: proposals), seconds: seconds,
      log: log, gap: gap, nodeLimit: nodeLimit)
  }

  /// The best plan GLPK finds in `restriction` within `seconds` (and `nodeLimit` subproblems), starting from `sessions`.
  ///
  /// With `stopAt`, the search also stops as soon as it holds a plan scoring at least that.
  func search(
    around sessions: [Session], restriction: Restriction, seconds: Double, log: Bool, gap: Double,
    dive: Bool = false, nodeLimit: Int? = nil, stopAt: Double? = nil
  ) -> (sessions: [Session], termination: TerminationReason, columns: Int)? {
    var formulation = DayFormulation(day: day)
    formulation.restriction = restriction
    formulation.leanLinking = built.leanLinking
    let small = formulation.makeModel()
    let start = sessions.isEmpty ? nil : WarmStart(day: day, built: small).values(for: sessions)
    var options = SolverOptions(
      timeLimit: seconds, relativeGap: gap, log: log, startValues: start)
    options.nodeLimit = nodeLimit
    if let stopAt {
      let best = BestIncumbent()
      options.progress = { progress in best.offer(progress.incumbent) }
      options.shouldStop = { best.value.map { $0 >= stopAt } ?? false }
    }
    if dive {
      options.branching = .mostFractional
      options.backtracking = .depthFirst
    }
    guard
      let result = try? GLPKSolver().solve(small.model, options: options),
      result.primal == .feasible,
      let found = try? PlanDecoder(day: day, built: small).sessions(from: result.values)
    else { return nil }
    return (found, result.termination, small.model.variables.count)
  }
}

/// The best incumbent a search has reported so far, shared with its stop test.
private final class BestIncumbent: @unchecked Sendable {
  private let lock = NSLock()
  private var best: Double?

  /// The best incumbent so far (nil before the first).
  var value: Double? { lock.withLock { best } }

  /// Keeps `incumbent` when it is better than the best so far.
  func offer(_ incumbent: Double?) {
    guard let incumbent else { return }
    lock.withLock { best = max(best ?? incumbent, incumbent) }
  }
}
