import CGLPK
import CGLPKGuard

/// Solves a `Model` with GLPK. Each call creates, solves and frees its problem on the calling
/// thread, so separate threads may solve at the same time.
public struct GLPKSolver: Sendable {
  /// Creates a solver.
  public init() {}

  /// Solves the MIP (or, with `relaxIntegrality` or no integer columns, the LP with duals).
  public func solve(_ model: Model, options: SolverOptions = .init()) throws -> SolveResult {
    precondition(
      rg_in_search() == 0, "GLPKSolver.solve must not be called from a progress or shouldStop callback.")
    let clock = Stopwatch()
    try ModelCheck.validate(model, options: options)
    let isLP = options.relaxIntegrality || !model.isMIP
    var start: [Double]?
    if let given = options.startValues, !isLP { start = try Self.checkedStart(given, model) }
    rg_set_log(options.log ? 1 : 0)
    let problem = try GLPKProblem()
    try problem.load(GLPKArrays(model))
    let run = Run(model: model, options: options, problem: problem, clock: clock)
    return isLP ? try run.solveLP() : try run.solveMIP(start: start)
  }

  /// Writes the model in CPLEX LP format. The objective constant is carried by a column
  /// `objective_constant` fixed at 1; names are made LP-safe by `LPName`.
  public static func writeLP(_ model: Model, to path: String) throws {
    try write(model, purpose: .exportLP, path: path, routine: "glp_write_lp", rg_write_lp)
  }

  /// Writes the model in free MPS format. MPS has no objective sense: a maximization is
  /// written as minimizing `minus_objective` (the negated objective), so its optimum is −max.
  public static func writeMPS(_ model: Model, to path: String) throws {
    try write(model, purpose: .exportMPS, path: path, routine: "glp_write_mps", rg_write_mps)
  }

  private static func write(
    _ model: Model, purpose: GLPKArrays.Purpose, path: String, routine: String,
    _ writer: (OpaquePointer?, UnsafePointer<CChar>?, UnsafeMutablePointer<Int32>?) -> Int32
  ) throws {
    try ModelCheck.validate(model)
    rg_set_log(0)
    let problem = try GLPKProblem()
    try problem.load(GLPKArrays(model, purpose: purpose))
    var ret: Int32 = 0
    try problem.call { path.withCString { writer(problem.pointer, $0, &ret) } }
    if ret != 0 {
      throw SolverError(.glpk(routine: routine, code: ret), detail: GLPKProblem.lastOutput())
    }
  }

  /// Rounds integer columns of a start point and checks it is feasible: GLPK's
  /// `glp_ios_heur_sol` trusts the point without checking rows.
  static func checkedStart(_ given: [Double], _ model: Model) throws -> [Double] {
    var point = given
    for (j, v) in model.variables.enumerated() where v.kind != .continuous {
      if abs(point[j] - point[j].rounded()) <= 1e-6 { point[j] = point[j].rounded() }
    }
    let report = FeasibilityReport(model: model, values: point)
    guard report.isFeasible else {
      throw SolverError(
        .invalidModel(
          "startValues is not a feasible point of the model; fix it or leave it out:\n"
            + report.violations.prefix(ModelCheck.maxListed).map(\.description).joined(separator: "\n")))
    }
    return point
  }
}

/// Wall-clock time since creation.
struct Stopwatch {
  let start = ContinuousClock.now
  var seconds: Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
  }
}

/// Receives branch-and-cut events from the C callback (same thread, during `rg_intopt`).
final class TreeObserver {
  let options: SolverOptions
  let constant: Double
  let clock: Stopwatch
  var deadlineHit = false

  init(options: SolverOptions, constant: Double, clock: Stopwatch) {
    self.options = options
    self.constant = constant
    self.clock = clock
  }

  /// Returns true to stop the search.
  func handle(_ e: rg_event) -> Bool {
    if e.changed != 0, let progress = options.progress {
      let incumbent = e.has_incumbent != 0 ? e.incumbent + constant : nil
      let bound = e.has_bound != 0 ? e.bound + constant : nil
      progress(
        SolveProgress(
          incumbent: incumbent, bound: bound, gap: relativeGap(bound, incumbent), nodes: Int(e.nodes),
          seconds: clock.seconds))
    }
    if let limit = options.timeLimit, clock.seconds >= limit {
      deadlineHit = true
      return true
    }
    if let limit = options.nodeLimit, Int(e.nodes) >= limit { return true }
    return options.shouldStop?() ?? false
  }
}

func relativeGap(_ bound: Double?, _ objective: Double?) -> Double? {
  guard let bound, let objective else { return nil }
  return abs(bound - objective) / max(1, abs(bound))
}

/// One solve: state shared by the LP and MIP paths.
private struct Run {
  let model: Model
  let options: SolverOptions
  let problem: GLPKProblem
  let clock: Stopwatch

  var messageLevel: Int32 { options.log ? GLP_MSG_ON : GLP_MSG_ERR }

  /// Milliseconds left of the time limit (at least 1), or GLPK's "none".
  var remainingMilliseconds: Int32 {
    guard let limit = options.timeLimit else { return Int32.max }
    let ms = ((limit - clock.seconds) * 1000).rounded(.up)
    return Int32(max(1, min(ms, Double(Int32.max - 1))))
  }

  var n: Int { model.variables.count }
  var m: Int { model.constraints.count }

  /// glp_simplex, then reads the basic solution. Returns the outcome and the raw solution.
  func simplex(presolve: Bool) throws -> (GLPKStatus.Outcome, LPSolution) {
    var parm = glp_smcp()
    glp_init_smcp(&parm)
    parm.msg_lev = messageLevel
    parm.presolve = presolve ? GLP_ON : GLP_OFF
    parm.tm_lim = remainingMilliseconds
    var code: Int32 = 0
    try problem.call { rg_simplex(problem.pointer, &parm, &code) }
    var s = LPSolution(n: n, m: m)
    try problem.call { rg_read_lp(problem.pointer, &s.status, &s.objective, &s.x, &s.rowDual, &s.columnDual) }
    // With presolve, an infeasible or unbounded LP leaves no basic solution to read.
    return (try GLPKStatus.outcome(.simplex, code: code, status: s.status), s)
  }

  func solveLP() throws -> SolveResult {
    let (outcome, s) = try simplex(presolve: options.presolve)
    var result = empty(outcome)
    if outcome.primal == .feasible {
      result.values = Array(s.x.dropFirst())
      result.objectiveValue = s.objective + model.objectiveConstant
    }
    if outcome.termination == .optimal {
      result.bound = result.objectiveValue
      result.gap = 0
      result.rowDuals = Array(s.rowDual.dropFirst())
      result.reducedCosts = Array(s.columnDual.dropFirst())
    }
    return result
  }

  func solveMIP(start: [Double]?) throws -> SolveResult {
    // Without the presolver, glp_intopt needs an optimal LP basis; a start point offered through
    // the callback is only understood by the untransformed problem (presolve off).
    let presolve = options.presolve && start == nil
    var lpBound: Double?
    if !presolve {
      let (outcome, s) = try simplex(presolve: false)
      guard outcome.termination == .optimal else {
        // Infeasible or unbounded relaxation, or out of time before the LP was solved.
        var result = empty(GLPKStatus.Outcome(termination: outcome.termination, primal: .noSolution))
        if let start, outcome.termination == .timeLimit { use(start, in: &result) }
        return result
      }
      lpBound = s.objective
    }

    var parm = glp_iocp()
    glp_init_iocp(&parm)
    parm.msg_lev = messageLevel
    parm.presolve = presolve ? GLP_ON : GLP_OFF
    parm.mip_gap = options.relativeGap
    parm.tm_lim = remainingMilliseconds
    parm.gmi_cuts = options.cuts.contains(.gomory) ? GLP_ON : GLP_OFF
    parm.mir_cuts = options.cuts.contains(.mir) ? GLP_ON : GLP_OFF
    parm.cov_cuts = options.cuts.contains(.cover) ? GLP_ON : GLP_OFF
    parm.clq_cuts = options.cuts.contains(.clique) ? GLP_ON : GLP_OFF
    switch options.branching {
    case .firstFractional: parm.br_tech = GLP_BR_FFV
    case .lastFractional: parm.br_tech = GLP_BR_LFV
    case .mostFractional: parm.br_tech = GLP_BR_MFV
    case .driebeckTomlin: parm.br_tech = GLP_BR_DTH
    }
    switch options.backtracking {
    case .depthFirst: parm.bt_tech = GLP_BT_DFS
    case .breadthFirst: parm.bt_tech = GLP_BT_BFS
    case .bestLocalBound: parm.bt_tech = GLP_BT_BLB
    case .bestProjection: parm.bt_tech = GLP_BT_BPH
    }

    let observer = TreeObserver(options: options, constant: model.objectiveConstant, clock: clock)
    let startBuffer: [Double] = start.map { [0] + $0 } ?? []
    var ctx = rg_tree_ctx()
    ctx.on_event = { event, info in
      let observer = Unmanaged<TreeObserver>.fromOpaque(info!).takeUnretainedValue()
      return observer.handle(event!.pointee) ? 1 : 0
    }
    var code: Int32 = 0
    try withExtendedLifetime(observer) {
      try startBuffer.withUnsafeBufferPointer { sb in
        ctx.info = Unmanaged.passUnretained(observer).toOpaque()
        ctx.start = start == nil ? nil : sb.baseAddress
        try problem.call { rg_intopt(problem.pointer, &parm, &ctx, &code) }
      }
    }
    // Our own deadline (which also covers the presolver's LP) stops the search like GLPK's.
    if code == GLP_ESTOP && observer.deadlineHit { code = GLP_ETMLIM }

    var status: Int32 = 0
    var objective = 0.0
    var x = [Double](repeating: 0, count: n + 1)
    try problem.call { rg_read_mip(problem.pointer, &status, &objective, &x) }
    let outcome = try GLPKStatus.outcome(.intopt, code: code, status: status)
    var result = empty(outcome)
    result.nodes = Int(ctx.last.nodes)
    if outcome.primal == .feasible {
      result.values = Array(x.dropFirst())
      result.objectiveValue = objective + model.objectiveConstant
    } else if let start, [.timeLimit, .interrupted, .gapLimit, .other].contains(outcome.termination) {
      use(start, in: &result)  // stopped before the offer was made: the start is still a solution
    }

    switch outcome.termination {
    case .optimal:
      result.bound = result.objectiveValue
    case .infeasible, .unbounded:
      result.bound = nil
    case .timeLimit, .gapLimit, .interrupted, .other:
      // Best bound seen by the callback; bounds only improve, so the last one is the best.
      var bound = ctx.last.has_bound != 0 ? ctx.last.bound : lpBound
      if var b = bound, let lp = lpBound {  // the root LP is a bound too: keep the tighter one
        b = model.sense == .minimize ? max(b, lp) : min(b, lp)
        bound = b
      }
      if var b = bound.map({ $0 + model.objectiveConstant }) {
        // Numerical noise must not put the bound on the wrong side of the incumbent.
        if let obj = result.objectiveValue { b = model.sense == .minimize ? min(b, obj) : max(b, obj) }
        result.bound = b
      }
    }
    result.gap = relativeGap(result.bound, result.objectiveValue)
    return result
  }

  func empty(_ outcome: GLPKStatus.Outcome) -> SolveResult {
    SolveResult(
      termination: outcome.termination, primal: outcome.primal, objectiveValue: nil, bound: nil,
      gap: nil, nodes: 0, seconds: clock.seconds, values: [], rowDuals: [], reducedCosts: [])
  }

  func use(_ start: [Double], in result: inout SolveResult) {
    result.primal = .feasible
    result.values = start
    result.objectiveValue = model.objectiveValue(of: start)
    result.gap = relativeGap(result.bound, result.objectiveValue)
  }
}

/// A basic solution read back from GLPK (1-based arrays).
struct LPSolution {
  var status: Int32 = 0
  var objective = 0.0
  var x: [Double]
  var rowDual: [Double]
  var columnDual: [Double]
  init(n: Int, m: Int) {
    x = .init(repeating: 0, count: n + 1)
    columnDual = .init(repeating: 0, count: n + 1)
    rowDual = .init(repeating: 0, count: m + 1)
  }
}
