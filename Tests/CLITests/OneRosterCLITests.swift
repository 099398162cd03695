import Foundation
import Interchange
import TestSupport
import Testing

/// `regroup import --oneroster` and `regroup export --oneroster` end to end, as a scheduler runs them.
@Suite struct OneRosterCLITests {
  static let fixtures = Fixtures.root.appendingPathComponent("oneroster")

  static func scratch() throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("regroup-oneroster-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  @Test func importPlanPublishAndExportTheDayAsOneRoster() throws {
    let folder = try Self.scratch()
    let db = folder.appendingPathComponent("school.db").path
    let mapping = Self.fixtures.appendingPathComponent("v12/oneroster.toml").path
    let imported = try RunRegroup.run(["import", "--oneroster", mapping, "--db", db])
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(
      imported.stdout.hasPrefix("imported OneRoster 1.2 into "))
    #expect(
      imported.stdout.contains("\n  rows read: users.csv bulk 10, roles.csv bulk 10, enrollments.csv bulk 20")
    )
    #expect(
      imported.stdout.contains("6 students, 5 targets (3 prerequisites), 3 staff, 2 blocks; evidence 26 rows")
    )

    // CASE `precedes` associations are prerequisites (spec §11): status names the missing one.
    let status = try RunRegroup.run(["status", "--db", db, "--student", "stu-1001", "--format", "csv"])
    #expect(status.status == 0, "\(status.stderr)")
    #expect(
      status.stdout.split(separator: "\n").map(String.init) == [
        "student,target,level,wait,weight,missing_prerequisites",
        "stu-1001,5.NF.A.1,1.333333,10,40.0,", "stu-1001,RL.5.1,2.666667,10,20.0,",
        "stu-1001,5.NF.A.2,0.0,10,15.0,5.NF.A.1", "stu-1001,5.NF.B.3,0.0,10,15.0,5.NF.A.2",
        "stu-1001,RL.5.2,1.333333,10,10.0,RL.5.1",
      ])

    let planPath = folder.appendingPathComponent("plan.json").path
    let plan = try RunRegroup.run(["plan", "--db", db, "--publish", "--format", "json", "-o", planPath])
    #expect(plan.status == 0, "\(plan.stderr)")
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: planPath)))
        as? [String: Any])
    let sessions = try #require(json["sessions"] as? [[String: Any]])
    #expect(!sessions.isEmpty)

    // `check` and `simulate` read the same record unchanged; the flags came from metadata.* columns.
    let check = try RunRegroup.run([
      "check", Self.fixtures.appendingPathComponent("v12/school").path, planPath, "--db", db,
    ])
    #expect(check.status == 0, "\(check.stderr)")
    let simulate = try RunRegroup.run([
      "simulate", Self.fixtures.appendingPathComponent("v12/school").path, "--db", db, "--scenario",
      Fixtures.root.appendingPathComponent("scenarios/groups-of-at-least-3.toml").path, "--days", "2",
    ])
    #expect(simulate.status == 0, "\(simulate.stderr)")
    #expect(
      simulate.stdout.contains("service rate, iep") && simulate.stdout.contains("students never served"))

    let out = folder.appendingPathComponent("export")
    let export = try RunRegroup.run(["export", "--db", db, "--oneroster", out.path])
    #expect(export.status == 0, "\(export.stderr)")
    // Read back by the importer's own parser.
    let source = try RosterSource(out)
    #expect(try source.manifest().version == .v1_2)
    var read: Set<String> = []
    try source.rows(of: "enrollments.csv", required: OneRosterExport.enrollmentsHeader) { row in
      read.insert("\(row["classSourcedId"]) \(row["role"]) \(row["userSourcedId"])")
    }
    var expected: Set<String> = []
    for s in sessions {
      let id = "regroup-2026-11-25-\(s["block"] as? String ?? "")-\(s["staff"] as? String ?? "")"
      expected.insert("\(id) teacher \(s["staff"] as? String ?? "")")
      for student in s["students"] as? [String] ?? [] { expected.insert("\(id) student \(student)") }
    }
    #expect(read == expected)
  }

  @Test func aBadSetExitsOneNamingTheZipMemberAndLineAndStoresNothing() throws {
    let folder = try Self.scratch()
    let db = folder.appendingPathComponent("school.db")
    let good = try RunRegroup.run([
      "import", "--oneroster", Self.fixtures.appendingPathComponent("v12/oneroster.toml").path, "--db",
      db.path,
    ])
    #expect(good.status == 0)
    let before = try RunRegroup.run(["status", "--db", db.path, "--format", "csv"])
    let bad = try RunRegroup.run([
      "import", "--oneroster",
      Self.fixtures.appendingPathComponent("invalid/score-out-of-scale/oneroster.toml").path, "--db", db.path,
    ])
    #expect(bad.status == 1)
    #expect(
      bad.stderrLines == [
        "roster.zip/resultLearningObjectiveIds.csv:6: error: score 7 is outside the mapped scale 1–4: "
          + "fix the score, or levels.score_min/score_max in oneroster.toml"
      ])
    let after = try RunRegroup.run(["status", "--db", db.path, "--format", "csv"])
    #expect(after.status == 0 && after.stdout == before.stdout && !before.stdout.isEmpty)
    let fresh = folder.appendingPathComponent("fresh.db")
    let first = try RunRegroup.run([
      "import", "--oneroster",
      Self.fixtures.appendingPathComponent("invalid/zip-without-manifest/oneroster.toml").path, "--db",
      fresh.path,
    ])
    #expect(first.status == 1)
    #expect(
      first.stderrLines.first?.hasPrefix("roster.zip: error: no manifest.csv at the root of the set") == true)
    #expect(!FileManager.default.fileExists(atPath: fresh.path))
  }
}

extension OneRosterCLITests {
  @Test func aSchoolFoldersOwnRosterFilesAreNotReadAndSaySo() throws {
    let folder = try Self.scratch()
    let school = folder.appendingPathComponent("school")
    try FileManager.default.copyItem(at: Self.fixtures.appendingPathComponent("v12/school"), to: school)
    try FileManager.default.copyItem(
      at: Fixtures.root.appendingPathComponent("sample/students.csv"),
      to: school.appendingPathComponent("students.csv"))
    let run = try RunRegroup.run([
      "import", "--oneroster", Self.fixtures.appendingPathComponent("v12/oneroster.toml").path,
      "--school", school.path,
    ])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(
      run.stderrLines == [
        "students.csv: warning: not read: with --oneroster, students, targets, staff and evidence "
          + "come from the set and the package"
      ])
    // The record is the school folder's, as for a folder import.
    #expect(FileManager.default.fileExists(atPath: school.appendingPathComponent("regroup.db").path))
    #expect(run.stdout.contains(": 6 students, 5 targets"))
  }
}
