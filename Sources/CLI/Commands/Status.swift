import ArgumentParser
import Foundation
import LearnerStatus
import Record

/// `regroup status FOLDER`: the needs, waits and weights a plan is made from (spec §7).
struct Status: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Show the needs, waits and weights the plan will be made from.",
    discussion: """
      Reads the school's record (--db PATH, else FOLDER/regroup.db) when there is
      one, else the folder's CSV files; derives each student's level on each target
      from the evidence (the method of school.toml's [status]), and lists every need
      (a level below proficient) with its wait and weight, heaviest first, and, per
      target, how many students need it and which staff could teach it in which
      blocks.

      --format json prints {"date", "needs", "targets"}; --format csv prints the
      needs table (student,target,level,wait,weight); text prints both as tables.

      EXIT STATUS
        0   the report was printed
        1   bad input: the folder's files, or an unknown --student or --target id;
            messages on stderr, nothing on stdout
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, json, csv
  }

  @Argument(help: "The school folder (may be left out with --db).")
  var folder: String?

  @Option(help: folderRecordHelp)
  var db: String?

  @Option(help: ArgumentHelp("The day to plan (default: school.toml's date).", valueName: "YYYY-MM-DD"))
  var date: Day?

  @Option(help: ArgumentHelp("Show only this student's needs.", valueName: "ID"))
  var student: String?

  @Option(help: ArgumentHelp("Show only this target's needs and demand.", valueName: "ID"))
  var target: String?

  @Option(help: "Output format: text, json or csv.")
  var format: Format = .text

  @Option(help: ArgumentHelp("Write to this file instead of standard output.", valueName: "FILE"))
  var output: String?

  func validate() throws {
    try requireFolderOrRecord(folder, db: db)
  }

  func run() throws {
    let (loaded, _) = try loadSchool(folder, db: db, date: date)
    let report: StatusReport
    do {
      report = try StatusReport(
        school: loaded.school, date: loaded.date, student: student, target: target)
    } catch let error as StatusReport.UnknownID {
      printError(error.description)
      throw ExitCode(1)
    }
    let text: String
    switch format {
    case .text: text = report.text()
    case .json: text = report.json()
    case .csv: text = report.csv()
    }
    try emit(text, to: output)
  }
}
