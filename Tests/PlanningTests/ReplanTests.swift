import Foundation
import LearnerStatus
import TestSupport
import Testing

@testable import Planning

/// Re-planning a published day with as little change as possible (spec §13).
@Suite struct ReplanTests {
  func placements(_ sessions: [Session]) -> [String: String] {
    var result: [String: String] = [:]
    for s in sessions { for id in s.students { result["\(id) \(s.block)"] = "\(s.staff) \(s.target)" } }
    return result
  }

  func changed(_ a: [Session], _ b: [Session]) -> Int {
    let pa = placements(a)
    let pb = placements(b)
    return Set(pa.keys).union(pb.keys).filter { pa[$0] != pb[$0] }.count
  }

  @Test func aReplanWithNothingNewKeepsThePublishedPlan() throws {
    let l = try SchoolFolder.load(Fixtures.conformance.appendingPathComponent("c1-s12"))
    let planner = Planner(options: PlanOptions(timeLimit: 20))
    let published = try planner.plan(l.school, date: l.date)
    let again = try planner.replan(l.school, date: l.date, published: published.sessions)
    #expect(again.changes == [])
    #expect(again.sessions == published.sessions)
    #expect(again.objective == published.objective)  // nothing lost: no move penalty
    #expect(try #require(again.bound) >= again.objective! - 1e-6)
  }

  @Test func anAbsenceMovesItsStudentsWithAReasonAndCostsNothingForThem() throws {
    var l = try SchoolFolder.load(Fixtures.conformance.appendingPathComponent("c1-s12"))
    let planner = Planner(options: PlanOptions(timeLimit: 20))
    let published = try planner.plan(l.school, date: l.date)
    let teacher = try #require(published.sessions.first?.staff)
    l.school.absences = [Absence(date: l.date, id: teacher)]
    let re = try planner.replan(l.school, date: l.date, published: published.sessions)
    let changes = try #require(re.changes)
    #expect(!re.sessions.contains { $0.staff == teacher })
    let theirs = published.sessions.filter { $0.staff == teacher }.flatMap { s in
      s.students.map { "\($0) \(s.block)" }
    }
    for seat in theirs {
      #expect(
        changes.contains { "\($0.studentID) \($0.block)" == seat && $0.reason == "\(teacher) is absent" })
    }
    #expect(changes.count == changed(published.sessions, re.sessions))
    // The checker agrees with the plan, and the score is §4 − move · (changes it could avoid).
    let checker = PlanChecker(school: l.school, date: l.date)
    #expect(checker.violations(of: re.sessions).isEmpty)
    let keepable = published.sessions.filter { $0.staff != teacher }.reduce(0) { $0 + $1.students.count }
    let kept = re.sessions.reduce(0) { total, s in
      total
        + s.students.filter { placements(published.sessions)["\($0) \(s.block)"] == "\(s.staff) \(s.target)" }
        .count
    }
    let expected = checker.score(of: re.sessions) - l.school.policy.weights.move * Double(keepable - kept)
    #expect(abs(re.objective! - expected) < 1e-6)
    #expect(try #require(re.bound) >= re.objective! - 1e-6)
  }

  /// The 300-student sample: one teacher out. The re-plan moves that teacher's students and
  /// those the freed or lost seats touch, far fewer than a plan from scratch.
  @Test func theSampleAfterOneTeachersAbsenceChangesLittle() throws {
    var l = try SchoolFolder.load(Fixtures.root.appendingPathComponent("sample"))
    let planner = Planner(options: PlanOptions(timeLimit: 10))
    let published = try planner.plan(l.school, date: l.date)
    l.school.absences = [Absence(date: l.date, id: "P001")]
    let re = try Planner(options: PlanOptions(timeLimit: 10)).replan(
      l.school, date: l.date, published: published.sessions)
    let scratch = try Planner(options: PlanOptions(timeLimit: 10)).plan(l.school, date: l.date)
    let reChanges = changed(published.sessions, re.sessions)
    let scratchChanges = changed(published.sessions, scratch.sessions)
    let ofTeacher = published.sessions.filter { $0.staff == "P001" }.reduce(0) { $0 + $1.students.count }
    print("replan: \(reChanges) changes (\(ofTeacher) of P001), from scratch: \(scratchChanges)")
    #expect(reChanges >= ofTeacher)
    #expect(reChanges * 2 < scratchChanges)
    #expect(PlanChecker(school: l.school, date: l.date).violations(of: re.sessions).isEmpty)
  }
}
