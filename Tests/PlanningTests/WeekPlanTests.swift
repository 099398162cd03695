import Foundation
import LearnerStatus
import TestSupport
import Testing

@testable import Planning

/// Absences (spec §12, R11) and weekly dosage (spec §14, R12) in the model, the plan and the checker.
@Suite struct WeekPlanTests {
  static let folder = Fixtures.root.appendingPathComponent("week/w1-s12")

  func loaded() throws -> LoadedSchool { try SchoolFolder.load(Self.folder) }

  func plan(_ school: School, _ date: Day) throws -> Plan {
    try Planner(options: PlanOptions(timeLimit: 30)).plan(school, date: date)
  }

  @Test func absentPeopleAreNotPlannedAndTheirPinsAndRequestsAreDropped() throws {
    let l = try loaded()
    let plan = try plan(l.school, l.date)
    #expect(plan.status == .optimal)
    #expect(!plan.sessions.contains { $0.staff == "T002" })
    #expect(!plan.sessions.contains { $0.block == "B1" && $0.students.contains("S00003") })
    #expect(
      plan.warnings == ["pins.csv:2: warning: pin of S00004 with T002 in block B2 dropped: T002 is absent"])
    #expect(plan.requests.first { $0.requestID == "Q1" }?.reason == "absent")
    // T001 is absent on another day only: they still lead sessions.
    #expect(plan.sessions.contains { $0.staff == "T001" })
    let checker = PlanChecker(school: l.school, date: l.date)
    #expect(checker.violations(of: plan.sessions, requests: plan.requests).isEmpty)
    #expect(abs(checker.score(of: plan.sessions) - plan.objective!) < 1e-6)
  }

  @Test func r11BreakingAndKeeping() throws {
    let l = try loaded()
    let checker = PlanChecker(school: l.school, date: l.date)
    let keeps = [Session(block: "B2", staff: "T001", target: "R4.02", students: ["S00003", "S00004"])]
    #expect(checker.violations(of: keeps).isEmpty)
    let staffAbsent = [Session(block: "B2", staff: "T002", target: "R4.02", students: ["S00004", "S00005"])]
    #expect(checker.violations(of: staffAbsent).map(\.rule) == ["R11"])
    let studentAbsent = [
      Session(block: "B1", staff: "I001", target: "M4.01", students: ["S00003", "S00004"])
    ]
    let found = checker.violations(of: studentAbsent).filter { $0.rule == "R11" }
    #expect(found.map(\.items.first) == ["S00003"])
  }

  @Test func dosageScoresUpToWhatIsShortAndTheBoundStaysHonest() throws {
    let l = try loaded()
    let checker = PlanChecker(school: l.school, date: l.date)
    // S00010 (tier 3, 4 a week) had 2 sessions Monday and Tuesday: short 2. S00002 (tier 2): short 1.
    #expect(checker.shortOf == ["S00010": 2, "S00002": 1])
    let one = [Session(block: "WIN", staff: "P001", target: "R4.01", students: ["S00010", "S00004"])]
    let three =
      one + [
        Session(block: "B1", staff: "P001", target: "M4.04", students: ["S00010", "S00009"]),
        Session(block: "B2", staff: "T001", target: "R4.04", students: ["S00010", "S00001"]),
      ]
    #expect(checker.dosageScore(of: one) == 20)
    #expect(checker.dosageScore(of: three) == 40)  // capped at short(s) = 2
    var none = l.school
    none.policy.dosage = nil
    #expect(PlanChecker(school: none, date: l.date).dosageScore(of: three) == 0)
    let plan = try plan(l.school, l.date)
    let d = try #require(plan.dosage)
    #expect(d.map(\.studentID) == ["S00002", "S00010"])
    #expect(d[1].perWeek == 4 && d[1].beforeToday == 2)
    #expect(d[1].shortAfterToday == max(0, 2 - d[1].today))
    // The bound is never below the plan, and every bound alone stays above it.
    let bound = try #require(plan.bound)
    #expect(bound >= plan.objective! - 1e-6)
    let week = WeekDay.prepare(l.school, on: l.date)
    let day = DayInput(
      school: week.school, date: l.date, needs: Derivation.needs(in: week.school, on: l.date))
    #expect(SimpleBound(day: day).value >= plan.objective! - 1e-6)
    // Without [dosage] the same school plans to a lower score with no dosage term.
    let plain = try self.plan(none, l.date)
    #expect(plain.dosage == nil)
    #expect(plain.objective! <= plan.objective! + 1e-6)
  }

  @Test func keepStaffIsAnImplicitNormalRequestToTheMostFrequentStaffTiesEarlier() throws {
    let l = try loaded()
    let week = WeekDay.prepare(l.school, on: l.date)
    // S00010: P001 on Monday B1 and I001 on Monday WIN: one each, P001's came first.
    let keep = week.school.requests.filter { $0.id.hasPrefix(WeekDay.keepStaffPrefix) }
    #expect(keep.map(\.id) == ["keep-S00010"])
    #expect(keep.first?.staffID == "P001" && keep.first?.priority == .normal)
    // Idempotent: preparing twice adds nothing more.
    #expect(WeekDay.prepare(week.school, on: l.date).school.requests == week.school.requests)
    var off = l.school
    off.policy.dosage?.keepStaff = false
    #expect(!WeekDay.prepare(off, on: l.date).school.requests.contains { $0.id.hasPrefix("keep-") })
    let plan = try plan(l.school, l.date)
    #expect(!plan.requests.contains { $0.requestID.hasPrefix("keep-") })
  }

  @Test func aFolderWithoutTheNewFilesIsUnchanged() throws {
    let folder = Fixtures.conformance.appendingPathComponent("c1-s12")
    let l = try SchoolFolder.load(folder)
    #expect(l.school.absences.isEmpty && l.school.policy.dosage == nil)
    let plan = try plan(l.school, l.date)
    #expect(plan.dosage == nil && plan.warnings.isEmpty)
  }
}
