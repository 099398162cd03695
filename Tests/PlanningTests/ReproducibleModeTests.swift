import Foundation
import LearnerStatus
import SchoolGenerator
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
