import LearnerStatus
import SchoolGenerator
import Testing

@testable import Simulation

@Suite struct LearningModelTests {
  let day = Day("2026-11-25")!

  @Test func sameSeedSameEvidence() {
    let a = LearningModel(seed: 7)
    let b = LearningModel(seed: 7)
    let c = LearningModel(seed: 8)
    let x = a.afterSessions(level: 1.5, sessions: 1, student: "S1", target: "M1", day: day, proficient: 3)
    #expect(
      x == b.afterSessions(level: 1.5, sessions: 1, student: "S1", target: "M1", day: day, proficient: 3))
    #expect(
      x != c.afterSessions(level: 1.5, sessions: 1, student: "S1", target: "M1", day: day, proficient: 3))
    #expect(
      x != a.afterSessions(level: 1.5, sessions: 1, student: "S2", target: "M1", day: day, proficient: 3))
  }

  @Test func gainsFollowTheDocumentedRange() {
    let model = LearningModel(seed: 3, gainMin: 0.3, gainMax: 0.9)
    for i in 0..<200 {
      // gap 1.5: gain in [0.3, 0.9) · 1.25
      let v = model.afterSessions(
        level: 1.5, sessions: 1, student: "S\(i)", target: "M1", day: day, proficient: 3)
      #expect(v >= 1.5 + 0.3 * 1.25 && v < 1.5 + 0.9 * 1.25)
      let d = model.afterDrift(level: 2, student: "S\(i)", target: "M1", day: day)
      #expect(d <= 2 && d > 2 - 0.05)
    }
    #expect(
      model.afterSessions(level: 3.9, sessions: 3, student: "S", target: "M", day: day, proficient: 3) == 4)
  }

  @Test func badParametersAreNamed() {
    #expect(
      LearningModel(gainMin: 0.9, gainMax: 0.3).problem == "the gain must satisfy 0 ≤ gain-min ≤ gain-max")
    #expect(LearningModel(driftEvery: 0).problem == "drift-every must be an integer ≥ 1")
    #expect(LearningModel().problem == nil)
  }
}

@Suite(.serialized) struct SimulatorTests {
  let school = SchoolGenerator(students: 60, seed: 1).school()
  let start = Day("2026-11-25")!

  @Test func weekendsAreSkipped() {
    #expect(Simulator.schoolDay(onOrAfter: Day("2026-11-28")!) == Day("2026-11-30")!)
    #expect(Simulator.schoolDay(onOrAfter: Day("2026-11-27")!) == Day("2026-11-27")!)
  }

  @Test func theSameSeedGivesTheSameReport() throws {
    let simulator = Simulator(days: 4, model: LearningModel(seed: 5), dayTimeLimit: 10, relativeGap: 0.01)
    let a = try simulator.run(base: school, start: start, scenarios: [])
    let b = try simulator.run(base: school, start: start, scenarios: [])
    #expect(a == b)
    #expect(a.json() == b.json())
    // Nothing depends on the clock: a day's safety limit ten times longer changes nothing.
    let patient = Simulator(days: 4, model: LearningModel(seed: 5), dayTimeLimit: 100, relativeGap: 0.01)
    #expect(try patient.run(base: school, start: start, scenarios: []).scenarios == a.scenarios)
    #expect(a.scenarios.count == 1)
    let days = a.scenarios[0].days.map(\.date.description)
    #expect(days == ["2026-11-25", "2026-11-26", "2026-11-27", "2026-11-30"])
    #expect(a.scenarios[0].days.allSatisfy { $0.served > 0 })
    // Waits are measured on the needs at the start of each day, so history must shorten them.
    #expect(a.scenarios[0].waitHistogram.reduce(0, +) == a.scenarios[0].days.map(\.needs).reduce(0, +))
  }

  @Test func moreStaffServesMoreNeeds() throws {
    // Built to show it: the generated school's staff cannot serve every need, and two
    // interventionists for any subject with room in every block add capacity.
    let text = """
      name = "Two interventionists"

      [[add_staff]]
      staff_id = "X1"
      subjects = "*"
      max_group_size = 5
      max_minutes = 100

      [[add_staff]]
      staff_id = "X2"
      subjects = "*"
      max_group_size = 5
      max_minutes = 100
      """
    let scenario = try Scenario.read(text, file: "two.toml")
    let simulator = Simulator(days: 3, model: LearningModel(seed: 1), dayTimeLimit: 3, relativeGap: 0.01)
    let report = try simulator.run(base: school, start: start, scenarios: [scenario])
    #expect(report.scenarios.map(\.name) == ["base", "Two interventionists"])
    let base = report.scenarios[0]
    let more = report.scenarios[1]
    #expect(more.totalServed >= base.totalServed)
    #expect(more.totalServed > base.totalServed)
    #expect(more.staffMinutesAvailable > base.staffMinutesAvailable)
    #expect(more.equity[0].group == "all")
    let text2 = report.text()
    #expect(text2.contains("needs served per day"))
    #expect(report.html().contains("<svg"))
  }

  @Test func aBadScenarioFailsBeforePlanning() throws {
    let scenario = try Scenario.read("remove_staff = [\"NOPE\"]", file: "bad.toml")
    #expect(throws: InputError.self) {
      _ = try Simulator(days: 1).run(base: school, start: start, scenarios: [scenario])
    }
  }
}
