import CGLPK
import Testing

@testable import Solver

@Suite struct StatusAndArraysTests {}

/// Expected outcome for every row of `GLPKStatus.table`, written out independently.
private let expectations: [(GLPKStatus.Routine, Int32, Int32, TerminationReason?, PrimalStatus?)] = [
  (.intopt, 0, GLP_OPT, .optimal, .feasible),
  (.intopt, 0, GLP_NOFEAS, .infeasible, .noSolution),
  (.intopt, 0, GLP_UNDEF, .other, .noSolution),
  (.intopt, GLP_ETMLIM, GLP_FEAS, .timeLimit, .feasible),
  (.intopt, GLP_ETMLIM, GLP_UNDEF, .timeLimit, .noSolution),
  (.intopt, GLP_EMIPGAP, GLP_FEAS, .gapLimit, .feasible),
  (.intopt, GLP_EMIPGAP, GLP_UNDEF, .gapLimit, .noSolution),
  (.intopt, GLP_ESTOP, GLP_FEAS, .interrupted, .feasible),
  (.intopt, GLP_ESTOP, GLP_UNDEF, .interrupted, .noSolution),
  (.intopt, GLP_ENOPFS, GLP_UNDEF, .infeasible, .noSolution),
  (.intopt, GLP_ENODFS, GLP_UNDEF, .unbounded, .noSolution),
  (.intopt, GLP_EROOT, GLP_UNDEF, nil, nil),
  (.intopt, GLP_EBOUND, GLP_UNDEF, nil, nil),
  (.intopt, GLP_EFAIL, GLP_UNDEF, nil, nil),
  (.simplex, 0, GLP_OPT, .optimal, .feasible),
  (.simplex, 0, GLP_NOFEAS, .infeasible, .noSolution),
  (.simplex, 0, GLP_UNBND, .unbounded, .noSolution),
  (.simplex, 0, GLP_INFEAS, .other, .noSolution),
  (.simplex, GLP_ETMLIM, GLP_FEAS, .timeLimit, .feasible),
  (.simplex, GLP_ETMLIM, GLP_INFEAS, .timeLimit, .noSolution),
  (.simplex, GLP_ENOPFS, GLP_UNDEF, .infeasible, .noSolution),
  (.simplex, GLP_ENODFS, GLP_UNDEF, .unbounded, .noSolution),
  (.simplex, GLP_EBOUND, GLP_UNDEF, nil, nil),
  (.simplex, GLP_EFAIL, GLP_UNDEF, nil, nil),
]

extension StatusAndArraysTests {
  @Test(arguments: expectations.indices)
  func statusTableRow(_ k: Int) {
    let (routine, code, status, termination, primal) = expectations[k]
    if let termination, let primal {
      let outcome = try? GLPKStatus.outcome(routine, code: code, status: status)
      #expect(outcome == GLPKStatus.Outcome(termination: termination, primal: primal))
    } else {
      #expect(throws: SolverError.self) { try GLPKStatus.outcome(routine, code: code, status: status) }
    }
  }

  @Test func everyTableRowHasAnExpectation() {
    #expect(GLPKStatus.table.count == expectations.count)
    for (row, e) in zip(GLPKStatus.table, expectations) {
      #expect(row.routine == e.0 && row.code == e.1 && (row.status == nil || row.status == e.2))
    }
  }

  @Test func unknownReturnCodeThrowsWithRoutineName() {
    do {
      _ = try GLPKStatus.outcome(.intopt, code: GLP_ESING, status: GLP_UNDEF)
      Issue.record("expected a throw")
    } catch {
      #expect("\(error)".contains("glp_intopt failed with GLP_ESING"))
    }
  }

  @Test func arraysAreOneBasedTriplets() {
    var model = Model(name: "tiny model", sense: .maximize)
    let a = model.addVariable("a", lower: -1, upper: 2, objective: 1)
    let b = model.addVariable("b", kind: .binary, objective: 2)
    let c = model.addVariable("c", lower: -.infinity, upper: .infinity, kind: .integer)
    model.setBounds(b, lower: 1, upper: 1)
    model.addConstraint("r0", [(a, 1), (c, 3)], lower: 0, upper: 5)
    model.addLessOrEqual("r1", [(b, 2), (a, -1), (b, 1)], 4)  // b merged to 3
    model.addGreaterOrEqual("r2", [(c, 1)], -7)
    let g = GLPKArrays(model)
    #expect(g.direction == GLP_MAX)
    #expect(g.ia == [0, 1, 1, 2, 2, 3])
    #expect(g.ja == [0, 1, 3, 2, 1, 3])
    #expect(g.ar == [0, 1, 3, 3, -1, 1])
    #expect(g.columnType == [0, GLP_DB, GLP_FX, GLP_FR])
    #expect(g.columnKind == [0, GLP_CV, GLP_IV, GLP_IV])
    #expect(g.columnLower == [0, -1, 1, 0] && g.columnUpper == [0, 2, 1, 0])
    #expect(g.columnObjective == [0, 1, 2, 0])
    #expect(g.rowType == [0, GLP_DB, GLP_UP, GLP_LO])
    #expect(g.rowLower == [0, 0, 0, -7] && g.rowUpper == [0, 5, 4, 0])
    // GLPK solves without names; exports carry them, LP-safe.
    #expect(g.problemName == "tiny_model" && g.rowNames.isEmpty && g.columnNames.isEmpty)
    let lp = GLPKArrays(model, purpose: .exportLP)
    #expect(lp.rowNames == ["r0", "r1", "r2"] && lp.columnNames == ["a", "b", "c"])
  }

  @Test func exportArraysCarryConstantAndSense() {
    var model = Model(name: "m", sense: .maximize)
    let a = model.addVariable("a", upper: 1, objective: 2)
    model.objectiveConstant = 5
    model.addLessOrEqual("r", [(a, 1)], 1)
    let solve = GLPKArrays(model)
    #expect(solve.columnCount == 1)
    let lp = GLPKArrays(model, purpose: .exportLP)
    #expect(lp.direction == GLP_MAX && lp.columnObjective == [0, 2, 5])
    #expect(lp.columnType[2] == GLP_FX && lp.columnLower[2] == 1 && lp.columnNames[1] == "objective_constant")
    let mps = GLPKArrays(model, purpose: .exportMPS)
    #expect(mps.direction == GLP_MIN && mps.columnObjective == [0, -2, -5])
  }

  @Test func namesAreLPSafeAndUnique() {
    #expect(LPName.sanitize("x[3,4]", fallback: "f") == "x_3_4_")
    #expect(LPName.sanitize("R1_oneSessionPerStaff_T07_B3", fallback: "f") == "R1_oneSessionPerStaff_T07_B3")
    #expect(LPName.sanitize("2nd item", fallback: "f") == "_2nd_item")
    #expect(LPName.sanitize("e12", fallback: "f") == "_e12")
    #expect(LPName.sanitize("eligible", fallback: "f") == "eligible")
    #expect(LPName.sanitize(".x", fallback: "f") == "_x")
    #expect(LPName.sanitize("a.b", fallback: "f") == "a.b")
    #expect(LPName.sanitize("", fallback: "f") == "f")
    #expect(LPName.sanitize(String(repeating: "a", count: 300), fallback: "f").count == 255)
    #expect(
      LPName.unique(["a-b", "a_b", "a b", "", "x2"], fallbackPrefix: "x") == [
        "a_b", "a_b_2", "a_b_3", "x4", "x2",
      ])
  }

  @Test func invalidModelIsRejectedWithEveryProblem() {
    var model = Model(name: "bad")
    let x = model.addVariable("x", lower: 2, upper: 1)
    model.addVariable("é", objective: .nan)
    model.addVariable(String(repeating: "n", count: 256))
    model.addLessOrEqual("row", [(x, .infinity), (Variable(index: 9), 1)], 1)
    model.addConstraint("empty", [], lower: .infinity)
    do {
      _ = try GLPKSolver().solve(model, options: .init(relativeGap: -1, startValues: [0]))
      Issue.record("expected a throw")
    } catch {
      let text = "\(error)"
      for part in [
        "lower bound 2.0 above its upper bound 1.0", "not ASCII", "objective coefficient nan",
        "256 characters", "refers to column 9", "coefficient inf", "no finite value satisfies",
        "relativeGap is -1.0", "startValues has 1 values",
      ] {
        #expect(text.contains(part), "missing: \(part)")
      }
    }
  }

  @Test func infeasibleStartIsRejectedNamingTheRow() {
    let model = Models.knapsack(values: [10, 13, 7, 8, 5], weights: [5, 6, 3, 4, 2], capacity: 10)
    #expect(throws: SolverError.self) {
      try GLPKSolver().solve(model, options: .init(startValues: [1, 1, 0, 0, 0]))
    }
    let report = FeasibilityReport(model: model, values: [1, 1, 0, 0, 0.5])
    #expect(report.violatedRows == ["capacity"])
    #expect(report.violations.map(\.kind) == [.integrality, .row])
    #expect(!report.isFeasible)
    #expect(FeasibilityReport(model: model, values: [1, 0, 1, 0, 1]).isFeasible)
  }
}
