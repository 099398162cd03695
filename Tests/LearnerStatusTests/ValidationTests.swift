import Foundation
import TestSupport
import Testing

@testable import LearnerStatus

/// Validation (spec §6): every problem, exact messages, file-then-line order, warnings.
@Suite struct ValidationTests {}

extension ValidationTests {
  /// A small valid school as file texts; tests change one file.
  static let base: [String: String] = [
    "school.toml": "name = \"Tiny\"\ndate = \"2026-11-25\"\n",
    "students.csv":
      "student_id,given_name,family_name,grade,tier,flags\nS1,Ana,Lee,4,1,\nS2,Ben,Kim,4,2,iep;el\n",
    "targets.csv": "target_id,subject,title,grade,sequence\nM1,math,Fractions,4,1\n",
    "staff.csv": "staff_id,name,subjects,max_group_size,max_minutes\nT1,Teacher,*,6,90\n",
    "blocks.csv": "block_id,start,end,subjects\nB1,09:00,09:30,\n",
    "evidence.csv": "student_id,target_id,date,level\nS1,M1,2026-11-20,2\nS2,M1,2026-11-21,1.5\n",
  ]

  static func files(_ changes: [String: String?]) -> [String: String] {
    var files = base
    for (name, text) in changes { files[name] = text }
    return files
  }

  /// The descriptions of every diagnostic of a failed load.
  func problems(
    _ changes: [String: String?], date: Day? = nil, sourceLocation: SourceLocation = #_sourceLocation
  ) -> [String] {
    do {
      _ = try SchoolFolder.load(files: Self.files(changes), date: date)
      Issue.record("expected bad input", sourceLocation: sourceLocation)
      return []
    } catch let error as InputError {
      return error.diagnostics.map(\.description)
    } catch {
      Issue.record(error, sourceLocation: sourceLocation)
      return []
    }
  }

  static var invalidFixtures: [String] {
    let folder = Fixtures.root.appendingPathComponent("invalid")
    return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
      .filter { !$0.hasPrefix(".") }.sorted()
  }

  @Test func everyInvalidFixtureIsPresent() {
    #expect(Self.invalidFixtures.count >= 15)
  }

  @Test(arguments: invalidFixtures)
  func invalidFixtureGivesExactlyItsExpectedLines(_ name: String) throws {
    let folder = Fixtures.root.appendingPathComponent("invalid/\(name)")
    let expected = try String(contentsOf: folder.appendingPathComponent("expected.txt"), encoding: .utf8)
      .split(separator: "\n").map(String.init)
    let error = try #require(throws: InputError.self) { try SchoolFolder.load(folder) }
    #expect(error.diagnostics.map(\.description) == expected)
  }

  @Test func validSchoolLoadsWithValues() throws {
    let loaded = try SchoolFolder.load(files: Self.base)
    #expect(loaded.date == Day("2026-11-25"))
    #expect(loaded.warnings.isEmpty)
    let s = loaded.school
    #expect(s.students.map(\.id) == ["S1", "S2"])
    #expect(s.students[1].tier == 2 && s.students[1].flags == ["iep", "el"] && s.students[1].line == 3)
    #expect(
      s.targets == [Target(id: "M1", subject: "math", title: "Fractions", grade: "4", sequence: 1, line: 2)])
    #expect(
      s.staff == [
        StaffMember(id: "T1", name: "Teacher", subjects: .any, maxGroupSize: 6, maxMinutes: 90, line: 2)
      ])
    #expect(s.blocks == [Block(id: "B1", start: 540, end: 570, subjects: .any, line: 2)])
    #expect(s.evidence.map(\.level) == [2, 1.5])
    #expect(s.unavailable.isEmpty && s.history.isEmpty && s.requests.isEmpty && s.pins.isEmpty)
  }

  @Test func columnOrderIsFreeAndUnknownColumnsAreIgnored() throws {
    let loaded = try SchoolFolder.load(
      files: Self.files([
        "evidence.csv":
          "level,comment,date,target_id,student_id\n2,ok,2026-11-20,M1,S1\n1.5,,2026-11-21,M1,S2\n"
      ]))
    #expect(loaded.school.evidence.map(\.studentID) == ["S1", "S2"])
  }

  @Test func dateOptionOverridesAndIsNeededWithoutOne() throws {
    let loaded = try SchoolFolder.load(files: Self.base, date: Day("2026-11-22"))
    #expect(loaded.date == Day("2026-11-22"))
    let noDate = try SchoolFolder.load(
      files: Self.files(["school.toml": "name = \"x\"\n"]), date: Day("2026-11-22"))
    #expect(noDate.date == Day("2026-11-22"))
    #expect(
      problems(["school.toml": "name = \"x\"\n"]) == [
        "school.toml: error: no day to plan: add date = \"YYYY-MM-DD\" to school.toml or pass --date YYYY-MM-DD"
      ])
  }

  @Test func tomlDateLiteralIsAccepted() throws {
    let loaded = try SchoolFolder.load(files: Self.files(["school.toml": "date = 2026-11-24\n"]))
    #expect(loaded.date == Day("2026-11-24"))
  }

  @Test func integerAcceptedWhereANumberIsShown() throws {
    let toml = """
      date = "2026-11-25"
      [status]
      method = "mean"
      decay = 1
      proficient = 4
      [groups]
      min_size = 3
      [weights]
      gap = 8
      wait = 0.5
      wait_cap = 0
      tier2 = 1
      tier3 = 3
      request_high = 20
      request_normal = 0
      session = 0
      """
    let p = try SchoolFolder.load(files: Self.files(["school.toml": toml])).school.policy
    #expect(p.method == .mean && p.decay == 1 && p.proficient == 4 && p.minSize == 3)
    #expect(p.weights.gap == 8 && p.weights.wait == 0.5 && p.weights.waitCap == 0)
    #expect(p.weights.tier2 == 1 && p.weights.tier3 == 3 && p.weights.requestHigh == 20)
    #expect(p.weights.requestNormal == 0 && p.weights.session == 0)
  }

  @Test func defaultsWhenKeysAreAbsent() throws {
    let p = try SchoolFolder.load(files: Self.base).school.policy
    var expected = Policy()
    expected.name = "Tiny"
    expected.date = Day("2026-11-25")
    #expect(p == expected)
  }

  @Test func tomlTypeErrorsNameTheKey() {
    #expect(
      problems(["school.toml": "date = \"2026-11-25\"\nstatus = 3\n[weights]\nwait = inf\n"]) == [
        "school.toml: error: status must be a table ([status]), found 3",
        "school.toml: error: weights.wait must be ≥ 0, found inf",
      ])
    #expect(
      problems(["school.toml": "date = \"2026-13-01\"\n"]) == [
        "school.toml: error: date must be a date YYYY-MM-DD that exists, found \"2026-13-01\""
      ])
  }

  @Test func emptyAndHeaderlessFiles() {
    #expect(
      problems(["targets.csv": ""]) == [
        "targets.csv:1: error: the file is empty; its first line must be a header with target_id, subject"
      ])
    #expect(
      problems(["blocks.csv": "block_id,begin,finish\nB1,09:00,09:30\n"]) == [
        "blocks.csv:1: error: missing required column \"start\"",
        "blocks.csv:1: error: missing required column \"end\"",
      ])
  }

  @Test func optionalCellsTakeDefaults() throws {
    let loaded = try SchoolFolder.load(
      files: Self.files([
        "students.csv": "student_id,tier\nS1,\nS2,\n",
        "requests.csv":
          "request_id,staff_id,student_id,block_id,priority\nQ1,T1,S1,,required\nQ2,T1,S2,B1,normal\n",
      ]))
    #expect(loaded.school.students.map(\.tier) == [1, 1])
    #expect(loaded.school.requests.map(\.blockID) == [nil, "B1"])
    #expect(loaded.school.requests.map(\.priority) == [.required, .normal])
  }

  @Test func sameValueTwiceInEvidenceIsTwoObservations() throws {
    let loaded = try SchoolFolder.load(
      files: Self.files([
        "evidence.csv":
          "student_id,target_id,date,level\nS1,M1,2026-11-20,2\nS1,M1,2026-11-20,2\nS2,M1,2026-11-20,2\n"
      ]))
    #expect(loaded.school.evidence.count == 3)
  }

  @Test func warningsDoNotFailTheLoad() throws {
    let loaded = try SchoolFolder.load(
      files: Self.files([
        "students.csv": "student_id\nS1\nS2\nS3\n",
        "targets.csv": "target_id,subject\nM1,math\nA1,art\n",
        "blocks.csv": "block_id,start,end,subjects\nB1,09:00,09:30,math\n",
        "evidence.csv":
          "student_id,target_id,date,level\nS1,M1,2026-11-20,2\nS2,M1,2026-11-20,2\nS3,M1,2026-11-26,1\n",
      ]))
    #expect(
      loaded.warnings.map(\.description) == [
        "students.csv:4: warning: student \"S3\" has no evidence on or before 2026-11-25, so they have no needs",
        "targets.csv:3: warning: no staff member can teach target \"A1\" (subject \"art\") in any block",
        "evidence.csv:4: warning: evidence dated 2026-11-26 is after the plan date 2026-11-25; it is ignored",
      ])
    #expect(loaded.warnings.allSatisfy { $0.severity == .warning })
  }

  @Test func problemsAreCollectedAcrossFilesInOrder() {
    #expect(
      problems([
        "evidence.csv": "student_id,target_id,date,level\nS1,M1,2026-11-20,5\n",
        "students.csv": "student_id,tier\nS1,0\nS2,1\n",
        "blocks.csv": "block_id,start,end\nB1,25:00,09:30\nB2,09:00,9:5\n",
      ]) == [
        "students.csv:2: error: tier must be 1, 2 or 3, found \"0\"",
        "blocks.csv:2: error: start must be a time HH:MM, found \"25:00\"",
        "blocks.csv:3: error: end must be a time HH:MM, found \"9:5\"",
        "evidence.csv:2: error: level must be a number from 0 to 4, found \"5\"",
      ])
  }

  @Test func referencesToAFileThatCouldNotBeReadAreNotChecked() {
    #expect(problems(["staff.csv": nil]) == ["staff.csv: error: required file is missing"])
  }

  @Test func missingFolderIsOneError() throws {
    let error = try #require(throws: InputError.self) {
      try SchoolFolder.load(URL(fileURLWithPath: "/nonexistent/school"))
    }
    #expect(error.description == "/nonexistent/school: error: no such folder")
  }

  @Test func suggestionsAreCautious() {
    #expect(Suggestion.closest(to: "M3.NF.01", in: ["M3.NF.1", "M3.NF.2"]) == "M3.NF.1")
    #expect(Suggestion.closest(to: "s00001", in: ["S00001"]) == "S00001")
    #expect(Suggestion.closest(to: "S00009", in: ["S00001"]) == nil)
    #expect(Suggestion.closest(to: "T2", in: ["T1"]) == nil)
    #expect(Suggestion.closest(to: "sesion", in: ["session", "wait"]) == "session")
  }
}
