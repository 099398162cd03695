import Foundation
import GRDB
import LearnerStatus

/// One student's place in one session that took place.
public struct HistoryRow: Sendable, Equatable {
  public var date: Day
  public var blockID: String
  public var staffID: String
  public var targetID: String
  public var studentID: String
  /// `import` (from `history.csv`) or `plan` (from a published plan).
  public var source: String
}

extension SchoolRecord {
  /// The sessions that took place, by date, block (the school's order), staff, target and student.
  ///
  /// - Throws: `SchoolRecordError` when `student` is neither in the record's students nor its history.
  public func history(student: String? = nil, from: Day? = nil, to: Day? = nil) throws -> [HistoryRow] {
    try read { db in
      var conditions: [String] = []
      var arguments: StatementArguments = []
      if let student {
        let known =
          try exists(db, "student", student)
          || (try Row.fetchOne(db, sql: "SELECT 1 FROM history WHERE student_id = ?", arguments: [student]))
            != nil
        if !known {
          throw SchoolRecordError(
            "error: unknown student \"\(student)\": it is not in the record's students.csv")
        }
        conditions.append("h.student_id = ?")
        arguments += [student]
      }
      if let from {
        conditions.append("h.date >= ?")
        arguments += [from.description]
      }
      if let to {
        conditions.append("h.date <= ?")
        arguments += [to.description]
      }
      let filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
      return try Row.fetchAll(
        db,
        sql: """
          SELECT h.* FROM history h LEFT JOIN block b ON b.id = h.block_id \(filter)
          ORDER BY h.date, b.line IS NULL, b.line, h.block_id, h.staff_id, h.target_id, h.student_id
          """, arguments: arguments
      ).compactMap { row in
        guard let day = Day(row["date"] as String) else { return nil }
        return HistoryRow(
          date: day, blockID: row["block_id"], staffID: row["staff_id"], targetID: row["target_id"],
          studentID: row["student_id"], source: row["source"])
      }
    }
  }
}
