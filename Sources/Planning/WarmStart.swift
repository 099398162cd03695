import LearnerStatus
import Solver

/// Maps a plan's sessions onto the columns of the day's model: a start point for the
/// solver, and the session counts that bound a restricted model around that plan.
struct WarmStart {
  let day: DayInput
  let built: BuiltModel

  /// The model's column values for `sessions`, or nil when the plan does not fit the model.
  func values(for sessions: [Session]) -> [Double]? {
    var values = Array(repeating: 0.0, count: built.model.variables.count)
    var blocksOf: [Int: Set<Int>] = [:]
    for session in sessions {
      guard let b = day.blockIndex[session.block], let k = day.staffIndex[session.staff],
        let t = day.targetIndex[session.target], built.classOf[k] >= 0
      else { return nil }
      let key = SessionKey(staffClass: built.classOf[k], block: b, target: t)
      guard let z = built.sessions[key], let f = built.fill[key] else { return nil }
      values[z.index] += 1
      if let o = built.opened[SlotKey(block: b, target: t)] { values[o.index] += 1 }
      blocksOf[k, default: []].insert(b)
      for id in session.students {
        guard let s = day.studentIndex[id] else { return nil }
        if let y = built.named[NamedPlacementKey(student: s, block: b, staff: k, target: t)] {
          values[y.index] = 1
        } else if let x = built.placements[PlacementKey(student: s, block: b, target: t)] {
          values[x.index] = 1
          values[f.index] += 1
        } else {
          return nil
        }
      }
    }
    for (c, staffClass) in built.classes.enumerated() {
      for k in staffClass.members {
        guard let used = blocksOf[k] else { continue }
        guard let p = staffClass.patterns.firstIndex(where: { used.isSubset(of: $0) }) else { return nil }
        values[built.patterns[c][p].index] += 1
      }
    }
    // D[s] = min(short(s), the student's sessions today): the dosage term at its best.
    if !built.dosage.isEmpty {
      var count: [Int: Int] = [:]
      for session in sessions {
        for id in session.students { if let s = day.studentIndex[id] { count[s, default: 0] += 1 } }
      }
      for (s, d) in built.dosage { values[d.index] = Double(min(day.short[s], count[s] ?? 0)) }
    }
    let school = day.school
    for (r, h) in built.honored {
      let request = school.requests[r]
      guard let s = day.studentIndex[request.studentID], let k = day.staffIndex[request.staffID] else {
        continue
      }
      let honored = built.namedKeys.contains { key in
        key.student == s && key.staff == k && values[built.named[key]!.index] > 0.5
          && (request.blockID == nil || school.blocks[key.block].id == request.blockID)
      }
      if honored { values[h.index] = 1 }
    }
    return values
  }

  /// The model restricted to the sessions of a plan: each session count at most the plan's.
  func restricted(to start: [Double]) -> Model {
    var model = built.model
    for key in built.sessionKeys {
      let z = built.sessions[key]!
      model.setBounds(z, lower: 0, upper: start[z.index])
    }
    return model
  }
}
