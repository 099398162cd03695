import ArgumentParser
import Foundation
import LearnerStatus
import Simulation

struct Simulate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Simulate school days under scenarios and compare what students would get.",
    discussion: """
      Each scenario file (TOML, spec §9) changes the base school: staff and blocks \
      added, changed or removed, staff unavailable, policy keys. The unchanged base is \
      always the first column. Each school day from the plan date (weekends skipped) is \
      planned with the real planner in its reproducible mode (work that does not depend \
      on the clock; --day-time-limit, default 3 s, is only a safety net) and a looser gap \
      (--gap, default 0.01); a seeded learning model then turns the day's sessions into \
      new evidence and the sessions into history.

      Learning model: a session on a target adds an evidence row min(4, L + g) with \
      g = U(--gain-min, --gain-max) · (1 + gap) / 2, gap = max(0, proficient − L); every \
      --drift-every school days each (student, target) without a session in those days \
      gets max(0, L − U(0, --drift-max)). Same --seed, same report (unless a day hits its \
      safety limit; the report counts the days whose plan was not proven within the gap).

      Requests and pins are the plan date's: they apply to the first simulated day only.

      Exit status: 0 the report was printed; 1 bad input (the school or a scenario file, \
      named on stderr, nothing on stdout).
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, json, html
  }

  @Argument(help: "The school folder (its record, FOLDER/regroup.db, when there is one).")
  var folder: String

  @Option(help: folderRecordHelp)
  var db: String?

  @Option(name: .customLong("scenario"), help: "A scenario file (TOML); repeat for more columns.")
  var scenarios: [String] = []

  @Option(help: "School days to simulate.")
  var days: Int = 20

  @Option(help: "Seed of the learning model.")
  var seed: UInt64 = 1

  @Option(help: "The first day (YYYY-MM-DD); default: school.toml's date.")
  var date: Day?

  @Option(help: "Output format.")
  var format: Format = .text

  @Option(name: .shortAndLong, help: "Write the output to this file instead of stdout.")
  var output: String?

  @Option(help: "Seconds for each simulated day's plan.")
  var dayTimeLimit: Double = 3

  @Option(help: "Each day's plan stops once (bound − score) / max(1, |bound|) is at most this.")
  var gap: Double = 0.01

  @Option(help: "Smallest learning gain of a session (before scaling by the gap).")
  var gainMin: Double = 0.3

  @Option(help: "Largest learning gain of a session (before scaling by the gap).")
  var gainMax: Double = 0.9

  @Option(help: "Largest drift down of a level without sessions.")
  var driftMax: Double = 0.05

  @Option(help: "Drift happens every this many school days.")
  var driftEvery: Int = 5

  var model: LearningModel {
    LearningModel(seed: seed, gainMin: gainMin, gainMax: gainMax, driftMax: driftMax, driftEvery: driftEvery)
  }

  func validate() throws {
    guard days >= 1 else { throw ValidationError("--days must be an integer ≥ 1") }
    guard dayTimeLimit > 0, dayTimeLimit.isFinite else {
      throw ValidationError("--day-time-limit must be a number of seconds > 0")
    }
    guard gap >= 0, gap.isFinite else { throw ValidationError("--gap must be a number ≥ 0") }
    if let problem = model.problem { throw ValidationError(problem) }
  }

  func run() throws {
    let started = Date()
    // Read every scenario first: bad ones are reported together, before any planning.
    var parsed: [Scenario] = []
    var problems: [Diagnostic] = []
    for path in scenarios {
      guard let data = FileManager.default.contents(atPath: path) else {
        problems.append(Diagnostic(.error, file: path, "cannot read the file"))
        continue
      }
      do {
        parsed.append(try Scenario.read(String(decoding: data, as: UTF8.self), file: path))
      } catch let error as InputError {
        problems += error.diagnostics
      }
    }
    if !problems.isEmpty {
      report(problems)
      throw ExitCode(1)
    }
    let (loaded, _) = try loadSchool(folder, db: db, date: date)
    let simulator = Simulator(days: days, model: model, dayTimeLimit: dayTimeLimit, relativeGap: gap)
    let showProgress = isatty(2) == 1 && ProcessInfo.processInfo.environment["CI"] == nil
    var progress: (@Sendable (Int, Int) -> Void)? = nil
    if showProgress {
      progress = { (done: Int, total: Int) in
        let width = 30
        let filled = width * done / max(1, total)
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let end = done == total ? "\n" : ""
        FileHandle.standardError.write(Data("\r[\(bar)] \(done)/\(total) scenario-days\(end)".utf8))
      }
    }
    let result: SimulationReport
    do {
      result = try simulator.run(
        base: loaded.school, start: loaded.date, scenarios: parsed, progress: progress)
    } catch let error as InputError {
      report(error.diagnostics)
      throw ExitCode(1)
    }
    let text: String
    switch format {
    case .text: text = result.text()
    case .json: text = result.json()
    case .html: text = result.html()
    }
    try emit(text, to: output)
    if showProgress {
      printError(String(format: "simulated in %.1f s", Date().timeIntervalSince(started)))
    }
  }
}
