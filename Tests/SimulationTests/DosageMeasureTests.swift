import Foundation
import LearnerStatus
import Planning
import TestSupport
import Testing

@testable import Simulation

/// simulate's weekly-dosage measure (spec §14): student-weeks that reached their target, by
/// tier and flag, counting only weeks whose Friday was simulated.
@Suite struct DosageMeasureTests {
  let monday = Day("2026-11-23")!

  func week() throws -> (school: School, date: Day) {
    let l = try SchoolFolder.load(Fixtures.root.appendingPathComponent("week/w1-s12"))
    return (l.school, l.date)
  }

  func entry(_ date: Day, _ block: String, _ student: String) -> HistoryEntry {
    HistoryEntry(date: date, blockID: block, studentID: student, staffID: "T001", targetID: "M4.02")
  }

  /// Records the days as the simulator does: each day's sessions join the history after it.
  func measure(_ school: School, days: [(Day, [Session])]) -> ScenarioResult {
    var school = school
    var measures = Measures(school: school, waitCap: school.policy.weights.waitCap)
    for (day, sessions) in days {
      measures.record(day: day, needs: [], plan: nil, sessions: sessions, school: school)
      for s in sessions {
        for id in s.students {
          school.history.append(
            HistoryEntry(date: day, blockID: s.block, studentID: id, staffID: s.staff, targetID: s.target))
        }
      }
    }
    return measures.result(name: "base", file: "", openAtEnd: [])
  }

  func session(_ block: String, _ students: [String]) -> Session {
    Session(block: block, staff: "T001", target: "M4.02", students: students)
  }

  /// S00010 (tier 3, iep) has 2 sessions on Monday and Tuesday and 2 more in the simulated
  /// Wednesday and Thursday: 4, reached. S00002 (tier 2, iep and el) has 1 of 2: not reached.
  /// The next week's Monday is not finished and does not count.
  @Test func countsFinishedWeeksByTierAndFlag() throws {
    var (school, date) = try week()
    #expect(date == monday.adding(days: 2))
    school.history = [entry(monday, "B1", "S00010"), entry(monday.adding(days: 1), "B1", "S00010")]
    let result = measure(
      school,
      days: [
        (date, [session("B1", ["S00010", "S00002"])]),
        (date.adding(days: 1), [session("B2", ["S00010"])]),
        (date.adding(days: 2), []),
        (date.adding(days: 5), [session("B1", ["S00002"]), session("B2", ["S00002"])]),
      ])
    let rows = try #require(result.dosage)
    func row(_ g: String) -> DosageGroup? { rows.first { $0.group == g } }
    #expect(rows.map(\.group) == ["all", "tier 2", "tier 3", "el", "iep"])
    #expect(row("all") == DosageGroup(group: "all", studentWeeks: 2, reached: 1, share: 0.5))
    #expect(row("tier 2") == DosageGroup(group: "tier 2", studentWeeks: 1, reached: 0, share: 0))
    #expect(row("tier 3") == DosageGroup(group: "tier 3", studentWeeks: 1, reached: 1, share: 1))
    #expect(row("el") == DosageGroup(group: "el", studentWeeks: 1, reached: 0, share: 0))
    #expect(row("iep") == DosageGroup(group: "iep", studentWeeks: 2, reached: 1, share: 0.5))
  }

  /// One session fewer in the history and S00010 falls short too; one more for S00002 on
  /// Friday and it reaches its 2.
  @Test func aSessionFewerOrMoreChangesTheCount() throws {
    var (school, date) = try week()
    school.history = [entry(monday, "B1", "S00010")]
    let result = measure(
      school,
      days: [
        (date, [session("B1", ["S00010", "S00002"])]),
        (date.adding(days: 1), [session("B2", ["S00010"])]),
        (date.adding(days: 2), [session("B1", ["S00002"])]),
      ])
    let rows = try #require(result.dosage)
    #expect(rows.first { $0.group == "tier 3" }?.reached == 0)
    #expect(rows.first { $0.group == "tier 2" }?.reached == 1)
  }

  @Test func aSchoolWithoutDosageHasNoMeasure() throws {
    var (school, date) = try week()
    school.policy.dosage = nil
    let result = measure(school, days: [(date, []), (date.adding(days: 1), []), (date.adding(days: 2), [])])
    #expect(result.dosage == nil)
    let report = SimulationReport(
      start: date, days: 3, model: LearningModel(), dayTimeLimit: 1, relativeGap: 0.01, scenarios: [result])
    #expect(!report.json().contains("dosage"))
    #expect(!report.text().contains("dosage"))
  }

  /// The whole simulator on the week fixture (Wednesday to Friday): both dosage students'
  /// week is finished and counted, the report shows it, and the same seed gives the same one.
  @Test func theSimulatorReportsTheWeek() throws {
    let (school, date) = try week()
    let simulator = Simulator(days: 3, model: LearningModel(seed: 5), dayTimeLimit: 5)
    let report = try simulator.run(base: school, start: date, scenarios: [])
    let rows = try #require(report.scenarios.first?.dosage)
    #expect(rows.first?.studentWeeks == 2)
    #expect(report.text().contains("weekly dosage reached, tier 3"))
    #expect(report.json().contains("\"student_weeks\" : 2"))
    #expect(try simulator.run(base: school, start: date, scenarios: []) == report)
  }
}
