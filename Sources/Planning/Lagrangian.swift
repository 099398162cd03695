import Foundation
import LearnerStatus

/// A fast, valid upper bound on the day's score by Lagrangian relaxation, and session
/// proposals for the primal heuristic.
///
/// R5 (one session per student and block) and R7 (one session per student and target)
/// are moved into the objective with multipliers λ and μ, and so is "a request counts
/// once" (h_r ≤ its placements) with a multiplier ν_r in [0, w(r)]: the request is worth
/// w(r) − ν_r outright and ν_r on each seat that could honor it. Pins (R8: the student's
/// seats with that person in that block = 1) and required requests (R9: ≥ 1) are priced the
/// same way, ν free for a pin and ν ≥ 0 for a required request, worth −ν outright. What
/// remains splits by staff member: the best session in each block (the top students by
/// adjusted weight, between `min_size` and the group size, minus the session cost) and the
/// best set of blocks within the minutes. Every plan is feasible for this relaxation and
/// scores at least as much there (each priced row's term is ≥ 0 at a plan), so for any
/// multipliers in their ranges its value bounds every plan's score. Subgradient steps lower it.
struct LagrangianBound {
  let day: DayInput
  let classes: [StaffClass]

  /// Slots (block, target) with their candidate students.
  private struct Slot {
    let block: Int
    let target: Int
    var students: [Int] = []
    var weights: [Double] = []
    /// Index of (student, target) into μ.
    var needIndex: [Int] = []
    /// Student -> position in `students`.
    var position: [Int: Int] = [:]
  }

  /// A seat's bonus with a named staff member: the student, the block, the requests
  /// (indices into `requestWeight`) such a seat would honor, and in a re-plan (§13) the
  /// target of the published placement the seat would keep (worth `move`), or -1.
  private struct Bonus {
    let student: Int
    let block: Int
    let requests: [Int]
    var keepTarget: Int = -1
  }

  private var slots: [Slot] = []
  /// slotsOf[c][b]: slot indices class c may teach in block b.
  private var slotsOf: [[Int: [Int]]] = []
  private var bonuses: [[Bonus]] = []
  private var needIndexOf: [[Int: Int]] = []
  private let blockCount: Int
  private var lambda: [Double]
  private var mu: [Double]
  /// w(r) of each high or normal request a named staff member's seat can honor; 0 for the
  /// required requests and pins, whose rows (Σ seats ≥ 1, = 1) are priced the same way.
  private var requestWeight: [Double] = []
  /// ν_r: how much of item r each seat honoring it is credited (the item adds w(r) − ν_r).
  private var nu: [Double] = []
  /// ν's range per item: [0, w] for a request, [0, ∞) for a required one, any for a pin.
  private var nuLower: [Double] = []
  private var nuUpper: [Double] = []
  /// Per slot: how many of its best students any staff member's session there may look at.
  private var topCount: [Int] = []

  /// The best (lowest) bound found so far.
  private(set) var bound = Double.infinity
  /// Sessions chosen by the relaxation at its recent iterations: (class, block, target, count).
  private(set) var proposals: [[(staffClass: Int, block: Int, target: Int)]] = []
  /// The volume algorithm's running average of the sessions the relaxation opens: an
  /// approximation of the LP's session counts, the guide for a restricted search.
  private(set) var averageSessions: [SessionKey: Double] = [:]

  init(day: DayInput, classes: [StaffClass]) {
    self.day = day
    self.classes = classes
    blockCount = day.school.blocks.count
    var needIndexOf = Array(repeating: [Int: Int](), count: day.school.students.count)
    var count = 0
    for (s, targets) in day.neededTargets.enumerated() {
      for t in targets {
        needIndexOf[s][t] = count
        count += 1
      }
    }
    self.needIndexOf = needIndexOf
    mu = Array(repeating: 0, count: count)
    lambda = Array(repeating: 0, count: day.school.students.count * day.school.blocks.count)

    var slotIndex: [SlotKey: Int] = [:]
    var slotsOf = Array(repeating: [Int: [Int]](), count: classes.count)
    var needing = Array(repeating: [Int](), count: day.school.targets.count)
    for (s, targets) in day.neededTargets.enumerated() { for t in targets { needing[t].append(s) } }
    for (c, staffClass) in classes.enumerated() {
      for b in staffClass.blocks {
        for t in staffClass.teachable[b] ?? [] where !needing[t].isEmpty || staffClass.isNamed {
          let key = SlotKey(block: b, target: t)
          let index: Int
          if let existing = slotIndex[key] {
            index = existing
          } else {
            index = slots.count
            slotIndex[key] = index
            var slot = Slot(block: b, target: t)
            for s in needing[t] {
              slot.students.append(s)
              slot.weights.append(day.weight(student: s, target: t)!)
              slot.needIndex.append(needIndexOf[s][t]!)
              slot.position[s] = slot.students.count - 1
            }
            slots.append(slot)
          }
          slotsOf[c][b, default: []].append(index)
        }
      }
    }
    self.slotsOf = slotsOf
    let weights = day.school.policy.weights
    var requestWeight: [Double] = []
    var nuLower: [Double] = []
    var nuUpper: [Double] = []
    // A re-plan's keepable placements, by pair: the seat keeps one if it is in that block on
    // that target (a student has at most one published placement per block).
    var keepOf: [DayInput.PairKey: [Int: Int]] = [:]
    for key in day.keepable {
      keepOf[DayInput.PairKey(student: key.student, staff: key.staff), default: [:]][key.block] = key.target
    }
    bonuses = classes.map { staffClass in
      guard staffClass.isNamed, let k = staffClass.members.first else { return [] }
      var list: [Bonus] = []
      for key in day.requestsByPair.keys.sorted() where key.staff == k {
        let keeps = keepOf[key] ?? [:]
        // A seat holds the student once; every request it could honor is credited on it.
        var perBlock: [Int: [Int]] = [:]
        for r in day.requestsByPair[key]! {
          let request = day.school.requests[r]
          let w = weights.weight(of: request.priority)
          guard w > 0 || request.priority == .required else { continue }
          // A high or normal request: ν in [0, w]. A required one (R9, Σ seats ≥ 1): ν ≥ 0.
          let index = requestWeight.count
          requestWeight.append(request.priority == .required ? 0 : w)
          nuLower.append(0)
          nuUpper.append(request.priority == .required ? .infinity : w)
          let blocks =
            request.blockID.flatMap { day.blockIndex[$0] }.map { [$0] } ?? Array(day.school.blocks.indices)
          for b in blocks { perBlock[b, default: []].append(index) }
        }
        for pin in day.pins
        where day.studentIndex[pin.studentID] == key.student && day.staffIndex[pin.staffID] == k {
          // A pin (R8, Σ seats = 1 in its block): ν of either sign.
          guard let b = day.blockIndex[pin.blockID] else { continue }
          perBlock[b, default: []].append(requestWeight.count)
          requestWeight.append(0)
          nuLower.append(-.infinity)
          nuUpper.append(.infinity)
        }
        for b in keeps.keys where perBlock[b] == nil { perBlock[b] = [] }
        for (b, requests) in perBlock.sorted(by: { $0.key < $1.key }) {
          list.append(Bonus(student: key.student, block: b, requests: requests, keepTarget: keeps[b] ?? -1))
        }
      }
      return list
    }
    self.requestWeight = requestWeight
    self.nuLower = nuLower
    self.nuUpper = nuUpper
    nu = requestWeight
    var topCount = Array(repeating: 0, count: slots.count)
    for (c, staffClass) in classes.enumerated() {
      var perBlock: [Int: Int] = [:]
      for bonus in bonuses[c] { perBlock[bonus.block, default: 0] += 1 }
      for (b, list) in slotsOf[c] {
        for i in list { topCount[i] = max(topCount[i], staffClass.capacity + (perBlock[b] ?? 0)) }
      }
    }
    self.topCount = topCount
  }

  /// One staff member's best session in one block: its value and the students it takes.
  private struct Choice {
    var value: Double
    var slot: Int
    var students: [Int]
  }

  /// What one evaluation of L uses: its value, and how often each relaxed row's left side
  /// is used by the relaxation's choice (the subgradient).
  private struct Evaluation {
    var value: Double
    var usesBlock: [Int]
    var usesNeed: [Int]
    var usesRequest: [Int]
    var chosen: [(Int, Int, Int)]
  }

  /// Evaluates L(λ, μ, ν) given each slot's best students (`top`) and adjusted weights.
  private func evaluate(top: [[Int]], adjusted: [[Double]], keepChoices: Bool) -> Evaluation {
    let minSize = day.minSize
    let cost = day.sessionCost
    var result = Evaluation(
      value: lambda.reduce(0, +) + mu.reduce(0, +),
      usesBlock: Array(repeating: 0, count: lambda.count), usesNeed: Array(repeating: 0, count: mu.count),
      usesRequest: Array(repeating: 0, count: nu.count), chosen: [])
    for (r, w) in requestWeight.enumerated() { result.value += w - nu[r] }
    // prefix[i][n]: the adjusted weight of the slot's best n students that a session of n
    // seats takes (the first `min_size` whatever their sign, then only gains).
    let prefix = top.indices.map { i in
      var sums = [0.0]
      sums.reserveCapacity(top[i].count + 1)
      for (n, j) in top[i].enumerated() {
        let v = adjusted[i][j]
        sums.append(sums[n] + (n < minSize ? v : max(0, v)))
      }
      return sums
    }
    for (c, staffClass) in classes.enumerated() {
      let cap = staffClass.capacity
      var best: [Int: Choice] = [:]
      for b in staffClass.blocks {
        var bestChoice: Choice?
        let blockBonuses = bonuses[c].filter { $0.block == b }
        if blockBonuses.isEmpty {
          // The best session of `cap` seats in each slot, read off the slot's prefix sums; only
          // the winner's students are listed.
          var bestSlot = -1
          var bestValue = -Double.infinity
          for i in slotsOf[c][b] ?? [] {
            let sums = prefix[i]
            guard sums.count > minSize else { continue }
            let value = sums[min(cap, sums.count - 1)] - cost
            if value > bestValue {
              bestValue = value
              bestSlot = i
            }
          }
          if bestSlot >= 0, bestValue > 0 {
            var taken: [Int] = []
            for (n, j) in top[bestSlot].prefix(cap).enumerated()
            where n < minSize || adjusted[bestSlot][j] > 0 {
              taken.append(j)
            }
            best[b] = Choice(value: bestValue, slot: bestSlot, students: taken)
          }
          continue
        }
        // Named staff: requested students get their requests' credit on top. One buffer for
        // every slot; the students are listed for the winning slot only.
        let credits = blockBonuses.map { bonus in bonus.requests.reduce(0.0) { $0 + nu[$1] } }
        let move = day.moveWeight
        var pool: [(student: Int, value: Double)] = []
        pool.reserveCapacity(cap + 2 * blockBonuses.count)
        func fillPool(_ i: Int) {
          pool.removeAll(keepingCapacity: true)
          let values = adjusted[i]
          let target = slots[i].target
          for j in top[i].prefix(cap + blockBonuses.count) { pool.append((j, values[j])) }
          for (n, bonus) in blockBonuses.enumerated() {
            // A re-plan's seat that keeps its published placement gains `move` (§13).
            let credit = credits[n] + (bonus.keepTarget == target ? move : 0)
            if let j = slots[i].position[bonus.student] {
              if let p = pool.firstIndex(where: { $0.student == j }) {
                pool[p].value += credit
              } else {
                pool.append((j, values[j] + credit))
              }
            } else {
              // Not needing the target: joins by the request or the kept placement alone (R6).
              pool.append((-1 - bonus.student, credit - lambda[bonus.student * blockCount + b]))
            }
          }
          pool.sort { $0.value != $1.value ? $0.value > $1.value : $0.student < $1.student }
        }
        var bestSlot = -1
        var bestValue = -Double.infinity
        for i in slotsOf[c][b] ?? [] {
          fillPool(i)
          guard pool.count >= minSize else { continue }
          var value = -cost
          for n in 0..<min(cap, pool.count) where pool[n].value > 0 || n < minSize { value += pool[n].value }
          if value > bestValue {
            bestValue = value
            bestSlot = i
          }
        }
        if bestSlot >= 0 {
          fillPool(bestSlot)
          var taken: [Int] = []
          for n in 0..<min(cap, pool.count) where pool[n].value > 0 || n < minSize {
            taken.append(pool[n].student)
          }
          bestChoice = Choice(value: bestValue, slot: bestSlot, students: taken)
        }
        if let bestChoice, bestChoice.value > 0 { best[b] = bestChoice }
      }
      var bestPattern: [Int] = []
      var bestValue = 0.0
      for pattern in staffClass.patterns {
        let value = pattern.reduce(0.0) { $0 + (best[$1]?.value ?? 0) }
        if value > bestValue {
          bestValue = value
          bestPattern = pattern
        }
      }
      let m = staffClass.size
      result.value += Double(m) * bestValue
      for b in bestPattern {
        guard let choice = best[b] else { continue }
        let slot = slots[choice.slot]
        if keepChoices { result.chosen.append((c, b, slot.target)) }
        for j in choice.students {
          let student = j >= 0 ? slot.students[j] : -1 - j
          result.usesBlock[student * blockCount + b] += m
          if j >= 0 { result.usesNeed[slot.needIndex[j]] += m }
          for bonus in bonuses[c] where bonus.block == b && bonus.student == student {
            for r in bonus.requests { result.usesRequest[r] += m }
          }
        }
      }
    }
    return result
  }

  /// The prices of the best multipliers: λ(s,b) + μ(s,t), what placing s on t in b costs
  /// the rest of the day.
  var prices: Prices {
    Prices(lambda: bestLambda, mu: bestMu, needIndexOf: needIndexOf, blockCount: blockCount)
  }

  /// Multipliers at the best bound.
  private var bestLambda: [Double] = []
  private var bestMu: [Double] = []
  private var bestNu: [Double] = []

  /// Prices of student time: λ(s,b) + μ(s,t).
  struct Prices: Sendable {
    let lambda: [Double]
    let mu: [Double]
    let needIndexOf: [[Int: Int]]
    let blockCount: Int

    func price(student s: Int, block b: Int, target t: Int) -> Double {
      guard !lambda.isEmpty else { return 0 }
      return lambda[s * blockCount + b] + (needIndexOf[s][t].map { mu[$0] } ?? 0)
    }
  }

  /// Each slot's best students by adjusted weight at the current multipliers.
  private func rankSlots(top: inout [[Int]], adjusted: inout [[Double]]) {
    for (i, slot) in slots.enumerated() {
      // A partial selection: no session looks further than its seats and bonuses.
      let k = topCount[i]
      var best: [Int] = []
      best.reserveCapacity(k + 1)
      adjusted[i].withUnsafeMutableBufferPointer { values in
        for j in slot.students.indices {
          let v = slot.weights[j] - lambda[slot.students[j] * blockCount + slot.block] - mu[slot.needIndex[j]]
          values[j] = v
          if best.count == k, let last = best.last, values[last] >= v { continue }
          var p = best.count
          best.append(j)
          while p > 0, values[best[p - 1]] < v {
            best[p] = best[p - 1]
            p -= 1
          }
          best[p] = j
          if best.count > k { best.removeLast() }
        }
      }
      top[i] = best
    }
  }

  /// The volume algorithm (Barahona and Anbil): steps along the subgradient of an average of
  /// the relaxation's recent choices, from the best multipliers so far, which move only
  /// when a step lowers the bound. It converges much further than plain subgradient steps
  /// on this relaxation, and the average approximates the LP's own solution.
  mutating func runVolume(until deadline: Double, maxIterations: Int, lowerBound: Double) {
    var top = Array(repeating: [Int](), count: slots.count)
    var adjusted = slots.map { [Double](repeating: 0, count: $0.students.count) }
    // Step factor, averaging weight, and how many steps without improvement shrink the step.
    var f = 0.3
    let alpha = 0.1
    let redLimit = 10
    rankSlots(top: &top, adjusted: &adjusted)
    let first = evaluate(top: top, adjusted: adjusted, keepChoices: true)
    averageSessions = [:]
    for (c, b, t) in first.chosen {
      averageSessions[SessionKey(staffClass: c, block: b, target: t), default: 0] += Double(classes[c].size)
    }
    if first.value < bound {
      bound = first.value
      bestLambda = lambda
      bestMu = mu
      bestNu = nu
    }
    var centerLambda = lambda
    var centerMu = mu
    var centerNu = nu
    var center = first.value
    var avgBlock = first.usesBlock.map(Double.init)
    var avgNeed = first.usesNeed.map(Double.init)
    var avgRequest = first.usesRequest.map(Double.init)
    var reds = 0
    var checkpoint = Double.infinity
    var lower = lowerBound
    for iteration in 1..<max(2, maxIterations) {
      if Date().timeIntervalSince1970 > deadline { break }
      if lower >= center { lower = center - max(1e-4 * abs(center), 1) }
      // The subgradient at the average: violations of the relaxed rows.
      var norm = 0.0
      for i in centerLambda.indices {
        let g = 1 - avgBlock[i]
        if centerLambda[i] > 0 || g < 0 { norm += g * g }
      }
      for i in centerMu.indices {
        let g = 1 - avgNeed[i]
        if centerMu[i] > 0 || g < 0 { norm += g * g }
      }
      for r in centerNu.indices {
        let g = avgRequest[r] - 1
        if (centerNu[r] > nuLower[r] || g < 0) && (centerNu[r] < nuUpper[r] || g > 0) { norm += g * g }
      }
      guard norm > 1e-12 else { break }
      let step = f * (center - lower) / norm
      for i in lambda.indices { lambda[i] = max(0, centerLambda[i] - step * (1 - avgBlock[i])) }
      for i in mu.indices { mu[i] = max(0, centerMu[i] - step * (1 - avgNeed[i])) }
      for r in nu.indices {
        nu[r] = min(nuUpper[r], max(nuLower[r], centerNu[r] - step * (avgRequest[r] - 1)))
      }
      rankSlots(top: &top, adjusted: &adjusted)
      let result = evaluate(top: top, adjusted: adjusted, keepChoices: true)
      if iteration % 10 == 9 {
        proposals.append(result.chosen.map { (staffClass: $0.0, block: $0.1, target: $0.2) })
      }
      for key in averageSessions.keys { averageSessions[key]! *= 1 - alpha }
      for (c, b, t) in result.chosen {
        averageSessions[SessionKey(staffClass: c, block: b, target: t), default: 0] +=
          alpha * Double(classes[c].size)
      }
      for i in avgBlock.indices {
        avgBlock[i] = alpha * Double(result.usesBlock[i]) + (1 - alpha) * avgBlock[i]
      }
      for i in avgNeed.indices { avgNeed[i] = alpha * Double(result.usesNeed[i]) + (1 - alpha) * avgNeed[i] }
      for i in avgRequest.indices {
        avgRequest[i] = alpha * Double(result.usesRequest[i]) + (1 - alpha) * avgRequest[i]
      }
      if result.value < center {
        // Green if the new choice's subgradient still points the same way as the step.
        var dot = 0.0
        for i in lambda.indices { dot += (1 - Double(result.usesBlock[i])) * (1 - avgBlock[i]) }
        for i in mu.indices { dot += (1 - Double(result.usesNeed[i])) * (1 - avgNeed[i]) }
        if dot >= 0 { f = min(2, f * 1.1) }
        reds = 0
        center = result.value
        centerLambda = lambda
        centerMu = mu
        centerNu = nu
        if result.value < bound {
          bound = result.value
          bestLambda = lambda
          bestMu = mu
          bestNu = nu
        }
      } else {
        reds += 1
        if reds >= redLimit {
          f *= 0.66
          reds = 0
        }
      }
      if f < 1e-5 { break }
      // Converged for practical purposes: the bound moved less than 0.01% in 300 steps.
      if iteration % 300 == 0 {
        if checkpoint - bound < 1e-4 * abs(bound) { break }
        checkpoint = bound
      }
    }
    lambda = centerLambda
    mu = centerMu
    nu = centerNu
  }

  /// Runs subgradient steps until `deadline` or `maxIterations`; `lowerBound` is the best
  /// known plan's score (for the step size).
  mutating func run(until deadline: Double, maxIterations: Int, lowerBound: Double) {
    var theta = 1.0
    var sinceImprovement = 0
    var lower = lowerBound
    var top = Array(repeating: [Int](), count: slots.count)
    var adjusted = slots.map { [Double](repeating: 0, count: $0.students.count) }
    for iteration in 0..<maxIterations {
      if Date().timeIntervalSince1970 > deadline { break }
      rankSlots(top: &top, adjusted: &adjusted)
      let keep = iteration % 10 == 9
      let result = evaluate(top: top, adjusted: adjusted, keepChoices: keep)
      if keep { proposals.append(result.chosen.map { (staffClass: $0.0, block: $0.1, target: $0.2) }) }
      if result.value < bound - 1e-9 {
        bound = result.value
        bestLambda = lambda
        bestMu = mu
        bestNu = nu
        sinceImprovement = 0
      } else {
        sinceImprovement += 1
        if sinceImprovement >= 15 {
          theta /= 2
          sinceImprovement = 0
        }
      }
      if lower >= bound { lower = bound * (1 - 1e-4) }
      // Subgradients: 1 − uses for R5 and R7, uses − 1 for a request's credit (projected:
      // a multiplier at its limit whose step would cross it stays).
      var norm = 0.0
      for i in lambda.indices {
        let g = 1 - Double(result.usesBlock[i])
        if lambda[i] > 0 || g < 0 { norm += g * g }
      }
      for i in mu.indices {
        let g = 1 - Double(result.usesNeed[i])
        if mu[i] > 0 || g < 0 { norm += g * g }
      }
      for r in nu.indices {
        let g = Double(result.usesRequest[r]) - 1
        if (nu[r] > nuLower[r] || g < 0) && (nu[r] < nuUpper[r] || g > 0) { norm += g * g }
      }
      guard norm > 0 else { break }  // the relaxation's choice keeps every relaxed row: bound is tight
      let step = theta * (result.value - lower) / norm
      for i in lambda.indices {
        let g = 1 - Double(result.usesBlock[i])
        lambda[i] = max(0, lambda[i] - step * g)
      }
      for i in mu.indices {
        let g = 1 - Double(result.usesNeed[i])
        mu[i] = max(0, mu[i] - step * g)
      }
      for r in nu.indices {
        let g = Double(result.usesRequest[r]) - 1
        nu[r] = min(nuUpper[r], max(nuLower[r], nu[r] - step * g))
      }
      if theta < 1e-4 { break }
    }
    if !bestLambda.isEmpty {
      lambda = bestLambda
      mu = bestMu
      nu = bestNu
    }
  }
}
