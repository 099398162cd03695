import Foundation
import TestSupport
import Testing

@testable import LearnerStatus

/// Prerequisites (spec §11): reading, validation, the not-ready weight and status output.
@Suite struct PrerequisiteTests {}

extension PrerequisiteTests {
  static let date = Day(year: 2026, month: 11, day: 25)

  /// One student; M2 needs M1 first. `levels` maps target → level (nil: no evidence).
  func school(_ levels: [String: Double], notReady: Double? = nil) throws -> School {
    var s = School()
    if let notReady { s.policy.weights.notReady = notReady }
    s.students = [Student(id: "S1")]
    s.targets = [
      Target(id: "M1", subject: "math"), Target(id: "M2", subject: "math", prerequisites: ["M1"]),
    ]
    let day = try #require(Self.date)
    s.evidence = levels.keys.sorted().map {
      Evidence(studentID: "S1", targetID: $0, date: day, level: levels[$0] ?? 0)
    }
    return s
  }

  func need(_ school: School, _ target: String) throws -> Need? {
    Derivation.needs(in: school, on: try #require(Self.date)).first { $0.target == target }
  }

  @Test func aNeedWhosePrerequisiteIsANeedWeighsNotReadyTimesAsMuch() throws {
    // n = 10·(3 − 1) + 1·10 = 30 for M2; M1 at 2 is a need, so M2 is not ready: 30·0.25.
    let m2 = try #require(try need(try school(["M1": 2, "M2": 1]), "M2"))
    #expect(m2.missingPrerequisites == ["M1"])
    #expect(!m2.isReady)
    #expect(abs(m2.weight - 7.5) < 1e-9)
    let m1 = try #require(try need(try school(["M1": 2, "M2": 1]), "M1"))
    #expect(m1.isReady)
    #expect(abs(m1.weight - 20) < 1e-9)
    let custom = try #require(try need(try school(["M1": 2, "M2": 1], notReady: 0.5), "M2"))
    #expect(abs(custom.weight - 15) < 1e-9)
  }

  @Test func aMasteredOrUnassessedPrerequisiteLeavesTheNeedReady() throws {
    let mastered = try #require(try need(try school(["M1": 3, "M2": 1]), "M2"))
    #expect(mastered.isReady)
    #expect(abs(mastered.weight - 30) < 1e-9)
    let unassessed = try #require(try need(try school(["M2": 1]), "M2"))
    #expect(unassessed.isReady)
    #expect(abs(unassessed.weight - 30) < 1e-9)
  }

  @Test func unknownIdsAndCyclesAreReportedAtTheTargetThatNamesThem() {
    let targets = [
      Target(id: "A", subject: "m", prerequisites: ["C"]),
      Target(id: "B", subject: "m", prerequisites: ["A", "Z"]),
      Target(id: "C", subject: "m", prerequisites: ["B"]),
      Target(id: "D", subject: "m", prerequisites: ["D"]),
      Target(id: "E", subject: "m", prerequisites: ["A"]),
    ]
    let problems = Prerequisites.problems(in: targets)
    #expect(problems.map(\.target) == [1, 1, 3])
    #expect(problems[0].message.hasPrefix("unknown prerequisite \"Z\" of target \"B\""))
    #expect(problems[1].message.contains("A needs C, C needs B, B needs A"))
    #expect(problems[2].message.contains("D needs D"))
    #expect(Prerequisites.problems(in: Array(targets[4...]) + [Target(id: "A", subject: "m")]).isEmpty)
  }

  @Test func notReadyOutsideZeroToOneIsBadInput() {
    let (policy, problems, _) = PolicyReader.read("[weights]\nnot_ready = 1.5\n")
    #expect(problems.map(\.message) == ["weights.not_ready must be from 0 to 1, found 1.5"])
    #expect(policy.weights.notReady == 0.25)
    let (good, none, _) = PolicyReader.read("[weights]\nnot_ready = 0\n")
    #expect(none.isEmpty)
    #expect(good.weights.notReady == 0)
  }

  @Test func theFolderReadsThePrerequisitesColumn() throws {
    let loaded = try SchoolFolder.load(
      Fixtures.root.appendingPathComponent("prerequisites/p1-s12"))
    let m402 = try #require(loaded.school.targets.first { $0.id == "M4.02" })
    #expect(m402.prerequisites == ["M4.01"])
    let m401 = try #require(loaded.school.targets.first { $0.id == "M4.01" })
    #expect(m401.prerequisites == ["M3.06"])
    let plain = try SchoolFolder.load(Fixtures.conformance.appendingPathComponent("c1-s12"))
    #expect(plain.school.targets.allSatisfy { $0.prerequisites.isEmpty })
  }

  @Test func statusNamesTheMissingPrerequisiteInEveryFormat() throws {
    let s = try school(["M1": 2, "M2": 1])
    let report = try StatusReport(school: s, date: try #require(Self.date))
    #expect(report.showsReadiness)
    let json = report.json()
    #expect(json.contains("\"target\": \"M2\""))
    #expect(json.contains("\"ready\": false, \"missing_prerequisites\": [\"M1\"]"))
    #expect(json.contains("\"ready\": true, \"missing_prerequisites\": []"))
    let csv = report.csv().split(separator: "\n")
    #expect(csv.first == "student,target,level,wait,weight,missing_prerequisites")
    #expect(csv.contains("S1,M2,1.0,10,7.5,M1"))
    #expect(csv.contains("S1,M1,2.0,10,20.0,"))
    #expect(report.text().contains("not ready: needs M1 first"))
    // A school without prerequisites keeps the spec §7 shapes exactly.
    var plain = s
    plain.targets[1].prerequisites = []
    let before = try StatusReport(school: plain, date: try #require(Self.date))
    #expect(!before.json().contains("ready"))
    #expect(before.csv().hasPrefix("student,target,level,wait,weight\n"))
  }
}
