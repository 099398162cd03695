import Foundation
import LearnerStatus
import SchoolGenerator
import Testing

@testable import Planning

/// Every kind of generated school plans without a crash into a plan that keeps the rules, and
/// the staff block patterns are right on days of many blocks.
@Suite struct ProfilePlanTests {
  /// A small school of each profile: a plan (not a crash), every rule kept, an honest bound.
  @Test(arguments: SchoolProfile.all.map(\.name))
  func everyProfilePlansWithinTheRules(_ name: String) throws {
    let profile = try #require(SchoolProfile.named(name))
    let school = SchoolGenerator(students: 40, seed: 3, profile: profile).school()
    let date = try #require(school.policy.date)
    let plan = try Planner(options: PlanOptions(timeLimit: 5)).plan(school, date: date)
    #expect(plan.status == .optimal || plan.status == .feasible, "\(name): \(plan.status)")
    let objective = try #require(plan.objective)
    let checker = PlanChecker(school: school, date: date)
    #expect(checker.violations(of: plan.sessions, requests: plan.requests).isEmpty)
    #expect(abs(checker.score(of: plan.sessions) - objective) < 1e-6 * max(1, abs(objective)))
    if let bound = plan.bound { #expect(bound >= objective - 1e-6 * max(1, abs(objective))) }
  }

  /// A day with blocks `minutes` and one staff member who may lead in all of them.
  static func day(minutes: [Int]) -> DayInput {
    var school = SchoolGenerator(students: 12, seed: 1, profile: .rural).school()
    var start = 8 * 60
    school.blocks = minutes.enumerated().map { i, m in
      defer { start += m + 5 }
      return Block(id: "B\(i + 1)", start: start, end: start + m, line: i + 2)
    }
    school.unavailable = []
    school.history = []
    school.pins = []
    school.requests = []
    let date = school.policy.date!
    return DayInput(school: school, date: date, needs: Derivation.needs(in: school, on: date))
  }

  /// The maximal block sets within a staff member's minutes are exactly those of brute force
  /// over every subset, in the order of their bit masks.
  @Test func maximalPatternsMatchBruteForce() {
    let minutes = [20, 25, 20, 30, 45, 20, 25, 40, 15, 20]
    let formulation = DayFormulation(day: Self.day(minutes: minutes))
    let blocks = Array(0..<minutes.count)
    for maxMinutes in [10, 15, 40, 60, 95, 130, 200, 260, 400] {
      var fitting: [[Int]] = []
      for mask in 1..<(1 << blocks.count) {
        let set = blocks.filter { mask & (1 << $0) != 0 }
        if set.map({ minutes[$0] }).reduce(0, +) <= maxMinutes { fitting.append(set) }
      }
      let sets = fitting.map(Set.init)
      let maximal = fitting.enumerated().filter { i, _ in
        !sets.indices.contains { j in j != i && sets[i].isStrictSubset(of: sets[j]) }
      }.map(\.element)
      #expect(
        formulation.maximalPatterns(blocks: blocks, maxMinutes: maxMinutes) == maximal,
        "max minutes \(maxMinutes)")
    }
    // A subset of the blocks, in their order.
    let some = [1, 4, 7, 9]
    #expect(
      formulation.maximalPatterns(blocks: some, maxMinutes: 65)
        == [[1, 7], [1, 9], [4, 9], [7, 9]])
  }

  /// Many short blocks (24, more than the old subset enumeration allowed) do not stop the
  /// process: the patterns are found and a day of them plans within the rules.
  @Test func manyShortBlocksPlan() throws {
    let day = Self.day(minutes: Array(repeating: 20, count: 24))
    let patterns = DayFormulation(day: day).maximalPatterns(
      blocks: Array(0..<24), maxMinutes: 60)
    #expect(patterns.count == 24 * 23 * 22 / 6)
    #expect(patterns.allSatisfy { $0.count == 3 })
    let plan = try Planner(options: PlanOptions(timeLimit: 5)).plan(day.school, date: day.date)
    #expect(plan.objective != nil)
    let checker = PlanChecker(school: day.school, date: day.date)
    #expect(checker.violations(of: plan.sessions, requests: plan.requests).isEmpty)
  }

  /// `Planner.build` picks the model the size rule gives (long rows when the lean model has
  /// at most `largeModel` columns, else lean rows), whichever it builds first: the same
  /// columns and rows as building the lean model, then the long one when small.
  @Test(arguments: [
    (120, "standard"), (300, "standard"), (600, "standard"), (800, "standard"), (200, "high"),
    (150, "large"),
  ])
  func buildFollowsTheSizeRule(_ students: Int, _ profile: String) throws {
    let school = SchoolGenerator(
      students: students, seed: 2, profile: try #require(SchoolProfile.named(profile))
    ).school()
    let date = try #require(school.policy.date)
    let day = DayInput(school: school, date: date, needs: Derivation.needs(in: school, on: date))
    var formulation = DayFormulation(day: day)
    let lean = formulation.makeModel()
    formulation.leanLinking = false
    let long = formulation.makeModel()
    let expected = lean.model.variables.count <= Planner.largeModel ? long : lean
    let built = Planner().build(day)
    #expect(built.leanLinking == expected.leanLinking)
    #expect(built.model.variables.map(\.name) == expected.model.variables.map(\.name))
    #expect(built.model.constraints.map(\.name) == expected.model.constraints.map(\.name))
  }

  /// Model names keep letters, digits and `_ . -`, spell other characters as `x` and hex, and
  /// stop at 250 characters.
  @Test func lpNamesAreSafe() {
    #expect(lpName("R5", "S 1", "Chloé") == "R5_Sx201_Chloxe9")
    #expect(lpName("y", "S00012", "B1", "T-3", "M3.01") == "y_S00012_B1_T-3_M3.01")
    #expect(lpName(String(repeating: "ab", count: 200)).count == 250)
    #expect(lpName("€", String(repeating: "z", count: 260)) == "x20ac_" + String(repeating: "z", count: 244))
    #expect(lpName() == "")
  }
}
