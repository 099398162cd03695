import Foundation

@testable import Solver

/// Deterministic pseudo-random numbers (SplitMix64) so generated models are the same everywhere.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

enum Models {
  /// max Σ value·x, Σ weight·x ≤ capacity, x binary.
  static func knapsack(values: [Double], weights: [Double], capacity: Double, name: String = "knapsack")
    -> Model
  {
    var model = Model(name: name, sense: .maximize)
    let xs = values.indices.map { model.addVariable("x\($0)", kind: .binary, objective: values[$0]) }
    model.addLessOrEqual("capacity", zip(xs, weights).map { ($0, $1) }, capacity)
    return model
  }

  /// A random knapsack and its optimum by enumerating every subset (independent of GLPK).
  static func randomKnapsack(items: Int, seed: UInt64) -> (Model, optimum: Double) {
    var rng = SeededGenerator(seed: seed)
    let values = (0..<items).map { _ in Double(Int.random(in: 5...60, using: &rng)) }
    let weights = (0..<items).map { _ in Double(Int.random(in: 3...40, using: &rng)) }
    let capacity = (weights.reduce(0, +) * 0.4).rounded()
    var best = 0.0
    for mask in 0..<(1 << items) {
      var w = 0.0, v = 0.0
      for i in 0..<items where mask & (1 << i) != 0 { w += weights[i]; v += values[i] }
      if w <= capacity { best = max(best, v) }
    }
    return (knapsack(values: values, weights: weights, capacity: capacity, name: "knapsack\(seed)"), best)
  }

  /// A random 0-1 multi-knapsack: hard enough that GLPK cannot prove optimality in seconds.
  static func multiKnapsack(items: Int, constraints: Int, seed: UInt64) -> Model {
    var rng = SeededGenerator(seed: seed)
    var model = Model(name: "multi_knapsack", sense: .maximize)
    let weights = (0..<constraints).map { _ in
      (0..<items).map { _ in Double(Int.random(in: 1...1000, using: &rng)) }
    }
    // Values correlated with weights make the LP bound weak in a way branching cannot fix fast.
    let xs = (0..<items).map { j in
      let w = (0..<constraints).map { weights[$0][j] }.reduce(0, +) / Double(constraints)
      return model.addVariable(
        "x\(j)", kind: .binary, objective: (w + Double(Int.random(in: 0...100, using: &rng))).rounded())
    }
    for i in 0..<constraints {
      model.addLessOrEqual(
        "cap\(i)", zip(xs, weights[i]).map { ($0, $1) }, (weights[i].reduce(0, +) / 2).rounded())
    }
    return model
  }

  /// Assignment: min Σ cost[i][j]·x[i][j], each row and column assigned once.
  static func assignment(_ cost: [[Double]]) -> (Model, [[Variable]]) {
    var model = Model(name: "assignment")
    let n = cost.count
    let x = (0..<n).map { i in
      (0..<n).map { j in model.addVariable("x[\(i),\(j)]", kind: .binary, objective: cost[i][j]) }
    }
    for i in 0..<n { model.addEqual("worker \(i)", x[i].map { ($0, 1) }, 1) }
    for j in 0..<n { model.addEqual("task \(j)", (0..<n).map { (x[$0][j], 1) }, 1) }
    return (model, x)
  }

  /// All permutations of 0..<n (for brute-force optima).
  static func permutations(_ n: Int) -> [[Int]] {
    if n == 0 { return [[]] }
    return permutations(n - 1).flatMap { p in
      (0...p.count).map { k in
        var q = p; q.insert(n - 1, at: k); return q
      }
    }
  }
}

/// Collects values from `@Sendable` callbacks.
final class Recorder<T: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [T] = []
  func append(_ item: T) { lock.lock(); items.append(item); lock.unlock() }
  var all: [T] { lock.lock(); defer { lock.unlock() }; return items }
}
