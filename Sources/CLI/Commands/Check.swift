import ArgumentParser
import Foundation
import LearnerStatus
import Planning
import Record
import Reports

/// `regroup check FOLDER PLAN.json`: every broken rule of a plan, and its score (spec §5).
struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check a plan against the rules R1-R10 and print its score.",
    discussion: """
      Reads a plan (the JSON that `regroup plan --format json` prints, e.g. edited by
      hand) and prints every broken rule, one line each (`R5: S017 is in two sessions
      in block B1 (T01, I002)`), then the plan's score (`score: 702.804375`). The
      rules and the score are worked out from the school and the plan alone.

      The day is the plan's `date` unless --date gives another. The school is read
      from its record (--db PATH, else FOLDER/regroup.db) when there is one, else
      from the folder's CSV files; with --db, FOLDER may be left out:
      `regroup check --db PATH PLAN.json`.

      EXIT STATUS
        0   every rule holds
        1   bad input: the folder, or PLAN.json is not valid JSON of a plan's shape
        2   a rule is broken
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, json
  }

  @Argument(help: "The school folder (may be left out with --db).")
  var folder: String?

  @Argument(help: ArgumentHelp("The plan to check, as JSON.", valueName: "PLAN.json"))
  var planArgument: String?

  @Option(help: folderRecordHelp)
  var db: String?

  @Option(help: ArgumentHelp("The day to check against (default: the plan's date).", valueName: "YYYY-MM-DD"))
  var date: Day?

  @Option(help: "Output format: text or json.")
  var format: Format = .text

  /// PLAN.json: the second argument, or the only one when --db stands in for FOLDER.
  var plan: String { planArgument ?? folder ?? "" }

  /// FOLDER, when one was given besides PLAN.json.
  var schoolFolder: String? { planArgument == nil ? nil : folder }

  func validate() throws {
    if folder == nil {
      throw ValidationError("Missing expected argument '\(db == nil ? "<folder>" : "<PLAN.json>")'")
    }
    if planArgument == nil, db == nil { throw ValidationError("Missing expected argument '<PLAN.json>'") }
  }

  func run() throws {
    let decoded = try readPlan()
    let (loaded, _) = try loadSchool(schoolFolder, db: db, date: date ?? decoded.date)
    let checker = PlanChecker(school: loaded.school, date: loaded.date)
    let violations = checker.violations(of: decoded.sessions, requests: decoded.requests ?? [])
    let score = checker.score(of: decoded.sessions)
    let text: String
    switch format {
    case .text: text = CheckReport.renderText(violations, score: score)
    case .json: text = CheckReport.renderJSON(violations, score: score)
    }
    try emit(text, to: nil)
    if !violations.isEmpty { throw ExitCode(2) }
  }

  /// Reads and decodes PLAN.json; on any problem prints `PLAN.json: error: …` and exits 1.
  func readPlan() throws -> DecodedPlan {
    let data: Data
    do {
      data = try Data(contentsOf: URL(fileURLWithPath: plan))
    } catch {
      printError("\(plan): error: cannot read the file: \(readProblem(error))")
      throw ExitCode(1)
    }
    do {
      return try PlanJSON.decode(data)
    } catch {
      printError("\(plan): error: \(error)")
      throw ExitCode(1)
    }
  }

  private func readProblem(_ error: any Error) -> String {
    var isDirectory: ObjCBool = false
    if !FileManager.default.fileExists(atPath: plan, isDirectory: &isDirectory) {
      return "no such file"
    }
    if isDirectory.boolValue { return "it is a folder" }
    return (error as NSError).localizedDescription
  }
}
