import Foundation
import LearnerStatus
import Solver

/// Limits and switches for one planning run.
public struct PlanOptions: Sendable {
  /// Seconds for the whole run, counted from `start`.
  public var timeLimit: Double
  /// Stop once (bound − score) / max(1, |bound|) is at most this.
  public var relativeGap: Double
  /// Send GLPK's own log to stderr.
  public var solverLog: Bool
  /// When the run started (reading included), as `Date().timeIntervalSince1970`.
  public var start: Double
  /// Called with the incumbent score, bound and gap while the search runs.
  public var progress: (@Sendable (SolveProgress) -> Void)?

  public init(
    timeLimit: Double = 60, relativeGap: Double = 1e-6, solverLog: Bool = false,
    start: Double = Date().timeIntervalSince1970,
    progress: (@Sendable (SolveProgress) -> Void)? = nil
  ) {
    self.timeLimit = timeLimit
    self.relativeGap = relativeGap
    self.solverLog = solverLog
    self.start = start
    self.progress = progress
  }

  var deadline: Double { start + timeLimit }
  var remaining: Double { max(0.05, deadline - Date().timeIntervalSince1970) }
}

/// Plans one day: build the model, solve it, decode the plan, explain what was not met.
public struct Planner: Sendable {
  public var options: PlanOptions

  public init(options: PlanOptions = PlanOptions()) {
    self.options = options
  }

  /// The day's plan: the best one found, its proven bound, every request's outcome; for an
  /// infeasible day, the conflicts.
  public func plan(_ school: School, date: Day) throws -> Plan {
    let day = DayInput(school: school, date: date, needs: Derivation.needs(in: school, on: date))
    return try plan(day)
  }

  /// The neediest-first plan a scheduler would make by hand (nil when a pin or required
  /// request defeats it): the baseline the benchmarks compare against.
  public func greedyPlan(_ school: School, date: Day) -> [Session]? {
    let day = DayInput(school: school, date: date, needs: Derivation.needs(in: school, on: date))
    return GreedyPlanner(day: day).plan()
  }

  /// Writes the day's integer program as CPLEX LP (the objective has no constant).
  public func exportModel(_ school: School, date: Day, to path: String) throws {
    let day = DayInput(school: school, date: date, needs: Derivation.needs(in: school, on: date))
    let built = DayFormulation(day: day).makeModel()
    try GLPKSolver.writeLP(built.model, to: path)
  }

  func plan(_ day: DayInput) throws -> Plan {
    let built = DayFormulation(day: day).makeModel()
    let result = try search(day, built)
    let checker = PlanChecker(school: day.school, date: day.date)
    switch (result.primal, result.termination) {
    case (.feasible, _):
      let sessions = try PlanDecoder(day: day, built: built).sessions(from: result.values)
      let score = checker.score(of: sessions)
      // Without a bound from the search (the LP did not finish), a simple valid one.
      let bound = max(result.bound ?? SimpleBound(day: day).value, score)
      var plan = Plan(
        date: day.date, status: .feasible, objective: score, bound: bound, sessions: sessions,
        requests: RequestReasons(day: day, sessions: sessions, checker: checker).outcomes(),
        seconds: elapsed)
      if result.termination == .optimal || (plan.gap ?? 1) <= options.relativeGap {
        plan.status = .optimal
      }
      return plan
    case (.noSolution, .infeasible):
      let conflicts = try ConflictFinder(day: day, options: options).conflicts()
      return Plan(
        date: day.date, status: .infeasible, objective: nil, bound: nil, sessions: [],
        requests: day.school.requests.map {
          RequestOutcome(requestID: $0.id, honored: false, reason: "the day has no plan")
        }, conflicts: conflicts, seconds: elapsed)
    case (.noSolution, _):
      return Plan(
        date: day.date, status: .timeout, objective: nil, bound: result.bound, sessions: [],
        requests: day.school.requests.map {
          RequestOutcome(
            requestID: $0.id, honored: false, reason: "the time limit ran out before any plan")
        }, seconds: elapsed)
    }
  }

  var elapsed: Double { Date().timeIntervalSince1970 - options.start }

  /// Timing lines on stderr when REGROUP_DEBUG is set (numbers only, never names).
  func debug(_ message: @autoclosure () -> String) {
    guard ProcessInfo.processInfo.environment["REGROUP_DEBUG"] != nil else { return }
    FileHandle.standardError.write(Data("debug: \(message())\n".utf8))
  }

  /// The search: a greedy start plan, the best assignment of students to its sessions,
  /// then branch and cut on the whole model from that start for the time that is left.
  func search(_ day: DayInput, _ built: BuiltModel) throws -> SolveResult {
    let solver = GLPKSolver()
    var start: [Double]?
    let warm = WarmStart(day: day, built: built)
    let greedyPlan = GreedyPlanner(day: day).plan()
    debug("greedy: \(greedyPlan == nil ? "none" : "\(greedyPlan!.count) sessions") at \(elapsed) s")
    if let greedy = greedyPlan, let values = warm.values(for: greedy) {
      start = values
      debug("greedy score \(built.model.objectiveValue(of: values))")
      // Students re-assigned optimally among the greedy plan's sessions (a quarter of the time).
      let refined = try? solver.solve(
        warm.restricted(to: values),
        options: SolverOptions(
          timeLimit: options.remaining * 0.25, relativeGap: options.relativeGap,
          log: options.solverLog))
      if let refined, refined.primal == .feasible,
        built.model.objectiveValue(of: refined.values) > built.model.objectiveValue(of: values)
      {
        start = refined.values
      }
      debug("refined: \(refined.map { "\($0.termination) \($0.objectiveValue ?? .nan)" } ?? "failed") at \(elapsed) s")
    }
    do {
      return try solver.solve(
        built.model,
        options: SolverOptions(
          timeLimit: options.remaining, relativeGap: options.relativeGap, log: options.solverLog,
          startValues: start, progress: options.progress))
    } catch where start != nil {
      // A start the solver refuses (it should not happen) must not cost the plan.
      return try solver.solve(
        built.model,
        options: SolverOptions(
          timeLimit: options.remaining, relativeGap: options.relativeGap, log: options.solverLog,
          progress: options.progress))
    }
  }
}
