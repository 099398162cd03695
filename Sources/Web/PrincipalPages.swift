import Foundation
import HTTPTypes
import Hummingbird
import LearnerStatus
import Record
import Simulation

/// The principal's pages: choosing scenarios, running a simulation in the background with its
/// progress, and the comparison report (inline tables, the full page with its charts, its JSON).
///
/// Only the principal may use them: others get 403, nobody signed in gets 401.
enum PrincipalPages {
  /// The job kind on `state.jobs`.
  static let kind = "simulation"
  /// The most school days a simulation from the web page may cover.
  static let maxDays = 60
  static let defaultDays = 10
  static let defaultSeed: UInt64 = 1
  /// How a pasted scenario is named in its diagnostics (and by default in the report).
  static let pastedFile = "pasted scenario"

  static let templates: [String: String] = [
    "principal-scenarios": """
    {{#running}}<p class="notice" id="running-simulation">A simulation is running now: <a href="{{href}}">see its progress</a>.</p>{{/running}}
    {{#hasProblems}}<ul class="field-error" id="record-problems">{{#problems}}<li>{{.}}</li>{{/problems}}</ul>{{/hasProblems}}
    <p>Each scenario changes the school (staff, blocks, policy); the simulation plans every school day with the real planner, once for the school as it is (the base) and once per scenario, and compares what students would get.</p>
    <form method="post" action="/scenarios/run" class="stack" id="scenarios-form" novalidate>
      <input type="hidden" name="_csrf" value="{{csrf}}">
      <h2>Scenarios</h2>
      {{#folderNote}}<p class="muted" id="scenario-folder">{{folderNote}}</p>{{/folderNote}}
      {{#files}}
      {{#selectable}}<label for="{{id}}"><input type="checkbox" id="{{id}}" name="scenario" value="{{file}}"{{#checked}} checked{{/checked}}> {{name}} <span class="muted">({{file}})</span></label>{{/selectable}}
      {{^selectable}}<label for="{{id}}"><input type="checkbox" id="{{id}}" disabled> {{file}} <span class="muted">(cannot be used)</span></label>
      <ul class="field-error" id="{{id}}-error">{{#problems}}<li>{{.}}</li>{{/problems}}</ul>{{/selectable}}
      {{/files}}
      {{#scenarioError}}<p class="field-error" id="scenario-error">{{scenarioError}}</p>{{/scenarioError}}
      <label for="extra">Another scenario (optional): paste a scenario file's TOML</label>
      <textarea id="extra" name="extra" rows="10" spellcheck="false"{{#hasExtraErrors}} aria-invalid="true" aria-describedby="extra-error"{{/hasExtraErrors}}>{{extra}}</textarea>
      {{#hasExtraErrors}}<ul class="field-error" id="extra-error">{{#extraErrors}}<li>{{.}}</li>{{/extraErrors}}</ul>{{/hasExtraErrors}}
      <label for="days">School days to simulate (1 to {{maxDays}})</label>
      <input type="number" id="days" name="days" value="{{days}}" min="1" max="{{maxDays}}"{{#daysError}} aria-invalid="true" aria-describedby="days-error"{{/daysError}}>
      {{#daysError}}<p class="field-error" id="days-error">{{daysError}}</p>{{/daysError}}
      <label for="seed">Seed of the learning model (the same seed gives the same report)</label>
      <input type="number" id="seed" name="seed" value="{{seed}}" min="0"{{#seedError}} aria-invalid="true" aria-describedby="seed-error"{{/seedError}}>
      {{#seedError}}<p class="field-error" id="seed-error">{{seedError}}</p>{{/seedError}}
      {{#runError}}<p class="field-error" id="run-error">{{runError}}</p>{{/runError}}
      <p><button type="submit" id="run">Run the simulation</button></p>
    </form>
    {{#hasRecent}}
    <h2>Recent simulations</h2>
    <table id="recent-simulations">
    <thead><tr><th>Started</th><th>What</th><th>State</th><th></th></tr></thead>
    <tbody>
    {{#recent}}<tr><td>{{started}}</td><td>{{what}}</td><td>{{state}}</td><td><a href="{{href}}">open</a></td></tr>
    {{/recent}}
    </tbody>
    </table>
    {{/hasRecent}}
    """,
    "principal-simulation-running": """
    <p>Simulating {{what}}. This line shows how many scenario-days are done and updates itself.</p>
    <p class="progress" id="simulation-progress" data-poll="{{poll}}">{{line}}</p>
    <p class="muted">You may leave this page and come back from <a href="/scenarios">Scenarios</a>.</p>
    """,
    "principal-simulation-failed": """
    <p class="field-error" id="simulation-failed">The simulation could not be run:</p>
    <pre class="progress">{{message}}</pre>
    <p><a href="/scenarios">Back to the scenarios</a></p>
    """,
    "principal-simulation-done": """
    <p id="simulation-summary">{{summary}}</p>
    <p><a id="report" href="{{report}}">The full report, with its charts</a> · <a id="report-json" href="{{json}}">the report as JSON</a> · <a href="/scenarios">run another simulation</a></p>
    <h2>Comparison</h2>
    <table id="comparison">
    <thead><tr><th>Measure</th>{{#names}}<th class="num">{{.}}</th>{{/names}}</tr></thead>
    <tbody>
    {{#rows}}<tr><td>{{label}}</td>{{#cells}}<td class="num">{{.}}</td>{{/cells}}</tr>
    {{/rows}}
    </tbody>
    </table>
    <h2>Equity</h2>
    <p class="muted">Each cell: service rate · mean wait (days) · sessions per student.</p>
    <table id="equity">
    <thead><tr><th>Group</th><th class="num">Students</th>{{#names}}<th class="num">{{.}}</th>{{/names}}</tr></thead>
    <tbody>
    {{#equity}}<tr><td>{{group}}</td><td class="num">{{students}}</td>{{#cells}}<td class="num">{{.}}</td>{{/cells}}</tr>
    {{/equity}}
    </tbody>
    </table>
    <p class="muted">Flags audit plans; they never decide placement.</p>
    """,
  ]

  static func addRoutes(to router: Router<AppContext>, state: WebState) {
    router.get("/scenarios") { _, context in try await formPage(context, state) }
    router.post("/scenarios/run") { _, context in try await run(context, state) }
    router.get("/scenarios/jobs/:id") { _, context in try await jobPage(context, state) }
    router.get("/scenarios/jobs/:id/progress") { _, context in try await jobProgress(context, state) }
    router.get("/scenarios/jobs/:id/report") { _, context in try await reportPage(context, state) }
    router.get("/scenarios/jobs/:id/report.json") { _, context in try await reportJSON(context, state) }
  }

  /// The signed-in principal; else 401 (nobody signed in) or 403.
  @discardableResult
  static func principal(_ context: AppContext) throws -> SignedIn {
    try context.require(.principal)
  }
}

// MARK: - The scenario files

extension PrincipalPages {
  /// A scenario file of the folder: usable (parsed and applicable to the school), or its problems.
  struct ScenarioFile {
    /// The file's name in the folder (`one-more-interventionist.toml`), the checkbox's value.
    var file: String
    var scenario: Scenario?
    var problems: [String]
  }

  /// The folder's `*.toml` files, sorted by name, each parsed and checked against `base`.
  ///
  /// A file that cannot be read or parsed, or that names an unknown id of the school, comes
  /// with its diagnostics and no scenario (it is listed, not selectable).
  static func scenarioFiles(in folder: URL?, base: School?) -> [ScenarioFile] {
    guard let folder else { return [] }
    let names =
      ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
      .filter { $0.hasSuffix(".toml") && !$0.hasPrefix(".") }.sorted()
    return names.map { name in
      guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else {
        return ScenarioFile(file: name, scenario: nil, problems: ["\(name): error: cannot read the file"])
      }
      switch parse(String(decoding: data, as: UTF8.self), file: name, base: base) {
      case .success(let scenario): return ScenarioFile(file: name, scenario: scenario, problems: [])
      case .failure(let error): return ScenarioFile(file: name, scenario: nil, problems: error.lines)
      }
    }
  }

  /// A scenario's text parsed and, when `base` is known, applied to it (unknown ids are errors).
  static func parse(_ text: String, file: String, base: School?) -> Result<Scenario, ScenarioProblems> {
    do {
      let scenario = try Scenario.read(text, file: file)
      if let base { _ = try scenario.apply(to: base) }
      return .success(scenario)
    } catch let error as InputError {
      return .failure(ScenarioProblems(lines: error.diagnostics.map(\.description)))
    } catch {
      return .failure(ScenarioProblems(lines: ["\(file): error: cannot read the scenario"]))
    }
  }

  /// A scenario's diagnostics, one line each.
  struct ScenarioProblems: Error {
    var lines: [String]
  }

  /// What the page says about the scenario folder (nil when it lists files).
  static func folderNote(_ folder: URL?, files: [ScenarioFile]) -> String? {
    guard let folder else {
      return "No scenario folder was given to the server (regroup serve --scenarios DIR); "
        + "paste a scenario below."
    }
    guard files.isEmpty else { return nil }
    return "The scenario folder \(folder.lastPathComponent) holds no scenario files (*.toml); "
      + "paste a scenario below."
  }
}

// MARK: - The form

extension PrincipalPages {
  /// What the form shows: the values sent (kept when it comes back) and the error of each field.
  struct RunInput {
    var chosen: Set<String> = []
    var extra = ""
    var days = String(defaultDays)
    var seed = String(defaultSeed)
    var scenarioError: String?
    var extraErrors: [String] = []
    var daysError: String?
    var seedError: String?
    var runError: String?
    var problems: [String] = []

    /// Whether no field has an error.
    var isValid: Bool {
      scenarioError == nil && extraErrors.isEmpty && daysError == nil && seedError == nil && runError == nil
        && problems.isEmpty
    }
  }

  /// `GET /scenarios`: the scenario files to choose from, the pasted one, days and seed.
  static func formPage(_ context: AppContext, _ state: WebState) async throws -> Response {
    try principal(context)
    return try await formResponse(RunInput(), context, state, status: .ok)
  }

  /// The form page with `input`'s values and errors.
  static func formResponse(
    _ input: RunInput, _ context: AppContext, _ state: WebState, status: HTTPResponse.Status
  ) async throws -> Response {
    var input = input
    let base: School?
    do {
      base = try state.record.load(date: nil).school
    } catch {
      base = nil
      if input.problems.isEmpty { input.problems = try SchedulerPages.problems(error) }
    }
    let folder = state.configuration.scenarios
    let files = scenarioFiles(in: folder, base: base)
    var data: [String: Any] = [
      "csrf": context.person?.csrf ?? "", "extra": input.extra, "days": input.days, "seed": input.seed,
      "maxDays": String(maxDays), "hasExtraErrors": !input.extraErrors.isEmpty,
      "extraErrors": input.extraErrors, "hasProblems": !input.problems.isEmpty, "problems": input.problems,
    ]
    data["files"] = files.enumerated().map { index, file -> [String: Any] in
      [
        "id": "scenario-\(index + 1)", "file": file.file, "name": file.scenario?.name ?? file.file,
        "selectable": file.scenario != nil, "checked": input.chosen.contains(file.file),
        "problems": file.problems,
      ]
    }
    if let note = folderNote(folder, files: files) { data["folderNote"] = note }
    for (key, value) in [
      ("scenarioError", input.scenarioError), ("daysError", input.daysError), ("seedError", input.seedError),
      ("runError", input.runError),
    ] {
      if let value { data[key] = value }
    }
    if let job = await state.jobs.running(kind: kind) {
      data["running"] = ["href": "/scenarios/jobs/\(job.id)"]
    }
    let recent = await state.jobs.recent(kind: kind).prefix(10).map { job -> [String: Any] in
      [
        "started": SchedulerPages.timestamp(job.startedAt), "what": job.what,
        "state": SchedulerPages.stateWords(job.state), "href": "/scenarios/jobs/\(job.id)",
      ]
    }
    data["hasRecent"] = !recent.isEmpty
    data["recent"] = Array(recent)
    return state.page(
      "principal-scenarios", title: "Scenarios", data, context: context, path: "/scenarios", status: status)
  }

  /// `POST /scenarios/run`: checks the form, starts the simulation in the background and sends
  /// the browser to its progress (303); otherwise the form back (422) with each error next to
  /// its field and nothing started.
  static func run(_ context: AppContext, _ state: WebState) async throws -> Response {
    let person = try principal(context)
    let form = context.form
    var input = RunInput(
      chosen: Set(form.all("scenario")), extra: form.all("extra").first ?? "",
      days: form["days"] ?? "", seed: form["seed"] ?? "")
    let days = Int(input.days)
    if days == nil || !(1...maxDays).contains(days!) {
      input.daysError = "Give the number of school days as a whole number from 1 to \(maxDays)."
    }
    let seed = UInt64(input.seed)
    if seed == nil { input.seedError = "Give the seed as a whole number, 0 or more." }
    let loaded: LoadedSchool
    do {
      loaded = try state.record.load(date: nil)
    } catch {
      input.problems = try SchedulerPages.problems(error)
      return try await formResponse(input, context, state, status: .unprocessableContent)
    }
    let scenarios = chosenScenarios(&input, folder: state.configuration.scenarios, base: loaded.school)
    guard input.isValid, let days, let seed else {
      return try await formResponse(input, context, state, status: .unprocessableContent)
    }
    let simulator = Simulator(days: days, model: LearningModel(seed: seed))
    let what = summary(days: days, seed: seed, scenarios: scenarios.map(\.name))
    let (id, started) = await state.jobs.startUnlessRunning(
      kind: kind, owner: person.grant.id, what: what,
      work: { progress in try simulate(simulator, loaded, scenarios, progress: progress) })
    guard started else {
      input.runError = "A simulation is already running; wait until it has finished, then start this one."
      return try await formResponse(input, context, state, status: .conflict)
    }
    return redirect("/scenarios/jobs/\(id)")
  }

  /// The scenarios the form chose, in the folder's order, then the pasted one; records each
  /// problem in `input` (none chosen, a file gone or unusable, a pasted scenario that is bad).
  static func chosenScenarios(_ input: inout RunInput, folder: URL?, base: School) -> [Scenario] {
    let files = scenarioFiles(in: folder, base: base)
    var scenarios: [Scenario] = []
    for file in files where input.chosen.contains(file.file) {
      if let scenario = file.scenario {
        scenarios.append(scenario)
      } else {
        input.scenarioError = "\(file.file) cannot be used (see its problems above); untick it."
      }
    }
    let known = Set(files.map(\.file))
    if let missing = input.chosen.sorted().first(where: { !known.contains($0) }) {
      input.scenarioError = "There is no scenario file \(missing) any more; reload the page and choose again."
    }
    if !input.extra.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
      switch parse(input.extra, file: pastedFile, base: base) {
      case .success(let scenario): scenarios.append(scenario)
      case .failure(let problems): input.extraErrors = problems.lines
      }
    } else if input.chosen.isEmpty {
      input.scenarioError = "Choose at least one scenario, or paste one below."
    }
    return scenarios
  }

  /// `10 school days with seed 1: the base school and A, B` (what a job runs).
  static func summary(days: Int, seed: UInt64, scenarios: [String]) -> String {
    "\(SchedulerPages.count(days, "school day")) with seed \(seed): the base school and "
      + scenarios.joined(separator: ", ")
  }

  /// Runs the simulation on the job's thread, reporting `n of N scenario-days · 12 s`.
  static func simulate(
    _ simulator: Simulator, _ loaded: LoadedSchool, _ scenarios: [Scenario],
    progress: @escaping @Sendable (String) -> Void
  ) throws -> JobResult {
    let start = Date()
    let total = simulator.days * (scenarios.count + 1)
    progress("0 of \(total) scenario-days simulated")
    let report = try simulator.run(base: loaded.school, start: loaded.date, scenarios: scenarios) {
      done, total in
      progress("\(done) of \(total) scenario-days simulated · \(Int(Date().timeIntervalSince(start))) s")
    }
    return .report(html: report.html(), json: report.json())
  }
}

// MARK: - The job and its report

extension PrincipalPages {
  /// The simulation job `:id` of the request; 404 when there is none (or it was forgotten).
  static func simulationJob(_ context: AppContext, _ state: WebState) async throws -> JobSnapshot {
    guard let id = context.parameters.get("id"), let job = await state.jobs.snapshot(id), job.kind == kind
    else { throw WebError.notFound }
    return job
  }

  /// `GET /scenarios/jobs/:id`: the progress while it runs; the comparison when it is done.
  static func jobPage(_ context: AppContext, _ state: WebState) async throws -> Response {
    try principal(context)
    let job = try await simulationJob(context, state)
    let path = "/scenarios"
    let what = job.what.isEmpty ? "the chosen scenarios" : job.what
    switch job.state {
    case .running:
      let data: [String: Any] = [
        "poll": "/scenarios/jobs/\(job.id)/progress", "line": job.line, "what": what,
      ]
      return state.page(
        "principal-simulation-running", title: "Simulating", data, context: context, path: path, refresh: 2)
    case .failed(let message):
      return state.page(
        "principal-simulation-failed", title: "The simulation could not be run", ["message": message],
        context: context, path: path)
    case .done:
      let report = try finishedReport(job)
      var data = comparisonData(try decode(report.json))
      data["report"] = "/scenarios/jobs/\(job.id)/report"
      data["json"] = "/scenarios/jobs/\(job.id)/report.json"
      return state.page("principal-simulation-done", title: "Simulation", data, context: context, path: path)
    }
  }

  /// `GET /scenarios/jobs/:id/progress`: `{"done": false, "line": "…"}` for the page's script.
  static func jobProgress(_ context: AppContext, _ state: WebState) async throws -> Response {
    try principal(context)
    let job = try await simulationJob(context, state)
    return progressJSON(job)
  }

  /// `GET /scenarios/jobs/:id/report`: the self-contained report page with its charts.
  static func reportPage(_ context: AppContext, _ state: WebState) async throws -> Response {
    try principal(context)
    let job = try await simulationJob(context, state)
    if job.state == .running { return redirect("/scenarios/jobs/\(job.id)") }
    return html(try finishedReport(job).html)
  }

  /// `GET /scenarios/jobs/:id/report.json`: the report's data (as `regroup simulate --format json`).
  static func reportJSON(_ context: AppContext, _ state: WebState) async throws -> Response {
    try principal(context)
    let job = try await simulationJob(context, state)
    if job.state == .running { return redirect("/scenarios/jobs/\(job.id)") }
    return json(try finishedReport(job).json)
  }

  /// The finished job's report; 404 when it failed (it has none).
  static func finishedReport(_ job: JobSnapshot) throws -> (html: String, json: String) {
    guard job.state == .done, case .report(let html, let json) = job.result else { throw WebError.notFound }
    return (html, json)
  }

  /// The report's data back from its JSON (the job keeps the texts it serves).
  static func decode(_ json: String) throws -> SimulationReport {
    try JSONDecoder().decode(SimulationReport.self, from: Data(json.utf8))
  }

  /// The done page's summary, comparison rows and equity rows (every name goes out through `{{…}}`).
  static func comparisonData(_ report: SimulationReport) -> [String: Any] {
    let columns = report.scenarios
    let unproven = columns.map(\.daysAtTimeLimit).reduce(0, +)
    var summary =
      "Simulated \(SchedulerPages.count(report.days, "school day")) from \(report.start) with seed "
      + "\(report.model.seed), the base school and \(SchedulerPages.count(columns.count - 1, "scenario")), "
      + "each day planned in at most \(SchedulerPages.seconds(report.dayTimeLimit)) s."
    if unproven > 0 {
      summary +=
        " \(SchedulerPages.count(unproven, "scenario-day")) stopped at the time limit before "
        + "the plan was proven within the gap."
    }
    let equity = (columns.first?.equity ?? []).enumerated().map { index, row -> [String: Any] in
      [
        "group": row.group, "students": String(row.students),
        "cells": columns.map { column -> String in
          guard index < column.equity.count else { return "-" }
          let e = column.equity[index]
          return String(format: "%.1f%% · %.2f · %.2f", e.serviceRate * 100, e.meanWait, e.sessionsPerStudent)
        },
      ]
    }
    return [
      "summary": summary, "names": columns.map(\.name),
      "rows": report.rows().map { label, cells -> [String: Any] in ["label": label, "cells": cells] },
      "equity": equity,
    ]
  }
}
