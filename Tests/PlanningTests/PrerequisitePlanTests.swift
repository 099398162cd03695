import Foundation
import LearnerStatus
import TestSupport
import Testing

@testable import Planning

/// Prerequisites in the model (spec §11): a student is grouped first on the earliest target
/// they have not mastered, and the checker scores the plan the planner scores.
@Suite struct PrerequisitePlanTests {}

extension PrerequisitePlanTests {
  /// Two students who need M1 (level 2.5) and M2 (level 1); one teacher, one block,
  /// groups of two. Without prerequisites M2 weighs more (30 vs 15 each); with
  /// "M2 needs M1" M2 weighs 30 · 0.25 = 7.5, so the session is on M1.
  static func school(prerequisites: [String]) throws -> (School, Day) {
    let day = try #require(Day(year: 2026, month: 11, day: 25))
    var s = School()
    s.students = [Student(id: "S1"), Student(id: "S2")]
    s.targets = [
      Target(id: "M1", subject: "math"),
      Target(id: "M2", subject: "math", prerequisites: prerequisites),
    ]
    s.staff = [StaffMember(id: "T1", subjects: .any, maxGroupSize: 2, maxMinutes: 60)]
    s.blocks = [Block(id: "B1", start: 540, end: 570)]
    for student in ["S1", "S2"] {
      s.evidence.append(Evidence(studentID: student, targetID: "M1", date: day, level: 2.5))
      s.evidence.append(Evidence(studentID: student, targetID: "M2", date: day, level: 1))
    }
    return (s, day)
  }

  @Test func theSessionGoesToThePrerequisiteFirst() throws {
    let (free, day) = try Self.school(prerequisites: [])
    let before = try Planner(options: PlanOptions(timeLimit: 30)).plan(free, date: day)
    #expect(before.status == .optimal)
    #expect(before.sessions.map(\.target) == ["M2"])
    #expect(abs((before.objective ?? 0) - (2 * 30 - 4)) < 1e-6)

    let (ordered, _) = try Self.school(prerequisites: ["M1"])
    let after = try Planner(options: PlanOptions(timeLimit: 30)).plan(ordered, date: day)
    #expect(after.status == .optimal)
    #expect(after.sessions.map(\.target) == ["M1"])
    #expect(abs((after.objective ?? 0) - (2 * 15 - 4)) < 1e-6)
    let checker = PlanChecker(school: ordered, date: day)
    #expect(checker.violations(of: after.sessions).isEmpty)
    #expect(abs(checker.score(of: after.sessions) - (after.objective ?? 0)) < 1e-6)
    // The checker derives the not-ready weight on its own route.
    #expect(abs((checker.needWeight(student: "S1", target: "M2") ?? 0) - 7.5) < 1e-9)
  }

  @Test func thePrerequisiteFixturePlansToTheScoreTheCheckerGives() throws {
    let loaded = try SchoolFolder.load(
      Fixtures.root.appendingPathComponent("prerequisites/p1-s12"))
    let plan = try Planner(options: PlanOptions(timeLimit: 60)).plan(
      loaded.school, date: loaded.date)
    #expect(plan.status == .optimal)
    let checker = PlanChecker(school: loaded.school, date: loaded.date)
    #expect(checker.violations(of: plan.sessions).isEmpty)
    #expect(abs(checker.score(of: plan.sessions) - (plan.objective ?? .nan)) < 1e-6)
    // Some need in the fixture waits on a prerequisite, so its weight is not c1's.
    let needs = Derivation.needs(in: loaded.school, on: loaded.date)
    #expect(needs.contains { !$0.isReady })
  }
}
