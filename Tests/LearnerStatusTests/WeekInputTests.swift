import LearnerStatus
import TestSupport
import Testing

/// `absences.csv` (spec §12) and the week's `school.toml` keys (spec §13, §14): good and bad input.
@Suite struct WeekInputTests {
  func load(_ changes: [String: String?]) throws -> LoadedSchool {
    try SchoolFolder.load(files: ValidationTests.files(changes))
  }

  func problems(_ changes: [String: String?]) -> [String] {
    do {
      _ = try load(changes)
      return []
    } catch let error as InputError {
      return error.diagnostics.map(\.description)
    } catch { return ["\(error)"] }
  }

  @Test func absencesAreReadAndOnlyThePlanDaysApply() throws {
    let loaded = try load([
      "absences.csv": "date,id,block_id\n2026-11-25,T1,\n2026-11-25,S2,B1\n2026-11-24,S1,\n"
    ])
    #expect(loaded.school.absences.count == 3)
    let today = loaded.school.absences(on: loaded.date)
    #expect(today.map(\.id) == ["T1", "S2"])
    #expect(today[0].blockID == nil && today[0].covers(block: "B1"))
    #expect(today[1].blockID == "B1" && today[1].line == 3)
  }

  @Test func badAbsenceRowsNameFileAndLine() {
    var files = ValidationTests.base
    files["staff.csv"] =
      "staff_id,name,subjects,max_group_size,max_minutes\nT1,Teacher,*,6,90\nS1,Both,*,6,90\n"
    files["absences.csv"] =
      "date,id,block_id\n2026-11-31,T1,\n2026-11-25,S1,\n2026-11-25,Q7,\n2026-11-25,S2,B7\n"
    do {
      _ = try SchoolFolder.load(files: files)
      Issue.record("expected bad input")
    } catch let error as InputError {
      let lines = error.diagnostics.map(\.description)
      #expect(
        lines == [
          "absences.csv:2: error: date must be a date YYYY-MM-DD that exists, found \"2026-11-31\"",
          "absences.csv:3: error: id \"S1\" is both a staff_id and a student_id; rename one of them",
          "absences.csv:4: error: unknown id \"Q7\": it is not in staff.csv nor in students.csv",
          "absences.csv:5: error: unknown block_id \"B7\": it is not in blocks.csv",
        ])
    } catch { Issue.record(error) }
  }

  @Test func dosageCountsOnlyWithADosageTable() throws {
    let plain = try load([:]).school.policy
    #expect(plain.dosage == nil && plain.weights.move == 5.0 && plain.weights.dosage == 20.0)
    let empty = try load(["school.toml": "date = \"2026-11-25\"\n[dosage]\n"]).school.policy
    #expect(empty.dosage == Dosage(tier1: 0, tier2: 2, tier3: 4, keepStaff: false))
    let set = try load([
      "school.toml":
        "date = \"2026-11-25\"\n[dosage]\ntier1 = 1\ntier3 = 5\nkeep_staff = true\n[weights]\nmove = 0\ndosage = 7.5\n"
    ]).school.policy
    #expect(set.dosage == Dosage(tier1: 1, tier2: 2, tier3: 5, keepStaff: true))
    #expect(set.dosage?.perWeek(tier: 3) == 5 && set.weights.move == 0 && set.weights.dosage == 7.5)
  }

  @Test func badWeekKeysNameTheKey() {
    #expect(
      problems([
        "school.toml":
          "date = \"2026-11-25\"\n[dosage]\ntier2 = -1\ntier3 = 2.5\nkeep_staff = \"yes\"\ntier4 = 1\n[weights]\nmove = -1\n"
      ]) == [
        "school.toml: error: weights.move must be ≥ 0, found -1",
        "school.toml: error: dosage.tier2 must be an integer ≥ 0, found -1",
        "school.toml: error: dosage.tier3 must be an integer ≥ 0, found 2.5",
        "school.toml: error: dosage.keep_staff must be true or false, found \"yes\"",
        "school.toml: error: unknown key \"dosage.tier4\"; the keys here are "
          + "dosage.tier1, dosage.tier2, dosage.tier3, dosage.keep_staff",
      ])
  }
}
