import Dispatch
import Foundation
import LearnerStatus
import Planning

/// Runs scenarios over school days with the real planner and a seeded learning model.
///
/// ```swift
/// let simulator = Simulator(days: 20, model: LearningModel(seed: 7))
/// let report = try simulator.run(base: school, start: date, scenarios: [scenario])
/// ```
public struct Simulator: Sendable {
  /// School days to simulate (weekends skipped).
  public var days: Int
  public var model: LearningModel
  /// Seconds per day's plan (short: a simulation plans many days).
  public var dayTimeLimit: Double
  /// The planner stops once within this relative gap of its bound.
  public var relativeGap: Double

  public init(
    days: Int, model: LearningModel = LearningModel(), dayTimeLimit: Double = 3, relativeGap: Double = 0.01
  ) {
    self.days = days
    self.model = model
    self.dayTimeLimit = dayTimeLimit
    self.relativeGap = relativeGap
  }

  /// The first school day on or after `date` (Saturday and Sunday are skipped).
  public static func schoolDay(onOrAfter date: Day) -> Day {
    var d = date
    while d.weekday >= 5 { d = d.adding(days: 1) }
    return d
  }

  /// Simulates the base (first column) and every scenario, in parallel across cores.
  ///
  /// Each scenario is applied to `base` before anything runs, so a bad scenario throws
  /// (`InputError`) before any planning. `progress` is called (from any thread) after each
  /// simulated day with the number of days done over all scenarios.
  public func run(
    base: School, start: Day, scenarios: [Scenario],
    progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
  ) throws -> SimulationReport {
    let all = [Scenario.base()] + scenarios
    var problems: [Diagnostic] = []
    var schools: [School] = []
    for scenario in all {
      do {
        schools.append(try scenario.apply(to: base))
      } catch let error as InputError {
        problems += error.diagnostics
      }
    }
    if !problems.isEmpty { throw InputError(problems) }
    let first = Simulator.schoolDay(onOrAfter: start)
    let applied = schools
    let results = Results(count: all.count)
    let counter = Counter()
    let total = all.count * days
    let this = self
    DispatchQueue.concurrentPerform(iterations: all.count) { i in
      let result = this.simulate(applied[i], scenario: all[i], from: first) {
        let done = counter.increment()
        progress?(done, total)
      }
      results.set(i, result)
    }
    return SimulationReport(
      start: first, days: days, model: model, dayTimeLimit: dayTimeLimit, relativeGap: relativeGap,
      scenarios: results.values)
  }

  /// One scenario's whole run, on the calling thread (each GLPK solve stays on it).
  public func simulate(_ start: School, scenario: Scenario, from first: Day, afterDay: () -> Void = {})
    -> ScenarioResult
  {
    var school = start
    var day = first
    let proficient = school.policy.proficient
    var measures = Measures(school: school, waitCap: school.policy.weights.waitCap)
    var lastSession: [StudentTarget: Int] = [:]  // school-day index of the latest session
    for index in 0..<days {
      let needs = Derivation.needs(in: school, on: day)
      // Reproducible: the plan does not depend on the clock, so the same seed gives the
      // same report on any machine (the day's limit is then a safety net).
      var options = PlanOptions(timeLimit: dayTimeLimit, relativeGap: relativeGap)
      options.reproducible = true
      let planner = Planner(options: options)
      let plan = try? planner.plan(school, date: day)
      let sessions = plan?.sessions ?? []
      measures.record(day: day, needs: needs, plan: plan, sessions: sessions, school: school)

      // History grows with the day's sessions, so tomorrow's waits see them.
      var count: [StudentTarget: Int] = [:]
      for s in sessions {
        for student in s.students {
          school.history.append(
            HistoryEntry(
              date: day, blockID: s.block, studentID: student, staffID: s.staff, targetID: s.target))
          count[StudentTarget(student, s.target), default: 0] += 1
        }
      }
      // The learning model: new evidence dated today, in a fixed (sorted) order.
      let levels = Derivation.levels(in: school, on: day)
      for key in count.keys.sorted() {
        guard let level = levels[key] else { continue }
        let value = model.afterSessions(
          level: level, sessions: count[key]!, student: key.student, target: key.target, day: day,
          proficient: proficient)
        school.evidence.append(
          Evidence(studentID: key.student, targetID: key.target, date: day, level: value))
        lastSession[key] = index
      }
      if (index + 1) % model.driftEvery == 0 {
        for key in levels.keys.sorted() {
          if let last = lastSession[key], index - last < model.driftEvery { continue }
          let value = model.afterDrift(
            level: levels[key]!, student: key.student, target: key.target, day: day)
          school.evidence.append(
            Evidence(studentID: key.student, targetID: key.target, date: day, level: value))
        }
      }
      // Requests and pins are for the plan date: the first simulated day only.
      school.requests = []
      school.pins = []
      day = Simulator.schoolDay(onOrAfter: day.adding(days: 1))
      afterDay()
    }
    let open = Set(Derivation.needs(in: school, on: day).map { StudentTarget($0.student, $0.target) })
    return measures.result(name: scenario.name, file: scenario.file, openAtEnd: open)
  }
}

/// Thread-safe slots for the scenarios' results.
final class Results: @unchecked Sendable {
  private let lock = NSLock()
  private var slots: [ScenarioResult?]
  init(count: Int) { slots = Array(repeating: nil, count: count) }
  func set(_ i: Int, _ r: ScenarioResult) {
    lock.lock()
    slots[i] = r
    lock.unlock()
  }
  var values: [ScenarioResult] {
    lock.lock()
    defer { lock.unlock() }
    return slots.compactMap { $0 }
  }
}

final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var n = 0
  func increment() -> Int {
    lock.lock()
    defer { lock.unlock() }
    n += 1
    return n
  }
}
