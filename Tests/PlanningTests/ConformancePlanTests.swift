import Foundation
import LearnerStatus
import TestSupport
import Testing

@testable import Planning

/// The conformance schools of fixtures/conformance: optimal scores and infeasible days.
@Suite struct ConformancePlanTests {
  struct Expected: Decodable {
    struct PlanCase: Decodable {
      let status: String
      let objective: Double?
    }
    let plans: [String: PlanCase]
  }

  /// `expected.json`, read per test so a missing or broken file fails that test alone.
  static func expected() throws -> Expected {
    let url = Fixtures.conformance.appendingPathComponent("expected.json")
    return try JSONDecoder().decode(Expected.self, from: Data(contentsOf: url))
  }

  /// c3 is small but hard; it is planned by the CLI tests with a longer limit.
  static let fastCases = ["c1-s12", "c2-s30-highest", "c4-s80", "c5-infeasible", "c6-messy"]
}

extension ConformancePlanTests {
  @Test(arguments: fastCases)
  func plansToTheExpectedOptimum(_ name: String) throws {
    let expected = try #require(Self.expected().plans[name])
    let loaded = try SchoolFolder.load(Fixtures.conformance.appendingPathComponent(name))
    let plan = try Planner(options: PlanOptions(timeLimit: 120)).plan(loaded.school, date: loaded.date)
    let checker = PlanChecker(school: loaded.school, date: loaded.date)
    if expected.status == "infeasible" {
      #expect(plan.status == .infeasible)
      #expect(plan.sessions.isEmpty)
      #expect(!plan.conflicts.isEmpty)
      return
    }
    #expect(plan.status == .optimal)
    #expect(checker.violations(of: plan.sessions).isEmpty)
    let objective = try #require(plan.objective)
    let optimum = try #require(expected.objective)
    #expect(abs(objective - optimum) <= 1e-6 * max(1, abs(optimum)), "\(name): \(objective) vs \(optimum)")
    #expect(abs(checker.score(of: plan.sessions) - objective) <= 1e-9)
    let bound = try #require(plan.bound)
    #expect(bound >= optimum - 1e-6 * max(1, abs(optimum)))
  }

  @Test func theInfeasibleDayNamesBothPins() throws {
    let loaded = try SchoolFolder.load(Fixtures.conformance.appendingPathComponent("c5-infeasible"))
    let plan = try Planner().plan(loaded.school, date: loaded.date)
    #expect(plan.status == .infeasible)
    let pins = loaded.school.pins
    let conflict = try #require(plan.conflicts.first)
    #expect(conflict.rules.contains("R8"))
    // The conflict names the student and both staff members of the clashing pins.
    let clashing = Dictionary(grouping: pins, by: { "\($0.studentID)|\($0.blockID)" }).values
      .first { $0.count > 1 }
    let pair = try #require(clashing)
    for pin in pair {
      #expect(conflict.items.contains(pin.staffID))
      #expect(conflict.items.contains(pin.studentID))
    }
  }

  @Test func theSamePlanOnEveryRun() throws {
    let loaded = try SchoolFolder.load(Fixtures.conformance.appendingPathComponent("c4-s80"))
    let a = try Planner().plan(loaded.school, date: loaded.date)
    let b = try Planner().plan(loaded.school, date: loaded.date)
    #expect(a.sessions == b.sessions)
    #expect(a.requests == b.requests)
    #expect(a.objective == b.objective)
  }
}
