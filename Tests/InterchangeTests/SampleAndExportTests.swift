import Foundation
import Interchange
import LearnerStatus
import Planning
import Record
import TestSupport
import Testing

/// The bundled sample school as a OneRoster + CASE set, and the OneRoster export read back.
@Suite struct SampleAndExportTests {
  /// A school with every record's line set to 0 and evidence kept in order: what planning sees.
  static func withoutLines(_ school: School) -> School {
    var s = school
    s.students = s.students.map {
      var v = $0; v.line = 0; return v
    }
    s.targets = s.targets.map {
      var v = $0; v.line = 0; return v
    }
    s.staff = s.staff.map {
      var v = $0; v.line = 0; return v
    }
    s.blocks = s.blocks.map {
      var v = $0; v.line = 0; return v
    }
    s.evidence = s.evidence.map {
      var v = $0; v.line = 0; return v
    }
    s.unavailable = s.unavailable.map {
      var v = $0; v.line = 0; return v
    }
    s.history = s.history.map {
      var v = $0; v.line = 0; return v
    }
    s.requests = s.requests.map {
      var v = $0; v.line = 0; return v
    }
    s.pins = s.pins.map {
      var v = $0; v.line = 0; return v
    }
    return s
  }

  static func sampleBothWays() throws -> (folder: LoadedSchool, imported: LoadedSchool) {
    let folder = try SchoolFolder.load(Fixtures.root.appendingPathComponent("sample"))
    let url = try OneRosterImportTests.scratchRecord()
    let record = try SchoolRecord.open(at: url, create: true)
    _ = try record.importOneRoster(try OneRosterImportTests.request("sample/oneroster.toml"))
    let imported = try record.load(date: folder.date)
    return (folder, imported)
  }

  @Test func theSampleImportedFromOneRosterHasExactlyTheFoldersNeeds() throws {
    let (folder, imported) = try Self.sampleBothWays()
    #expect(imported.school.students.count == 300)
    let a = Self.withoutLines(folder.school)
    let b = Self.withoutLines(imported.school)
    #expect(a.students == b.students)
    #expect(a.targets == b.targets)
    #expect(a.staff == b.staff)
    #expect(a.evidence == b.evidence)
    #expect(a.policy == b.policy)
    let needs = Derivation.needs(in: folder.school, on: folder.date)
    #expect(!needs.isEmpty)
    #expect(needs == Derivation.needs(in: imported.school, on: imported.date))
  }

  @Test func theSampleImportedFromOneRosterPlansTheSameScore() throws {
    let (folder, imported) = try Self.sampleBothWays()
    var options = PlanOptions(timeLimit: 120, relativeGap: 0.01)
    options.reproducible = true
    let a = try Planner(options: options).plan(folder.school, date: folder.date)
    let b = try Planner(options: options).plan(imported.school, date: imported.date)
    #expect(a.status == .optimal || a.status == .feasible)
    let score = try #require(a.objective)
    #expect(b.objective == score)
    #expect(a.sessions == b.sessions)
  }

  @Test func theExportIsReadBackByTheImportersOwnParser() throws {
    let day = try #require(Day("2026-11-25"))
    let sessions = [
      ExportedSession(
        block: "B1", staff: "tch-201", target: "5.NF.A.1", students: ["stu-1001", "stu-1003"],
        start: 540, end: 580, subject: "math", targetTitle: "Add, subtract \"unlike\" fractions",
        staffName: "Grace Hopper"),
      ExportedSession(
        block: "B2", staff: "aid-301", target: "RL.5.2", students: ["stu-1004"], start: 600, end: 640,
        subject: "reading", targetTitle: "", staffName: ""),
    ]
    let files = OneRosterExport.files(
      date: day, sessions: sessions, school: "org-maple", modified: "2026-11-24T17:00:00.000Z")
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "regroup-export-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for (name, text) in files {
      try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    let source = try RosterSource(dir)
    let manifest = try source.manifest()
    #expect(manifest.version == .v1_2)
    #expect(manifest.mode("classes") == .bulk && manifest.mode("enrollments") == .bulk)
    var classes: [String: (block: String, subject: String, title: String)] = [:]
    try source.rows(of: "classes.csv", required: OneRosterExport.classesHeader) { row in
      #expect(row["classType"] == "scheduled" && row["schoolSourcedId"] == "org-maple")
      classes[row["sourcedId"]] = (row["periods"], row["subjects"], row["title"])
    }
    var teachers: [String: String] = [:]
    var students: [String: [String]] = [:]
    try source.rows(of: "enrollments.csv", required: OneRosterExport.enrollmentsHeader) { row in
      #expect(classes[row["classSourcedId"]] != nil)
      #expect(row["beginDate"] == "2026-11-25" && row["endDate"] == "2026-11-26")
      if row["role"] == "teacher" {
        #expect(row["primary"] == "true")
        teachers[row["classSourcedId"]] = row["userSourcedId"]
      } else {
        #expect(row["role"] == "student")
        students[row["classSourcedId"], default: []].append(row["userSourcedId"])
      }
    }
    let first = "regroup-2026-11-25-B1-tch-201"
    #expect(Set(classes.keys) == [first, "regroup-2026-11-25-B2-aid-301"])
    #expect(
      classes[first]?.title
        == "5.NF.A.1 (Add, subtract \"unlike\" fractions) with Grace Hopper, B1 09:00–09:40")
    #expect(teachers == [first: "tch-201", "regroup-2026-11-25-B2-aid-301": "aid-301"])
    #expect(students == [first: ["stu-1001", "stu-1003"], "regroup-2026-11-25-B2-aid-301": ["stu-1004"]])
  }
}
