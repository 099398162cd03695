import Foundation
import LearnerStatus

/// A fast, valid upper bound on the day's score by Lagrangian relaxation, and session
/// proposals for the primal heuristic.
///
/// R5 (one session per student and block) and R7 (one session per student and target)
/// are moved into the objective with multipliers λ and μ; pins and required requests are
/// dropped and a request may count once per session. What remains splits by staff
/// member: the best session in each block (the top students by adjusted weight, between
/// `min_size` and the group size, minus the session cost) and the best set of blocks
/// within the minutes. Every plan is feasible for this relaxation and scores at least as
/// much there, so for any λ, μ ≥ 0 its value bounds every plan's score. Subgradient steps
/// lower it.
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

  /// A request's bonus for a named staff member: student, the blocks it allows, its weight.
  private struct Bonus {
    let student: Int
    let blocks: Set<Int>
    let weight: Double
  }

  private var slots: [Slot] = []
  /// slotsOf[c][b]: slot indices class c may teach in block b.
  private var slotsOf: [[Int: [Int]]] = []
  private var bonuses: [[Bonus]] = []
  private var needIndexOf: [[Int: Int]] = []
  private let blockCount: Int
  private var lambda: [Double]
  private var mu: [Double]

  /// The best (lowest) bound found so far.
  private(set) var bound = Double.infinity
  /// Sessions chosen by the relaxation at its recent iterations: (class, block, target, count).
  private(set) var proposals: [[(staffClass: Int, block: Int, target: Int)]] = []

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
    bonuses = classes.map { staffClass in
      guard staffClass.isNamed, let k = staffClass.members.first else { return [] }
      var list: [Bonus] = []
      for key in day.requestsByPair.keys.sorted() where key.staff == k {
        // All of a student's requests with this staff member, per block, as one bonus:
        // a seat holds the student once, and every request it could honor counts.
        var perBlock: [Int: Double] = [:]
        for r in day.requestsByPair[key]! {
          let request = day.school.requests[r]
          let w = weights.weight(of: request.priority)
          guard w > 0 else { continue }
          let blocks =
            request.blockID.flatMap { day.blockIndex[$0] }.map { [$0] } ?? Array(day.school.blocks.indices)
          for b in blocks { perBlock[b, default: 0] += w }
        }
        for (b, w) in perBlock.sorted(by: { $0.key < $1.key }) {
          list.append(Bonus(student: key.student, blocks: [b], weight: w))
        }
      }
      return list
    }
  }

  /// One staff member's best session in one block: its value and the students it takes.
  private struct Choice {
    var value: Double
    var slot: Int
    var students: [Int]
  }

  /// Evaluates L(λ, μ); returns its value and the subgradient's usage counts.
  private func evaluate(
    sorted: [[Int]], adjusted: [[Double]], keepChoices: Bool
  ) -> (value: Double, usesBlock: [Int: Int], usesNeed: [Int: Int], chosen: [(Int, Int, Int)]) {
    let minSize = day.minSize
    let cost = day.sessionCost
    var total = lambda.reduce(0, +) + mu.reduce(0, +)
    var usesBlock: [Int: Int] = [:]
    var usesNeed: [Int: Int] = [:]
    var chosen: [(Int, Int, Int)] = []
    for (c, staffClass) in classes.enumerated() {
      let cap = staffClass.capacity
      var best: [Int: Choice] = [:]
      for b in staffClass.blocks {
        var bestChoice: Choice?
        for i in slotsOf[c][b] ?? [] {
          let order = sorted[i]
          let values = adjusted[i]
          var picked: [(student: Int, value: Double)] = []
          if bonuses[c].isEmpty {
            for j in order.prefix(cap) { picked.append((j, values[j])) }
          } else {
            // Named staff: requested students get their request's weight on top.
            var pool: [(student: Int, value: Double)] = order.prefix(cap + bonuses[c].count).map {
              (j: Int) in (j, values[j])
            }
            for bonus in bonuses[c] where bonus.blocks.contains(b) {
              if let j = slots[i].position[bonus.student] {
                if let p = pool.firstIndex(where: { $0.student == j }) {
                  pool[p].value += bonus.weight
                } else {
                  pool.append((j, values[j] + bonus.weight))
                }
              } else {
                // Not needing the target: joins by the request alone (R6).
                let a = bonus.weight - lambda[bonus.student * blockCount + b]
                pool.append((-1 - bonus.student, a))
              }
            }
            pool.sort { $0.value != $1.value ? $0.value > $1.value : $0.student < $1.student }
            picked = Array(pool.prefix(cap))
          }
          guard picked.count >= minSize else { continue }
          var value = -cost
          var taken: [Int] = []
          for (n, p) in picked.enumerated() where p.value > 0 || n < minSize {
            value += p.value
            taken.append(p.student)
          }
          if bestChoice == nil || value > bestChoice!.value {
            bestChoice = Choice(value: value, slot: i, students: taken)
          }
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
      total += Double(m) * bestValue
      for b in bestPattern {
        guard let choice = best[b] else { continue }
        let slot = slots[choice.slot]
        if keepChoices { chosen.append((c, b, slot.target)) }
        for j in choice.students {
          if j >= 0 {
            usesBlock[slot.students[j] * blockCount + b, default: 0] += m
            usesNeed[slot.needIndex[j], default: 0] += m
          } else {
            usesBlock[(-1 - j) * blockCount + b, default: 0] += m
          }
        }
      }
    }
    return (total, usesBlock, usesNeed, chosen)
  }

  /// The prices of the best multipliers: λ(s,b) + μ(s,t), what placing s on t in b costs
  /// the rest of the day.
  var prices: Prices {
    Prices(lambda: bestLambda, mu: bestMu, needIndexOf: needIndexOf, blockCount: blockCount)
  }

  /// Multipliers at the best bound.
  private var bestLambda: [Double] = []
  private var bestMu: [Double] = []

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

  /// Runs subgradient steps until `deadline` or `maxIterations`; `lowerBound` is the best
  /// known plan's score (for the step size).
  mutating func run(until deadline: Double, maxIterations: Int, lowerBound: Double) {
    var theta = 1.0
    var sinceImprovement = 0
    var lower = lowerBound
    for iteration in 0..<maxIterations {
      if Date().timeIntervalSince1970 > deadline { break }
      var sorted: [[Int]] = []
      var adjusted: [[Double]] = []
      sorted.reserveCapacity(slots.count)
      adjusted.reserveCapacity(slots.count)
      for slot in slots {
        var values = [Double](repeating: 0, count: slot.students.count)
        for j in slot.students.indices {
          values[j] =
            slot.weights[j] - lambda[slot.students[j] * blockCount + slot.block] - mu[slot.needIndex[j]]
        }
        let order = values.indices.sorted { values[$0] != values[$1] ? values[$0] > values[$1] : $0 < $1 }
        sorted.append(order)
        adjusted.append(values)
      }
      let keep = iteration % 10 == 9
      let result = evaluate(sorted: sorted, adjusted: adjusted, keepChoices: keep)
      if keep { proposals.append(result.chosen.map { (staffClass: $0.0, block: $0.1, target: $0.2) }) }
      if result.value < bound - 1e-9 {
        bound = result.value
        bestLambda = lambda
        bestMu = mu
        sinceImprovement = 0
      } else {
        sinceImprovement += 1
        if sinceImprovement >= 15 {
          theta /= 2
          sinceImprovement = 0
        }
      }
      if lower >= bound { lower = bound * (1 - 1e-4) }
      // Subgradient g = 1 − uses (projected: components at 0 with g > 0 stay).
      var norm = 0.0
      for i in lambda.indices {
        let g = 1 - Double(result.usesBlock[i] ?? 0)
        if lambda[i] > 0 || g < 0 { norm += g * g }
      }
      for i in mu.indices {
        let g = 1 - Double(result.usesNeed[i] ?? 0)
        if mu[i] > 0 || g < 0 { norm += g * g }
      }
      guard norm > 0 else { break }  // the relaxation's choice keeps R5 and R7: bound is tight
      let step = theta * (result.value - lower) / norm
      for i in lambda.indices {
        let g = 1 - Double(result.usesBlock[i] ?? 0)
        lambda[i] = max(0, lambda[i] - step * g)
      }
      for i in mu.indices {
        let g = 1 - Double(result.usesNeed[i] ?? 0)
        mu[i] = max(0, mu[i] - step * g)
      }
      if theta < 1e-4 { break }
    }
  }
}
