import LearnerStatus
import Testing

@testable import Planning

/// `PlanChecker`, one rule at a time (Timefold ConstraintVerifier style): for each rule a
/// plan that breaks exactly that rule, and one that keeps it; the score by hand.
@Suite struct PlanCheckerTests {}

// MARK: - A tiny school, computed by hand

extension PlanCheckerTests {
  static let day = Day("2026-11-25")!

  /// Four students, three targets, two staff members, three 30-minute blocks.
  ///
  /// Need weights (defaults: proficient 3, gap 10, wait 1, wait cap 10, tiers 1.5/2):
  /// - S1 M1: level 2.0, never served → 1 · (10·1 + 10) = 20
  /// - S2 M1: level 1.0, tier 2 → 1.5 · (10·2 + 10) = 45 (history on the day itself is ignored)
  /// - S3 M1: level 2.5, tier 3, served 2026-11-22 → 2 · (10·0.5 + 3) = 16
  /// - S1 R1: 1.0 then 3.0, decaying 0.65 → 2.3 → 10·0.7 + 10 = 17
  /// - S3 R1: level 2.0, tier 3 → 2 · (10 + 10) = 40
  /// - S1 M2: level 1.0 → 30; S2 M2: level 2.0, tier 2 → 30; S3 M2: level 2.0, tier 3 → 40
  /// - S4 needs nothing (M1 at 3.5; R1 evidence dated after the day is ignored);
  ///   S2 R1 at 3.0 is proficient.
  static func school(
    pins: [Pin] = [], extraRequests: [Request] = []
  ) -> School {
    let d = { (text: String) in Day(text)! }
    return School(
      students: [
        Student(id: "S1", givenName: "Lena", familyName: "Rossi", tier: 1),
        Student(id: "S2", givenName: "Dmitri", familyName: "Dubois", tier: 2),
        Student(id: "S3", givenName: "Theo", familyName: "O'Neil", tier: 3),
        Student(id: "S4", givenName: "Kai", familyName: "Brown", tier: 1),
      ],
      targets: [
        Target(id: "M1", subject: "math", title: "Fractions"),
        Target(id: "M2", subject: "math", title: "Decimals"),
        Target(id: "R1", subject: "reading", title: "Main idea"),
      ],
      staff: [
        StaffMember(id: "T1", name: "Teacher One", subjects: .any, maxGroupSize: 3, maxMinutes: 60),
        StaffMember(
          id: "T2", name: "Interventionist Two", subjects: .only(["math"]), maxGroupSize: 2,
          maxMinutes: 30),
      ],
      blocks: [
        Block(id: "B1", start: 540, end: 570, subjects: .only(["math"])),
        Block(id: "B2", start: 600, end: 630),
        Block(id: "B3", start: 660, end: 690),
      ],
      evidence: [
        Evidence(studentID: "S1", targetID: "M1", date: d("2026-11-20"), level: 2.0),
        Evidence(studentID: "S2", targetID: "M1", date: d("2026-11-20"), level: 1.0),
        Evidence(studentID: "S3", targetID: "M1", date: d("2026-11-20"), level: 2.5),
        Evidence(studentID: "S4", targetID: "M1", date: d("2026-11-20"), level: 3.5),
        Evidence(studentID: "S1", targetID: "R1", date: d("2026-11-10"), level: 3.0),
        Evidence(studentID: "S1", targetID: "R1", date: d("2026-11-01"), level: 1.0),
        Evidence(studentID: "S2", targetID: "R1", date: d("2026-11-20"), level: 3.0),
        Evidence(studentID: "S3", targetID: "R1", date: d("2026-11-20"), level: 2.0),
        Evidence(studentID: "S4", targetID: "R1", date: d("2026-11-30"), level: 0.0),
        Evidence(studentID: "S1", targetID: "M2", date: d("2026-11-20"), level: 1.0),
        Evidence(studentID: "S2", targetID: "M2", date: d("2026-11-20"), level: 2.0),
        Evidence(studentID: "S3", targetID: "M2", date: d("2026-11-20"), level: 2.0),
      ],
      unavailable: [Unavailability(staffID: "T2", blockID: "B2")],
      history: [
        HistoryEntry(date: d("2026-11-22"), blockID: "B1", studentID: "S3", staffID: "T1", targetID: "M1"),
        HistoryEntry(date: d("2026-11-18"), blockID: "B1", studentID: "S3", staffID: "T1", targetID: "M1"),
        HistoryEntry(date: d("2026-11-25"), blockID: "B1", studentID: "S2", staffID: "T1", targetID: "M1"),
      ],
      requests: [
        Request(id: "Q1", staffID: "T1", studentID: "S4", blockID: "B2", priority: .normal),
        Request(id: "RH", staffID: "T1", studentID: "S2", blockID: nil, priority: .high),
      ] + extraRequests,
      pins: pins)
  }

  static func checker(pins: [Pin] = [], extraRequests: [Request] = []) -> PlanChecker {
    PlanChecker(school: school(pins: pins, extraRequests: extraRequests), date: day)
  }

  static func session(_ block: String, _ staff: String, _ target: String, _ students: String...)
    -> Session
  {
    Session(block: block, staff: staff, target: target, students: students)
  }

  /// A plan that keeps every rule: score 20 + 45 + 16 + 17 + 12 (Q1) + 30 (RH) − 3·4 = 128.
  static let validPlan = [
    session("B1", "T2", "M1", "S1", "S2"),
    session("B2", "T1", "M1", "S3", "S4"),
    session("B3", "T1", "R1", "S1", "S2"),
  ]

  /// Expects exactly one violation, of `rule`, with `items`.
  func expectOnly(
    _ rule: String, items: [String], in sessions: [Session],
    checker: PlanChecker = PlanCheckerTests.checker(),
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let found = checker.violations(of: sessions)
    #expect(found.map(\.rule) == [rule], "\(found)", sourceLocation: sourceLocation)
    #expect(found.first?.items == items, "\(found)", sourceLocation: sourceLocation)
  }

  func expectNone(
    in sessions: [Session], checker: PlanChecker = PlanCheckerTests.checker(),
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    let found = checker.violations(of: sessions)
    #expect(found.isEmpty, "\(found)", sourceLocation: sourceLocation)
  }
}

// MARK: - Needs

extension PlanCheckerTests {
  @Test func needWeightsByHand() {
    let checker = Self.checker()
    let expected: [(String, String, Double)] = [
      ("S1", "M1", 20), ("S2", "M1", 45), ("S3", "M1", 16), ("S1", "R1", 17), ("S3", "R1", 40),
      ("S1", "M2", 30), ("S2", "M2", 30), ("S3", "M2", 40),
    ]
    for (student, target, weight) in expected {
      let found = checker.needWeight(student: student, target: target)
      #expect(
        found != nil && abs(found! - weight) < 1e-9, "\(student) \(target): \(String(describing: found))")
    }
    #expect(checker.needWeight(student: "S4", target: "M1") == nil)  // proficient
    #expect(checker.needWeight(student: "S4", target: "R1") == nil)  // evidence after the day
    #expect(checker.needWeight(student: "S2", target: "R1") == nil)  // exactly proficient
    #expect(checker.needWeight(student: "S4", target: "M2") == nil)  // no evidence
  }

  @Test func foldByMethod() {
    let values = [1.0, 3.0, 2.0]
    #expect(PlanChecker.fold(values, method: .recent, decay: 0.65) == 2.0)
    #expect(PlanChecker.fold(values, method: .highest, decay: 0.65) == 3.0)
    #expect(PlanChecker.fold(values, method: .mean, decay: 0.65) == 2.0)
    let decaying = PlanChecker.fold(values, method: .decaying, decay: 0.5)!
    #expect(abs(decaying - (0.5 * 2 + 0.5 * (0.5 * 3 + 0.5 * 1))) < 1e-12)
    #expect(PlanChecker.fold([], method: .mean, decay: 0.5) == nil)
  }
}

// MARK: - Rules

extension PlanCheckerTests {
  @Test func validPlanKeepsEveryRule() {
    expectNone(in: Self.validPlan)
  }

  @Test func r1TwoSessionsInOneBlock() {
    expectOnly(
      "R1", items: ["T1", "B2", "M1", "R1"],
      in: [
        Self.session("B1", "T2", "M1", "S1", "S2"),
        Self.session("B2", "T1", "M1", "S3", "S4"),
        Self.session("B2", "T1", "R1", "S1", "S2"),
      ])
  }

  @Test func r1UnavailableBlock() {
    expectOnly("R1", items: ["T2", "B2"], in: [Self.session("B2", "T2", "M1", "S1", "S2")])
    expectNone(in: [Self.session("B3", "T2", "M1", "S1", "S2")])
  }

  @Test func r2StaffSubject() {
    expectOnly("R2", items: ["T2", "R1"], in: [Self.session("B3", "T2", "R1", "S1", "S3")])
    expectNone(in: [Self.session("B3", "T1", "R1", "S1", "S3")])
  }

  @Test func r2BlockSubject() {
    expectOnly("R2", items: ["B1", "R1"], in: [Self.session("B1", "T1", "R1", "S1", "S3")])
    expectNone(in: [Self.session("B1", "T1", "M1", "S1", "S3")])
  }

  @Test func r3StaffMinutes() {
    let plan = [
      Self.session("B1", "T1", "M1", "S1", "S2"),
      Self.session("B2", "T1", "R1", "S1", "S3"),
      Self.session("B3", "T1", "M2", "S1", "S2"),
    ]
    expectOnly("R3", items: ["T1", "B1", "B2", "B3"], in: plan)
    expectNone(in: Array(plan.prefix(2)))  // 60 minutes: exactly the maximum
  }

  @Test func r4TooFewStudents() {
    expectOnly("R4", items: ["B1", "T2", "M1"], in: [Self.session("B1", "T2", "M1", "S1")])
  }

  @Test func r4TooManyStudents() {
    expectOnly("R4", items: ["B1", "T2", "M1"], in: [Self.session("B1", "T2", "M1", "S1", "S2", "S3")])
    expectNone(in: [Self.session("B1", "T1", "M1", "S1", "S2", "S3")])  // T1 takes 3
  }

  @Test func r5TwoSessionsInOneBlock() {
    let plan = [
      Self.session("B1", "T2", "M1", "S1", "S2"),
      Self.session("B1", "T1", "M2", "S1", "S3"),
    ]
    expectOnly("R5", items: ["S1", "B1", "T2", "T1"], in: plan)
    #expect(
      Self.checker().violations(of: plan).first?.message
        == "S1 is in two sessions in block B1 (T2, T1)")
    expectNone(in: [plan[0], Self.session("B2", "T1", "M2", "S1", "S3")])
  }

  @Test func r5StudentListedTwiceInOneSession() {
    let found = Self.checker().violations(of: [Self.session("B2", "T1", "M1", "S1", "S1")])
    #expect(found.map(\.rule) == ["R5"])
    #expect(found.first?.message == "S1 is listed 2 times in T1's session on M1 in block B2")
  }

  @Test func r6NoNeedRequestOrPin() {
    expectOnly("R6", items: ["S4", "B3", "T1", "M1"], in: [Self.session("B3", "T1", "M1", "S1", "S4")])
    // Q1 asks for S4 with T1 in B2; RH asks for S2 with T1 in any block.
    expectNone(in: [Self.session("B2", "T1", "M1", "S1", "S4")])
    expectNone(in: [Self.session("B3", "T1", "R1", "S1", "S2")])
    // A pin allows it too (and then holds).
    let pinned = Self.checker(pins: [Pin(studentID: "S4", blockID: "B3", staffID: "T1")])
    expectNone(in: [Self.session("B3", "T1", "M1", "S1", "S4")], checker: pinned)
    // Q1 is for T1, not T2.
    expectOnly("R6", items: ["S4", "B3", "T2", "M1"], in: [Self.session("B3", "T2", "M1", "S1", "S4")])
  }

  @Test func r7TwoSessionsOnOneTarget() {
    expectOnly(
      "R7", items: ["S1", "M1", "B1", "B2"],
      in: [
        Self.session("B1", "T2", "M1", "S1", "S2"),
        Self.session("B2", "T1", "M1", "S1", "S3"),
      ])
  }

  @Test func r8Pin() {
    let checker = Self.checker(pins: [Pin(studentID: "S3", blockID: "B2", staffID: "T1")])
    expectOnly("R8", items: ["S3", "B2", "T1"], in: [Self.validPlan[0]], checker: checker)
    expectNone(in: Self.validPlan, checker: checker)
  }

  @Test func r9RequiredRequest() {
    let anyBlock = Self.checker(extraRequests: [
      Request(id: "QR", staffID: "T1", studentID: "S1", blockID: nil, priority: .required)
    ])
    expectOnly("R9", items: ["QR", "S1", "T1"], in: [Self.validPlan[0]], checker: anyBlock)
    expectNone(in: Self.validPlan, checker: anyBlock)

    let inBlock = Self.checker(extraRequests: [
      Request(id: "QB", staffID: "T1", studentID: "S3", blockID: "B3", priority: .required)
    ])
    // S3 is with T1, but in B2, not B3.
    expectOnly("R9", items: ["QB", "S3", "T1", "B3"], in: Self.validPlan, checker: inBlock)
    expectNone(
      in: [Self.validPlan[0], Self.session("B3", "T1", "R1", "S1", "S3")], checker: inBlock)
  }

  @Test func r10UnknownIds() {
    expectOnly("R10", items: ["S9"], in: [Self.session("B2", "T1", "M1", "S1", "S9")])
    expectOnly("R10", items: ["B9"], in: [Self.session("B9", "T1", "M1", "S1", "S2")])
    expectOnly("R10", items: ["X1"], in: [Self.session("B2", "T1", "X1", "S1", "S2")])
    expectOnly("R10", items: ["TX"], in: [Self.session("B2", "TX", "M1", "S1", "S2")])
  }

  @Test func r10UnknownRequestInOutcomes() {
    let found = Self.checker().violations(
      of: Self.validPlan,
      requests: [
        RequestOutcome(requestID: "Q1", honored: true), RequestOutcome(requestID: "NOPE", honored: false),
      ])
    #expect(found.map(\.rule) == ["R10"])
    #expect(found.first?.items == ["NOPE"])
  }

  @Test func violationsComeInRuleOrder() {
    let found = Self.checker().violations(of: [
      Self.session("B2", "T1", "M1", "S1", "S9"),  // R10
      Self.session("B2", "T2", "M1", "S3"),  // R1 (unavailable), R4
    ])
    #expect(found.map(\.rule) == ["R1", "R4", "R10"])
  }
}

// MARK: - Score

extension PlanCheckerTests {
  @Test func scoreOfValidPlan() {
    let checker = Self.checker()
    #expect(abs(checker.score(of: Self.validPlan) - 128) < 1e-9)
    #expect(checker.honoredRequests(in: Self.validPlan) == ["Q1", "RH"])
  }

  @Test func requestCountsOnceAcrossSessions() {
    // S2 is in two of T1's sessions; RH (any block) adds 30 once. Q1 is not honored.
    let plan = [
      Self.session("B2", "T1", "M1", "S2", "S3"),
      Self.session("B3", "T1", "R1", "S1", "S2"),
    ]
    let checker = Self.checker()
    #expect(checker.honoredRequests(in: plan) == ["RH"])
    #expect(abs(checker.score(of: plan) - (45 + 16 + 17 + 30 - 8)) < 1e-9)
  }

  @Test func requiredRequestAddsNothing() {
    let checker = Self.checker(extraRequests: [
      Request(id: "QR", staffID: "T1", studentID: "S1", blockID: nil, priority: .required)
    ])
    #expect(checker.honoredRequests(in: Self.validPlan).contains("QR"))
    #expect(abs(checker.score(of: Self.validPlan) - 128) < 1e-9)
  }

  @Test func sessionCostAndEmptyPlan() {
    let checker = Self.checker()
    #expect(checker.score(of: []) == 0)
    // S4 joins by Q1 and needs nothing: 20 + 0 + 12 − 4.
    #expect(abs(checker.score(of: [Self.session("B2", "T1", "M1", "S1", "S4")]) - 28) < 1e-9)
  }

  @Test func unknownSessionAddsOnlyItsCost() {
    let checker = Self.checker()
    #expect(checker.score(of: [Self.session("B9", "T1", "M1", "S1", "S2")]) == -4)
  }
}
