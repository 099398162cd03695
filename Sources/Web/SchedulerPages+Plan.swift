import Foundation
import HTTPTypes
import Hummingbird
import LearnerStatus
import Planning
import Record
import Reports

/// "Make tomorrow's plan": the form, the background job with its progress, the finished plan
/// and publishing it.
extension SchedulerPages {
  /// The most seconds a plan made from the web page may take.
  static let maxTimeLimit = 600.0

  static let planTemplates: [String: String] = [
    "scheduler-plan-form": """
    {{#running}}<p class="notice" id="running-plan">A plan is being made now: <a href="{{href}}">see its progress</a>.</p>{{/running}}
    {{#canPlan}}
    <form method="post" action="/plan" class="stack" id="plan-form" novalidate>
      <input type="hidden" name="_csrf" value="{{csrf}}">
      <label for="date">Day to plan</label>
      <input type="text" id="date" name="date" value="{{date}}" placeholder="YYYY-MM-DD" inputmode="numeric"{{#dateError}} aria-invalid="true" aria-describedby="date-error"{{/dateError}}>
      {{#dateError}}<p class="field-error" id="date-error">{{dateError}}</p>{{/dateError}}
      {{#hasProblems}}<ul class="field-error" id="record-problems">{{#problems}}<li>{{.}}</li>{{/problems}}</ul>{{/hasProblems}}
      <label for="time-limit">Time limit (seconds, 1 to 600)</label>
      <input type="number" id="time-limit" name="time_limit" value="{{timeLimit}}" min="1" max="600" step="any"{{#timeLimitError}} aria-invalid="true" aria-describedby="time-limit-error"{{/timeLimitError}}>
      {{#timeLimitError}}<p class="field-error" id="time-limit-error">{{timeLimitError}}</p>{{/timeLimitError}}
      <p><button type="submit" id="make-plan">Make the plan</button></p>
    </form>
    {{/canPlan}}
    {{> scheduler-replan-section}}
    {{^canPlan}}<p class="muted">Only the scheduler makes and publishes plans; the published ones are under <a href="/published">Published</a>.</p>{{/canPlan}}
    {{#hasRecent}}
    <h2>Recent plans</h2>
    <table id="recent-plans">
    <thead><tr><th>Started</th><th>What</th><th>State</th><th></th></tr></thead>
    <tbody>
    {{#recent}}<tr><td>{{started}}</td><td>{{what}}</td><td>{{state}}</td><td><a href="{{href}}">open</a></td></tr>
    {{/recent}}
    </tbody>
    </table>
    {{/hasRecent}}
    """,
    "scheduler-plan-running": """
    {{#publishError}}<p class="field-error" id="publish-error">{{publishError}}</p>{{/publishError}}
    <p>The plan is being made; this line shows the best plan found so far and updates itself.</p>
    <p class="progress" id="plan-progress" data-poll="{{poll}}">{{line}}</p>
    <p class="muted">It stops at its time limit at the latest. You may leave this page and come back from <a href="/plan">Plan</a>.</p>
    """,
    "scheduler-plan-failed": """
    <p class="field-error" id="plan-failed">The plan could not be made:</p>
    <pre class="progress">{{message}}</pre>
    <p><a href="/plan">Back to the form</a></p>
    """,
    "scheduler-plan-done": """
    {{#changes}}{{> scheduler-changes}}{{/changes}}
    <div id="plan-result">
    {{> scheduler-sheet}}
    </div>
    <h2>Publish</h2>
    {{#publishable}}
    {{#canPublish}}
    <form method="post" action="{{action}}" class="stack" id="publish-form">
      <input type="hidden" name="_csrf" value="{{csrf}}">
      {{#isReplan}}
      <p id="replan-publish-note">Publishing this re-plan replaces the published plan for {{date}} ({{published}}); that version stays in the audit trail, with the absences that made the re-plan.</p>
      {{#publishError}}<p class="field-error" id="publish-error">{{publishError}}</p>{{/publishError}}
      <p><button type="submit" id="publish">Publish the re-plan</button></p>
      {{/isReplan}}
      {{^isReplan}}
      {{#published}}<p>A plan for this day is already published ({{published}}).</p>{{/published}}
      <label><input type="checkbox" id="replace" name="replace" value="1"{{#replace}} checked{{/replace}}{{#replaceError}} aria-invalid="true" aria-describedby="replace-error"{{/replaceError}}> Replace the published plan (the earlier one stays in the audit trail)</label>
      {{#replaceError}}<p class="field-error" id="replace-error">{{replaceError}}</p>{{/replaceError}}
      {{#publishError}}<p class="field-error" id="publish-error">{{publishError}}</p>{{/publishError}}
      <p><button type="submit" id="publish">Publish this plan</button></p>
      {{/isReplan}}
    </form>
    {{/canPublish}}
    {{^canPublish}}<p class="muted">Only the scheduler publishes plans.</p>{{/canPublish}}
    {{/publishable}}
    {{^publishable}}<p class="not-honored" id="not-publishable">{{whyNot}}</p>{{/publishable}}
    <p><a href="/plan">Make another plan</a></p>
    """,
  ]

  static func addPlanRoutes(to router: Router<AppContext>, state: WebState) {
    router.get("/plan") { request, context in try await planForm(request, context, state) }
    router.post("/plan") { _, context in try await startPlan(context, state) }
    router.get("/plan/jobs/:id") { _, context in try await jobPage(context, state) }
    router.get("/plan/jobs/:id/progress") { _, context in try await jobProgress(context, state) }
    router.post("/plan/jobs/:id/publish") { _, context in try await publish(context, state) }
    router.post("/plan/replan") { _, context in try await startReplan(context, state) }
  }

  /// What the plan form shows: the fields' values and errors, record problems.
  struct PlanFormInput {
    var date = ""
    var timeLimit = ""
    var dateError: String?
    var timeLimitError: String?
    var problems: [String] = []

    var isValid: Bool { dateError == nil && timeLimitError == nil && problems.isEmpty }
  }

  /// `GET /plan`: the form, with the school's plan date and the configured time limit filled in.
  static func planForm(_ request: Request, _ context: AppContext, _ state: WebState) async throws -> Response
  {
    try reader(context)
    var input = PlanFormInput(timeLimit: seconds(min(state.configuration.planTimeLimit, maxTimeLimit)))
    do {
      input.date = try state.record.load(date: nil).date.description
    } catch {
      input.problems = try problems(error)
    }
    if let asked = request.uri.queryParameters.get("date"), Day(asked) != nil { input.date = asked }
    return try await planFormPage(input, context, state, status: .ok)
  }

  /// The plan form page with `input`'s values and errors.
  static func planFormPage(
    _ input: PlanFormInput, _ context: AppContext, _ state: WebState, status: HTTPResponse.Status,
    replanError: String? = nil, replanTimeLimitError: String? = nil
  ) async throws -> Response {
    var data: [String: Any] = [
      "canPlan": context.person?.grant.role == .scheduler, "csrf": context.person?.csrf ?? "",
      "date": input.date, "timeLimit": input.timeLimit,
      "hasProblems": !input.problems.isEmpty, "problems": input.problems,
    ]
    if let error = input.dateError { data["dateError"] = error }
    if let error = input.timeLimitError { data["timeLimitError"] = error }
    if let job = await state.jobs.running(kind: "plan") { data["running"] = ["href": "/plan/jobs/\(job.id)"] }
    let recent = await state.jobs.recent(kind: "plan").prefix(10).map { job -> [String: Any] in
      [
        "started": timestamp(job.startedAt), "what": job.what.isEmpty ? "plan" : job.what,
        "state": stateWords(job.state),
        "href": "/plan/jobs/\(job.id)",
      ]
    }
    data["hasRecent"] = !recent.isEmpty
    data["recent"] = Array(recent)
    data["replan"] = try replanSection(
      input, context, state, error: replanError, timeLimitError: replanTimeLimitError)
    return state.page(
      "scheduler-plan-form", title: "Make tomorrow's plan", data, context: context, path: "/plan",
      status: status)
  }

  /// `POST /plan`: checks the form, loads the school and starts the plan in the background
  /// (one at a time: while one runs, this goes to it); then 303 to the job's page.
  static func startPlan(_ context: AppContext, _ state: WebState) async throws -> Response {
    let person = try scheduler(context)
    var (input, day, limit) = readPlanForm(context.form, defaultLimit: state.configuration.planTimeLimit)
    guard input.isValid, let limit else {
      return try await planFormPage(input, context, state, status: .unprocessableContent)
    }
    if let job = await state.jobs.running(kind: "plan") { return redirect("/plan/jobs/\(job.id)") }
    let loaded: LoadedSchool
    do {
      loaded = try state.record.load(date: day)
    } catch {
      input.problems = try problems(error)
      return try await planFormPage(input, context, state, status: .unprocessableContent)
    }
    let (id, _) = await state.jobs.startUnlessRunning(kind: "plan", owner: person.grant.id) { progress in
      try makePlan(loaded, timeLimit: limit, progress: progress)
    }
    return redirect("/plan/jobs/\(id)")
  }

  /// The plan form's fields as sent, with an error beside each bad one; the day (nil: the
  /// school's) and the time limit (an empty field: `defaultLimit`, at most 600 s) when good.
  static func readPlanForm(_ form: Form, defaultLimit: Double) -> (PlanFormInput, Day?, Double?) {
    var input = PlanFormInput(date: form["date"] ?? "", timeLimit: form["time_limit"] ?? "")
    var day: Day?
    switch Self.day(input.date) {
    case .success(let value): day = value
    case .failure: input.dateError = dateMessage
    }
    let text = input.timeLimit.isEmpty ? seconds(min(defaultLimit, maxTimeLimit)) : input.timeLimit
    guard let limit = Double(text), (1...maxTimeLimit).contains(limit) else {
      input.timeLimitError = "Give the time limit in seconds, a number from 1 to 600."
      return (input, day, nil)
    }
    return (input, day, limit)
  }

  /// Runs the planner on `loaded` (on the job's thread), reporting a progress line at most
  /// four times a second.
  static func makePlan(
    _ loaded: LoadedSchool, timeLimit: Double, progress: @escaping @Sendable (String) -> Void
  ) throws -> JobResult {
    progress("building the model for \(loaded.date), at most \(seconds(timeLimit)) s")
    let start = Date().timeIntervalSince1970
    let throttle = Throttle(interval: 0.25)
    let options = PlanOptions(
      timeLimit: timeLimit, start: start,
      progress: { p in
        guard throttle.ready() else { return }
        progress(progressLine(incumbent: p.incumbent, bound: p.bound, gap: p.gap, start: start))
      })
    return .plan(try Planner(options: options).plan(loaded.school, date: loaded.date))
  }

  /// `score 1234.5 · bound 1300.0 · gap 5.05 % · 12 s`, the progress line of a solve.
  static func progressLine(incumbent: Double?, bound: Double?, gap: Double?, start: Double) -> String {
    func number(_ value: Double?) -> String { value.map { Number.fixed($0, decimals: 1) } ?? "-" }
    let elapsed = max(0, Date().timeIntervalSince1970 - start)
    return "score \(number(incumbent)) · bound \(number(bound)) · gap "
      + (gap.map { Number.fixed($0 * 100, decimals: 2) + " %" } ?? "-") + " · \(Int(elapsed)) s"
  }

  /// The plan job `:id` of the request; 404 when there is none (or it was forgotten).
  static func planJob(_ context: AppContext, _ state: WebState) async throws -> JobSnapshot {
    guard let id = context.parameters.get("id"), let job = await state.jobs.snapshot(id), job.kind == "plan"
    else { throw WebError.notFound }
    return job
  }

  /// `GET /plan/jobs/:id`: the progress while it runs; the plan and the publish form when done.
  static func jobPage(_ context: AppContext, _ state: WebState) async throws -> Response {
    try reader(context)
    let job = try await planJob(context, state)
    return try jobPageResponse(job, context, state, publish: PublishInput(), status: .ok)
  }

  /// What the publish form shows: the checkbox and the errors next to it.
  struct PublishInput {
    var replace = false
    var replaceError: String?
    var publishError: String?
  }

  /// The job page for `job` in its current state.
  static func jobPageResponse(
    _ job: JobSnapshot, _ context: AppContext, _ state: WebState, publish: PublishInput,
    status: HTTPResponse.Status
  ) throws -> Response {
    let path = "/plan"
    switch job.state {
    case .running:
      var data: [String: Any] = ["poll": "/plan/jobs/\(job.id)/progress", "line": job.line]
      if let error = publish.publishError { data["publishError"] = error }
      return state.page(
        "scheduler-plan-running",
        title: job.what.hasPrefix("re-plan") ? "Re-planning the day" : "Making the plan",
        data, context: context, path: path, refresh: 2,
        status: status)
    case .failed(let message):
      return state.page(
        "scheduler-plan-failed", title: "The plan could not be made", ["message": message], context: context,
        path: path, status: status)
    case .done:
      guard let (plan, base) = job.result?.planned else { throw WebError.notFound }
      var data = sheetData(
        plan, school: try state.record.school(on: plan.date), requests: try state.record.requests())
      data["action"] = "/plan/jobs/\(job.id)/publish"
      data["csrf"] = context.person?.csrf ?? ""
      data["canPublish"] = context.person?.grant.role == .scheduler
      data["publishable"] = plan.status == .optimal || plan.status == .feasible
      data["whyNot"] =
        plan.status == .infeasible
        ? "This plan cannot be published: the day is infeasible (see why above). Change the school's data or the requests, then make a new plan."
        : "This plan cannot be published: the time limit ran out before any plan was found. Make a new plan with a longer time limit."
      data["replace"] = publish.replace
      if let current = try state.record.auditTrail(on: plan.date).last {
        data["published"] = "version \(current.version), \(current.publishedAt) by \(current.publishedBy)"
      }
      if base != nil {
        data["isReplan"] = true
        data["changes"] = changesData(plan, school: try state.record.directory(), base: base)
      }
      if let error = publish.replaceError { data["replaceError"] = error }
      if let error = publish.publishError { data["publishError"] = error }
      return state.page(
        "scheduler-plan-done",
        title: base == nil ? "The plan for \(plan.date)" : "The re-plan of \(plan.date)",
        data, context: context, path: path,
        status: status)
    }
  }

  /// `GET /plan/jobs/:id/progress`: `{"done": false, "line": "…"}` for the page's script.
  static func jobProgress(_ context: AppContext, _ state: WebState) async throws -> Response {
    try reader(context)
    let job = try await planJob(context, state)
    return progressJSON(job)
  }

  /// `POST /plan/jobs/:id/publish`: publishes the finished plan (`replace` to replace the day's
  /// published plan), then 303 to the published day; otherwise the page back (422) with the
  /// error next to the checkbox and nothing changed.
  static func publish(_ context: AppContext, _ state: WebState) async throws -> Response {
    let person = try scheduler(context)
    let job = try await planJob(context, state)
    var input = PublishInput(replace: !(context.form["replace"] ?? "").isEmpty)
    guard job.state == .done, let (plan, base) = job.result?.planned else {
      input.publishError = "This plan is not finished yet; wait until it is, then publish it."
      return try jobPageResponse(job, context, state, publish: input, status: .unprocessableContent)
    }
    guard plan.status == .optimal || plan.status == .feasible else {
      return try jobPageResponse(job, context, state, publish: input, status: .unprocessableContent)
    }
    if let base {
      return try publishReplan(plan, base: base, job: job, person: person, context, state)
    }
    if !input.replace, let current = try state.record.auditTrail(on: plan.date).last {
      input.replaceError =
        "A plan for \(plan.date) is already published (version \(current.version), \(current.publishedAt) "
        + "by \(current.publishedBy)). Tick “Replace” to replace it; the earlier one stays in the audit trail."
      return try jobPageResponse(job, context, state, publish: input, status: .unprocessableContent)
    }
    let result: PublishResult
    do {
      result = try state.record.publish(plan, replace: input.replace, by: person.grant.label)
    } catch let error as SchoolRecordError {
      input.publishError = error.description
      return try jobPageResponse(job, context, state, publish: input, status: .unprocessableContent)
    }
    return redirect("/published/\(plan.date)?version=\(result.version)")
  }

  /// `60`, `2.5`: seconds as a form shows them.
  static func seconds(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(value)
  }

  /// `2026-11-27 02:09:14 UTC`.
  static func timestamp(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
    return formatter.string(from: date)
  }

  /// `running`, `done`, `failed` for the recent plans' table.
  static func stateWords(_ state: JobSnapshot.State) -> String {
    switch state {
    case .running: return "running"
    case .done: return "done"
    case .failed: return "failed"
    }
  }

  /// Lets a call through at most once per `interval` seconds (progress callbacks come often).
  final class Throttle: @unchecked Sendable {
    private let lock = NSLock()
    private let interval: Double
    private var last = -Double.infinity

    init(interval: Double) { self.interval = interval }

    /// Whether a call may go through now.
    func ready() -> Bool {
      let now = Date().timeIntervalSince1970
      lock.lock()
      defer { lock.unlock() }
      guard now - last >= interval else { return false }
      last = now
      return true
    }
  }
}
