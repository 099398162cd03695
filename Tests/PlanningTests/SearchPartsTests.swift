import Foundation
import LearnerStatus
import SchoolGenerator
import Solver
import Testing

@testable import Planning

/// The search's parts on generated schools: the Lagrangian bound never falls below a proven
/// optimum, and a small neighbourhood of a plan contains that plan and returns valid plans.
@Suite struct SearchPartsTests {
  /// The day of a generated school, ready for the planner's parts.
  static func day(students: Int, seed: UInt64) throws -> DayInput {
    let school = SchoolGenerator(students: students, seed: seed).school()
    let date = try #require(school.policy.date)
    return DayInput(school: school, date: date, needs: Derivation.needs(in: school, on: date))
  }

  /// A generated 300-student school's greedy plan, scored, and a neighbourhood search of its day.
  struct GreedyStart {
    let day: DayInput
    let built: BuiltModel
    let sessions: [Session]
    let checker: PlanChecker
    let score: Double
    let search: Neighbourhood
    /// The plan's sessions in the school's first block (indices into `sessions`).
    let inFirstBlock: [Int]

    init(seed: UInt64) throws {
      day = try SearchPartsTests.day(students: 300, seed: seed)
      built = DayFormulation(day: day).makeModel()
      sessions = try #require(GreedyPlanner(day: day).plan())
      checker = PlanChecker(school: day.school, date: day.date)
      score = checker.score(of: sessions)
      search = Neighbourhood(day: day, built: built)
      let firstBlock = day.school.blocks[0].id
      inFirstBlock = sessions.indices.filter { [sessions] in sessions[$0].block == firstBlock }
    }
  }
}

extension SearchPartsTests {
  @Test(arguments: [1, 2, 3] as [UInt64], [false, true])
  func lagrangianBoundIsNeverBelowTheOptimum(_ seed: UInt64, volume: Bool) throws {
    let day = try Self.day(students: 40, seed: seed)
    #expect(!day.school.requests.isEmpty, "the school should exercise the request multipliers")
    let plan = try Planner(options: PlanOptions(timeLimit: 600)).plan(day)
    #expect(plan.status == .optimal)
    let optimum = try #require(plan.objective)
    let built = DayFormulation(day: day).makeModel()
    var lagrangian = LagrangianBound(day: day, classes: built.classes)
    if volume {
      lagrangian.runVolume(until: .infinity, maxIterations: 3_000, lowerBound: 0)
      #expect(!lagrangian.averageSessions.isEmpty)
    } else {
      lagrangian.run(until: .infinity, maxIterations: 300, lowerBound: 0)
    }
    #expect(lagrangian.bound.isFinite)
    #expect(lagrangian.bound >= optimum - 1e-6 * max(1, abs(optimum)))
  }

  /// The volume algorithm ends closer to the optimum than 300 plain subgradient steps do
  /// (the reason it is used): on a 300-student school its bound is the lower one.
  @Test func theVolumeAlgorithmBoundsTighterThanPlainSubgradientSteps() throws {
    let day = try Self.day(students: 300, seed: 2)
    let built = DayFormulation(day: day).makeModel()
    var plain = LagrangianBound(day: day, classes: built.classes)
    plain.run(until: .infinity, maxIterations: 300, lowerBound: 0)
    var volume = LagrangianBound(day: day, classes: built.classes)
    volume.runVolume(until: .infinity, maxIterations: 3_000, lowerBound: 0)
    #expect(volume.bound < plain.bound)
  }

  /// The restricted day guided by the relaxation's averaged sessions gives plans that keep
  /// every rule, pins and required requests included (the dive's first plans come in
  /// seconds; proving its 0.05% gap may take minutes, so the search is cut at 15 s).
  @Test(arguments: [5, 6] as [UInt64])
  func theGuidedRestrictionGivesValidPlans(_ seed: UInt64) throws {
    let day = try Self.day(students: 300, seed: seed)
    #expect(!day.pins.isEmpty || day.school.requests.contains { $0.priority == .required })
    let built = DayFormulation(day: day).makeModel()
    var lagrangian = LagrangianBound(day: day, classes: built.classes)
    lagrangian.runVolume(until: .infinity, maxIterations: 2_000, lowerBound: 0)
    let search = Neighbourhood(day: day, built: built)
    let found = try #require(
      search.search(
        around: [], restriction: search.restriction(guidedBy: lagrangian.averageSessions), seconds: 15,
        log: false, gap: 5e-4, dive: true))
    let checker = PlanChecker(school: day.school, date: day.date)
    #expect(checker.violations(of: found.sessions).isEmpty)
    #expect(checker.score(of: found.sessions) <= lagrangian.bound + 1e-6)
  }

  @Test func aSmallNeighbourhoodHoldsItsPlanAndReturnsValidPlans() throws {
    let start = try GreedyStart(seed: 4)
    let (day, built, sessions, checker, startScore, search) = (
      start.day, start.built, start.sessions, start.checker, start.score, start.search
    )
    let inFirstBlock = start.inFirstBlock
    let someStaff = Set(
      day.school.staff.indices.filter { built.classOf[$0] >= 0 }.prefix(2))
    for (released, freed) in [(Set(inFirstBlock.prefix(6)), Set<Int>()), (Set<Int>(), someStaff)] {
      let restriction = search.restriction(around: sessions, releasing: released, freeing: freed)
      var formulation = DayFormulation(day: day)
      formulation.restriction = restriction
      let small = formulation.makeModel()
      // The plan itself is a point of its neighbourhood.
      let values = try #require(WarmStart(day: day, built: small).values(for: sessions))
      #expect(FeasibilityReport(model: small.model, values: values).isFeasible)
      let found = try #require(
        search.search(around: sessions, restriction: restriction, seconds: 600, log: false, gap: 1e-6))
      #expect(checker.violations(of: found.sessions).isEmpty)
      #expect(checker.score(of: found.sessions) >= startScore - 1e-6)
    }
  }
}

extension SearchPartsTests {
  /// A search given `stopAt` stops at its first plan scoring at least that (here the warm
  /// start itself), where the same search without it runs on to its proven optimum.
  @Test func aSearchWithStopAtStopsAtItsFirstGoodEnoughPlan() throws {
    let start = try GreedyStart(seed: 4)
    let restriction = start.search.restriction(
      around: start.sessions, releasing: Set(start.inFirstBlock.prefix(6)))
    let full = try #require(
      start.search.search(
        around: start.sessions, restriction: restriction, seconds: 600, log: false, gap: 1e-6))
    #expect(full.termination == .optimal)
    let stopped = try #require(
      start.search.search(
        around: start.sessions, restriction: restriction, seconds: 600, log: false, gap: 1e-6,
        stopAt: start.score - 1e-6))
    #expect(stopped.termination == .interrupted)
    #expect(start.checker.violations(of: stopped.sessions).isEmpty)
    #expect(start.checker.score(of: stopped.sessions) >= start.score - 1e-6)
  }
}

extension SearchPartsTests {
  /// A re-plan's relaxation prices the published placements it could keep (each a named
  /// seat's `move` bonus, §13) instead of adding move · every keepable placement: its bound
  /// is still never below the re-plan's proven optimum, and it is tighter than the old sum.
  @Test(arguments: [1, 2, 3] as [UInt64])
  func aReplansLagrangianBoundIsNeverBelowItsOptimum(_ seed: UInt64) throws {
    let first = try Self.day(students: 40, seed: seed)
    let published = try #require(try Planner(options: PlanOptions(timeLimit: 600)).plan(first).sessions)
    // The staff member with the most students is out for the day.
    var seats: [String: Int] = [:]
    for s in published { seats[s.staff, default: 0] += s.students.count }
    let absent = try #require(seats.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.first?.key)
    var school = first.school
    school.absences = [Absence(date: first.date, id: absent)]
    let week = WeekDay.prepare(school, on: first.date)
    let day = DayInput(
      school: week.school, date: first.date, needs: Derivation.needs(in: week.school, on: first.date),
      published: published)
    #expect(!day.keepable.isEmpty)
    let plan = try Planner(options: PlanOptions(timeLimit: 600)).plan(day)
    #expect(plan.status == .optimal)
    let optimum = try #require(plan.objective)  // §4 + move · kept
    let built = DayFormulation(day: day).makeModel()
    for volume in [false, true] {
      var lagrangian = LagrangianBound(day: day, classes: built.classes)
      if volume {
        lagrangian.runVolume(until: .infinity, maxIterations: 3_000, lowerBound: 0)
      } else {
        lagrangian.run(until: .infinity, maxIterations: 300, lowerBound: 0)
      }
      #expect(lagrangian.bound >= optimum - 1e-6 * max(1, abs(optimum)))
      // The relaxation without the bonuses plus move · keepable bounds the same plans from above.
      let unpriced = DayInput(
        school: week.school, date: first.date, needs: Derivation.needs(in: week.school, on: first.date))
      var plain = LagrangianBound(day: unpriced, classes: DayFormulation(day: unpriced).makeModel().classes)
      plain.run(until: .infinity, maxIterations: 300, lowerBound: 0)
      #expect(lagrangian.bound < plain.bound + day.moveWeight * Double(day.keepable.count))
    }
  }
}
