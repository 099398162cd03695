import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `regroup import`, `request`, `history` and `publish` run as processes against one record:
/// the day's cycle, bad input changing nothing, twenty concurrent writers, a kill mid-publish.
@Suite struct RecordCLITests {}

extension RecordCLITests {
  /// A copy of c1-s12 in a fresh temporary directory; the record is `school/regroup.db`.
  struct Workspace {
    let base: URL
    var folder: URL { base.appendingPathComponent("school") }
    var db: URL { folder.appendingPathComponent("regroup.db") }

    init() throws {
      base = FileManager.default.temporaryDirectory
        .appendingPathComponent("regroup-record-cli-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
      try FileManager.default.copyItem(
        at: Fixtures.conformance.appendingPathComponent("c1-s12"), to: folder)
    }

    /// Runs regroup with `REGROUP_DB` pointing at this record, in `cwd` (default: the base folder).
    func run(_ arguments: [String], cwd: URL? = nil, env: [String: String] = [:]) throws
      -> RunRegroup.Result
    {
      let process = try start(arguments, cwd: cwd, env: env)
      process.process.waitUntilExit()
      return try process.result()
    }

    func start(_ arguments: [String], cwd: URL? = nil, env: [String: String] = [:]) throws
      -> Running
    {
      let binary = try #require(RunRegroup.binary, "no built regroup binary found")
      let process = Process()
      process.executableURL = binary
      process.arguments = arguments
      process.currentDirectoryURL = cwd ?? base
      var environment = ProcessInfo.processInfo.environment
      environment["REGROUP_DB"] = db.path
      for (key, value) in env { environment[key] = value.isEmpty ? nil : value }
      process.environment = environment
      let id = UUID().uuidString
      let out = base.appendingPathComponent("out-\(id)")
      let err = base.appendingPathComponent("err-\(id)")
      FileManager.default.createFile(atPath: out.path, contents: nil)
      FileManager.default.createFile(atPath: err.path, contents: nil)
      process.standardOutput = try FileHandle(forWritingTo: out)
      process.standardError = try FileHandle(forWritingTo: err)
      process.standardInput = FileHandle.nullDevice
      try process.run()
      return Running(process: process, out: out, err: err)
    }

    func write(_ name: String, _ text: String) throws {
      try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    func text(_ name: String) throws -> String {
      try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
    }

    /// The record's observable state: requests and history as CSV.
    func state() throws -> String {
      let requests = try run(["request", "list", "--format", "csv"])
      let history = try run(["history", "--format", "csv"])
      #expect(requests.status == 0 && history.status == 0)
      return requests.stdout + history.stdout
    }

    func importFolder() throws {
      let run = try run(["import", folder.path])
      #expect(run.status == 0, "\(run.stderr)")
    }
  }

  struct Running {
    let process: Process
    let out: URL
    let err: URL

    func result() throws -> RunRegroup.Result {
      RunRegroup.Result(
        status: process.terminationStatus,
        stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
        stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }
  }
}

extension RecordCLITests {
  @Test func aDaysCycleImportRequestPlanPublishHistory() throws {
    let w = try Workspace()
    let imported = try w.run(["import", w.folder.path])
    #expect(imported.status == 0)
    #expect(imported.stdout.hasPrefix("imported \(w.folder.path) into \(w.db.path): 12 students"))
    #expect(FileManager.default.fileExists(atPath: w.db.path))

    let added = try w.run([
      "request", "add", "--staff", "T001", "--student", "S00001", "--priority", "high", "--by", "alice",
    ])
    #expect(added.status == 0 && added.stdout == "REQ-0001\n")
    let second = try w.run([
      "request", "add", "--staff", "I001", "--student", "S00002", "--block", "WIN", "--date", "2026-11-25",
      "--note", "phonics",
    ])
    #expect(second.stdout == "REQ-0002\n")
    let list = try w.run(["request", "list", "--staff", "T001"])
    #expect(list.status == 0)
    #expect(
      list.stdout.split(separator: "\n").map { $0.split(separator: " ").first.map(String.init) ?? "" } == [
        "id", "RH1", "REQ-0001",
      ])
    #expect(list.stdout.contains("alice"))

    let plan = try w.run([
      "plan", w.folder.path, "--format", "json", "--output", w.base.appendingPathComponent("plan.json").path,
    ])
    #expect(plan.status == 0, "\(plan.stderr)")
    let planFile = w.base.appendingPathComponent("plan.json").path
    let published = try w.run(["publish", planFile, "--by", "scheduler"])
    #expect(published.status == 0, "\(published.stderr)")
    #expect(published.stdout.hasPrefix("published 2026-11-25 (version 1):"))

    let again = try w.run(["publish", planFile])
    #expect(again.status == 1 && again.stdout.isEmpty && again.stderr.contains("--replace"))
    let replaced = try w.run(["publish", planFile, "--replace"])
    #expect(replaced.status == 0 && replaced.stdout.hasPrefix("published 2026-11-25 (version 2):"))

    let day = try w.run(["history", "--from", "2026-11-25", "--to", "2026-11-25", "--format", "csv"])
    let rows = day.stdout.split(separator: "\n")
    #expect(rows.first == "date,block,staff,target,student")
    #expect(rows.count > 1 && rows.dropFirst().allSatisfy { $0.hasPrefix("2026-11-25,") })
    // Publishing twice (replace) does not store the day's sessions twice.
    #expect(Set(rows).count == rows.count)

    let status = try w.run(["request", "status", "--staff", "T001"])
    #expect(status.status == 0)
    #expect(status.stdout.contains("RH1") && status.stdout.contains("2026-11-25"))
    // plan reads the record (spec §8): the open REQ-0001 was in the plan, and publishing closed it.
    #expect(
      status.stdout.split(separator: "\n").contains { $0.hasPrefix("REQ-0001 ") && $0.contains("2026-11-25") }
    )
    let later = try w.run(["request", "add", "--staff", "T001", "--student", "S00003"])
    #expect(later.status == 0 && later.stdout == "REQ-0003\n")
    let pending = try w.run(["request", "status", "--staff", "T001"])
    #expect(pending.stdout.contains("REQ-0003") && pending.stdout.contains("not yet planned"))

    let student = try w.run(["history", "--student", "S00001"])
    #expect(student.status == 0)
    #expect(student.stdout.split(separator: "\n").dropFirst().allSatisfy { $0.hasSuffix("S00001") })

    let withdrawn = try w.run(["request", "withdraw", "REQ-0003"])
    #expect(withdrawn.status == 0 && withdrawn.stdout == "REQ-0003 withdrawn\n")
    let closed = try w.run(["request", "withdraw", "RH1"])
    #expect(closed.status == 1 && closed.stdout.isEmpty && closed.stderr.contains("already planned"))
  }

  @Test func badInputChangesNothing() throws {
    let w = try Workspace()
    try w.importFolder()
    let added = try w.run(["request", "add", "--staff", "T001", "--student", "S00001"])
    #expect(added.status == 0)
    let before = try w.state()

    // A broken file: exit 1, every problem on stderr, nothing on stdout, the record as it was.
    try w.write("evidence.csv", try w.text("evidence.csv") + "S00001,M4.01,2026-11-21,2\n")
    try w.write("students.csv", try w.text("students.csv") + "S99999,,,,4\n")
    let rejected = try w.run(["import", w.folder.path])
    #expect(rejected.status == 1 && rejected.stdout.isEmpty)
    #expect(rejected.stderr.contains("students.csv:14: error: tier must be 1, 2 or 3, found \"4\""))
    #expect(try w.state() == before)

    // Unknown ids and priorities in a request: exit 1, each named, nothing added.
    let bad = try w.run([
      "request", "add", "--staff", "T999", "--student", "S00001", "--block", "LUNCH", "--priority", "urgent",
    ])
    #expect(bad.status == 1 && bad.stdout.isEmpty)
    #expect(bad.stderr.contains("unknown staff \"T999\"") && bad.stderr.contains("unknown block \"LUNCH\""))
    #expect(bad.stderr.contains("priority must be required, high or normal, found \"urgent\""))
    let unknown = try w.run(["request", "withdraw", "REQ-0999"])
    #expect(unknown.status == 1 && unknown.stdout.isEmpty)
    let student = try w.run(["history", "--student", "NOBODY"])
    #expect(student.status == 1 && student.stdout.isEmpty)
    #expect(try w.state() == before)

    // A usage mistake is ArgumentParser's: exit 64.
    let usage = try w.run([
      "request", "add", "--staff", "T001", "--student", "S00001", "--date", "2026-02-30",
    ])
    #expect(usage.status == 64)
    #expect(try w.state() == before)
  }

  @Test func aRejectedFirstImportMakesNoRecord() throws {
    let w = try Workspace()
    try w.write("staff.csv", "staff_id,subjects,max_group_size,max_minutes\nT001,*,0,60\n")
    let run = try w.run(["import", w.folder.path])
    #expect(run.status == 1 && run.stdout.isEmpty && run.stderr.contains("staff.csv:2: error:"))
    #expect(!FileManager.default.fileExists(atPath: w.db.path))
  }

  @Test func noRecordSaysWhereItLookedAndHowToMakeOne() throws {
    let w = try Workspace()
    let empty = w.base.appendingPathComponent("elsewhere")
    try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
    for arguments in [
      ["request", "list"], ["history"], ["request", "add", "--staff", "T001", "--student", "S00001"],
    ] {
      let run = try w.run(arguments, cwd: empty, env: ["REGROUP_DB": ""])
      #expect(run.status == 1 && run.stdout.isEmpty)
      #expect(run.stderr.contains("regroup.db: error: no record found"))
      #expect(run.stderr.contains("regroup import FOLDER"))
    }
    #expect(!FileManager.default.fileExists(atPath: empty.appendingPathComponent("regroup.db").path))
    // --db wins over $REGROUP_DB and the current directory.
    try w.importFolder()
    let viaDB = try w.run(["request", "list", "--db", w.db.path], cwd: empty, env: ["REGROUP_DB": ""])
    #expect(viaDB.status == 0 && viaDB.stdout.contains("RH1"))
    // In the school's folder, ./regroup.db is the record.
    let inFolder = try w.run(["history"], cwd: w.folder, env: ["REGROUP_DB": ""])
    #expect(inFolder.status == 0 && inFolder.stdout.contains("2026-11-"))
  }

  @Test func twentyConcurrentRequestAddsAllLand() throws {
    let w = try Workspace()
    try w.importFolder()
    let students = (1...12).map { "S000" + ($0 < 10 ? "0" : "") + String($0) }
    var running: [Running] = []
    for i in 0..<20 {
      running.append(
        try w.start(["request", "add", "--staff", "T001", "--student", students[i % 12], "--note", "n\(i)"]))
    }
    var ids: [String] = []
    for r in running {
      r.process.waitUntilExit()
      let result = try r.result()
      #expect(result.status == 0, "\(result.stderr)")
      ids.append(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }
    #expect(Set(ids).count == 20)
    #expect(Set(ids) == Set((1...20).map { String(format: "REQ-%04d", $0) }))
    let list = try w.run(["request", "list", "--format", "csv"])
    let stored = list.stdout.split(separator: "\n").filter { $0.hasPrefix("REQ-") }
    #expect(stored.count == 20)
    #expect(Set((0..<20).map { "n\($0)" }) == Set(stored.map { String($0.split(separator: ",").last ?? "") }))
  }

  @Test func aPublishKilledMidTransactionLeavesThePreviousState() throws {
    let w = try Workspace()
    try w.importFolder()
    let planFile = w.base.appendingPathComponent("plan.json").path
    let plan = try w.run(["plan", w.folder.path, "--format", "json", "--output", planFile])
    #expect(plan.status == 0, "\(plan.stderr)")
    let before = try w.state()

    let marker = w.base.appendingPathComponent("paused")
    let publishing = try w.start(
      ["publish", planFile], env: ["REGROUP_TEST_PAUSE_IN_PUBLISH": marker.path])
    let deadline = Date().addingTimeInterval(60)
    while !FileManager.default.fileExists(atPath: marker.path), Date() < deadline,
      publishing.process.isRunning
    {
      Thread.sleep(forTimeInterval: 0.05)
    }
    #expect(FileManager.default.fileExists(atPath: marker.path), "publish never reached its pause")
    // While the writer is inside its transaction, readers see the previous state.
    #expect(try w.state() == before)
    kill(publishing.process.processIdentifier, SIGKILL)
    publishing.process.waitUntilExit()
    #expect(publishing.process.terminationReason == .uncaughtSignal)

    #expect(try w.state() == before)
    if FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") {
      let check = Process()
      check.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
      check.arguments = [w.db.path, "PRAGMA integrity_check; SELECT COUNT(*) FROM plan;"]
      let pipe = Pipe()
      check.standardOutput = pipe
      try check.run()
      let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      check.waitUntilExit()
      #expect(output == "ok\n0\n")
    }
    // The record still works: the same plan publishes as version 1.
    let published = try w.run(["publish", planFile])
    #expect(published.status == 0 && published.stdout.hasPrefix("published 2026-11-25 (version 1):"))
    #expect(try w.state() != before)
  }
}
