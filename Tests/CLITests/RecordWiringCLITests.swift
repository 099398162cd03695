import Foundation
import TestSupport
import Testing

/// `plan`, `status` and `check` reading the school's record, and `plan --publish [--replace]`
/// (spec §8), run as processes on temporary copies of conformance folder c4-s80.
///
/// Every command names its record explicitly (FOLDER/regroup.db or `--db`), so `$REGROUP_DB`
/// and the current directory of the test process play no part.
@Suite struct RecordWiringCLITests {}

extension RecordWiringCLITests {
  static let day = "2026-11-25"
  static let nextDay = "2026-11-26"

  /// A fresh copy of a conformance folder in its own temporary directory.
  struct School {
    let base: URL
    let folder: URL
    var db: URL { folder.appendingPathComponent("regroup.db") }
    var path: String { folder.path }

    init(_ name: String = "c4-s80") throws {
      base = FileManager.default.temporaryDirectory
        .appendingPathComponent("regroup-wiring-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
      folder = base.appendingPathComponent("school")
      try FileManager.default.copyItem(at: Fixtures.conformance.appendingPathComponent(name), to: folder)
    }

    /// `regroup import FOLDER`, which must succeed.
    func importFolder(sourceLocation: SourceLocation = #_sourceLocation) throws {
      let run = try RunRegroup.run(["import", path])
      #expect(run.status == 0, "\(run.stderr)", sourceLocation: sourceLocation)
    }

    /// Writes `text` to a file in the base directory and returns its path.
    func file(_ name: String, _ text: String) throws -> String {
      let url = base.appendingPathComponent(name)
      try text.write(to: url, atomically: true, encoding: .utf8)
      return url.path
    }

    /// The record's history of one day as `date,block,staff,target,student` rows.
    func history(on day: String) throws -> [String] {
      let run = try RunRegroup.run([
        "history", "--db", db.path, "--from", day, "--to", day, "--format", "csv",
      ])
      #expect(run.status == 0, "\(run.stderr)")
      return run.stdout.split(separator: "\n").dropFirst().map(String.init)
    }
  }

  static func json(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) throws
    -> [String: Any]
  {
    try #require(
      try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
      sourceLocation: sourceLocation)
  }

  /// A plan's placements as history rows: `date,block,staff,target,student`.
  static func placements(_ plan: [String: Any]) throws -> Set<String> {
    let date = try #require(plan["date"] as? String)
    var rows = Set<String>()
    for session in try #require(plan["sessions"] as? [[String: Any]]) {
      let head = [date, session["block"], session["staff"], session["target"]]
        .map { $0 as? String ?? "?" }.joined(separator: ",")
      for student in session["students"] as? [String] ?? [] { rows.insert(head + "," + student) }
    }
    return rows
  }

  /// `status --format json`'s waits, keyed `student|target`.
  static func waits(_ text: String) throws -> [String: Int] {
    var waits: [String: Int] = [:]
    for need in try #require(try json(text)["needs"] as? [[String: Any]]) {
      let key = "\(need["student"] as? String ?? "?")|\(need["target"] as? String ?? "?")"
      waits[key] = (need["wait"] as? NSNumber)?.intValue
    }
    return waits
  }
}

// MARK: - A day's cycle

extension RecordWiringCLITests {
  @Test func aDaysCycleReadsAndWritesTheRecord() throws {
    let school = try School()
    try school.importFolder()
    let added = try RunRegroup.run([
      "request", "add", "--db", school.db.path, "--staff", "I001", "--student", "S00003",
      "--priority", "high",
    ])
    #expect(added.status == 0 && added.stdout == "REQ-0001\n", "\(added.stderr)")

    // plan reads the record: the request added since the import is in the plan.
    let planned = try RunRegroup.run(["plan", school.path, "--format", "json"])
    #expect(planned.status == 0, "\(planned.stderr)")
    let plan = try Self.json(planned.stdout)
    let outcomes = try #require(plan["requests"] as? [[String: Any]])
    let outcome = try #require(outcomes.first { $0["request_id"] as? String == "REQ-0001" })
    let honored = try #require(outcome["honored"] as? Bool)
    #expect(outcomes.count == 5)  // requests.csv's four and the one added

    // --publish stores the plan, then prints it; the confirmation goes to stderr.
    let published = try RunRegroup.run(["plan", school.path, "--publish", "--format", "json"])
    #expect(published.status == 0, "\(published.stderr)")
    #expect(published.stderr.contains("published \(Self.day) (version 1)"), "\(published.stderr)")
    let publishedPlan = try Self.json(published.stdout)
    #expect(publishedPlan["status"] as? String == "optimal")
    let sessions = try Self.placements(publishedPlan)
    #expect(!sessions.isEmpty)
    #expect(Set(try school.history(on: Self.day)) == sessions)

    // The request's outcome is recorded, and it is closed.
    let feedback = try RunRegroup.run(["request", "status", "--db", school.db.path, "--staff", "I001"])
    #expect(feedback.status == 0, "\(feedback.stderr)")
    let line = try #require(
      feedback.stdout.split(separator: "\n").first { $0.hasPrefix("REQ-0001 ") }, "\(feedback.stdout)")
    #expect(line.contains(Self.day))
    #expect(line.contains(honored ? "  honored" : "not honored"), "\(line)")
    let list = try RunRegroup.run(["request", "list", "--db", school.db.path, "--format", "csv"])
    #expect(list.stdout.contains("REQ-0001,closed \(Self.day),"), "\(list.stdout)")

    // Publishing the day again needs --replace: exit 1, nothing on stdout, the record as it was.
    let again = try RunRegroup.run(["plan", school.path, "--publish", "--format", "json"])
    #expect(again.status == 1)
    #expect(again.stdout.isEmpty, "\(again.stdout)")
    #expect(again.stderr.contains("already published") && again.stderr.contains("--replace"))
    #expect(Set(try school.history(on: Self.day)) == sessions)

    let replaced = try RunRegroup.run(["plan", school.path, "--publish", "--replace", "--format", "json"])
    #expect(replaced.status == 0, "\(replaced.stderr)")
    #expect(replaced.stderr.contains("published \(Self.day) (version 2"), "\(replaced.stderr)")
    #expect(try Self.placements(try Self.json(replaced.stdout)) == sessions)
    let history = try school.history(on: Self.day)
    #expect(history.count == sessions.count && Set(history) == sessions)

    // The next day: a need served on the published day has waited one day.
    let next = try RunRegroup.run(["status", school.path, "--date", Self.nextDay, "--format", "json"])
    #expect(next.status == 0, "\(next.stderr)")
    let waits = try Self.waits(next.stdout)
    let fromFiles = try School()  // the same school without a record: no published sessions
    let before = try RunRegroup.run(["status", fromFiles.path, "--date", Self.nextDay, "--format", "json"])
    #expect(before.status == 0)
    let oldWaits = try Self.waits(before.stdout)
    let served = Set(
      sessions.map { row -> String in
        let cells = row.split(separator: ",").map(String.init)
        return "\(cells[4])|\(cells[3])"
      })
    let stillNeeded = served.filter { waits[$0] != nil }
    #expect(!stillNeeded.isEmpty)
    for key in stillNeeded {
      #expect(waits[key] == 1, "\(key): wait \(waits[key] ?? -1)")
      #expect((oldWaits[key] ?? 0) > 1, "\(key): wait \(oldWaits[key] ?? -1) without the record")
    }
    // Pairs not served keep their waits.
    for (key, wait) in waits where !served.contains(key) { #expect(oldWaits[key] == wait, "\(key)") }

    // check reads the record: REQ-0001 is the record's, not requests.csv's.
    let planFile = try school.file("plan.json", replaced.stdout)
    let checked = try RunRegroup.run(["check", school.path, planFile])
    #expect(checked.status == 0, "\(checked.stdout)\n\(checked.stderr)")
    #expect(checked.stdout.hasPrefix("score: "))
    let viaDB = try RunRegroup.run(["check", "--db", school.db.path, planFile, "--format", "json"])
    #expect(viaDB.status == 0, "\(viaDB.stdout)\n\(viaDB.stderr)")
    let againstFiles = try RunRegroup.run(["check", fromFiles.path, planFile])
    #expect(againstFiles.status == 2)
    #expect(againstFiles.stdout.contains("R10: request REQ-0001"), "\(againstFiles.stdout)")
  }
}

// MARK: - --db without FOLDER, and no record

extension RecordWiringCLITests {
  @Test func dbWithoutFolderServesPlanStatusAndExportModel() throws {
    let school = try School()
    try school.importFolder()
    let elsewhere = try School()  // FOLDER of another copy must not matter with --db
    let added = try RunRegroup.run([
      "request", "add", "--db", school.db.path, "--staff", "T001", "--student", "S00005",
    ])
    #expect(added.status == 0)

    let model = school.base.appendingPathComponent("day.lp").path
    let plan = try RunRegroup.run([
      "plan", "--db", school.db.path, "--format", "json", "--export-model", model,
    ])
    #expect(plan.status == 0, "\(plan.stderr)")
    let json = try Self.json(plan.stdout)
    #expect(json["date"] as? String == Self.day)
    let ids = (json["requests"] as? [[String: Any]] ?? []).compactMap { $0["request_id"] as? String }
    #expect(ids.contains("REQ-0001"))
    let lp = try String(contentsOfFile: model, encoding: .utf8)
    #expect(lp.lowercased().contains("maximize") || lp.lowercased().contains("max"))

    let withFolder = try RunRegroup.run(["plan", elsewhere.path, "--db", school.db.path, "--format", "json"])
    #expect(withFolder.status == 0)
    let ids2 = (try Self.json(withFolder.stdout)["requests"] as? [[String: Any]] ?? [])
      .compactMap { $0["request_id"] as? String }
    #expect(ids2.contains("REQ-0001"))

    let status = try RunRegroup.run(["status", "--db", school.db.path, "--format", "csv"])
    #expect(status.status == 0, "\(status.stderr)")
    #expect(status.stdout.hasPrefix("student,target,level,wait,weight\n"))
  }

  @Test func publishWithoutARecordSaysWhereItLooked() throws {
    let school = try School()
    let run = try RunRegroup.run(["plan", school.path, "--publish", "--format", "json"])
    #expect(run.status == 1)
    #expect(run.stdout.isEmpty, "\(run.stdout)")
    #expect(run.stderr.contains("\(school.db.path): error: no record found"), "\(run.stderr)")
    #expect(run.stderr.contains("regroup import FOLDER"))
    #expect(!FileManager.default.fileExists(atPath: school.db.path))

    // A --db that names no file is the same for plan, status and check.
    let missing = school.base.appendingPathComponent("none.db").path
    let planFile = try school.file("plan.json", #"{"date": "2026-11-25", "sessions": []}"#)
    for arguments in [
      ["plan", "--db", missing], ["plan", school.path, "--db", missing, "--publish"],
      ["status", "--db", missing], ["check", "--db", missing, planFile],
    ] {
      let run = try RunRegroup.run(arguments)
      #expect(run.status == 1, "\(arguments)")
      #expect(run.stdout.isEmpty)
      #expect(run.stderr.contains("none.db: error: no record found"), "\(arguments): \(run.stderr)")
    }
    #expect(!FileManager.default.fileExists(atPath: missing))

    // Without a record and without --publish, plan reads the CSV files as before.
    let plain = try RunRegroup.run(["plan", school.path, "--format", "json"])
    #expect(plain.status == 0)
    #expect(!FileManager.default.fileExists(atPath: school.db.path))
  }

  @Test func noPlanIsNotPublished() throws {
    let school = try School("c5-infeasible")
    try school.importFolder()
    let run = try RunRegroup.run(["plan", school.path, "--publish", "--format", "json"])
    #expect(run.status == 2, "\(run.stderr)")
    #expect(try Self.json(run.stdout)["status"] as? String == "infeasible")
    #expect(run.stderr.contains("not published"), "\(run.stderr)")
    #expect(try school.history(on: Self.day).isEmpty)
  }
}

// MARK: - Stale files and usage

extension RecordWiringCLITests {
  @Test func aCSVFileChangedAfterTheImportIsWarnedAbout() throws {
    let school = try School()
    try school.importFolder()
    let fresh = try RunRegroup.run(["plan", school.path, "--format", "json"])
    #expect(fresh.status == 0)
    #expect(!fresh.stderr.contains("since the last import"), "\(fresh.stderr)")

    let students = school.folder.appendingPathComponent("students.csv")
    try FileManager.default.setAttributes(
      [.modificationDate: Date().addingTimeInterval(120)], ofItemAtPath: students.path)
    let stale = try RunRegroup.run(["plan", school.path, "--format", "json"])
    #expect(stale.status == 0)
    #expect(
      stale.stderrLines.contains { $0.hasPrefix("students.csv: warning:") && $0.contains("regroup import") },
      "\(stale.stderr)")
    #expect(!stale.stderr.contains("evidence.csv: warning: changed"))
    #expect(try Self.json(stale.stdout)["status"] as? String == "optimal")

    // Importing again takes the change in and the warning goes.
    try school.importFolder()
    try FileManager.default.setAttributes(
      [.modificationDate: Date().addingTimeInterval(-120)], ofItemAtPath: students.path)
    let after = try RunRegroup.run(["status", school.path, "--format", "csv"])
    #expect(after.status == 0)
    #expect(!after.stderr.contains("since the last import"), "\(after.stderr)")
  }

  @Test(arguments: [
    ["plan"], ["plan", "--format", "json"], ["plan", "--publish"], ["status"], ["check"],
    ["check", "plan.json"],
  ])
  func noFolderAndNoRecordIsAUsageError(_ arguments: [String]) throws {
    let run = try RunRegroup.run(arguments)
    #expect(run.status == 64, "\(run.stderr)")
    #expect(run.stdout.isEmpty)
    #expect(run.stderr.contains("Error:") && run.stderr.contains("Usage: regroup \(arguments[0])"))
  }

  @Test func replaceWithoutPublishIsAUsageError() throws {
    let school = try School()
    let run = try RunRegroup.run(["plan", school.path, "--replace"])
    #expect(run.status == 64)
    #expect(run.stdout.isEmpty)
    #expect(run.stderr.contains("--replace") && run.stderr.contains("Usage: regroup plan"))
  }
}
