import Foundation
import LearnerStatus
import SchoolGenerator
import TestSupport
import Testing

@testable import Planning

/// The planner's reproducible mode: the same day gives the same plan, whatever the clock.
@Suite struct ReproducibleModeTests {}

extension ReproducibleModeTests {
  @Test func theSameDayGivesTheSamePlan() throws {
    let school = SchoolGenerator(students: 120, seed: 5).school()
    let date = try #require(school.policy.date)
    var options = PlanOptions(timeLimit: 60, relativeGap: 0.01)
    options.reproducible = true
    let first = try Planner(options: options).plan(school, date: date)
    let second = try Planner(options: options).plan(school, date: date)
    #expect(first.status == .optimal || first.status == .feasible)
    #expect(first.sessions == second.sessions)
    #expect(first.objective == second.objective)
    #expect(PlanChecker(school: school, date: date).violations(of: first.sessions).isEmpty)
    let bound = try #require(first.bound)
    #expect(bound >= (first.objective ?? .infinity))
  }
}

extension ReproducibleModeTests {
  /// The sample school's day (the simulation's school) gives the same plan with a short and a
  /// long safety limit: no step of reproducible mode runs until the clock stops it. (Its
  /// neighbourhood search used to, at the simulation's 3 s.)
  @Test func theSafetyLimitDoesNotChangeThePlan() throws {
    let loaded = try SchoolFolder.load(Fixtures.root.appendingPathComponent("sample"))
    func plan(limit: Double) throws -> Plan {
      var options = PlanOptions(timeLimit: limit, relativeGap: 0.01)
      options.reproducible = true
      return try Planner(options: options).plan(loaded.school, date: loaded.date)
    }
    let short = try plan(limit: 10)
    let long = try plan(limit: 60)
    #expect(short.status == .feasible || short.status == .optimal)
    #expect(short.sessions == long.sessions)
    #expect(short.objective == long.objective)
    #expect(PlanChecker(school: loaded.school, date: loaded.date).violations(of: short.sessions).isEmpty)
    let bound = try #require(short.bound)
    #expect(bound >= (short.objective ?? .infinity))
  }
}
