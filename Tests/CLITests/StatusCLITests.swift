import Foundation
import TestSupport
import Testing

/// `regroup status` run as a process: formats, filters, exit codes, stdout/stderr split.
@Suite struct StatusCLITests {}

extension StatusCLITests {
  static let c1 = Fixtures.conformance.appendingPathComponent("c1-s12").path

  /// expected.json's needs of one conformance folder, keyed `student|target`.
  static func expectedNeeds(_ name: String) throws -> [String: Double] {
    let data = try Data(contentsOf: Fixtures.conformance.appendingPathComponent("expected.json"))
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let plan = try #require((object["plans"] as? [String: Any])?[name] as? [String: Any])
    var result: [String: Double] = [:]
    for row in try #require(plan["needs"] as? [[Any]]) {
      let student = try #require(row.first as? String, "a need without a student id: \(row)")
      let target = try #require(row.dropFirst().first as? String, "a need without a target id: \(row)")
      let weight = try #require(row.dropFirst(2).first as? NSNumber, "a need without a weight: \(row)")
      result["\(student)|\(target)"] = weight.doubleValue
    }
    return result
  }

  static func decode(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  @Test(arguments: ["c1-s12", "c4-s80", "c6-messy"])
  func jsonListsExactlyTheExpectedNeeds(_ name: String) throws {
    let run = try RunRegroup.run(
      ["status", Fixtures.conformance.appendingPathComponent(name).path, "--format", "json"])
    #expect(run.status == 0)
    let json = try Self.decode(run.stdout)
    #expect(json["date"] as? String == "2026-11-25")
    let needs = try #require(json["needs"] as? [[String: Any]])
    var actual: [String: Double] = [:]
    for need in needs {
      let key = "\(need["student"] as? String ?? "?")|\(need["target"] as? String ?? "?")"
      actual[key] = (need["weight"] as? NSNumber)?.doubleValue
      #expect(need["level"] is NSNumber && need["wait"] is NSNumber)
    }
    let expected = try Self.expectedNeeds(name)
    #expect(Set(actual.keys) == Set(expected.keys))
    for (key, weight) in expected {
      #expect(abs((actual[key] ?? .nan) - weight) <= 1e-6, "\(key)")
    }
    let weights = needs.compactMap { ($0["weight"] as? NSNumber)?.doubleValue }
    #expect(weights == weights.sorted(by: >), "heaviest first")
  }

  @Test func jsonKeepsTheSpecsKeyOrder() throws {
    let run = try RunRegroup.run(["status", Self.c1, "--format", "json"])
    let text = run.stdout
    let date = try #require(text.range(of: "\"date\""))
    let needs = try #require(text.range(of: "\"needs\""))
    let targets = try #require(text.range(of: "\"targets\""))
    #expect(date.lowerBound < needs.lowerBound && needs.lowerBound < targets.lowerBound)
    #expect(
      text.contains(#"{"student": "S00010", "target": "M4.04", "level": 0.0, "wait": 10, "weight": 80.0}"#))
    let json = try Self.decode(text)
    let demand = try #require(json["targets"] as? [[String: Any]])
    let first = try #require(demand.first)
    #expect(first["target"] as? String == "M4.04")
    #expect(first["subject"] as? String == "math")
    #expect(first["students"] as? Int == 10)
    let staff = try #require(first["staff"] as? [[String: Any]])
    #expect(staff.first?["staff"] as? String == "T001")
    #expect(staff.first?["blocks"] as? [String] == ["WIN"])  // T001 is unavailable in B1
  }

  @Test func csvIsTheNeedsTable() throws {
    let run = try RunRegroup.run(["status", Self.c1, "--format", "csv"])
    #expect(run.status == 0)
    let lines = run.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first == "student,target,level,wait,weight")
    #expect(lines.count == 1 + (try Self.expectedNeeds("c1-s12")).count)
    #expect(lines.dropFirst().first == "S00010,M4.04,0.0,10,80.0")
  }

  @Test func textShowsBothTables() throws {
    let run = try RunRegroup.run(["status", Self.c1])
    #expect(run.status == 0)
    let lines = run.stdout.split(separator: "\n").map(String.init)
    #expect(lines.first == "Status on 2026-11-25: 71 needs of 10 students on 17 targets")
    #expect(lines.contains("Targets, heaviest demand first"))
    #expect(lines.contains("Needs by student, heaviest first"))
    #expect(lines.contains { $0.hasPrefix("  TARGET  SUBJECT  STUDENTS") })
    #expect(lines.contains { $0.hasPrefix("  M4.04   math           10") })
    #expect(lines.contains("  S00001   M4.04    1.61    10   23.86"))
    #expect(!run.stdout.contains("Lena"), "no student names")
  }

  @Test func studentFilterKeepsOneStudent() throws {
    let run = try RunRegroup.run(["status", Self.c1, "--format", "json", "--student", "S00001"])
    #expect(run.status == 0)
    let json = try Self.decode(run.stdout)
    let needs = try #require(json["needs"] as? [[String: Any]])
    #expect(needs.count == 9)
    #expect(needs.allSatisfy { $0["student"] as? String == "S00001" })
    let targets = try #require(json["targets"] as? [[String: Any]])
    #expect(
      Set(targets.compactMap { $0["target"] as? String }) == Set(needs.compactMap { $0["target"] as? String })
    )
  }

  @Test func targetFilterKeepsOneTarget() throws {
    let run = try RunRegroup.run(["status", Self.c1, "--format", "json", "--target", "M4.04"])
    #expect(run.status == 0)
    let json = try Self.decode(run.stdout)
    let needs = try #require(json["needs"] as? [[String: Any]])
    #expect(needs.count == 10)
    #expect(needs.allSatisfy { $0["target"] as? String == "M4.04" })
    let targets = try #require(json["targets"] as? [[String: Any]])
    #expect(targets.compactMap { $0["target"] as? String } == ["M4.04"])
  }

  @Test(arguments: [["--student", "S99999"], ["--target", "M9.99"]])
  func unknownFilterIdIsBadInput(_ filter: [String]) throws {
    let run = try RunRegroup.run(["status", Self.c1] + filter)
    #expect(run.status == 1)
    #expect(run.stdout.isEmpty)
    #expect(run.stderr.contains("\"\(filter[1])\""))
  }

  @Test func outputWritesTheFile() throws {
    let file = FileManager.default.temporaryDirectory
      .appendingPathComponent("regroup-status-\(UUID().uuidString).csv")
    defer { try? FileManager.default.removeItem(at: file) }
    let run = try RunRegroup.run(["status", Self.c1, "--format", "csv", "--output", file.path])
    #expect(run.status == 0)
    #expect(run.stdout.isEmpty)
    let written = try String(contentsOf: file, encoding: .utf8)
    #expect(written.hasPrefix("student,target,level,wait,weight\n"))
  }

  @Test func dateOptionOverridesSchoolToml() throws {
    let run = try RunRegroup.run(["status", Self.c1, "--format", "json", "--date", "2026-12-01"])
    #expect(run.status == 0)
    #expect(try Self.decode(run.stdout)["date"] as? String == "2026-12-01")
  }

  @Test(arguments: [["--format", "xml"], ["--date", "2026-02-30"]])
  func malformedCommandLineIsAUsageError(_ flags: [String]) throws {
    let run = try RunRegroup.run(["status", Self.c1] + flags)
    #expect(run.status == 64)
    #expect(run.stdout.isEmpty)
  }

  @Test(arguments: [
    "bad-dup-staff", "bad-unknown-key", "bad-level-word", "bad-no-targets",
    "bad-tier-after-multiline", "bad-unknown-pin-staff",
  ])
  func badFolderExitsOneWithNothingOnStdout(_ name: String) throws {
    let data = try Data(contentsOf: Fixtures.conformance.appendingPathComponent("expected.json"))
    let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let bad = try #require((object["bad_input"] as? [String: Any])?[name] as? [String: Any])
    let fragment = try #require(bad["stderr_contains"] as? String)
    for format in ["text", "json", "csv"] {
      let run = try RunRegroup.run(
        ["status", Fixtures.conformance.appendingPathComponent(name).path, "--format", format])
      #expect(run.status == 1)
      #expect(run.stdout.isEmpty)
      #expect(run.stderr.contains(fragment), "\(name): \(run.stderr)")
    }
  }

  static var invalidFixtures: [String] {
    let folder = Fixtures.root.appendingPathComponent("invalid")
    return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
      .filter { !$0.hasPrefix(".") }.sorted()
  }

  @Test(arguments: invalidFixtures)
  func invalidFixturePrintsExactlyItsExpectedStderr(_ name: String) throws {
    let folder = Fixtures.root.appendingPathComponent("invalid/\(name)")
    let expected = try String(contentsOf: folder.appendingPathComponent("expected.txt"), encoding: .utf8)
    let run = try RunRegroup.run(["status", folder.path, "--format", "json"])
    #expect(run.status == 1)
    #expect(run.stdout.isEmpty)
    #expect(run.stderrLines == expected.split(separator: "\n").map(String.init))
  }
}
