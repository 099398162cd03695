import ArgumentParser
import Foundation
import LearnerStatus
import Record
import Reports

/// `regroup absence add|list|remove`: who is out this morning, in the school's record (spec §12).
struct AbsenceCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "absence",
    abstract: "Mark staff members and students absent for a day or a block, list and remove absences.",
    discussion: """
      The record is --db PATH, else $REGROUP_DB, else ./regroup.db. Without --date the day
      is the imported school.toml's date, else today. A plan of that day leaves an absent
      staff member without sessions and an absent student unplaced in the absent blocks.
      """,
    subcommands: [AddAbsence.self, ListAbsences.self, RemoveAbsence.self])
}

/// The day of an absence command: `--date`, else the record's `school.toml` date, else today.
func absenceDay(_ date: Day?, _ store: SchoolRecord) throws -> Day {
  if let date { return date }
  return try recordStep { try store.defaultDay() }
}

struct AddAbsence: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add",
    abstract: "Mark a staff member or a student absent.",
    discussion: """
      EXIT STATUS
        0   added; one line saying who is absent, when, on stdout
        1   an id that is neither (or both) a staff_id and a student_id, an unknown block,
            or the same absence already recorded; nothing changed
      """)

  @Argument(help: "A staff_id or a student_id.")
  var id: String

  @Option(help: ArgumentHelp("The day (default: school.toml's date, else today).", valueName: "YYYY-MM-DD"))
  var date: Day?

  @Option(help: ArgumentHelp("Only this block (default: the whole day).", valueName: "ID"))
  var block: String?

  @Option(help: ArgumentHelp("Who marks the absence (default: $USER).", valueName: "NAME"))
  var by: String?

  @OptionGroup var record: RecordOption

  func run() throws {
    let store = try openRecord(record.url)
    let day = try absenceDay(date, store)
    let added = try recordStep {
      try store.addAbsence(id: id, date: day, block: block, by: by ?? currentUser())
    }
    try emit("\(describe(added))\n", to: nil)
  }
}

/// `T003 (staff) absent on 2026-12-07, the whole day`.
func describe(_ a: StoredAbsence) -> String {
  "\(a.absence.id) (\(a.kind)) absent on \(a.absence.date), "
    + (a.absence.blockID.map { "block \($0)" } ?? "the whole day")
}

struct ListAbsences: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the absences of a day (or of every day with --all).")

  enum Format: String, ExpressibleByArgument, CaseIterable { case text, csv }

  @Option(help: ArgumentHelp("The day (default: school.toml's date, else today).", valueName: "YYYY-MM-DD"))
  var date: Day?

  @Flag(help: "Every day's absences.")
  var all = false

  @Option(help: "Output format: text or csv (the columns of absences.csv first).")
  var format: Format = .text

  @OptionGroup var record: RecordOption

  func run() throws {
    let store = try openRecord(record.url)
    let day: Day? = all ? nil : try absenceDay(date, store)
    let absences = try recordStep { try store.absences(on: day) }
    let header = ["date", "id", "block_id", "kind", "made_by", "made_at"]
    let rows = absences.map { a in
      [
        a.absence.date.description, a.absence.id, a.absence.blockID ?? "", a.kind, a.madeBy,
        a.madeAt,
      ]
    }
    switch format {
    case .text:
      if rows.isEmpty {
        try emit("no absences\(day.map { " on \($0)" } ?? "")\n", to: nil)
        return
      }
      try emit(
        textTable(
          header, rows.map { row in row.enumerated().map { $0 == 2 && $1.isEmpty ? "whole day" : $1 } }),
        to: nil)
    case .csv:
      try emit(csvText(header, rows), to: nil)
    }
  }
}

struct RemoveAbsence: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "remove",
    abstract: "Remove an absence (the person is in after all).",
    discussion: """
      EXIT STATUS
        0   removed
        1   no such absence (the message lists the ones recorded for that id and day); nothing changed
      """)

  @Argument(help: "A staff_id or a student_id.")
  var id: String

  @Option(help: ArgumentHelp("The day (default: school.toml's date, else today).", valueName: "YYYY-MM-DD"))
  var date: Day?

  @Option(help: ArgumentHelp("The block of the absence (default: the whole-day absence).", valueName: "ID"))
  var block: String?

  @OptionGroup var record: RecordOption

  func run() throws {
    let store = try openRecord(record.url)
    let day = try absenceDay(date, store)
    let removed = try recordStep { try store.removeAbsence(id: id, date: day, block: block) }
    try emit("removed: \(describe(removed))\n", to: nil)
  }
}
