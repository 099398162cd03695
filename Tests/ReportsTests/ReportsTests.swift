import Foundation
import LearnerStatus
import Planning
import Testing

@testable import Reports

/// The renderers: exact JSON, JSON read back, CSV quoting, the day sheet, check output.
@Suite struct ReportsTests {}

extension ReportsTests {
  static let day = Day("2026-11-25")!

  static let school = School(
    policy: {
      var policy = Policy()
      policy.name = "Hill School"
      return policy
    }(),
    students: [
      Student(id: "S1", givenName: "Lena", familyName: "Rossi"),
      Student(id: "S2", givenName: "Theo", familyName: "Johnson, Jr."),
      Student(id: "S3", givenName: "Kai", familyName: "Brown"),
    ],
    targets: [Target(id: "M1", subject: "math", title: "Fractions")],
    staff: [
      StaffMember(id: "T1", name: "Teacher One", maxGroupSize: 6, maxMinutes: 70),
      StaffMember(id: "T2", name: "Teacher Two", maxGroupSize: 6, maxMinutes: 70),
    ],
    blocks: [Block(id: "B1", start: 540, end: 570), Block(id: "B2", start: 615, end: 645)],
    requests: [
      Request(id: "Q1", staffID: "T1", studentID: "S1", blockID: "B1", priority: .normal),
      Request(id: "Q2", staffID: "T2", studentID: "S3", blockID: nil, priority: .high),
    ])

  static let plan = Plan(
    date: day, status: .optimal, objective: 702.804375, bound: 866.0,
    sessions: [
      Session(block: "B1", staff: "T1", target: "M1", students: ["S1", "S2"]),
      Session(block: "B2", staff: "T2", target: "M1", students: ["S2", "S3"]),
    ],
    requests: [
      RequestOutcome(requestID: "Q1", honored: true),
      RequestOutcome(requestID: "Q2", honored: false, reason: "T2 has no \"room\" left"),
    ],
    seconds: 1.23456)
}

// MARK: - JSON

extension ReportsTests {
  @Test func jsonGolden() {
    let expected = """
      {
        "date": "2026-11-25",
        "status": "optimal",
        "objective": 702.804375,
        "bound": 866.0,
        "gap": 0.188447604,
        "seconds": 1.235,
        "sessions": [
          {"block": "B1", "staff": "T1", "target": "M1", "students": ["S1", "S2"]},
          {"block": "B2", "staff": "T2", "target": "M1", "students": ["S2", "S3"]}
        ],
        "requests": [
          {"request_id": "Q1", "honored": true},
          {"request_id": "Q2", "honored": false, "reason": "T2 has no \\"room\\" left"}
        ],
        "conflicts": []
      }

      """
    #expect(PlanJSON.render(Self.plan) == expected)
  }

  @Test func jsonWithoutPlan() {
    let plan = Plan(
      date: Self.day, status: .infeasible, objective: nil, bound: nil, sessions: [],
      requests: [],
      conflicts: [
        Conflict(rules: ["R8"], items: ["S1", "B1", "T1", "T2"], message: "S1 is pinned\nto T1 and T2")
      ])
    let expected = """
      {
        "date": "2026-11-25",
        "status": "infeasible",
        "objective": null,
        "bound": null,
        "gap": null,
        "seconds": 0.000,
        "sessions": [],
        "requests": [],
        "conflicts": [
          {"rules": ["R8"], "items": ["S1", "B1", "T1", "T2"], "message": "S1 is pinned\\nto T1 and T2"}
        ]
      }

      """
    #expect(PlanJSON.render(plan) == expected)
  }

  @Test func jsonIsValidAndRoundTrips() throws {
    let text = PlanJSON.render(Self.plan)
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    #expect(object?["objective"] as? Double == 702.804375)
    let decoded = try PlanJSON.decode(Data(text.utf8))
    #expect(decoded.date == Self.day)
    #expect(decoded.status == .optimal)
    #expect(decoded.objective == 702.804375)
    #expect(decoded.bound == 866)
    #expect(decoded.sessions == Self.plan.sessions)
    #expect(decoded.requests == Self.plan.requests)
  }

  @Test func stringEscaping() {
    #expect(Reports.JSONText.string("a\"b\\c\n\t\u{01}é") == "\"a\\\"b\\\\c\\n\\t\\u0001é\"")
  }

  @Test func numbersAreByteStable() {
    #expect(Number.format(866) == "866.0")
    #expect(Number.format(702.8043750000001) == "702.804375")
    #expect(Number.format(0.1 + 0.2) == "0.3")
    #expect(Number.format(-0.0000001) == "0.0")
    #expect(Number.format(-12.5) == "-12.5")
    #expect(Number.fixed(1.2345, decimals: 3) == "1.234" || Number.fixed(1.2345, decimals: 3) == "1.235")
    #expect(Number.fixed(0.05, decimals: 3) == "0.050")
    #expect(Number.fixed(12, decimals: 3) == "12.000")
    #expect(JSONText.number(.nan) == "null")
  }

  @Test func decodeMinimalPlan() throws {
    let json = #"{"date": "2026-11-25", "sessions": [], "extra": {"ignored": true}}"#
    let decoded = try PlanJSON.decode(Data(json.utf8))
    #expect(decoded == DecodedPlan(date: Self.day, sessions: []))
  }

  @Test(arguments: [
    ("", "not valid JSON"),
    ("{\"date\": \"2026-11-25\", ", "not valid JSON"),
    ("[]", "the plan: expected an object"),
    (#"{"sessions": []}"#, #"missing "date""#),
    (#"{"date": "2026-11-25"}"#, #"missing "sessions""#),
    (#"{"date": "2026-02-30", "sessions": []}"#, "date: expected a day as YYYY-MM-DD"),
    (#"{"date": 20261125, "sessions": []}"#, "date: expected a string"),
    (#"{"date": "2026-11-25", "status": "great", "sessions": []}"#, "status: expected optimal"),
    (#"{"date": "2026-11-25", "sessions": {}}"#, "sessions: expected a list"),
    (
      #"{"date": "2026-11-25", "sessions": [{"block": "B1", "staff": "T1", "target": "M1", "students": ["S1", 2]}]}"#,
      "sessions[0].students[1]: expected a string"
    ),
    (
      #"{"date": "2026-11-25", "sessions": [{"block": "B1", "target": "M1", "students": []}]}"#,
      #"sessions[0]: missing "staff""#
    ),
    (
      #"{"date": "2026-11-25", "sessions": [], "requests": [{"request_id": "Q1", "honored": "yes"}]}"#,
      "requests[0].honored: expected true or false"
    ),
    (#"{"date": "2026-11-25", "sessions": [], "objective": "12"}"#, "objective: expected a number"),
  ])
  func decodeErrors(json: String, message: String) {
    do {
      _ = try PlanJSON.decode(Data(json.utf8))
      Issue.record("expected an error for \(json)")
    } catch let error as PlanFileError {
      #expect(error.message.hasPrefix(message), "\(error.message)")
    } catch {
      Issue.record("unexpected error \(error)")
    }
  }
}

// MARK: - CSV

extension ReportsTests {
  @Test func csvRows() {
    let expected = """
      date,block,start,end,staff,target,student
      2026-11-25,B1,09:00,09:30,T1,M1,S1
      2026-11-25,B1,09:00,09:30,T1,M1,S2
      2026-11-25,B2,10:15,10:45,T2,M1,S2
      2026-11-25,B2,10:15,10:45,T2,M1,S3

      """
    #expect(PlanCSV.render(Self.plan, school: Self.school) == expected)
  }

  @Test func csvQuotingAndFormulaEscaping() {
    #expect(PlanCSV.cell("S1") == "S1")
    #expect(PlanCSV.cell("a,b") == "\"a,b\"")
    #expect(PlanCSV.cell("say \"hi\"") == "\"say \"\"hi\"\"\"")
    #expect(PlanCSV.cell("two\nlines") == "\"two\nlines\"")
    #expect(PlanCSV.cell("=SUM(A1)") == "'=SUM(A1)")
    #expect(PlanCSV.cell("+1") == "'+1")
    #expect(PlanCSV.cell("-2") == "'-2")
    #expect(PlanCSV.cell("@cmd") == "'@cmd")
    #expect(PlanCSV.cell("=A1,B1") == "\"'=A1,B1\"")
    #expect(PlanCSV.cell("M-1") == "M-1")
  }

  @Test func csvEscapesIdsAndLeavesUnknownBlockTimesEmpty() {
    let plan = Plan(
      date: Self.day, status: .feasible, objective: 1, bound: 2,
      sessions: [Session(block: "X", staff: "=cmd|' /C calc'!A0", target: "M1", students: ["S,1"])],
      requests: [])
    #expect(
      PlanCSV.render(plan, school: Self.school)
        == "date,block,start,end,staff,target,student\n2026-11-25,X,,,'=cmd|' /C calc'!A0,M1,\"S,1\"\n")
  }
}

// MARK: - Text

extension ReportsTests {
  @Test func textDaySheet() {
    let text = PlanText.render(Self.plan, school: Self.school)
    for part in [
      "Plan for Hill School, 2026-11-25", "status: optimal", "score:  702.804375", "bound:  866.0",
      "Sessions", "  B1 09:00-09:30", "Teacher One (T1): M1 Fractions, 2 students",
      "Lena Rossi (S1), Theo Johnson, Jr. (S2)",
      "Staff", "Teacher Two (T2): 30 of 70 minutes; B2 M1",
      "Home base (not in a session)", "B1 09:00-09:30: 1 student: S3", "B2 10:15-10:45: 1 student: S1",
      "Requests", "Q1 (normal, T1 for S1 in block B1): honored",
      "Q2 (high, T2 for S3 in any block): not honored; T2 has no \"room\" left",
    ] {
      #expect(text.contains(part), "missing \(part)\n\(text)")
    }
    #expect(!text.contains("Conflicts"))
  }

  @Test func textShowsConflicts() {
    let plan = Plan(
      date: Self.day, status: .infeasible, objective: nil, bound: nil, sessions: [], requests: [],
      conflicts: [Conflict(rules: ["R8"], items: ["S1"], message: "S1 is pinned to T1 and to T2 in block B1")]
    )
    let text = PlanText.render(plan, school: Self.school)
    #expect(text.contains("score:  none"))
    #expect(text.contains("Conflicts\n  R8: S1 is pinned to T1 and to T2 in block B1"))
  }
}

// MARK: - Check output

extension ReportsTests {
  static let violations = [
    Violation(
      rule: "R5", items: ["S017", "B1", "T01", "I002"],
      message: "S017 is in two sessions in block B1 (T01, I002)"),
    Violation(rule: "R10", items: ["X"], message: "target \"X\" is not in targets.csv"),
  ]

  @Test func checkText() {
    #expect(
      CheckReport.renderText(Self.violations, score: 1234.5)
        == "R5: S017 is in two sessions in block B1 (T01, I002)\nR10: target \"X\" is not in targets.csv\nscore: 1234.5\n"
    )
    #expect(CheckReport.renderText([], score: 866) == "score: 866.0\n")
  }

  @Test func checkJSON() throws {
    let expected = """
      {
        "violations": [
          {"rule": "R5", "items": ["S017", "B1", "T01", "I002"], "message": "S017 is in two sessions in block B1 (T01, I002)"},
          {"rule": "R10", "items": ["X"], "message": "target \\"X\\" is not in targets.csv"}
        ],
        "score": 1234.5
      }

      """
    let text = CheckReport.renderJSON(Self.violations, score: 1234.5)
    #expect(text == expected)
    #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) is [String: Any])
    #expect(CheckReport.renderJSON([], score: -8) == "{\n  \"violations\": [],\n  \"score\": -8.0\n}\n")
  }
}
