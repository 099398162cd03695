import Foundation
import Testing

@testable import Solver

@Suite struct LimitsTests {}

extension LimitsTests {
  @Test func timeLimitStopsWithASolutionAndATrueBound() throws {
    let model = Models.multiKnapsack(items: 300, constraints: 5, seed: 42)
    let events = Recorder<SolveProgress>()
    let r = try GLPKSolver().solve(model, options: .init(timeLimit: 1, progress: { events.append($0) }))
    #expect(r.termination == .timeLimit)
    #expect(r.primal == .feasible)
    let objective = try #require(r.objectiveValue)
    let bound = try #require(r.bound)
    #expect(bound >= objective)
    #expect(r.gap == abs(bound - objective) / max(1, abs(bound)))
    #expect(FeasibilityReport(model: model, values: r.values).isFeasible)
    #expect(abs(model.objectiveValue(of: r.values) - objective) < 1e-6)
    // The LP relaxation bounds every integer solution, so it bounds the bound.
    let lp = try GLPKSolver().solve(model, options: .init(relaxIntegrality: true))
    #expect(bound <= lp.objectiveValue! + 1e-6)
    // Progress: incumbents only rise, bounds only fall, bound ≥ incumbent throughout (maximizing).
    let all = events.all
    #expect(!all.isEmpty)
    let incumbents = all.compactMap(\.incumbent), bounds = all.compactMap(\.bound)
    #expect(zip(incumbents, incumbents.dropFirst()).allSatisfy { $0 <= $1 })
    #expect(zip(bounds, bounds.dropFirst()).allSatisfy { $0 >= $1 })
    #expect(all.allSatisfy { p in p.incumbent.map { i in p.bound.map { $0 >= i } ?? true } ?? true })
    #expect(incumbents.last == objective)
  }

  @Test func aNodeLimitStopsAtTheSamePlanAndBoundEveryTime() throws {
    // A node limit is work, not time: two runs stop at the same subproblem, with the same
    // plan and bound, and the bound is still honest.
    let model = Models.multiKnapsack(items: 300, constraints: 5, seed: 42)
    var options = SolverOptions(timeLimit: 60)
    options.nodeLimit = 30
    let a = try GLPKSolver().solve(model, options: options)
    let b = try GLPKSolver().solve(model, options: options)
    #expect(a.termination == .interrupted)
    #expect(a.nodes >= 30 && a.nodes < 1_000)
    #expect(a.values == b.values && a.bound == b.bound && a.nodes == b.nodes)
    let objective = try #require(a.objectiveValue)
    #expect(try #require(a.bound) >= objective)
    #expect(FeasibilityReport(model: model, values: a.values).isFeasible)
  }

  @Test func timeOutBeforeTheLPIsSolvedGivesNoBound() throws {
    // 20,000 columns: no machine solves this LP relaxation within 1 ms.
    let model = Models.multiKnapsack(items: 20_000, constraints: 5, seed: 1)
    for presolve in [true, false] {
      let r = try GLPKSolver().solve(model, options: .init(timeLimit: 0.001, presolve: presolve))
      #expect(r.termination == .timeLimit)
      #expect(r.primal == .noSolution)
      #expect(r.bound == nil && r.gap == nil && r.values.isEmpty)
    }
  }

  @Test func gapLimitStopsEarly() throws {
    let model = Models.multiKnapsack(items: 300, constraints: 5, seed: 42)
    let r = try GLPKSolver().solve(model, options: .init(relativeGap: 0.02))
    #expect(r.termination == .gapLimit)
    #expect(r.primal == .feasible)
    let gap = try #require(r.gap)
    #expect(gap <= 0.02)
    #expect(r.bound! >= r.objectiveValue!)
  }

  @Test func stopBeforeTheTreeSolvedAnyLPGivesNoBound() throws {
    let model = Models.multiKnapsack(items: 40, constraints: 3, seed: 3)
    // Presolve on: the first callback comes before the root node's LP is processed in the tree.
    let r = try GLPKSolver().solve(model, options: .init(shouldStop: { true }))
    #expect(r.termination == .interrupted)
    #expect(r.primal == .noSolution)
    #expect(r.bound == nil)
    // Presolve off: glp_simplex solved the relaxation first, and its optimum is a bound.
    let lp = try GLPKSolver().solve(model, options: .init(relaxIntegrality: true))
    let r2 = try GLPKSolver().solve(model, options: .init(presolve: false, shouldStop: { true }))
    #expect(r2.termination == .interrupted)
    #expect(abs(r2.bound! - lp.objectiveValue!) < 1e-6)
  }

  @Test func offeredStartIsUsed() throws {
    let model = Models.multiKnapsack(items: 35, constraints: 3, seed: 11)
    let full = try GLPKSolver().solve(model)
    #expect(full.termination == .optimal)
    let optimum = try #require(full.objectiveValue)
    // Stop as soon as any incumbent exists: with the optimum offered, that incumbent is the optimum.
    func stopAtFirstIncumbent(start: [Double]?) throws -> SolveResult {
      let seen = Recorder<Double>()
      return try GLPKSolver().solve(
        model,
        options: .init(
          startValues: start, progress: { p in if let i = p.incumbent { seen.append(i) } },
          shouldStop: { !seen.all.isEmpty }))
    }
    let warm = try stopAtFirstIncumbent(start: full.values)
    #expect(warm.termination == .interrupted)
    #expect(warm.primal == .feasible)
    #expect(abs(warm.objectiveValue! - optimum) < 1e-6)
    // Control: the same stop without the offer finds something worse, so the test can fail.
    let cold = try stopAtFirstIncumbent(start: nil)
    #expect(cold.objectiveValue.map { $0 < optimum - 1e-6 } ?? true)
    // Out of time before the callback ever ran: the start is still returned as the solution.
    let worse = full.values.map { _ in 0.0 }
    let instant = try GLPKSolver().solve(model, options: .init(startValues: worse, shouldStop: { true }))
    #expect(instant.primal == .feasible)
    #expect(instant.objectiveValue! >= 0)
  }

  @Test func warmStartedSolveStillReachesTheOptimum() throws {
    let (model, optimum) = Models.randomKnapsack(items: 14, seed: 9)
    let zero = [Double](repeating: 0, count: model.variables.count)
    let r = try GLPKSolver().solve(model, options: .init(startValues: zero))
    #expect(r.termination == .optimal)
    #expect(r.objectiveValue == optimum)
  }
}
