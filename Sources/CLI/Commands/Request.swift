import ArgumentParser
import Foundation
import LearnerStatus
import Record
import Reports

/// `regroup request add|list|withdraw|status`: teachers' requests in the school's record (spec §8).
struct RequestCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "request",
    abstract: "Add, list or withdraw teachers' requests, and see what became of them.",
    discussion: """
      The record is --db PATH, else $REGROUP_DB, else ./regroup.db.
      """,
    subcommands: [AddRequest.self, ListRequests.self, WithdrawRequest.self, RequestStatus.self])
}

/// `--db` for commands that take no folder.
struct RecordOption: ParsableArguments {
  @Option(help: ArgumentHelp("The record (default: $REGROUP_DB, else ./regroup.db).", valueName: "PATH"))
  var db: String?

  var url: URL { RecordLocation.resolve(db: db, folder: nil) }
}

struct AddRequest: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add",
    abstract: "Ask for a student; prints the new request's id.",
    discussion: """
      Without --date the request is open: every plan uses it until a published plan
      records its outcome and closes it. With --date it is for that day's plan only.

      EXIT STATUS
        0   added; the id (REQ-0001, …) on stdout
        1   an unknown staff, student or block id, or priority; nothing changed
      """)

  @Option(help: ArgumentHelp("The staff member asking.", valueName: "ID"))
  var staff: String

  @Option(help: ArgumentHelp("The student asked for.", valueName: "ID"))
  var student: String

  @Option(help: ArgumentHelp("The block (default: any block).", valueName: "ID"))
  var block: String?

  @Option(help: ArgumentHelp("The day it is for (default: open until planned).", valueName: "YYYY-MM-DD"))
  var date: Day?

  @Option(help: "required, high or normal.")
  var priority: String = "normal"

  @Option(help: ArgumentHelp("Why, in a few words.", valueName: "TEXT"))
  var note: String = ""

  @Option(help: ArgumentHelp("Who makes the request (default: $USER).", valueName: "NAME"))
  var by: String?

  @OptionGroup var record: RecordOption

  func run() throws {
    let store = try openRecord(record.url)
    let request = try recordStep {
      try store.addRequest(
        staff: staff, student: student, block: block, date: date, priority: priority, note: note,
        by: by ?? currentUser())
    }
    try emit(request.id + "\n", to: nil)
  }
}

struct ListRequests: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List requests, open ones first.")

  enum Format: String, ExpressibleByArgument, CaseIterable { case text, csv }

  @Option(help: ArgumentHelp("Only this staff member's requests.", valueName: "ID"))
  var staff: String?

  @Option(help: ArgumentHelp("Only the requests for this day.", valueName: "YYYY-MM-DD"))
  var date: Day?

  @Option(help: "Output format: text or csv.")
  var format: Format = .text

  @OptionGroup var record: RecordOption

  func run() throws {
    let store = try openRecord(record.url)
    let requests = try recordStep { try store.requests(staff: staff, date: date) }
    let header = [
      "id", "state", "date", "block", "staff", "student", "priority", "made_by", "made_at", "note",
    ]
    let rows = requests.map { r in
      [
        r.id, r.state.rawValue + (r.closedOn.map { " \($0)" } ?? ""), r.date?.description ?? "",
        r.blockID ?? "", r.staffID, r.studentID, r.priority.rawValue, r.madeBy, r.madeAt, r.note,
      ]
    }
    switch format {
    case .text:
      try emit(
        textTable(
          header,
          rows.map { row in
            row.enumerated().map { $0 == 2 && $1.isEmpty ? "any day" : ($0 == 3 && $1.isEmpty ? "any" : $1) }
          }),
        to: nil)
    case .csv:
      try emit(csvText(header, rows), to: nil)
    }
  }
}

struct WithdrawRequest: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "withdraw", abstract: "Withdraw an open request.")

  @Argument(help: "The request's id.")
  var id: String

  @Option(help: ArgumentHelp("Who withdraws it (default: $USER).", valueName: "NAME"))
  var by: String?

  @OptionGroup var record: RecordOption

  func run() throws {
    let store = try openRecord(record.url)
    let request = try recordStep { try store.withdrawRequest(id, by: by ?? currentUser()) }
    try emit("\(request.id) withdrawn\n", to: nil)
  }
}

struct RequestStatus: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status",
    abstract: "Which of a staff member's requests were honored, and why not.")

  enum Format: String, ExpressibleByArgument, CaseIterable { case text, csv }

  @Option(help: ArgumentHelp("The staff member.", valueName: "ID"))
  var staff: String

  @Option(help: ArgumentHelp("Only the plan published for this day.", valueName: "YYYY-MM-DD"))
  var date: Day?

  @Option(help: "Output format: text or csv.")
  var format: Format = .text

  @OptionGroup var record: RecordOption

  func run() throws {
    let store = try openRecord(record.url)
    let feedback = try recordStep { try store.requestStatus(staff: staff, date: date) }
    let header = ["id", "plan", "student", "block", "priority", "outcome", "reason"]
    let rows = feedback.map { f -> [String] in
      let outcome: String
      switch f.honored {
      case true?: outcome = "honored"
      case false?: outcome = "not honored"
      case nil: outcome = "open"
      }
      return [
        f.request.id, f.planDate?.description ?? "not yet planned",
        f.request.studentID, f.request.blockID ?? "any", f.request.priority.rawValue, outcome,
        f.reason ?? "",
      ]
    }
    switch format {
    case .text:
      if rows.isEmpty {
        try emit("no requests from \(staff)\n", to: nil)
      } else {
        try emit(textTable(header, rows), to: nil)
      }
    case .csv: try emit(csvText(header, rows), to: nil)
    }
  }
}

/// CSV with a header, cells quoted and guarded against spreadsheet formulas.
func csvText(_ header: [String], _ rows: [[String]]) -> String {
  ([header] + rows).map { $0.map(PlanCSV.cell).joined(separator: ",") + "\n" }.joined()
}
