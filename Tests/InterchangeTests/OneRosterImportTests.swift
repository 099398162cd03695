import Foundation
import GRDB
import Interchange
import LearnerStatus
import Record
import TestSupport
import Testing

/// OneRoster 1.1/1.2 sets and CASE packages imported into a record (spec §15).
@Suite struct OneRosterImportTests {
  static let base = Fixtures.root.appendingPathComponent("oneroster")

  /// A fresh record path in a temporary folder.
  static func scratchRecord() throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("regroup-oneroster-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder.appendingPathComponent("regroup.db")
  }

  /// The import request a mapping file describes, as `regroup import --oneroster` builds it.
  static func request(_ mappingPath: String, roster: URL? = nil) throws -> OneRosterImport {
    let url = base.appendingPathComponent(mappingPath)
    let mapping = try OneRosterMapping.load(url)
    let schoolURL = try #require(mapping.school)
    let files = try SchoolRecord.readFiles(in: schoolURL).filter {
      OneRosterImport.schoolFileNames.contains($0.key)
    }
    return OneRosterImport(
      mapping: mapping, source: try RosterSource(try #require(roster ?? mapping.roster)),
      package: try CASEPackage.load(try #require(mapping.casePackage)), schoolFiles: files,
      label: url.path)
  }

  /// Evidence of the record as (student, target, date) → level, for exact comparisons.
  static func evidence(_ record: SchoolRecord, on day: Day) throws -> [String: Double] {
    let school = try record.school(on: day)
    var out: [String: Double] = [:]
    for e in school.evidence { out["\(e.studentID) \(e.targetID) \(e.date)"] = e.level }
    return out
  }

  /// Every table's row count and the change counter: what a rejected import must leave alone.
  static func state(_ url: URL) throws -> [String: Int] {
    let queue = try DatabaseQueue(path: url.path)
    return try queue.read { db in
      var out: [String: Int] = [:]
      for table in [
        "student", "target", "staff", "block", "evidence", "oneroster_row", "import_log", "policy",
      ] {
        out[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)")
      }
      out["changes"] = try Int.fetchOne(
        db, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'changes'")
      out["evidence_sum"] = try Int.fetchOne(
        db, sql: "SELECT CAST(SUM(level) * 1000 AS INTEGER) FROM evidence")
      return out
    }
  }
}

extension OneRosterImportTests {
  @Test func aOneRoster12SetWithPerObjectiveScoresBecomesTheSchool() throws {
    let url = try Self.scratchRecord()
    let record = try SchoolRecord.open(at: url, create: true)
    let summary = try record.importOneRoster(try Self.request("v12/oneroster.toml"))
    #expect(summary.version == "1.2")
    let day = try #require(Day("2026-11-25"))
    let loaded = try record.load(date: day)
    let school = loaded.school
    // Six enabled students (the disabled one left out), two teachers and an aide.
    #expect(
      school.students.map(\.id) == ["stu-1001", "stu-1002", "stu-1003", "stu-1004", "stu-1005", "stu-1006"])
    #expect(school.staff.map(\.id) == ["tch-201", "tch-202", "aid-301"])
    let s1 = try #require(school.students.first { $0.id == "stu-1001" })
    #expect(s1.tier == 2 && s1.flags == ["iep"] && s1.grade == "5")
    #expect(school.students.first { $0.id == "stu-1002" }?.flags == ["ell"])
    #expect(school.students.first { $0.id == "stu-1004" }?.flags == [])
    let aide = try #require(school.staff.first { $0.id == "aid-301" })
    #expect(aide.maxGroupSize == 4 && aide.maxMinutes == 80 && aide.name == "Ida Wells")
    #expect(school.staff.first { $0.id == "tch-202" }?.subjects == SubjectSet(cell: "reading"))
    // Leaves of the framework are the targets; the domain and the cluster are not.
    #expect(school.targets.map(\.id) == ["5.NF.A.1", "5.NF.A.2", "5.NF.B.3", "RL.5.1", "RL.5.2"])
    #expect(school.targets.map(\.subject) == ["math", "math", "math", "reading", "reading"])
    #expect(school.targets.map(\.sequence) == [1, 2, 3, 1, 2])
    #expect(summary.prerequisites == 3)
    // A precedes B: A is a prerequisite of B (spec §11), between targets only.
    #expect(school.targets.map(\.prerequisites) == [[], ["5.NF.A.1"], ["5.NF.A.2"], [], ["RL.5.1"]])
    // Levels: score 1–4 linear onto 0–4; textScores through the line item's scale; "Not Yet" from the table.
    let ev = try Self.evidence(record, on: day)
    #expect(ev["stu-1001 5.NF.A.1 2026-11-12"] == 4.0 / 3.0)  // uppercase urn:uuid: form
    #expect(ev["stu-1004 5.NF.B.3 2026-11-12"] == 4.0)
    #expect(ev["stu-1006 5.NF.A.1 2026-11-12"] == 2.0)
    #expect(ev["stu-1006 5.NF.A.2 2026-11-12"] == nil)  // no score: no observation
    #expect(ev["stu-1001 RL.5.1 2026-11-17"] == 8.0 / 3.0)  // Proficient = 3 on the scale
    #expect(ev["stu-1004 RL.5.2 2026-11-17"] == 0)  // "Not Yet"
    #expect(ev["stu-1006 RL.5.1 2026-11-17"] == nil)  // an exempt result
    #expect(ev.count == 16 + 10)
    // Regroup's own files came along: blocks, policy and the request.
    #expect(school.blocks.map(\.id) == ["B1", "B2"])
    #expect(school.requests.map(\.id) == ["Q1"])
    #expect(loaded.date == day)
  }

  @Test func aSecondBulkImportReplacesAndADeltaAppliesItsRows() throws {
    let url = try Self.scratchRecord()
    let record = try SchoolRecord.open(at: url, create: true)
    _ = try record.importOneRoster(try Self.request("v12/oneroster.toml"))
    let day = try #require(Day("2026-11-25"))
    let first = try Self.evidence(record, on: day)
    // The same bulk set again: replaced, not added to.
    _ = try record.importOneRoster(try Self.request("v12/oneroster.toml"))
    #expect(try Self.evidence(record, on: day) == first)
    #expect(try Self.state(url)["evidence"] == first.count)

    let summary = try record.importOneRoster(
      try Self.request("v12/oneroster.toml", roster: Self.base.appendingPathComponent("v12/delta")))
    #expect(summary.files.map(\.mode) == ["delta", "delta", "delta", "delta"])
    let after = try Self.evidence(record, on: day)
    var expected = first
    expected["stu-1001 5.NF.A.1 2026-11-12"] = nil  // tobedeleted
    expected["stu-1002 5.NF.B.3 2026-11-12"] = 4  // corrected
    expected["stu-1007 5.NF.A.1 2026-11-24"] = 0  // a new student's first result
    #expect(after == expected)
    let school = try record.school(on: day)
    #expect(school.students.first { $0.id == "stu-1007" }?.tier == 2)
    #expect(school.students.count == 7)
  }

  @Test func aOneRoster11SetCarriesScoresOnTaggedLineItems() throws {
    let url = try Self.scratchRecord()
    let record = try SchoolRecord.open(at: url, create: true)
    let summary = try record.importOneRoster(try Self.request("v11/oneroster.toml"))
    #expect(summary.version == "1.1")
    let day = try #require(Day("2026-11-25"))
    let ev = try Self.evidence(record, on: day)
    // gb-101 by its metadata.targetId column, gb-102 by its "[5.NF.A.2]" title; homework untagged.
    #expect(ev.count == 12)
    #expect(ev["stu-1001 5.NF.A.1 2026-11-10"] == 1.6)
    #expect(ev["stu-1006 5.NF.A.2 2026-11-18"] == 2.5)
    #expect(try record.school(on: day).students.first { $0.id == "stu-1003" }?.tier == 3)
  }

  /// The bad-input fixtures: their exact first message, and a record left exactly as it was.
  @Test(arguments: [
    (
      "unknown-objective",
      "resultLearningObjectiveIds.csv:9: error: unknown learningObjectiveId "
        + "\"urn:uuid:00000000-0000-0000-0000-00000000beef\": no target of framework.json has that "
        + "identifier or humanCodingScheme: fix the id, or add the item to the package"
    ),
    (
      "score-out-of-scale",
      "roster.zip/resultLearningObjectiveIds.csv:6: error: score 7 is outside the mapped scale 1–4: "
        + "fix the score, or levels.score_min/score_max in oneroster.toml"
    ),
    (
      "unknown-student",
      "results.csv:5: error: result \"res-frac1-stu-1004\" is for an unknown student \"STU-1004\": "
        + "it is not in users.csv"
    ),
    (
      "missing-column",
      "results.csv:1: error: missing required column \"scoreDate\" (the header has \"scoreDat\": fix its spelling)"
    ),
    (
      "zip-without-manifest",
      "roster.zip: error: no manifest.csv at the root of the set: a OneRoster export has one "
        + "(propertyName,value rows with oneroster.version and a file.NAME row per file); "
        + "export the set again with its manifest, or add one"
    ),
  ])
  func badInputNamesMemberAndLineAndStoresNothing(_ name: String, _ message: String) throws {
    let url = try Self.scratchRecord()
    let record = try SchoolRecord.open(at: url, create: true)
    _ = try record.importOneRoster(try Self.request("v12/oneroster.toml"))
    let before = try Self.state(url)
    do {
      _ = try record.importOneRoster(try Self.request("invalid/\(name)/oneroster.toml"))
      Issue.record("the import of \(name) was accepted")
    } catch let error as InputError {
      #expect(error.diagnostics.first?.description == message)
    }
    #expect(try Self.state(url) == before)
  }

  @Test func aPrecedesCycleIsBadInputAtTheAssociationThatClosesIt() throws {
    let url = try Self.scratchRecord()
    let record = try SchoolRecord.open(at: url, create: true)
    do {
      _ = try record.importOneRoster(try Self.request("invalid/precedes-cycle/oneroster.toml"))
      Issue.record("a cycle was accepted")
    } catch let error as InputError {
      let d = try #require(error.diagnostics.first)
      #expect(d.file == "framework.json")
      #expect(d.line == 169)  // the association's identifier in the package
      #expect(
        d.message.hasPrefix(
          "prerequisites form a cycle: 5.NF.A.1 precedes 5.NF.A.2 precedes 5.NF.B.3 precedes 5.NF.A.1; "
            + "remove one of these precedes associations"))
    }
    #expect(try Self.state(url)["student"] == 0)
  }

  @Test func aMappingErrorNamesTheFileAndTheKey() throws {
    let text = """
      [levels]
      score_min = 4
      score_max = 1
      [levels.text]
      Proficient = 7
      [staff]
      rolez = ["teacher"]
      """
    do {
      _ = try OneRosterMapping.parse(text, origin: "oneroster.toml", base: URL(fileURLWithPath: "/"))
      Issue.record("accepted")
    } catch let error as InputError {
      #expect(
        error.diagnostics.map(\.description) == [
          "oneroster.toml: error: levels.score_max must be greater than levels.score_min, found 1.0 ≤ 4.0",
          "oneroster.toml: error: levels.text.Proficient must be a level from 0 to 4, found 7.0",
          "oneroster.toml: error: staff.rolez is not a key of oneroster.toml [staff]; known keys: roles, "
            + "subjects, max_minutes, max_group_size, role, subjects_column, max_minutes_column, max_group_size_column",
        ])
    }
  }
}

extension OneRosterImportTests {
  @Test func aFileThatIsNotAZipIsBadInputNamingIt() throws {
    let folder = try Self.scratchRecord().deletingLastPathComponent()
    let zip = folder.appendingPathComponent("roster.zip")
    try Data("sourcedId,status\r\nnot a zip\r\n".utf8).write(to: zip)
    do {
      _ = try RosterSource(zip)
      Issue.record("accepted")
    } catch let error as InputError {
      let d = try #require(error.diagnostics.first)
      #expect(d.file == "roster.zip" && d.message.hasPrefix("cannot read the file as a zip archive"))
    }
  }
}
