/// Why the solver stopped.
public enum TerminationReason: String, Sendable, Codable {
  /// Proven optimal (within `relativeGap`'s default tolerance).
  case optimal
  /// No feasible point exists.
  case infeasible
  /// The objective (of the LP relaxation, for a MIP) is unbounded.
  case unbounded
  /// `timeLimit` ran out; `primal` says whether a point was found.
  case timeLimit
  /// `relativeGap` was reached before the search finished.
  case gapLimit
  /// `shouldStop` returned true.
  case interrupted
  /// Any other stop (GLPK gave no clearer reason).
  case other
}

/// Whether the result carries a usable point.
public enum PrimalStatus: String, Sendable, Codable {
  /// `values` holds a feasible point.
  case feasible
  /// No point is available.
  case noSolution
}

/// The outcome of a solve: a status, not an error (see `SolverError` for failures).
public struct SolveResult: Sendable {
  /// Why the solver stopped.
  public var termination: TerminationReason
  /// Whether `values` holds a feasible point.
  public var primal: PrimalStatus
  /// Objective of `values`, `objectiveConstant` included.
  public var objectiveValue: Double?
  /// Best proven bound in the model's sense (upper bound when maximizing), constant included.
  public var bound: Double?
  /// `|bound - objective| / max(1, |bound|)` when both exist.
  public var gap: Double?
  /// Branch-and-cut subproblems processed.
  public var nodes: Int
  /// Wall-clock seconds of the solve.
  public var seconds: Double
  /// One value per column; empty when there is no solution.
  public var values: [Double]
  /// Row duals of an LP solve at its optimum; empty otherwise.
  public var rowDuals: [Double]
  /// Reduced costs of an LP solve at its optimum; empty otherwise.
  public var reducedCosts: [Double]

  /// Creates a result (for tests and other backends).
  public init(
    termination: TerminationReason, primal: PrimalStatus, objectiveValue: Double? = nil, bound: Double? = nil,
    gap: Double? = nil, nodes: Int = 0, seconds: Double = 0, values: [Double] = [], rowDuals: [Double] = [],
    reducedCosts: [Double] = []
  ) {
    self.termination = termination
    self.primal = primal
    self.objectiveValue = objectiveValue
    self.bound = bound
    self.gap = gap
    self.nodes = nodes
    self.seconds = seconds
    self.values = values
    self.rowDuals = rowDuals
    self.reducedCosts = reducedCosts
  }

  /// The value of a column; requires a solution.
  public func value(of v: Variable) -> Double {
    precondition(
      !values.isEmpty,
      "The solve ended \(termination.rawValue) without a solution; check `primal` before reading values.")
    return values[v.index]
  }

  /// A few printable lines.
  public var summary: String {
    func fmt(_ x: Double?) -> String { x.map { "\($0)" } ?? "none" }
    return """
      termination: \(termination.rawValue), primal: \(primal.rawValue)
      objective: \(fmt(objectiveValue)), bound: \(fmt(bound)), gap: \(fmt(gap))
      nodes: \(nodes), seconds: \((seconds * 1000).rounded() / 1000)
      """
  }
}
