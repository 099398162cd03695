import ArgumentParser
import Foundation
import LearnerStatus
import Planning
import Record
import Reports
import Solver

struct Plan: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Make the day's plan: the best one the rules allow, with its proof.",
    discussion: """
      Reads the school's record (--db PATH, else FOLDER/regroup.db) when there is
      one, else the folder's CSV files; derives needs (see 'regroup status') and
      solves the day's integer program with GLPK. The JSON carries the plan's score
      ("objective"), a proven upper bound on any plan's score ("bound") and the gap
      between them.

      Exit status: 0 a plan was printed; 1 bad input; 2 no plan (infeasible, with the
      conflicts named, or the time limit ran out before any plan).

      --publish stores the plan in the record and appends its sessions to history, in
      one transaction, before printing it; a day already published needs --replace
      (the earlier plan stays in the audit trail). A record problem, or a day already
      published without --replace, exits 1 with nothing on stdout. No plan (exit 2)
      publishes nothing.
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, json, csv
  }

  @Argument(help: "The school folder (may be left out with --db).")
  var folder: String?

  @Option(help: folderRecordHelp)
  var db: String?

  @Flag(help: "Store the plan in the school's record and append its sessions to history.")
  var publish = false

  @Flag(help: "With --publish: replace the day's published plan (kept in the audit trail).")
  var replace = false

  @Flag(
    help:
      "Re-plan the day's published plan with as little change as possible (spec §13; needs the record).")
  var replan = false

  @Option(help: "The day to plan (YYYY-MM-DD); default: school.toml's date.")
  var date: Day?

  @Option(help: "Output format.")
  var format: Format = .text

  @Option(name: .shortAndLong, help: "Write the output to this file instead of stdout.")
  var output: String?

  @Option(help: "Seconds for the whole run, reading included.")
  var timeLimit: Double = 60

  @Option(help: "Stop once (bound − score) / max(1, |bound|) is at most this.")
  var gap: Double = 1e-6

  @Flag(help: "Send GLPK's log to stderr.")
  var solverLog = false

  @Option(help: "Also write the day's integer program to this file (CPLEX LP).")
  var exportModel: String?

  func validate() throws {
    try requireFolderOrRecord(folder, db: db)
    if replace, !publish { throw ValidationError("--replace needs --publish") }
    guard gap >= 0, gap.isFinite else { throw ValidationError("--gap must be a number ≥ 0") }
    guard timeLimit > 0, timeLimit.isFinite else {
      throw ValidationError("--time-limit must be a number of seconds > 0")
    }
  }

  func run() throws {
    let start = Date().timeIntervalSince1970
    if publish, (try? RecordLocation.existing(db: db, folder: folder)) == nil {
      // --publish needs a record; say where it looked (a missing --db file says so too).
      printError(SchoolRecordError.notFound(RecordLocation.resolve(db: db, folder: folder).path).description)
      throw ExitCode(1)
    }
    if replan, (try? RecordLocation.existing(db: db, folder: folder)) == nil {
      printError(SchoolRecordError.notFound(RecordLocation.resolve(db: db, folder: folder).path).description)
      throw ExitCode(1)
    }
    let (loaded, record) = try loadSchool(folder, db: db, date: date)
    var published: Planning.Plan?
    if replan {
      guard let record else {
        printError("error: --replan needs the school's record: run `regroup import FOLDER` first")
        throw ExitCode(1)
      }
      published = try recordStep { try record.publishedPlan(on: loaded.date) }
      if published == nil {
        printError(
          "\(record.url.path): error: no plan is published for \(loaded.date), so there is nothing to re-plan; "
            + "run `regroup plan --publish` first")
        throw ExitCode(1)
      }
    }
    let progress = ProgressLine(start: start)
    var callback: (@Sendable (SolveProgress) -> Void)? = nil
    if progress.isEnabled { callback = { progress.update($0) } }
    let planner = Planner(
      options: PlanOptions(
        timeLimit: timeLimit, relativeGap: gap, solverLog: solverLog, start: start,
        progress: callback))
    if let exportModel {
      do {
        try planner.exportModel(loaded.school, date: loaded.date, to: exportModel)
      } catch {
        printError("\(exportModel): error: cannot write the model: \(error)")
        throw ExitCode(1)
      }
    }
    let plan: Planning.Plan
    do {
      if let published {
        plan = try planner.replan(loaded.school, date: loaded.date, published: published.sessions)
      } else {
        plan = try planner.plan(loaded.school, date: loaded.date)
      }
    } catch {
      progress.finish()
      printError("error: planning failed: \(error)")
      throw ExitCode(1)
    }
    progress.finish()
    for warning in plan.warnings { printError(warning) }
    let text: String
    switch format {
    case .json: text = PlanJSON.render(plan)
    case .text: text = PlanText.render(plan, school: loaded.school)
    case .csv: text = PlanCSV.render(plan, school: loaded.school)
    }
    if publish, let record {
      if plan.status == .optimal || plan.status == .feasible {
        var by = currentUser()
        if replan {
          // The audit entry of the replaced version names the absences behind the re-plan.
          let absent = loaded.school.absences(on: loaded.date).map { a in
            a.id + (a.blockID.map { " (block \($0))" } ?? "")
          }
          by += "; re-plan" + (absent.isEmpty ? "" : " for absences: " + absent.joined(separator: ", "))
        }
        let result = try recordStep { try record.publish(plan, replace: replace || replan, by: by) }
        let replaced = result.replaced ? ", replacing the earlier one" : ""
        printError(
          "published \(result.date) (version \(result.version)\(replaced)): \(result.sessions) sessions, "
            + "\(result.placements) placements, \(result.requestsClosed) requests closed")
      } else {
        printError("not published: there is no plan for \(plan.date) (status \(plan.status.rawValue))")
      }
    }
    try emit(text, to: output)
    if plan.status == .infeasible || plan.status == .timeout { throw ExitCode(2) }
  }
}

/// A progress line on stderr (incumbent, bound, gap, seconds), only on a terminal and only
/// once the solve has run for a second.
final class ProgressLine: @unchecked Sendable {
  let start: Double
  let isEnabled: Bool
  private let lock = NSLock()
  private var shown = false

  init(start: Double) {
    self.start = start
    isEnabled = isatty(2) == 1 && ProcessInfo.processInfo.environment["CI"] == nil
  }

  func update(_ p: SolveProgress) {
    let elapsed = Date().timeIntervalSince1970 - start
    guard elapsed >= 1 else { return }
    func num(_ v: Double?) -> String { v.map { String(format: "%.1f", $0) } ?? "-" }
    let gap = p.gap.map { String(format: "%.3f%%", $0 * 100) } ?? "-"
    let line =
      "\rsolving: score \(num(p.incumbent))  bound \(num(p.bound))  gap \(gap)  \(String(format: "%.0f", elapsed)) s "
    lock.lock()
    shown = true
    FileHandle.standardError.write(Data(line.utf8))
    lock.unlock()
  }

  func finish() {
    lock.lock()
    if shown { FileHandle.standardError.write(Data("\n".utf8)) }
    shown = false
    lock.unlock()
  }
}
