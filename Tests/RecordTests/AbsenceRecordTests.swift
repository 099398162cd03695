import Foundation
import GRDB
import LearnerStatus
import Record
import TestSupport
import Testing

/// Absences (spec §12) and the week's policy keys (spec §13, §14) in the record.
@Suite struct AbsenceRecordTests {
  let day = Day("2026-11-25")!

  @Test func absencesAreAddedListedAndRemovedAndNameWhoAndWhen() throws {
    let scratch = try Scratch()
    try scratch.importFolder()
    let record = try scratch.record()
    let teacher = try record.addAbsence(id: "T001", date: day, by: "office")
    #expect(teacher.kind == "staff" && teacher.madeBy == "office" && teacher.source == "command")
    try record.addAbsence(id: "S00003", date: day, block: "B1")
    #expect(try record.absences(on: day).map(\.absence.id) == ["T001", "S00003"])
    #expect(try record.absences(on: day.adding(days: 1)).isEmpty)
    let school = try record.school(on: day)
    #expect(school.absences(on: day).map(\.blockID) == [nil, "B1"])
    try record.removeAbsence(id: "S00003", date: day, block: "B1")
    #expect(try record.absences().map(\.absence.id) == ["T001"])
  }

  @Test func badAbsencesNameWhatIsWrongAndChangeNothing() throws {
    let scratch = try Scratch()
    try scratch.importFolder()
    let record = try scratch.record()
    try record.addAbsence(id: "T001", date: day)
    func message(_ body: () throws -> Void) -> String {
      do {
        try body()
        return ""
      } catch { return "\(error)" }
    }
    #expect(message { try record.addAbsence(id: "X9", date: day) }.contains("unknown id \"X9\""))
    #expect(
      message { try record.addAbsence(id: "T002", date: day, block: "B9") }
        .contains("unknown block \"B9\""))
    #expect(message { try record.addAbsence(id: "T001", date: day) }.contains("already marked absent"))
    #expect(
      message { try record.removeAbsence(id: "T001", date: day, block: "B1") }
        .contains("recorded: the whole day"))
    #expect(try record.absences().count == 1)
  }

  @Test func importReplacesTheFilesAbsencesAndKeepsTheCommandsOnes() throws {
    let scratch = try Scratch()
    try scratch.write("absences.csv", "date,id,block_id\n2026-11-25,T002,\n2026-11-25,S00001,B2\n")
    try scratch.importFolder()
    let record = try scratch.record()
    #expect(try record.absences(on: day).map(\.absence.id) == ["T002", "S00001"])
    try record.addAbsence(id: "I001", date: day)
    try scratch.write("absences.csv", "date,id,block_id\n2026-11-25,S00001,B2\n")
    try scratch.importFolder()
    #expect(Set(try record.absences(on: day).map(\.absence.id)) == ["S00001", "I001"])
    let loaded = try record.load(date: nil)
    let folder = try SchoolFolder.load(scratch.folder)
    #expect(folder.school.absences.map(\.id) == ["S00001"])
    #expect(loaded.school.absences.contains(folder.school.absences[0]))
  }

  @Test func theWeeksPolicyKeysSurviveTheRecord() throws {
    let scratch = try Scratch()
    try scratch.importFolder()
    #expect(try scratch.record().load(date: nil).school.policy.dosage == nil)
    try scratch.write(
      "school.toml",
      try scratch.text("school.toml")
        + "\n[dosage]\ntier2 = 3\ntier3 = 5\nkeep_staff = true\n[weights]\nmove = 2.5\ndosage = 11\n")
    try scratch.importFolder()
    let policy = try scratch.record().load(date: nil).school.policy
    #expect(policy == (try SchoolFolder.load(scratch.folder)).school.policy)
    #expect(policy.dosage == Dosage(tier1: 0, tier2: 3, tier3: 5, keepStaff: true))
    #expect(policy.weights.move == 2.5 && policy.weights.dosage == 11)
  }

  @Test func aRecordFromBeforeTheWeekGainsItsTablesWhenOpened() throws {
    let scratch = try Scratch()
    try scratch.importFolder()
    let queue = try DatabaseQueue(path: scratch.db.path)
    try queue.write { db in
      try db.execute(sql: "DROP TABLE absence")
      for column in [
        "move", "dosage", "has_dosage", "dosage_tier1", "dosage_tier2", "dosage_tier3", "keep_staff",
      ] {
        try db.execute(sql: "ALTER TABLE policy DROP COLUMN \(column)")
      }
      try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v5-week'")
    }
    try queue.close()
    let loaded = try scratch.record().load(date: nil)
    #expect(loaded.school.absences.isEmpty && loaded.school.policy.dosage == nil)
    #expect(loaded.school.policy.weights.move == 5.0)
  }
}
