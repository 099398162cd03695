import Foundation
import TestSupport
import Testing

/// `regroup check` run as a process on conformance folder c1-s12, with plans written by hand.
@Suite struct CheckCLITests {}

extension CheckCLITests {
  static let c1 = Fixtures.conformance.appendingPathComponent("c1-s12").path

  /// Writes `text` to a fresh temporary PLAN.json and returns its path.
  static func planFile(_ text: String) throws -> String {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("regroup-check-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let url = folder.appendingPathComponent("PLAN.json")
    try Data(text.utf8).write(to: url)
    return url.path
  }

  /// Keeps every rule. Score by hand from expected.json's needs:
  /// S00001 M4.04 23.8625 + S00002 M4.04 38.41875 + S00001 R4.02 22.45 + S00002 R4.02 18.0
  /// + RH1 (high, T001 for S00002 in any block) 30 − 2 sessions · 4 = 124.73125.
  static let validPlan = """
    {
      "date": "2026-11-25",
      "status": "feasible",
      "sessions": [
        {"block": "B1", "staff": "I001", "target": "M4.04", "students": ["S00001", "S00002"]},
        {"block": "B2", "staff": "T001", "target": "R4.02", "students": ["S00001", "S00002"]}
      ],
      "requests": [
        {"request_id": "Q1", "honored": false, "reason": "edited by hand"},
        {"request_id": "RH1", "honored": true}
      ]
    }
    """

  /// S00001 is with I001 and with P001 in B1 (R5).
  static let brokenPlan = """
    {"date": "2026-11-25", "sessions": [
      {"block": "B1", "staff": "I001", "target": "M4.04", "students": ["S00001", "S00002"]},
      {"block": "B1", "staff": "P001", "target": "M4.01", "students": ["S00001", "S00004"]}
    ]}
    """
}

extension CheckCLITests {
  @Test func validPlanExitsZeroWithScore() throws {
    let run = try RunRegroup.run(["check", Self.c1, try Self.planFile(Self.validPlan)])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout == "score: 124.73125\n")
  }

  /// The same plan on c1 with prerequisites (spec §11): S00001 M4.04 waits on M4.03,
  /// S00002 M4.04 on M4.03 and S00002 R4.02 on R4.01, so those weigh 0.25 times c1's:
  /// 23.8625·0.25 + 38.41875·0.25 + 22.45 + 18.0·0.25 + 30 − 8 = 64.5203125.
  @Test func checkScoresNotReadyNeedsAtTheirWeight() throws {
    let folder = Fixtures.root.appendingPathComponent("prerequisites/p1-s12").path
    let run = try RunRegroup.run(["check", folder, try Self.planFile(Self.validPlan)])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout == "score: 64.520313\n")
  }

  @Test func brokenPlanExitsTwoWithRuleLines() throws {
    let run = try RunRegroup.run(["check", Self.c1, try Self.planFile(Self.brokenPlan)])
    #expect(run.status == 2, "\(run.stderr)")
    let lines = run.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first == "R5: S00001 is in two sessions in block B1 (I001, P001)")
    #expect(lines.count == 2)
    #expect(lines.last?.hasPrefix("score: ") == true)
  }

  @Test func jsonFormat() throws {
    let run = try RunRegroup.run(
      ["check", Self.c1, try Self.planFile(Self.brokenPlan), "--format", "json"])
    #expect(run.status == 2)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    let violations = try #require(object["violations"] as? [[String: Any]])
    #expect(violations.count == 1)
    #expect(violations.first?["rule"] as? String == "R5")
    #expect(violations.first?["items"] as? [String] == ["S00001", "B1", "I001", "P001"])
    #expect(object["score"] is NSNumber)
  }

  @Test func unknownIdIsARuleNotBadInput() throws {
    let plan = """
      {"date": "2026-11-25", "sessions": [
        {"block": "B1", "staff": "I001", "target": "M4.04", "students": ["S00001", "S99999"]}
      ]}
      """
    let run = try RunRegroup.run(["check", Self.c1, try Self.planFile(plan)])
    #expect(run.status == 2)
    #expect(run.stdout.hasPrefix("R10: student \"S99999\""), "\(run.stdout)")
  }

  @Test func invalidJSONIsBadInput() throws {
    let path = try Self.planFile("{\"date\": \"2026-11-25\", \"sessions\": [")
    let run = try RunRegroup.run(["check", Self.c1, path])
    #expect(run.status == 1)
    #expect(run.stdout.isEmpty)
    #expect(run.stderr.hasPrefix("\(path): error: not valid JSON"), "\(run.stderr)")
  }

  @Test func wrongShapeIsBadInput() throws {
    let path = try Self.planFile(#"{"date": "2026-11-25", "sessions": [{"block": "B1"}]}"#)
    let run = try RunRegroup.run(["check", Self.c1, path])
    #expect(run.status == 1)
    #expect(run.stdout.isEmpty)
    #expect(run.stderr.contains("sessions[0]: missing \"staff\""), "\(run.stderr)")
  }

  @Test func missingPlanFileIsBadInput() throws {
    let run = try RunRegroup.run(["check", Self.c1, "/nonexistent/PLAN.json"])
    #expect(run.status == 1)
    #expect(run.stdout.isEmpty)
    #expect(run.stderr.hasPrefix("/nonexistent/PLAN.json: error:"))
  }

  @Test func unreadableFolderIsBadInput() throws {
    let run = try RunRegroup.run(["check", "/nonexistent-school", try Self.planFile(Self.validPlan)])
    #expect(run.status == 1)
    #expect(run.stdout.isEmpty)
    #expect(!run.stderr.isEmpty)
  }
}
