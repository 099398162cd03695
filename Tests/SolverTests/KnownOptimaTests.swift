import Foundation
import Testing

@testable import Solver

@Suite struct KnownOptimaTests {}

extension KnownOptimaTests {
  @Test func smallKnapsackIsOptimal() throws {
    // Best: items 0, 2, 4 (weight 10, value 22); checked by hand and by enumeration below.
    let model = Models.knapsack(values: [10, 13, 7, 8, 5], weights: [5, 6, 3, 4, 2], capacity: 10)
    let r = try GLPKSolver().solve(model)
    #expect(r.termination == .optimal)
    #expect(r.primal == .feasible)
    #expect(r.objectiveValue == 22)
    #expect(r.bound == 22)
    #expect(r.gap == 0)
    #expect(r.values.map { $0.rounded() } == [1, 0, 1, 0, 1])
    #expect(FeasibilityReport(model: model, values: r.values).isFeasible)
  }

  @Test(arguments: [1, 2, 3] as [UInt64])
  func randomKnapsackMatchesEnumeration(seed: UInt64) throws {
    let (model, optimum) = Models.randomKnapsack(items: 14, seed: seed)
    for presolve in [true, false] {
      let r = try GLPKSolver().solve(
        model, options: .init(presolve: presolve, cuts: Set(SolverOptions.Cut.allCases)))
      #expect(r.termination == .optimal)
      #expect(abs(r.objectiveValue! - optimum) < 1e-6, "presolve \(presolve)")
      #expect(abs(model.objectiveValue(of: r.values) - optimum) < 1e-6)
    }
  }

  @Test(
    arguments: [
      (SolverOptions.Branching.mostFractional, SolverOptions.Backtracking.depthFirst),
      (.firstFractional, .breadthFirst), (.lastFractional, .bestProjection),
      (.driebeckTomlin, .bestLocalBound),
    ])
  func everyBranchingAndBacktrackingRuleReachesTheEnumeratedOptimum(
    branching: SolverOptions.Branching, backtracking: SolverOptions.Backtracking
  ) throws {
    for seed in [4, 5] as [UInt64] {
      let (model, optimum) = Models.randomKnapsack(items: 14, seed: seed)
      var options = SolverOptions()
      options.branching = branching
      options.backtracking = backtracking
      let r = try GLPKSolver().solve(model, options: options)
      #expect(r.termination == .optimal)
      #expect(abs(r.objectiveValue! - optimum) < 1e-6, "seed \(seed)")
    }
  }

  @Test func assignmentMatchesEnumeration() throws {
    let cost: [[Double]] = [[9, 2, 7, 8], [6, 4, 3, 7], [5, 8, 1, 8], [7, 6, 9, 4]]
    let best = Models.permutations(4).map { p in p.indices.map { cost[$0][p[$0]] }.reduce(0, +) }.min()!
    #expect(best == 13)
    var (model, x) = Models.assignment(cost)
    model.objectiveConstant = 100
    let r = try GLPKSolver().solve(model)
    #expect(r.termination == .optimal)
    #expect(r.objectiveValue == best + 100)
    #expect(r.bound == best + 100)
    for i in 0..<4 { #expect(x[i].map { r.value(of: $0) }.reduce(0, +) == 1) }
  }

  @Test func fixedBinaryKeepsItsBounds() throws {
    // GLP_BV would reset bounds to [0, 1]; a binary fixed at 1 must stay chosen.
    var model = Models.knapsack(values: [10, 13, 7, 8, 5], weights: [5, 6, 3, 4, 2], capacity: 10)
    model.setBounds(Variable(index: 3), lower: 1, upper: 1)
    let r = try GLPKSolver().solve(model)
    #expect(r.value(of: Variable(index: 3)) == 1)
    #expect(r.objectiveValue == 21)  // item 3 (8, weight 4) + item 1 (13, weight 6)
  }

  @Test(arguments: [true, false])
  func infeasibleMIP(presolve: Bool) throws {
    var model = Model(name: "infeasible")
    let x = model.addVariable("x", upper: 1, kind: .integer, objective: 1)
    let y = model.addVariable("y", upper: 1, kind: .integer, objective: 1)
    model.addGreaterOrEqual("too_much", [(x, 1), (y, 1)], 3)
    let r = try GLPKSolver().solve(model, options: .init(presolve: presolve))
    #expect(r.termination == .infeasible)
    #expect(r.primal == .noSolution)
    #expect(r.values.isEmpty && r.objectiveValue == nil && r.bound == nil)
  }

  @Test func integerInfeasibleButLPFeasible() throws {
    // 2x = 1 has an LP solution but no integer one: the tree proves it.
    var model = Model(name: "parity")
    let x = model.addVariable("x", upper: 10, kind: .integer)
    model.addEqual("half", [(x, 2)], 1)
    let r = try GLPKSolver().solve(model, options: .init(presolve: false))
    #expect(r.termination == .infeasible)
    #expect(r.primal == .noSolution)
  }

  @Test(arguments: [true, false])
  func unboundedLP(presolve: Bool) throws {
    var model = Model(name: "unbounded", sense: .maximize)
    let x = model.addVariable("x", objective: 1)
    let y = model.addVariable("y", objective: 1)
    model.addLessOrEqual("diff", [(x, 1), (y, -1)], 1)
    let r = try GLPKSolver().solve(model, options: .init(presolve: presolve))
    #expect(r.termination == .unbounded)
    #expect(r.primal == .noSolution)
    #expect(r.bound == nil)
  }

  @Test func lpRelaxationWithKnownDuals() throws {
    // Wyndor Glass: max 3x + 5y; x ≤ 4, 2y ≤ 12, 3x + 2y ≤ 18. Optimum (2, 6) = 36,
    // shadow prices 0, 1.5, 1; both variables basic, so reduced costs 0.
    var model = Model(name: "wyndor", sense: .maximize)
    let x = model.addVariable("x", kind: .integer, objective: 3)
    let y = model.addVariable("y", kind: .integer, objective: 5)
    model.addLessOrEqual("plant1", [(x, 1)], 4)
    model.addLessOrEqual("plant2", [(y, 2)], 12)
    model.addLessOrEqual("plant3", [(x, 3), (y, 2)], 18)
    for presolve in [true, false] {
      let r = try GLPKSolver().solve(model, options: .init(presolve: presolve, relaxIntegrality: true))
      #expect(r.termination == .optimal)
      #expect(abs(r.objectiveValue! - 36) < 1e-9 && r.bound == r.objectiveValue)
      #expect(zip(r.values, [2.0, 6]).allSatisfy { abs($0 - $1) < 1e-9 })
      #expect(zip(r.rowDuals, [0.0, 1.5, 1]).allSatisfy { abs($0 - $1) < 1e-9 }, "\(r.rowDuals)")
      #expect(r.rowDuals.count == 3 && r.reducedCosts.count == 2)
      #expect(r.reducedCosts.allSatisfy { abs($0) < 1e-9 })
    }
  }

  @Test func lpRelaxationOfKnapsackIsAnUpperBound() throws {
    let model = Models.knapsack(values: [10, 13, 7, 8, 5], weights: [5, 6, 3, 4, 2], capacity: 10)
    let lp = try GLPKSolver().solve(model, options: .init(relaxIntegrality: true))
    #expect(lp.termination == .optimal)
    // Greedy by ratio: item 4 (2.5), item 2 (2.33), item 1 (2.17) 5/6 of it → 5 + 7 + 13·5/6.
    #expect(abs(lp.objectiveValue! - (12 + 13.0 * 5 / 6)) < 1e-9)
    #expect(lp.objectiveValue! >= 22)
  }
}
