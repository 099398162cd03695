import Foundation
import GRDB
import LearnerStatus

/// An absence as the record keeps it (spec §12): who is out, when, and who said so.
public struct StoredAbsence: Sendable, Equatable {
  public var absence: Absence
  /// "staff" or "student": which of the school's lists the id is in.
  public var kind: String
  /// `absences.csv` for imported rows, else who added it (`--by`, else `$USER`).
  public var madeBy: String
  /// When it was added, ISO 8601 UTC.
  public var madeAt: String
  /// `import` (from `absences.csv`, replaced by each import) or `command` (kept).
  public var source: String
}

extension SchoolRecord {
  /// The day an absence command means without `--date`: the imported `school.toml`'s date, else today (UTC).
  public func defaultDay() throws -> Day {
    try read { db in
      try requireSchool(db)
      return try Self.policy(db).date ?? today()
    }
  }

  /// Marks a staff member or a student absent on `date`, in one block or (nil) the whole day.
  ///
  /// - Throws: `SchoolRecordError` naming every problem (an id that is neither or both a
  ///   staff_id and a student_id, an unknown block, the same absence already recorded);
  ///   nothing is written then.
  @discardableResult
  public func addAbsence(
    id: String, date: Day, block: String? = nil, by: String = currentUser()
  ) throws -> StoredAbsence {
    try write { db in
      try requireSchool(db)
      var problems: [String] = []
      let isStaff = try exists(db, "staff", id)
      let isStudent = try exists(db, "student", id)
      if isStaff && isStudent {
        problems.append("\"\(id)\" is both a staff_id and a student_id; rename one of them")
      } else if !isStaff && !isStudent {
        problems.append("unknown id \"\(id)\": it is not in the record's staff.csv nor its students.csv")
      }
      if let block, try !exists(db, "block", block) {
        problems.append("unknown block \"\(block)\": it is not in the record's blocks.csv")
      }
      if problems.isEmpty,
        try Row.fetchOne(
          db, sql: "SELECT 1 FROM absence WHERE date = ? AND person_id = ? AND block_id = ?",
          arguments: [date.description, id, block ?? ""]) != nil
      {
        problems.append(
          "\(id) is already marked absent on \(date)\(block.map { " in block \($0)" } ?? " for the whole day")"
        )
      }
      guard problems.isEmpty else {
        throw SchoolRecordError(problems.map { "error: \($0)" }.joined(separator: "\n"))
      }
      try db.execute(
        sql: """
          INSERT INTO absence (date, person_id, block_id, line, source, made_by, made_at)
          VALUES (?, ?, ?, 0, 'command', ?, ?)
          """, arguments: [date.description, id, block ?? "", by, timestamp()])
      let rows = try Self.absenceRows(db, on: date)
      guard let added = rows.last(where: { $0.absence.id == id && $0.absence.blockID == block }) else {
        throw SchoolRecordError("error: the absence was not stored")
      }
      return added
    }
  }

  /// The absences of `date` (nil: every day), by date, then in the order they were added.
  public func absences(on date: Day? = nil) throws -> [StoredAbsence] {
    try read { try Self.absenceRows($0, on: date) }
  }

  /// Removes the absence of `id` on `date` in `block` (nil: the whole-day absence).
  ///
  /// - Throws: `SchoolRecordError` when there is no such absence; nothing changes then.
  @discardableResult
  public func removeAbsence(id: String, date: Day, block: String? = nil) throws -> StoredAbsence {
    try write { db in
      let rows = try Self.absenceRows(db, on: date)
      guard let found = rows.first(where: { $0.absence.id == id && $0.absence.blockID == block })
      else {
        let others = rows.filter { $0.absence.id == id }.map { $0.absence.blockID ?? "the whole day" }
        var message =
          "error: no absence of \(id) on \(date)\(block.map { " in block \($0)" } ?? " for the whole day")"
        if !others.isEmpty { message += "; recorded: \(others.joined(separator: ", "))" }
        throw SchoolRecordError(message)
      }
      try db.execute(
        sql: "DELETE FROM absence WHERE date = ? AND person_id = ? AND block_id = ?",
        arguments: [date.description, id, block ?? ""])
      return found
    }
  }

  /// The stored absences of `date` (nil: all), ordered by date then insertion.
  static func absenceRows(_ db: Database, on date: Day?) throws -> [StoredAbsence] {
    let rows = try Row.fetchAll(
      db,
      sql: """
        SELECT a.*, EXISTS (SELECT 1 FROM staff WHERE id = a.person_id) AS is_staff FROM absence a
        \(date == nil ? "" : "WHERE a.date = ?") ORDER BY a.date, a.seq
        """, arguments: date == nil ? [] : [date!.description])
    return rows.compactMap { row in
      guard let day = Day(row["date"] as String) else { return nil }
      let block: String = row["block_id"]
      return StoredAbsence(
        absence: Absence(
          date: day, id: row["person_id"], blockID: block.isEmpty ? nil : block, line: row["line"]),
        kind: (row["is_staff"] as Int) != 0 ? "staff" : "student", madeBy: row["made_by"],
        madeAt: row["made_at"], source: row["source"])
    }
  }
}
