import ArgumentParser
import Foundation
import LearnerStatus
import Planning
import Record
import Reports

/// `regroup history`: the sessions that took place, from `history.csv` and published plans (spec §8).
struct HistoryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "history",
    abstract: "Show the sessions that took place.",
    discussion: """
      One line per student per session: from the imported history.csv and from every
      published plan. The record is --db PATH, else $REGROUP_DB, else ./regroup.db.
      --format csv prints date,block,staff,target,student.
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable { case text, csv }

  @Option(help: ArgumentHelp("Only this student's sessions.", valueName: "ID"))
  var student: String?

  @Option(help: ArgumentHelp("From this day on.", valueName: "YYYY-MM-DD"))
  var from: Day?

  @Option(help: ArgumentHelp("Up to and including this day.", valueName: "YYYY-MM-DD"))
  var to: Day?

  @Option(help: "Output format: text or csv.")
  var format: Format = .text

  @OptionGroup var record: RecordOption

  func validate() throws {
    if let from, let to, to < from { throw ValidationError("--to must not be before --from") }
  }

  func run() throws {
    let store = try openRecord(record.url)
    let rows = try recordStep { try store.history(student: student, from: from, to: to) }
    let header = ["date", "block", "staff", "target", "student"]
    let cells = rows.map {
      [$0.date.description, $0.blockID, $0.staffID, $0.targetID, $0.studentID]
    }
    switch format {
    case .text:
      try emit(rows.isEmpty ? "no sessions\n" : textTable(header, cells), to: nil)
    case .csv:
      try emit(csvText(header, cells), to: nil)
    }
  }
}

/// `regroup publish PLAN.json` (hidden): publish a plan file, e.g. one edited by hand and checked.
///
/// `regroup plan --publish` is the usual way; this one also serves the crash test.
struct PublishCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "publish",
    abstract: "Publish a plan file to the school's record.",
    shouldDisplay: false)

  @Argument(
    help: ArgumentHelp("The plan, as `regroup plan --format json` prints it.", valueName: "PLAN.json"))
  var plan: String

  @Flag(help: "Replace the day's published plan (the earlier one stays in the audit trail).")
  var replace = false

  @Option(help: ArgumentHelp("Who publishes (default: $USER).", valueName: "NAME"))
  var by: String?

  @OptionGroup var record: RecordOption

  func run() throws {
    let decoded: DecodedPlan
    do {
      decoded = try PlanJSON.decode(try Data(contentsOf: URL(fileURLWithPath: plan)))
    } catch {
      printError("\(plan): error: \(error is PlanFileError ? "\(error)" : "cannot read the file")")
      throw ExitCode(1)
    }
    let store = try openRecord(record.url)
    let value = Planning.Plan(
      date: decoded.date, status: decoded.status ?? .feasible, objective: decoded.objective,
      bound: decoded.bound, sessions: decoded.sessions, requests: decoded.requests ?? [])
    let result = try recordStep { try store.publish(value, replace: replace, by: by ?? currentUser()) }
    try emit(
      "published \(result.date) (version \(result.version)): \(result.sessions) sessions, "
        + "\(result.placements) placements, \(result.requestsClosed) requests closed\n", to: nil)
  }
}
