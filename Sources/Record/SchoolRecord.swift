import Foundation
import GRDB
import LearnerStatus
import Planning

/// The school's record: one SQLite file in WAL mode holding everything imported plus what was added since (spec §8).
///
/// ```swift
/// let record = try SchoolRecord.open(at: RecordLocation.resolve(db: nil, folder: "school"))
/// let loaded = try record.load(date: nil)          // as SchoolFolder.load, from the record
/// let plan = try Planner().plan(loaded.school, date: loaded.date)
/// try record.publish(plan)
/// ```
public struct SchoolRecord: Sendable {
  /// The record's file.
  public let url: URL
  let pool: DatabasePool

  /// How long a writer waits for another process's transaction before giving up.
  static let busyTimeout: TimeInterval = 30

  /// Opens the record at `url`, migrating it forward; `create` makes a new one when none is there.
  ///
  /// - Throws: `SchoolRecordError.notFound` when there is no file and `create` is false; a
  ///   `SchoolRecordError` when the file is not a record this version of Regroup can read.
  public static func open(at url: URL, create: Bool = false) throws -> SchoolRecord {
    let exists = FileManager.default.fileExists(atPath: url.path)
    if !exists, !create { throw SchoolRecordError.notFound(url.path) }
    var config = Configuration()
    config.busyMode = .timeout(busyTimeout)
    config.label = "regroup.record"
    let pool: DatabasePool
    do {
      pool = try DatabasePool(path: url.path, configuration: config)
      let migrator = Schema.migrator
      if try pool.read({ try migrator.hasBeenSuperseded($0) }) {
        throw SchoolRecordError(
          "\(url.path): error: this record was written by a newer version of Regroup; "
            + "upgrade regroup to read it")
      }
      try migrator.migrate(pool)
    } catch let error as SchoolRecordError {
      throw error
    } catch {
      throw SchoolRecordError("\(url.path): error: cannot open the record: \(describe(error))")
    }
    return SchoolRecord(url: url, pool: pool)
  }

  /// Opens the record at `path` (see `open(at:create:)`).
  public static func open(path: String, create: Bool = false) throws -> SchoolRecord {
    try open(at: RecordLocation.absolute(path, FileManager.default.currentDirectoryPath), create: create)
  }

  /// When the last import finished, or nil when nothing was imported yet.
  public func lastImport() -> Date? {
    let value = try? pool.read { db in
      try Double.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'last_import'")
    }
    return value.map { Date(timeIntervalSince1970: $0) }
  }

  /// The school's files in `folder` that changed after the last import (for `plan`'s warning).
  public func filesNewerThanLastImport(in folder: URL) -> [String] {
    guard let last = lastImport() else { return [] }
    return SchoolFolder.fileNames.filter { name in
      let path = folder.appendingPathComponent(name).path
      guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
        let modified = attributes[.modificationDate] as? Date
      else { return false }
      return modified > last
    }
  }

  /// Warnings, one per file of `folder` edited since the last import: `FILE: warning: … run regroup import`.
  public func staleFileWarnings(in folder: URL) -> [Diagnostic] {
    filesNewerThanLastImport(in: folder).map {
      Diagnostic(
        .warning, file: $0,
        "changed since the last import; the record does not have the change: "
          + "run `regroup import` to take it in")
    }
  }

  /// Runs `body` in one IMMEDIATE write transaction: everything or nothing; counts the change.
  func write<T>(_ body: (Database) throws -> T) throws -> T {
    try pool.writeWithoutTransaction { db in
      var result: T?
      try db.inTransaction(.immediate) {
        result = try body(db)
        try db.execute(
          sql: """
            INSERT INTO meta (key, value) VALUES ('changes', '1')
            ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1
            """)
        return .commit
      }
      return result!
    }
  }

  /// What levels, needs and waits derive from, as a string that changes whenever any of it
  /// does (an import, new evidence, new history such as a published plan) and not when
  /// requests, links or notes do: a cache key for the morning status.
  public func needsFingerprint() throws -> String {
    try read { db in
      try String.fetchOne(
        db,
        sql: """
          SELECT coalesce((SELECT value FROM meta WHERE key = 'last_import'), '-')
            || '/' || coalesce((SELECT max(seq) FROM evidence), '-')
            || '/' || coalesce((SELECT max(seq) FROM history), '-')
            || '/' || (SELECT count(*) FROM history)
          """) ?? "-"
    }
  }

  /// A number that grows with every change written to the record, by any process: a cache key.
  public func changeCount() throws -> Int {
    try read { db in
      try Int.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'changes'") ?? 0
    }
  }

  /// Reads in one consistent snapshot.
  func read<T>(_ body: (Database) throws -> T) throws -> T {
    try pool.read { db in try body(db) }
  }
}

/// A plain description of a database or other error for a message.
func describe(_ error: any Error) -> String {
  if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
  if let error = error as? SchoolRecordError { return error.message }
  return "\(error)"
}

/// The current time as ISO 8601 (UTC, seconds), for who-did-what-when columns.
func timestamp(_ date: Date = Date()) -> String {
  let seconds = Int(date.timeIntervalSince1970.rounded(.down))
  let day = Day(ordinal: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400)
  let rest = seconds - day.ordinal * 86_400
  func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
  return "\(day)T\(two(rest / 3600)):\(two(rest / 60 % 60)):\(two(rest % 60))Z"
}

/// The user running the command (`$USER`), for `--by` defaults.
public func currentUser(_ environment: [String: String] = ProcessInfo.processInfo.environment)
  -> String
{
  if let user = environment["USER"], !user.isEmpty { return user }
  if let user = environment["LOGNAME"], !user.isEmpty { return user }
  return "unknown"
}
