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
  /// Do only work whose result does not depend on the clock (a fixed number of Lagrangian
  /// steps, GLPK only on restricted models and to their end, no whole-model branch and
  /// cut), so the same day gives the same plan on any machine; the time limit is then a
  /// safety net. For simulations, which plan many days.
  public var reproducible = false

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
  /// Seconds before the deadline (negative once past it).
  var timeLeft: Double { deadline - Date().timeIntervalSince1970 }
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
    let week = WeekDay.prepare(school, on: date)
    let day = DayInput(school: week.school, date: date, needs: Derivation.needs(in: week.school, on: date))
    return try withWeek(try plan(day), week, original: school)
  }

  /// The plan with the week's additions (spec §12, §14): requests an absence left out are
  /// unmet with the reason "absent" (in file order with the rest), the implicit keep_staff
  /// requests are not listed, the dropped pins and requests are warnings, and `dosage` is set.
  func withWeek(_ plan: Plan, _ week: WeekDay, original school: School) -> Plan {
    var plan = plan
    let outcomes = Dictionary(plan.requests.map { ($0.requestID, $0) }, uniquingKeysWith: { a, _ in a })
    plan.requests = school.requests.map { request in
      if let reason = week.absentRequests[request.id] {
        return RequestOutcome(requestID: request.id, honored: false, reason: reason)
      }
      return outcomes[request.id] ?? RequestOutcome(requestID: request.id, honored: false)
    }
    plan.warnings = week.warnings
    if plan.status == .optimal || plan.status == .feasible {
      plan.dosage = DosageLine.lines(school: week.school, date: plan.date, sessions: plan.sessions)
    } else if school.policy.dosage != nil {
      plan.dosage = DosageLine.lines(school: week.school, date: plan.date, sessions: [])
    }
    return plan
  }

  /// The neediest-first plan a scheduler would make by hand (nil when a pin or required
  /// request defeats it): the baseline the benchmarks compare against.
  public func greedyPlan(_ school: School, date: Day) -> [Session]? {
    let school = WeekDay.prepare(school, on: date).school
    let day = DayInput(school: school, date: date, needs: Derivation.needs(in: school, on: date))
    return GreedyPlanner(day: day).plan()
  }

  /// Writes the day's integer program as CPLEX LP (the objective has no constant).
  public func exportModel(_ school: School, date: Day, to path: String) throws {
    let school = WeekDay.prepare(school, on: date).school
    let day = DayInput(school: school, date: date, needs: Derivation.needs(in: school, on: date))
    let built = DayFormulation(day: day).makeModel()
    try GLPKSolver.writeLP(built.model, to: path)
  }

  /// The size of the day's integer program as `plan` builds it: for benchmarks, which time
  /// building apart from solving.
  public func modelSize(_ school: School, date: Day) -> (columns: Int, rows: Int) {
    let school = WeekDay.prepare(school, on: date).school
    let day = DayInput(school: school, date: date, needs: Derivation.needs(in: school, on: date))
    let built = build(day)
    return (built.model.variables.count, built.model.constraints.count)
  }

  /// The day's model: lean linking rows on a large school; on a small one the long rows its
  /// search was measured with. Whether a school is large is read off the lean model's size,
  /// which is the long model's plus one column per slot with sessions. A day of few needs
  /// (likely small) builds the long model first and keeps it when the lean one would be small,
  /// so it is built once (a simulation plans many such days); others build the lean one first.
  /// A wrong guess costs one more build, never another model.
  func build(_ day: DayInput) -> BuiltModel {
    var formulation = DayFormulation(day: day)
    if day.needs.count <= Self.largeModel / 3 {
      formulation.leanLinking = false
      let long = formulation.makeModel()
      let slots = Set(long.sessionKeys.map { SlotKey(block: $0.block, target: $0.target) }).count
      if long.model.variables.count + slots <= Self.largeModel { return long }
      formulation.leanLinking = true
      return formulation.makeModel()
    }
    let lean = formulation.makeModel()
    guard lean.model.variables.count <= Self.largeModel else { return lean }
    formulation.leanLinking = false
    return formulation.makeModel()
  }

  func plan(_ day: DayInput) throws -> Plan {
    debug("day derived at \(elapsed) s")
    let built = build(day)
    debug(
      "model built at \(elapsed) s: \(built.model.variables.count) columns, \(built.model.constraints.count) rows"
    )
    let (result, lagrangianBound) = try search(day, built)
    let checker = PlanChecker(school: day.school, date: day.date)
    switch (result.primal, result.termination) {
    case (.feasible, _):
      let sessions = try PlanDecoder(day: day, built: built).sessions(from: result.values)
      let score = checker.score(of: sessions) + day.keptBonus(sessions)
      // Without a bound from the search (the LP did not finish), a simple valid one.
      let bounds = [result.bound, lagrangianBound, SimpleBound(day: day).value].compactMap { $0 }
      let bound = max(bounds.min()!, score)
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

  /// The published placements a re-plan can keep, as sessions of at least `min_size`.
  func keptPart(of day: DayInput) -> [Session] {
    let school = day.school
    var bySession: [[Int]: [String]] = [:]
    for key in day.keepable {
      bySession[[key.block, key.staff, key.target], default: []].append(school.students[key.student].id)
    }
    return bySession.keys.sorted {
      ($0[0], school.staff[$0[1]].id, $0[2]) < ($1[0], school.staff[$1[1]].id, $1[2])
    }
    .compactMap { k in
      let students = bySession[k]!.sorted()
      guard students.count >= day.minSize else { return nil }
      return Session(
        block: school.blocks[k[0]].id, staff: school.staff[k[1]].id, target: school.targets[k[2]].id,
        students: students)
    }
  }

  /// Models with more columns than this are "large": GLPK cannot start on the whole model in
  /// time, and the search works on restricted days only.
  static let largeModel = 12_000

  /// Branch-and-cut subproblems each restricted-day search may finish in a reproducible
  /// run (simulations): a fixed amount of work instead of the clock.
  static let reproducibleNodes = 200

  /// Timing lines on stderr when REGROUP_DEBUG is set (numbers only, never names).
  func debug(_ message: @autoclosure () -> String) {
    guard ProcessInfo.processInfo.environment["REGROUP_DEBUG"] != nil else { return }
    FileHandle.standardError.write(Data("debug: \(message())\n".utf8))
  }

  /// The search (TheModel.md, "The search"): greedy starts, the Lagrangian bound and its
  /// priced starts, the best assignment within the best start's sessions, restricted
  /// neighbourhoods around the best plan, then, on a school small enough, branch and cut
  /// on the whole model from the best plan for the time that is left. Returns the final
  /// solve and the Lagrangian bound.
  func search(_ day: DayInput, _ built: BuiltModel) throws -> (SolveResult, Double?) {
    let solver = GLPKSolver()
    var start: [Double]?
    var startScore = -Double.infinity
    /// Every valid plan considered, with its score: the starts the first refinement may use.
    var starts: [(sessions: [Session], score: Double)] = []
    let warm = WarmStart(day: day, built: built)
    let checker = PlanChecker(school: day.school, date: day.date)
    func consider(_ sessions: [Session]?, _ label: String) {
      // Only plans that keep every rule (checked by the second code path) may start the search.
      guard let sessions, checker.violations(of: sessions).isEmpty, let values = warm.values(for: sessions)
      else {
        debug("\(label): no valid plan")
        return
      }
      let score = built.model.objectiveValue(of: values)
      debug("\(label): \(score) at \(elapsed) s")
      starts.append((sessions, score))
      if score > startScore {
        start = values
        startScore = score
        report()
      }
    }
    var bestBound: Double?
    /// How far the best plan so far lies below the best bound so far, relative to the bound.
    func boundGap() -> Double? { bestBound.map { max(0, $0 - startScore) / max(1, abs($0)) } }
    /// Progress for the terminal: the best plan so far and the best bound so far.
    func report() {
      guard let progress = options.progress else { return }
      progress(
        SolveProgress(incumbent: startScore, bound: bestBound, gap: boundGap(), nodes: 0, seconds: elapsed))
    }
    let greedy = GreedyPlanner(day: day)
    debug("greedy set up at \(elapsed) s")
    let greedyStart = Date().timeIntervalSince1970
    let greedyPlan = greedy.plan()
    debug("greedy plan made at \(elapsed) s")
    consider(greedyPlan, "greedy")
    if !day.keepable.isEmpty {
      // A re-plan (spec §13) starts from the published plan without what the absences took:
      // sessions that fall below the minimum size close.
      consider(keptPart(of: day), "published plan, repaired")
    }
    let greedySeconds = Date().timeIntervalSince1970 - greedyStart
    var lagrangian = LagrangianBound(day: day, classes: built.classes)
    // The relaxation leaves out the dosage term (spec §14): its bound plus the most that term
    // can add, dosage · min(short(s), blocks) for each student, stays a bound on every plan.
    // (A re-plan's kept placements, §13, it prices itself: each is a named seat's bonus.)
    let dosageExtra = day.school.students.indices.reduce(0.0) { $0 + day.dosageCap(student: $1) }
    var lagrangianValue: Double { lagrangian.bound + dosageExtra }
    let large = built.model.variables.count > Self.largeModel
    // Lagrangian bound and the session choices it suggests. Reproducible runs take a fixed
    // number of plain subgradient steps (a fifth of the time at most otherwise); large
    // schools run the volume algorithm, which stops itself once converged.
    if options.reproducible || !large || built.model.variables.count > 80_000 {
      // Small schools: plain steps leave the time to the whole-model search, whose proposals
      // they feed (the volume algorithm's bound is no better there, its plans were worse).
      // The largest schools: the volume algorithm descends too slowly from zero prices.
      lagrangian.run(
        until: options.reproducible
          ? options.deadline : Date().timeIntervalSince1970 + options.remaining * 0.2,
        maxIterations: options.reproducible ? 300 : 100_000,
        lowerBound: startScore.isFinite ? startScore - dosageExtra : 0)
    } else {
      lagrangian.runVolume(
        until: Date().timeIntervalSince1970 + options.remaining * 0.45, maxIterations: 1_000_000,
        lowerBound: startScore.isFinite ? startScore - dosageExtra : 0)
    }
    if lagrangian.bound.isFinite, lagrangianValue >= startScore {
      bestBound = lagrangianValue
      report()
    }
    debug(
      "lagrangian bound \(lagrangianValue) after \(lagrangian.proposals.count * 10) iterations at \(elapsed) s"
    )
    for weight in [1.0, 0.75, 0.5, 0.35, 0.25]
    where options.reproducible || options.timeLeft > 4 * greedySeconds + 0.5 {
      var priced = greedy
      priced.prices = lagrangian.prices
      priced.priceWeight = weight
      consider(priced.plan(), "priced greedy \(weight)")
    }
    let search = Neighbourhood(day: day, built: built)
    // The day restricted to the session counts the relaxation settled on (near the LP's),
    // the heaviest students free among them: GLPK, diving depth first, finds a plan close to
    // the bound here. Up to 40,000 columns it takes seconds; beyond, its LP alone takes about
    // 10 s and the dive 20 s more (2,500 students), so it runs only when 35 s are left.
    func guidedSearch(by average: [SessionKey: Double], seconds: Double, stopAt: Double? = nil) {
      let found = search.search(
        around: [], restriction: search.restriction(guidedBy: average),
        seconds: max(0.5, seconds), log: options.solverLog, gap: 5e-4, dive: true, stopAt: stopAt)
      if let found {
        consider(found.sessions, "guided by the relaxation (\(found.termination), \(found.columns) columns)")
      }
    }
    let guidedFits = built.model.variables.count <= 40_000
    if large, !options.reproducible, guidedFits || options.timeLeft >= 35,
      !lagrangian.averageSessions.isEmpty,
      options.timeLeft > 1.5
    {
      // Where it fits, the dive finds its plan within seconds and then spends the rest of its
      // time not improving it (1,000 students, requests profile: 0.1 % below the bound 4.8 s
      // in, nothing better in the next 14 s), so it stops once within 0.1 % of the bound and
      // leaves the time to the small neighbourhoods below.
      let bound = bestBound ?? lagrangianValue
      guidedSearch(
        by: lagrangian.averageSessions,
        seconds: guidedFits
          ? min(options.timeLeft - 0.5, max(6, 0.5 * options.timeLeft)) : options.timeLeft - 4,
        stopAt: guidedFits && bound.isFinite ? bound - 0.001 * abs(bound) : nil)
    }
    // GLPK needs time just to take in a large model (about 7 s for 120,000 columns here):
    // whole-model steps run only when that, and a little more, is left.
    let glpkSetup = Double(built.model.variables.count) / 15_000 + 0.5
    if !large, let values = start, options.reproducible || options.timeLeft > 2 * glpkSetup {
      // Students re-assigned optimally among the best plan's sessions.
      let refined = try? solver.solve(
        warm.restricted(to: values),
        options: {
          var o = SolverOptions(
            timeLimit: options.remaining * (options.reproducible ? 1 : 0.25),
            relativeGap: options.relativeGap,
            log: options.solverLog)
          o.nodeLimit = options.reproducible ? Self.reproducibleNodes : nil
          return o
        }())
      if let refined, refined.primal == .feasible, built.model.objectiveValue(of: refined.values) > startScore
      {
        start = refined.values
        startScore = built.model.objectiveValue(of: refined.values)
      }
      debug("refined: \(startScore) at \(elapsed) s")
    }
    // A small school still more than 0.5 % from its bound here (many short blocks, the
    // elementary profile: 6.4 % at 200 students, where GLPK's search from this plan stalled
    // for the remaining 9 s) takes the large schools' route too: the volume algorithm from
    // zero prices (continued from the plain steps' prices it stops at once, and its average
    // is then no guide), then the restricted day its average session counts suggest (1.4 %
    // there; on the suite's 18 schools of 200 students the worst gap fell from 6.4 % to 2.3 %,
    // the median from 0.6 % to 0.5 %). Schools already within 0.5 % skip it.
    // The fresh volume run's bound, when lower than the plain steps' one (and valid).
    var volumeBound: Double?
    if !large, !options.reproducible, startScore.isFinite, let gap = boundGap(), gap > 0.005,
      options.timeLeft > 3
    {
      var volume = LagrangianBound(day: day, classes: built.classes)
      volume.runVolume(
        until: Date().timeIntervalSince1970 + options.remaining * 0.15, maxIterations: 1_000_000,
        lowerBound: startScore - dosageExtra)
      let value = volume.bound + dosageExtra
      if volume.bound.isFinite, volume.bound < lagrangian.bound {
        if value >= startScore - 1e-6 * max(1, abs(startScore)) {
          volumeBound = value
          if value >= startScore {
            bestBound = value
            report()
          }
        } else {
          // A bound below a valid plan's score is a bug in the relaxation: never report it.
          debug("volume bound \(value) below a plan's score \(startScore): discarded")
        }
      }
      debug("volume bound \(value) at \(elapsed) s")
      if !volume.averageSessions.isEmpty, options.timeLeft > 1.5, let bound = bestBound {
        // Once within 0.4 % of the bound, the rest of the time goes to proving, as above.
        guidedSearch(
          by: volume.averageSessions, seconds: 0.7 * options.timeLeft, stopAt: bound - 0.004 * abs(bound))
      }
    }
    if large, built.model.variables.count <= 80_000 {
      // A large school: the same, among the heaviest students of each slot only, from each
      // of the best few starts (their sessions differ, and so do the refined plans). On the
      // largest schools GLPK cannot finish these in time: the small neighbourhoods below
      // do better with it.
      let ranked = starts.enumerated().sorted {
        $0.element.score != $1.element.score ? $0.element.score > $1.element.score : $0.offset < $1.offset
      }
      for (n, entry) in ranked.prefix(3).enumerated() where options.reproducible || options.timeLeft > 1.5 {
        let found = search.search(
          around: entry.element.sessions, proposals: [],
          seconds: options.remaining * (options.reproducible ? 1 : n == 0 ? 0.3 : 0.15),
          log: options.solverLog, gap: options.relativeGap,
          nodeLimit: options.reproducible ? Self.reproducibleNodes : nil)
        guard let found else { break }
        consider(
          found.sessions, "refined among the heaviest (\(found.termination), \(found.columns) columns)")
        if found.termination != .optimal { break }
      }
    }
    // Large neighbourhood search: GLPK re-chooses sessions and students in a restricted
    // day around the best plan. A small school: once, with the sessions the relaxation
    // chose lately. A large one (whose whole model GLPK cannot start in time): freeing a
    // few staff classes at a time, everything else fixed, until the time is used.
    // Not in reproducible runs: on the sample's simulated days GLPK spent the whole safety
    // limit here (3 s a day, before finishing 50 subproblems) and never improved the
    // refined plan, and a search stopped by the clock is not reproducible.
    if !large, !options.reproducible, options.timeLeft > 1, let values = start,
      let sessions = try? PlanDecoder(day: day, built: built).sessions(from: values)
    {
      let found = search.search(
        around: sessions, proposals: Array(lagrangian.proposals.suffix(30)),
        seconds: options.remaining * 0.4, log: options.solverLog, gap: options.relativeGap)
      if let found {
        consider(found.sessions, "neighbourhood (\(found.termination), \(found.columns) columns)")
      }
    }
    // Small neighbourhoods, many of them, each solved by GLPK to the end: in turn, a window
    // of sessions in one block (by target, so neighbouring targets share students) that may
    // change target or close, and a few staff members who may re-choose their blocks and
    // targets; students free in a block may join. The rest of the plan stays. Windows widen
    // when a whole pass brings nothing.
    var width = 6
    var position = 0
    var staffPosition = 0
    var sinceImprovement = 0
    var round = 0
    let leaders = day.school.staff.indices.filter { built.classOf[$0] >= 0 }
    while large, !options.reproducible, options.timeLeft > 1, let values = start,
      let sessions = try? PlanDecoder(day: day, built: built).sessions(from: values)
    {
      let blockCount = day.school.blocks.count
      var released = Set<Int>()
      var freed = Set<Int>()
      var label = ""
      if round % 2 == 0 {
        let b = position % blockCount
        let inBlock = sessions.indices.filter { day.blockIndex[sessions[$0].block] == b }.sorted {
          (day.targetIndex[sessions[$0].target]!, sessions[$0].staff)
            < (day.targetIndex[sessions[$1].target]!, sessions[$1].staff)
        }
        let stride = max(1, width / 2)
        let windows = max(1, (inBlock.count + stride - 1) / stride)
        released = Set(inBlock.dropFirst(((position / blockCount) % windows) * stride).prefix(width))
        position += 1
        label = "block \(b)"
      } else {
        for i in 0..<min(max(2, width / 2), leaders.count) {
          freed.insert(leaders[(staffPosition + i) % leaders.count])
        }
        staffPosition += max(2, width / 2)
        label = "staff"
      }
      round += 1
      let before = startScore
      let found = search.search(
        around: sessions,
        restriction: search.restriction(around: sessions, releasing: released, freeing: freed),
        seconds: min(options.timeLeft - 0.5, 2), log: options.solverLog, gap: 1e-6)
      if let found {
        consider(
          found.sessions,
          "lns \(round) \(label) width \(width) (\(found.termination), \(found.columns) columns)")
      }
      if startScore > before + 1e-9 {
        sinceImprovement = 0
      } else {
        sinceImprovement += 1
        if sinceImprovement >= 2 * max(blockCount * 8, leaders.count / max(2, width / 2)) {
          width = min(2 * width, 48)
          sinceImprovement = 0
        }
      }
    }
    var lagrangianBound = [lagrangian.bound.isFinite ? lagrangianValue : nil, volumeBound].compactMap { $0 }
      .min()
    if let bound = lagrangianBound, startScore.isFinite, bound < startScore - 1e-6 * max(1, abs(startScore)) {
      // A bound below a valid plan's score is a bug in the relaxation: never report it.
      debug("lagrangian bound \(bound) below a plan's score \(startScore): discarded")
      lagrangianBound = nil
    }
    if let lagrangianBound, startScore.isFinite,
      (lagrangianBound - startScore) / max(1, abs(lagrangianBound)) <= options.relativeGap
    {
      return (
        SolveResult(
          termination: .optimal, primal: .feasible, objectiveValue: startScore,
          bound: lagrangianBound, values: start!), lagrangianBound
      )
    }
    if let values = start, large || options.reproducible || options.timeLeft < 0.5 {
      // The whole model's root LP would outlast the limit (or no time is left): the
      // bounds so far stand.
      return (
        SolveResult(
          termination: .timeLimit, primal: .feasible, objectiveValue: startScore, bound: nil, values: values),
        lagrangianBound
      )
    }
    do {
      return (
        try solver.solve(
          built.model,
          options: SolverOptions(
            timeLimit: options.remaining, relativeGap: options.relativeGap, log: options.solverLog,
            startValues: start, progress: options.progress)), lagrangianBound
      )
    } catch  where start != nil {
      // A start the solver refuses (it should not happen) must not cost the plan.
      return (
        try solver.solve(
          built.model,
          options: SolverOptions(
            timeLimit: options.remaining, relativeGap: options.relativeGap, log: options.solverLog,
            progress: options.progress)), lagrangianBound
      )
    }
  }
}
