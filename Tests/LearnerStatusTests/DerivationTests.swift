import Testing

@testable import LearnerStatus

/// Levels, waits and weights (spec §2), against hand-computed values.
@Suite struct DerivationTests {}

extension DerivationTests {
  static let date = Day("2026-11-25")!

  func policy(_ method: StatusMethod, decay: Double = 0.65) -> Policy {
    var p = Policy()
    p.method = method
    p.decay = decay
    return p
  }

  func day(_ text: String) -> Day { Day(text)! }

  func school(
    method: StatusMethod = .decaying, evidence: [(String, String, String, Double)],
    history: [(String, String, String)] = [], tiers: [String: Int] = [:], waitCap: Int = 10
  ) -> School {
    var s = School()
    s.policy.method = method
    s.policy.weights.waitCap = waitCap
    let students = Set(evidence.map(\.0)).union(tiers.keys).sorted()
    s.students = students.map { Student(id: $0, tier: tiers[$0] ?? 1) }
    s.targets = Set(evidence.map(\.1)).sorted().map { Target(id: $0, subject: "math") }
    s.evidence = evidence.enumerated().map {
      Evidence(studentID: $1.0, targetID: $1.1, date: day($1.2), level: $1.3, line: $0 + 2)
    }
    s.history = history.map {
      HistoryEntry(date: day($0.2), blockID: "B1", studentID: $0.0, staffID: "T1", targetID: $0.1)
    }
    return s
  }

  func expectClose(
    _ a: Double?, _ b: Double, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(a != nil && abs(a! - b) < 1e-9, "\(String(describing: a)) ≠ \(b)", sourceLocation: sourceLocation)
  }

  @Test func fourMethodsFoldOldestFirst() {
    let values = [2.0, 3.0, 1.0]
    expectClose(Derivation.level(values, policy: policy(.recent)), 1)
    expectClose(Derivation.level(values, policy: policy(.mean)), 2)
    expectClose(Derivation.level(values, policy: policy(.highest)), 3)
    // 2 → 0.65·3 + 0.35·2 = 2.65 → 0.65·1 + 0.35·2.65 = 1.5775
    expectClose(Derivation.level(values, policy: policy(.decaying)), 1.5775)
    // decay 1 is "recent".
    expectClose(Derivation.level(values, policy: policy(.decaying, decay: 1)), 1)
    #expect(Derivation.level([], policy: policy(.mean)) == nil)
    expectClose(Derivation.level([2.5], policy: policy(.decaying)), 2.5)
  }

  @Test func sameDateRowsKeepFileOrderAndFutureEvidenceIsIgnored() {
    let s = school(
      method: .recent,
      evidence: [
        ("S1", "M1", "2026-11-20", 3), ("S1", "M1", "2026-11-10", 1),
        ("S1", "M1", "2026-11-20", 2), ("S1", "M1", "2026-11-26", 4),
      ])
    // Oldest first: 1 (11-10), 3 then 2 (11-20, file order); 4 is after the date.
    expectClose(Derivation.levels(in: s, on: Self.date)[StudentTarget("S1", "M1")], 2)
    var decaying = s
    decaying.policy.method = .decaying
    // 1 → 0.65·3 + 0.35·1 = 2.3 → 0.65·2 + 0.35·2.3 = 2.105
    expectClose(Derivation.levels(in: decaying, on: Self.date)[StudentTarget("S1", "M1")], 2.105)
    // On the day of the future row it counts.
    expectClose(Derivation.levels(in: s, on: day("2026-11-26"))[StudentTarget("S1", "M1")], 4)
  }

  @Test func evidenceOnThePlanDateCounts() {
    let s = school(method: .recent, evidence: [("S1", "M1", "2026-11-24", 1), ("S1", "M1", "2026-11-25", 2)])
    expectClose(Derivation.levels(in: s, on: Self.date)[StudentTarget("S1", "M1")], 2)
  }

  @Test func waitIsDaysSinceLatestEarlierSessionCapped() {
    let s = school(
      method: .recent,
      evidence: [
        ("S1", "M1", "2026-11-01", 2), ("S2", "M1", "2026-11-01", 2), ("S3", "M1", "2026-11-01", 2),
      ],
      history: [
        // The last one is on the plan day itself: not before it.
        ("S1", "M1", "2026-11-18"), ("S1", "M1", "2026-11-22"), ("S1", "M1", "2026-11-25"),
        ("S2", "M1", "2026-11-01"),  // 24 days → cap 10
        ("S3", "M2", "2026-11-24"),  // another target: no effect
      ])
    let needs = Dictionary(
      uniqueKeysWithValues: Derivation.needs(in: s, on: Self.date).map { ($0.student, $0) })
    #expect(needs["S1"]?.wait == 3)
    #expect(needs["S2"]?.wait == 10)
    #expect(needs["S3"]?.wait == 10)
    // weight = gap·(3 − 2) + wait·W
    expectClose(needs["S1"]?.weight, 13)
    expectClose(needs["S2"]?.weight, 20)
  }

  @Test func waitCapAppliesToNeverServedNeeds() {
    let s = school(method: .recent, evidence: [("S1", "M1", "2026-11-01", 2)], waitCap: 4)
    let need = Derivation.needs(in: s, on: Self.date).first
    #expect(need?.wait == 4)
    expectClose(need?.weight, 14)
    #expect(Derivation.wait(since: nil, on: Self.date, policy: s.policy) == 4)
    #expect(Derivation.wait(since: day("2026-11-24"), on: Self.date, policy: s.policy) == 1)
  }

  @Test func tierMultipliers() {
    let s = school(
      method: .recent,
      evidence: [
        ("S1", "M1", "2026-11-01", 2), ("S2", "M1", "2026-11-01", 2), ("S3", "M1", "2026-11-01", 2),
      ],
      tiers: ["S1": 1, "S2": 2, "S3": 3])
    let weights = Dictionary(
      uniqueKeysWithValues: Derivation.needs(in: s, on: Self.date).map { ($0.student, $0.weight) })
    expectClose(weights["S1"], 20)  // 1 · (10·1 + 1·10)
    expectClose(weights["S2"], 30)  // 1.5 · 20
    expectClose(weights["S3"], 40)  // 2 · 20
  }

  @Test func proficientOrAboveIsNoNeed() {
    let s = school(
      method: .recent, evidence: [("S1", "M1", "2026-11-01", 3), ("S1", "M2", "2026-11-01", 2.999)])
    #expect(Derivation.needs(in: s, on: Self.date).map(\.target) == ["M2"])
  }

  @Test func needsAreHeaviestFirstThenStudentThenTarget() {
    let s = school(
      method: .recent,
      evidence: [
        ("S2", "M1", "2026-11-01", 2), ("S1", "M2", "2026-11-01", 2), ("S1", "M1", "2026-11-01", 2),
        ("S3", "M1", "2026-11-01", 0),
      ])
    let order = Derivation.needs(in: s, on: Self.date).map { "\($0.student)/\($0.target)" }
    #expect(order == ["S3/M1", "S1/M1", "S1/M2", "S2/M1"])
  }

  @Test func demandListsStaffAndBlocksThatCouldTeach() {
    var s = school(method: .recent, evidence: [("S1", "M1", "2026-11-01", 2), ("S2", "M1", "2026-11-01", 1)])
    s.targets.append(Target(id: "R1", subject: "reading"))
    s.blocks = [
      Block(id: "B1", start: 540, end: 570, subjects: .only(["math"])),
      Block(id: "B2", start: 600, end: 660),
      Block(id: "B3", start: 700, end: 730, subjects: .only(["reading"])),
    ]
    s.staff = [
      StaffMember(id: "T1", subjects: .any, maxGroupSize: 6, maxMinutes: 30),  // B2 is 60 minutes
      StaffMember(id: "T2", subjects: .only(["math"]), maxGroupSize: 6, maxMinutes: 90),
      StaffMember(id: "T3", subjects: .any, maxGroupSize: 1, maxMinutes: 90),  // below min_size 2
      StaffMember(id: "T4", subjects: .only(["math", "reading"]), maxGroupSize: 3, maxMinutes: 90),
    ]
    s.unavailable = [Unavailability(staffID: "T4", blockID: "B1")]
    let needs = Derivation.needs(in: s, on: Self.date)
    let demand = Derivation.demand(in: s, needs: needs, including: ["R1"])
    #expect(demand.map(\.target) == ["M1", "R1"])
    #expect(demand[0].students == 2)
    #expect(
      demand[0].staff == [
        TeachingOption(staff: "T1", blocks: ["B1"]),
        TeachingOption(staff: "T2", blocks: ["B1", "B2"]),
        TeachingOption(staff: "T4", blocks: ["B2"]),
      ])
    #expect(demand[1].students == 0)
    #expect(
      demand[1].staff == [
        TeachingOption(staff: "T1", blocks: ["B3"]), TeachingOption(staff: "T4", blocks: ["B2", "B3"]),
      ])
  }
}
