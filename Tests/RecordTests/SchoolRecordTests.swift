import Foundation
import GRDB
import LearnerStatus
import Planning
import Record
import TestSupport
import Testing

/// The school's record in process: import, the school read back, requests, publishing, history, schema.
@Suite struct SchoolRecordTests {}

/// A copy of a fixture folder in a fresh temporary directory, and its record's path.
struct Scratch {
  let folder: URL
  var db: URL { folder.appendingPathComponent("regroup.db") }

  init(_ fixture: URL = Fixtures.conformance.appendingPathComponent("c1-s12")) throws {
    let base = FileManager.default.temporaryDirectory
      .appendingPathComponent("regroup-record-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
    folder = base.appendingPathComponent("school")
    try FileManager.default.copyItem(at: fixture, to: folder)
  }

  func text(_ name: String) throws -> String {
    try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
  }

  func write(_ name: String, _ text: String) throws {
    try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
  }

  /// Validates and imports the folder into its record (created when missing).
  @discardableResult
  func importFolder() throws -> ImportSummary {
    let loaded = try SchoolRecord.validate(files: try SchoolRecord.readFiles(in: folder))
    return try SchoolRecord.open(at: db, create: true).importSchool(loaded, from: folder.path)
  }

  func record() throws -> SchoolRecord { try SchoolRecord.open(at: db) }

  /// Counts of every table, to show that a failure changed nothing.
  func counts() throws -> [String: Int] {
    let queue = try DatabaseQueue(path: db.path)
    return try queue.read { db in
      var result: [String: Int] = [:]
      for table in [
        "student", "target", "staff", "block", "evidence", "history", "request",
        "request_outcome", "plan", "plan_audit", "pin", "unavailable", "import_log",
      ] {
        result[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)")
      }
      return result
    }
  }
}

extension SchoolRecordTests {
  @Test func importReadsBackTheSameSchool() throws {
    let scratch = try Scratch()
    let summary = try scratch.importFolder()
    let folder = try SchoolFolder.load(scratch.folder)
    let loaded = try scratch.record().load(date: nil)
    #expect(loaded.date == folder.date)
    #expect(summary.students == folder.school.students.count)
    #expect(summary.evidenceAdded == folder.school.evidence.count)
    let a = loaded.school
    let b = folder.school
    #expect(a.policy == b.policy)
    #expect(a.students == b.students)
    #expect(a.targets == b.targets)
    #expect(a.staff == b.staff)
    #expect(a.blocks == b.blocks)
    #expect(a.unavailable == b.unavailable)
    #expect(a.pins == b.pins)
    func plain<T>(_ rows: [T], _ clear: (inout T) -> Void) -> [T] {
      rows.map {
        var r = $0; clear(&r); return r
      }
    }
    #expect(plain(a.evidence) { $0.line = 0 } == plain(b.evidence) { $0.line = 0 })
    #expect(plain(a.history) { $0.line = 0 } == plain(b.history) { $0.line = 0 })
    #expect(plain(a.requests) { $0.line = 0 } == plain(b.requests) { $0.line = 0 })
    // What the plan is made from is the same either way.
    #expect(Derivation.needs(in: a, on: loaded.date) == Derivation.needs(in: b, on: folder.date))
  }

  @Test func importingTheSameFilesTwiceAddsNothing() throws {
    let scratch = try Scratch()
    try scratch.importFolder()
    let before = try scratch.counts()
    let again = try scratch.importFolder()
    #expect(again.evidenceAdded == 0 && again.historyAdded == 0 && again.requestsAdded == 0)
    var after = try scratch.counts()
    #expect(after["import_log"] == 2)
    after["import_log"] = before["import_log"]
    #expect(after == before)
  }

  @Test func evidenceIsAMultiset() throws {
    let scratch = try Scratch()
    let row = "S00001,M4.01,2026-11-20,1.5\n"
    let original = try scratch.text("evidence.csv")
    try scratch.write("evidence.csv", original + row + row)
    let first = try scratch.importFolder()
    let base = try SchoolFolder.load(scratch.folder).school.evidence.count
    #expect(first.evidenceAdded == base)  // both identical rows kept
    #expect(try scratch.importFolder().evidenceAdded == 0)
    // A third identical row is one more observation; the level "1.50" is the same value.
    try scratch.write("evidence.csv", original + row + row + "S00001,M4.01,2026-11-20,1.50\n")
    #expect(try scratch.importFolder().evidenceAdded == 1)
    // A file with the row only once adds nothing: the record already has two.
    try scratch.write("evidence.csv", original + row)
    #expect(try scratch.importFolder().evidenceAdded == 0)
    let evidence = try scratch.record().load(date: nil).school.evidence
    #expect(
      evidence.filter { $0.studentID == "S00001" && $0.targetID == "M4.01" && $0.date == Day("2026-11-20") }
        .count == 3)
  }

  @Test func importRefreshesTheSchool() throws {
    let scratch = try Scratch()
    try scratch.importFolder()
    var staff = try scratch.text("staff.csv")
    staff = staff.replacingOccurrences(of: "\nP001,", with: "\nP001X,")
    try scratch.write("staff.csv", staff)
    // pins/unavailable/requests naming P001 would now be unknown: drop them from the files.
    for name in ["pins.csv", "unavailable.csv", "requests.csv", "history.csv"] {
      let lines = try scratch.text(name).split(whereSeparator: \.isNewline).filter { !$0.contains("P001") }
      try scratch.write(name, lines.joined(separator: "\n") + "\n")
    }
    try scratch.importFolder()
    let school = try scratch.record().load(date: nil).school
    #expect(school.staff.contains { $0.id == "P001X" })
    #expect(!school.staff.contains { $0.id == "P001" })
  }

  @Test func aRejectedImportChangesNothing() throws {
    let scratch = try Scratch()
    try scratch.importFolder()
    let before = try scratch.counts()
    try scratch.write("students.csv", try scratch.text("students.csv") + "S99999,,,,4\n")
    try scratch.write("evidence.csv", try scratch.text("evidence.csv") + "S00001,M4.01,2026-11-21,2\n")
    #expect(throws: InputError.self) { try scratch.importFolder() }
    #expect(try scratch.counts() == before)
  }

  @Test func aChangedRequestUnderAnOldIdRejectsTheImport() throws {
    let scratch = try Scratch()
    try scratch.importFolder()
    let before = try scratch.counts()
    let requests = try scratch.text("requests.csv").replacingOccurrences(
      of: "Q1,I001,S00003,B1,normal", with: "Q1,I001,S00003,B1,high")
    try scratch.write("requests.csv", requests)
    try scratch.write("evidence.csv", try scratch.text("evidence.csv") + "S00001,M4.01,2026-11-21,2\n")
    let error = try #require(throws: InputError.self) { try scratch.importFolder() }
    #expect(error.description.hasPrefix("requests.csv:2: error: request_id \"Q1\" is already in the record"))
    #expect(try scratch.counts() == before)
  }

  @Test func aFolderWithoutADateImportsAndThePlanNeedsOne() throws {
    let scratch = try Scratch()
    let toml = try scratch.text("school.toml").split(whereSeparator: \.isNewline)
      .filter { !$0.hasPrefix("date") }.joined(separator: "\n")
    try scratch.write("school.toml", toml + "\n")
    try scratch.importFolder()
    #expect(throws: InputError.self) { try scratch.record().load(date: nil) }
    #expect(try scratch.record().load(date: Day("2026-11-25")).date == Day("2026-11-25"))
  }
}

extension SchoolRecordTests {
  @Test func requestsGetTheNextFreeIdAndKeepWhoAndWhen() throws {
    let scratch = try Scratch()
    try scratch.importFolder()
    let record = try scratch.record()
    let a = try record.addRequest(staff: "T001", student: "S00001", by: "alice")
    let b = try record.addRequest(
      staff: "I001", student: "S00002", block: "WIN", date: Day("2026-11-25"), priority: "required",
      note: "reading check", by: "bob")
    #expect(a.id == "REQ-0001" && b.id == "REQ-0002")
    #expect(a.madeBy == "alice" && b.priority == .required && b.note == "reading check")
    #expect(a.madeAt.hasSuffix("Z") && a.madeAt.count == 20)
    try record.withdrawRequest("REQ-0002", by: "bob")
    // A withdrawn id is never given again.
    #expect(try record.addRequest(staff: "T001", student: "S00003").id == "REQ-0003")
    let list = try record.requests()
    #expect(list.map(\.id).prefix(3) == ["Q1", "RH1", "REQ-0001"])  // open first, in order made
    #expect(list.last?.id == "REQ-0002" && list.last?.state == .withdrawn)
    #expect(try record.requests(staff: "I001").map(\.id) == ["Q1", "REQ-0002"])
  }

  @Test func badRequestsChangeNothingAndNameEveryProblem() throws {
    let scratch = try Scratch()
    try scratch.importFolder()
    let record = try scratch.record()
    let before = try scratch.counts()
    let error = try #require(throws: SchoolRecordError.self) {
      try record.addRequest(staff: "T999", student: "S99999", block: "NOPE", priority: "urgent")
    }
    #expect(
      error.message == """
        error: unknown staff "T999": it is not in the record's staff.csv
        error: unknown student "S99999": it is not in the record's students.csv
        error: unknown block "NOPE": it is not in the record's blocks.csv
        error: priority must be required, high or normal, found "urgent"
        """)
    #expect(throws: SchoolRecordError.self) { try record.withdrawRequest("REQ-0042") }
    #expect(try scratch.counts() == before)
  }

  @Test func theSchoolOfADayHasOpenAndThatDaysRequests() throws {
    let scratch = try Scratch()
    try scratch.importFolder()
    let record = try scratch.record()
    try record.addRequest(staff: "T001", student: "S00001", date: Day("2026-11-26"))
    try record.addRequest(staff: "T001", student: "S00004")
    let withdrawn = try record.addRequest(staff: "T001", student: "S00005")
    try record.withdrawRequest(withdrawn.id)
    #expect(try record.school(on: Day("2026-11-25")!).requests.map(\.id) == ["Q1", "RH1", "REQ-0002"])
    #expect(
      try record.school(on: Day("2026-11-26")!).requests.map(\.id) == ["Q1", "RH1", "REQ-0001", "REQ-0002"])
  }
}

extension SchoolRecordTests {
  static let day = Day("2026-11-25")!

  static func plan(_ sessions: [Session], honored: [String: Bool]) -> Plan {
    Plan(
      date: day, status: .optimal, objective: 1, bound: 1, sessions: sessions,
      requests: honored.keys.sorted().map {
        RequestOutcome(requestID: $0, honored: honored[$0]!, reason: honored[$0]! ? nil : "no room")
      })
  }

  @Test func publishingAppendsHistoryAndClosesRequestsInOneStep() throws {
    let scratch = try Scratch()
    try scratch.importFolder()
    let record = try scratch.record()
    try record.addRequest(staff: "T001", student: "S00001", priority: "high")
    let historyBefore = try record.history().count
    let plan = Self.plan(
      [
        Session(block: "B1", staff: "T001", target: "M4.01", students: ["S00001", "S00002"]),
        Session(block: "WIN", staff: "I001", target: "R3.04", students: ["S00003", "S00004", "S00005"]),
      ], honored: ["Q1": false, "RH1": true, "REQ-0001": true])
    let result = try record.publish(plan, by: "scheduler")
    #expect(result.version == 1 && result.placements == 5 && result.requestsClosed == 3)
    #expect(try record.history().count == historyBefore + 5)
    #expect(
      try record.history(from: Self.day, to: Self.day).map(\.studentID) == [
        "S00001", "S00002", "S00003", "S00004", "S00005",
      ])
    #expect(try record.requests().allSatisfy { $0.state == .closed && $0.closedOn == Self.day })
    let status = try record.requestStatus(staff: "I001")
    #expect(status.map(\.request.id) == ["Q1"])
    #expect(status.first?.honored == false && status.first?.reason == "no room")
    #expect(try record.publishedPlan(on: Self.day) == plan)
    // The next day's school sees the session: S00001's wait on M4.01 is one day.
    let next = try record.load(date: Day("2026-11-26"))
    let last = Derivation.lastSessions(in: next.school, before: next.date)
    #expect(last[StudentTarget("S00001", "M4.01")] == Self.day)
    // A new open request is not in the published plan: it stays open.
    try record.addRequest(staff: "T001", student: "S00006")
    #expect(try record.requests().first?.state == .open)
  }

  @Test func publishingADayAgainNeedsReplaceAndKeepsTheEarlierVersion() throws {
    let scratch = try Scratch()
    try scratch.importFolder()
    let record = try scratch.record()
    let first = Self.plan(
      [Session(block: "B1", staff: "T001", target: "M4.01", students: ["S00001", "S00002"])],
      honored: ["Q1": true, "RH1": false])
    try record.publish(first)
    let counts = try scratch.counts()
    let second = Self.plan(
      [Session(block: "B2", staff: "T001", target: "M4.01", students: ["S00006", "S00007"])],
      honored: ["Q1": false, "RH1": true])
    let error = try #require(throws: SchoolRecordError.self) { try record.publish(second) }
    #expect(error.message.contains("--replace"))
    #expect(try scratch.counts() == counts)
    // The replaced day's requests are in the day's school again, so a re-plan can decide them.
    #expect(try record.school(on: Self.day).requests.map(\.id) == ["Q1", "RH1"])
    let result = try record.publish(second, replace: true, by: "principal")
    #expect(result.version == 2 && result.replaced && result.requestsClosed == 2)
    #expect(try record.history(from: Self.day).map(\.studentID) == ["S00006", "S00007"])
    let trail = try record.auditTrail(on: Self.day)
    #expect(trail.map(\.version) == [1, 2])
    #expect(trail[0].plan == first && trail[0].replacedBy == "principal" && trail[1].plan == second)
    #expect(try record.requestStatus(staff: "I001").map(\.honored) == [false])
  }

  @Test func aPlanWithUnknownIdsOrNoSessionsIsNotPublished() throws {
    let scratch = try Scratch()
    try scratch.importFolder()
    let record = try scratch.record()
    let counts = try scratch.counts()
    let stranger = Self.plan(
      [Session(block: "B9", staff: "T001", target: "M4.01", students: ["S00001", "S55555"])],
      honored: [:])
    let error = try #require(throws: SchoolRecordError.self) { try record.publish(stranger) }
    #expect(error.message.contains("block \"B9\"") && error.message.contains("student \"S55555\""))
    let none = Plan(
      date: Self.day, status: .infeasible, objective: nil, bound: nil, sessions: [], requests: [])
    #expect(throws: SchoolRecordError.self) { try record.publish(none) }
    #expect(try scratch.counts() == counts)
  }
}

extension SchoolRecordTests {
  @Test func theRecordIsWALAndRefusesANewerSchema() throws {
    let scratch = try Scratch()
    try scratch.importFolder()
    let queue = try DatabaseQueue(path: scratch.db.path)
    #expect(try queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
    #expect(
      try queue.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") } == [
        "v1", "v2", "v3-prerequisites", "v4-oneroster-rows", "v5-week",
      ])
    try queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99-future')") }
    let error = try #require(throws: SchoolRecordError.self) { try scratch.record() }
    #expect(error.message.contains("newer version of Regroup"))
  }

  @Test func everyWriteAndOnlyAWriteCountsAsAChange() throws {
    let scratch = try Scratch()
    try scratch.importFolder()
    let record = try scratch.record()
    let before = try record.changeCount()
    #expect(before > 0)
    _ = try record.requests()
    #expect(try record.changeCount() == before)
    try record.addRequest(staff: "T001", student: "S00001", by: "test")
    #expect(try record.changeCount() == before + 1)
    #expect(throws: SchoolRecordError.self) {
      try record.addRequest(staff: "T999", student: "S00001", by: "test")
    }
    #expect(try record.changeCount() == before + 1)
  }

  @Test func theNeedsFingerprintMovesWithImportsAndHistoryButNotWithRequests() throws {
    let scratch = try Scratch()
    try scratch.importFolder()
    let record = try scratch.record()
    let first = try record.needsFingerprint()
    try record.addRequest(staff: "T001", student: "S00001", by: "test")
    try record.setSessionNote("bring counters", date: Day("2026-11-25")!, block: "B1", staff: "T001")
    #expect(try record.needsFingerprint() == first)
    Thread.sleep(forTimeInterval: 0.01)
    try scratch.importFolder()
    #expect(try record.needsFingerprint() != first)
  }

  @Test func aRecordFromBeforeTheWebAppGainsItsTablesWhenOpened() throws {
    let scratch = try Scratch()
    try scratch.importFolder()
    let queue = try DatabaseQueue(path: scratch.db.path)
    try queue.write { db in
      try db.execute(sql: "DROP TABLE access; DROP TABLE session_note")
      try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v2'")
    }
    try queue.close()
    let record = try scratch.record()
    let (grant, token) = try record.issueAccess(staff: "T001", by: "test")
    #expect(try record.activeGrant(tokenHash: SchoolRecord.tokenHash(token)) == grant)
    #expect(try record.load(date: nil).school.students.count == 12)
  }

  @Test func prerequisitesAndTheNotReadyWeightSurviveTheRecord() throws {
    let scratch = try Scratch(Fixtures.root.appendingPathComponent("prerequisites/p1-s12"))
    try scratch.write("school.toml", try scratch.text("school.toml") + "\n[weights]\nnot_ready = 0.4\n")
    try scratch.importFolder()
    let folder = try SchoolFolder.load(scratch.folder)
    let loaded = try scratch.record().load(date: nil)
    #expect(loaded.school.policy.weights.notReady == 0.4)
    #expect(loaded.school.targets == folder.school.targets)
    #expect(loaded.school.targets.contains { $0.prerequisites == ["M3.06"] })
    let needs = Derivation.needs(in: loaded.school, on: loaded.date)
    #expect(needs == Derivation.needs(in: folder.school, on: folder.date))
    #expect(needs.contains { !$0.isReady })
  }

  @Test func aRecordFromBeforePrerequisitesGainsThemWhenOpened() throws {
    let scratch = try Scratch()
    try scratch.importFolder()
    let queue = try DatabaseQueue(path: scratch.db.path)
    try queue.write { db in
      try db.execute(
        sql: "ALTER TABLE target DROP COLUMN prerequisites; ALTER TABLE policy DROP COLUMN not_ready")
      try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v3-prerequisites'")
    }
    try queue.close()
    let loaded = try scratch.record().load(date: nil)
    #expect(loaded.school.policy.weights.notReady == 0.25)
    #expect(loaded.school.targets.allSatisfy { $0.prerequisites.isEmpty })
    #expect(loaded.school.targets.count == 24)
  }

  @Test func noRecordSaysWhereItLookedAndHowToMakeOne() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("none-\(UUID().uuidString).db")
    let error = try #require(throws: SchoolRecordError.self) { try SchoolRecord.open(at: path) }
    #expect(error.message.hasPrefix(path.path + ": error: no record found"))
    #expect(error.message.contains("regroup import FOLDER"))
    #expect(!FileManager.default.fileExists(atPath: path.path))
  }

  @Test func whereTheRecordIs() {
    let env = ["REGROUP_DB": "/srv/school.db"]
    #expect(
      RecordLocation.resolve(db: "x.db", folder: "f", environment: env, currentDirectory: "/w").path
        == "/w/x.db")
    #expect(
      RecordLocation.resolve(db: nil, folder: "f", environment: env, currentDirectory: "/w").path
        == "/w/f/regroup.db")
    #expect(
      RecordLocation.resolve(db: nil, folder: nil, environment: env, currentDirectory: "/w").path
        == "/srv/school.db")
    #expect(
      RecordLocation.resolve(db: nil, folder: nil, environment: [:], currentDirectory: "/w").path
        == "/w/regroup.db")
  }
}

extension SchoolRecordTests {
  @Test func filesEditedAfterTheLastImportAreNamed() throws {
    let scratch = try Scratch()
    try scratch.importFolder()
    let record = try scratch.record()
    #expect(record.filesNewerThanLastImport(in: scratch.folder).isEmpty)
    let later = Date().addingTimeInterval(5)
    try FileManager.default.setAttributes(
      [.modificationDate: later], ofItemAtPath: scratch.folder.appendingPathComponent("staff.csv").path)
    #expect(record.filesNewerThanLastImport(in: scratch.folder) == ["staff.csv"])
    #expect(
      record.staleFileWarnings(in: scratch.folder).map(\.description).first?.hasPrefix(
        "staff.csv: warning: changed since the last import") == true)
  }

  @Test func aFolderWithARecordIsReadFromIt() throws {
    let scratch = try Scratch()
    #expect(try RecordLocation.existing(db: nil, folder: scratch.folder.path) == nil)
    let missing = scratch.folder.appendingPathComponent("other.db").path
    #expect(throws: SchoolRecordError.self) { try RecordLocation.existing(db: missing, folder: nil) }
    try scratch.importFolder()
    #expect(try RecordLocation.existing(db: nil, folder: scratch.folder.path) == scratch.db)
  }
}
