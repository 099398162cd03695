import LearnerStatus

/// A quick, valid upper bound on any plan's score, used when the search ends before its
/// own bound: each student takes at most one target per block and each target once (R5,
/// R7), so their share is at most their heaviest needs, one per block; every scored
/// request is counted as honored; sessions cost nothing; each student short of their week
/// gains dosage · min(short(s), blocks) (spec §14).
struct SimpleBound {
  let day: DayInput

  var value: Double {
    let blocks = day.school.blocks.count
    var total = 0.0
    for weights in day.needWeight {
      total += weights.values.sorted(by: >).prefix(blocks).reduce(0, +)
    }
    let w = day.school.policy.weights
    for request in day.school.requests { total += w.weight(of: request.priority) }
    for s in day.school.students.indices { total += day.dosageCap(student: s) }
    total += day.moveWeight * Double(day.keepable.count)  // a re-plan keeping everything
    return total
  }
}
