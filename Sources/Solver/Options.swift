/// How `GLPKSolver.solve` runs. Everything defaults to a plain, quiet, cold MIP solve.
public struct SolverOptions: Sendable {
  /// Families of cutting planes GLPK may generate.
  public enum Cut: Sendable, Hashable, CaseIterable { case gomory, mir, cover, clique }

  /// Which fractional variable branch and cut branches on (GLPK `br_tech`).
  public enum Branching: Sendable { case firstFractional, lastFractional, mostFractional, driebeckTomlin }
  /// Which open subproblem branch and cut takes next (GLPK `bt_tech`).
  public enum Backtracking: Sendable { case depthFirst, breadthFirst, bestLocalBound, bestProjection }

  /// Wall-clock limit in seconds for the whole solve (LP and branch and cut); nil = none.
  public var timeLimit: Double?
  /// Relative MIP gap at which the search stops (GLPK `mip_gap`).
  public var relativeGap: Double
  /// Runs GLPK's MIP presolver (ignored, i.e. off, when `startValues` is given).
  public var presolve: Bool
  /// Cut families to enable.
  public var cuts: Set<Cut>
  /// Branching rule; GLPK's default is Driebeck–Tomlin.
  public var branching: Branching = .driebeckTomlin
  /// Backtracking rule; GLPK's default is best local bound. Depth first with the most
  /// fractional branching finds a first plan much sooner on a restricted day.
  public var backtracking: Backtracking = .bestLocalBound
  /// Sends GLPK's log to stderr; when false it is dropped. Never reaches stdout.
  public var log: Bool
  /// Solves the LP relaxation with the simplex method instead of the MIP.
  public var relaxIntegrality: Bool
  /// A feasible point (one value per column) offered to branch and cut as an incumbent.
  public var startValues: [Double]?
  /// Called during branch and cut whenever the incumbent or the bound improves.
  public var progress: (@Sendable (SolveProgress) -> Void)?
  /// Polled during branch and cut; returning true stops the search (`interrupted`).
  public var shouldStop: (@Sendable () -> Bool)?
  /// Branch-and-cut subproblems to finish before the search stops (`interrupted`); nil = none.
  /// Unlike a time limit, the same model and options then give the same result on any machine.
  public var nodeLimit: Int?

  /// Creates options; see the properties for defaults.
  public init(
    timeLimit: Double? = nil, relativeGap: Double = 1e-6, presolve: Bool = true,
    cuts: Set<Cut> = [], log: Bool = false, relaxIntegrality: Bool = false,
    startValues: [Double]? = nil, progress: (@Sendable (SolveProgress) -> Void)? = nil,
    shouldStop: (@Sendable () -> Bool)? = nil
  ) {
    self.timeLimit = timeLimit
    self.relativeGap = relativeGap
    self.presolve = presolve
    self.cuts = cuts
    self.log = log
    self.relaxIntegrality = relaxIntegrality
    self.startValues = startValues
    self.progress = progress
    self.shouldStop = shouldStop
  }
}

/// A snapshot of branch and cut, in the model's objective (constant included).
public struct SolveProgress: Sendable {
  /// Best integer-feasible objective so far.
  public var incumbent: Double?
  /// Best proven bound so far (upper bound when maximizing).
  public var bound: Double?
  /// `|bound - incumbent| / max(1, |bound|)` when both exist.
  public var gap: Double?
  /// Subproblems processed so far.
  public var nodes: Int
  /// Seconds since the solve started.
  public var seconds: Double

  /// Creates a snapshot.
  public init(incumbent: Double?, bound: Double?, gap: Double?, nodes: Int, seconds: Double) {
    self.incumbent = incumbent
    self.bound = bound
    self.gap = gap
    self.nodes = nodes
    self.seconds = seconds
  }
}
