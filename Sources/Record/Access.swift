import Crypto
import Foundation
import GRDB
import LearnerStatus

/// Who a sign-in link is for: a staff member (by staff id), the scheduler or the principal.
public enum AccessRole: String, Sendable, Codable, CaseIterable {
  case staff, scheduler, principal
}

/// One personal sign-in link as the record keeps it (the token itself is never stored).
public struct AccessGrant: Sendable, Equatable {
  /// The grant's number; session cookies name it, so revoking the grant ends them at once.
  public var id: Int64
  public var role: AccessRole
  /// The staff member's id for `.staff`; nil for the scheduler and the principal.
  public var staffID: String?
  /// The person's name: the staff member's name from staff.csv, or `--name`.
  public var name: String
  public var issuedAt: String
  public var revokedAt: String?

  init(row: Row) {
    id = row["id"]
    role = AccessRole(rawValue: row["role"]) ?? .staff
    staffID = row["staff_id"]
    name = row["name"]
    issuedAt = row["issued_at"]
    revokedAt = row["revoked_at"]
  }

  /// How the person is named in lists and messages: `T007 (Ms Rivera)`, `scheduler Ann Lee`.
  public var label: String {
    switch role {
    case .staff: return "\(staffID ?? "?") (\(name))"
    case .scheduler, .principal: return "\(role.rawValue) \(name)"
    }
  }
}

extension SchoolRecord {
  /// The SHA-256 of a sign-in token, hex: the only form in which a token is stored.
  public static func tokenHash(_ token: String) -> String {
    SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
  }

  /// A new random token: 32 bytes from the system's secure generator, base64url without padding.
  static func newToken() -> String {
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    return Data(bytes).base64EncodedString()
      .replacingOccurrences(of: "+", with: "-")
      .replacingOccurrences(of: "/", with: "_")
      .replacingOccurrences(of: "=", with: "")
  }

  /// Issues a personal sign-in link's token for a staff member; their earlier links stop working.
  ///
  /// - Returns: the grant and the token (shown once; only its hash is stored).
  /// - Throws: `SchoolRecordError` when the staff id is not in the record.
  public func issueAccess(staff: String, by: String = currentUser()) throws -> (AccessGrant, String) {
    try write { db in
      try requireSchool(db)
      guard let name = try String.fetchOne(db, sql: "SELECT name FROM staff WHERE id = ?", arguments: [staff])
      else {
        throw SchoolRecordError("error: unknown staff \"\(staff)\": it is not in the record's staff.csv")
      }
      return try Self.insertGrant(db, role: .staff, staffID: staff, name: name.isEmpty ? staff : name, by: by)
    }
  }

  /// Issues a sign-in link's token for the scheduler or the principal named `name`; their earlier links stop working.
  ///
  /// - Throws: `SchoolRecordError` when `role` is `.staff` (use `issueAccess(staff:)`) or the name is empty.
  public func issueAccess(role: AccessRole, name: String, by: String = currentUser()) throws -> (
    AccessGrant, String
  ) {
    let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
    guard role != .staff else {
      throw SchoolRecordError("error: a staff member's link is issued with --staff ID")
    }
    guard !name.isEmpty else { throw SchoolRecordError("error: --name must not be empty") }
    return try write { db in
      try Self.insertGrant(db, role: role, staffID: nil, name: name, by: by)
    }
  }

  static func insertGrant(_ db: Database, role: AccessRole, staffID: String?, name: String, by: String)
    throws -> (AccessGrant, String)
  {
    let now = timestamp()
    try revokeActive(db, role: role, staffID: staffID, name: name, at: now, by: by)
    let token = newToken()
    try db.execute(
      sql: """
        INSERT INTO access (token_hash, role, staff_id, name, issued_at, issued_by)
        VALUES (?, ?, ?, ?, ?, ?)
        """,
      arguments: [tokenHash(token), role.rawValue, staffID, name, now, by])
    let row = try Row.fetchOne(
      db, sql: "SELECT * FROM access WHERE id = ?", arguments: [db.lastInsertedRowID])!
    return (AccessGrant(row: row), token)
  }

  @discardableResult
  static func revokeActive(
    _ db: Database, role: AccessRole, staffID: String?, name: String?, at now: String, by: String
  ) throws -> Int {
    if let staffID {
      try db.execute(
        sql: """
          UPDATE access SET revoked_at = ?, revoked_by = ?
          WHERE role = ? AND staff_id = ? AND revoked_at IS NULL
          """, arguments: [now, by, role.rawValue, staffID])
    } else {
      try db.execute(
        sql: """
          UPDATE access SET revoked_at = ?, revoked_by = ?
          WHERE role = ? AND name = ? AND revoked_at IS NULL
          """, arguments: [now, by, role.rawValue, name])
    }
    return db.changesCount
  }

  /// Revokes a staff member's links at once (their signed-in sessions end with them).
  ///
  /// - Returns: how many links were revoked. - Throws: `SchoolRecordError` when none was active.
  @discardableResult
  public func revokeAccess(staff: String, by: String = currentUser()) throws -> Int {
    try write { db in
      let n = try Self.revokeActive(db, role: .staff, staffID: staff, name: nil, at: timestamp(), by: by)
      if n == 0 { throw SchoolRecordError("error: \(staff) has no sign-in link to revoke") }
      return n
    }
  }

  /// Revokes the scheduler's or principal's links for `name` at once.
  @discardableResult
  public func revokeAccess(role: AccessRole, name: String, by: String = currentUser()) throws -> Int {
    try write { db in
      let n = try Self.revokeActive(db, role: role, staffID: nil, name: name, at: timestamp(), by: by)
      if n == 0 {
        throw SchoolRecordError("error: \(role.rawValue) \"\(name)\" has no sign-in link to revoke")
      }
      return n
    }
  }

  /// The active grant whose token hashes to `tokenHash`, or nil (unknown or revoked).
  public func activeGrant(tokenHash: String) throws -> AccessGrant? {
    try read { db in
      try Row.fetchOne(
        db, sql: "SELECT * FROM access WHERE token_hash = ? AND revoked_at IS NULL", arguments: [tokenHash]
      ).map(AccessGrant.init)
    }
  }

  /// The grant numbered `id` if it is still active, or nil.
  public func activeGrant(id: Int64) throws -> AccessGrant? {
    try read { db in
      try Row.fetchOne(
        db, sql: "SELECT * FROM access WHERE id = ? AND revoked_at IS NULL", arguments: [id]
      ).map(AccessGrant.init)
    }
  }

  /// Every grant ever issued, active ones first, then newest first.
  public func accessGrants() throws -> [AccessGrant] {
    try read { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM access ORDER BY revoked_at IS NOT NULL, id DESC"
      ).map(AccessGrant.init)
    }
  }

  /// A secret kept in the record (created on first use), e.g. the web app's cookie-signing key.
  public func secret(named name: String) throws -> Data {
    let key = "secret." + name
    return try write { db in
      if let value = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]),
        let data = Data(base64Encoded: value)
      {
        return data
      }
      var generator = SystemRandomNumberGenerator()
      let data = Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
      try db.execute(
        sql: "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
        arguments: [key, data.base64EncodedString()])
      return data
    }
  }

  /// A staff member's notes on their session in `block` on `date` ("" when none).
  public func sessionNote(date: Day, block: String, staff: String) throws -> String {
    try read { db in
      try String.fetchOne(
        db, sql: "SELECT note FROM session_note WHERE date = ? AND block_id = ? AND staff_id = ?",
        arguments: [date.description, block, staff]) ?? ""
    }
  }

  /// Every note of a staff member on `date`, by block id.
  public func sessionNotes(date: Day, staff: String) throws -> [String: String] {
    try read { db in
      let rows = try Row.fetchAll(
        db, sql: "SELECT block_id, note FROM session_note WHERE date = ? AND staff_id = ?",
        arguments: [date.description, staff])
      return Dictionary(rows.map { ($0["block_id"], $0["note"]) }, uniquingKeysWith: { a, _ in a })
    }
  }

  /// Saves a staff member's notes on their session in `block` on `date` (empty text deletes them).
  public func setSessionNote(_ note: String, date: Day, block: String, staff: String) throws {
    try write { db in
      if note.isEmpty {
        try db.execute(
          sql: "DELETE FROM session_note WHERE date = ? AND block_id = ? AND staff_id = ?",
          arguments: [date.description, block, staff])
      } else {
        try db.execute(
          sql: """
            INSERT OR REPLACE INTO session_note (date, block_id, staff_id, note, updated_at)
            VALUES (?, ?, ?, ?, ?)
            """, arguments: [date.description, block, staff, note, timestamp()])
      }
    }
  }
}
