import Foundation
import HTTPTypes
import Hummingbird
import LearnerStatus
import Planning
import Record
import Reports

/// Re-planning a published day with as little change as possible (spec §13): the form on the
/// plan page, the background job, the change list (changes first, each with its reason) and
/// publishing it in place of the day's plan, with an audit entry naming the absences.
extension SchedulerPages {
  static let replanTemplates: [String: String] = [
    "scheduler-replan-section": """
    {{#replan}}
    <section id="replan">
    {{#replanError}}<p class="field-error" id="replan-error">{{replanError}}</p>{{/replanError}}
    {{^missing}}
    <h2 id="replan-heading">Re-plan {{day}} this morning</h2>
    <p>A plan for {{day}} is published ({{version}}). {{absences}} <a href="/absences?date={{day}}">Absences on {{day}}</a>.</p>
    <p class="muted">A re-plan starts from today's record (absences, new requests, new evidence), keeps every placement of the published plan it can (each one it does not keep costs {{move}} in the score), and lists each change with its reason.</p>
    {{#canPlan}}
    <form method="post" action="/plan/replan" class="stack" id="replan-form" novalidate>
      <input type="hidden" name="_csrf" value="{{csrf}}">
      <input type="hidden" name="date" value="{{day}}">
      <label for="replan-time-limit">Time limit (seconds, 1 to 600)</label>
      <input type="number" id="replan-time-limit" name="time_limit" value="{{timeLimit}}" min="1" max="600" step="any"{{#timeLimitError}} aria-invalid="true" aria-describedby="replan-time-limit-error"{{/timeLimitError}}>
      {{#timeLimitError}}<p class="field-error" id="replan-time-limit-error">{{timeLimitError}}</p>{{/timeLimitError}}
      <p><button type="submit" id="replan-button">Re-plan with as little change as possible</button></p>
    </form>
    {{/canPlan}}
    {{/missing}}
    </section>
    {{/replan}}
    """,
    "scheduler-changes": """
    <section id="changes">
    <h2>Changes to the published plan</h2>
    <p id="changes-summary">{{summary}}</p>
    {{#hasRows}}
    <table id="change-list">
    <thead><tr><th>Student</th><th>Block</th><th>Was</th><th>Now</th><th>Why</th></tr></thead>
    <tbody>
    {{#rows}}<tr class="change-{{kind}}"><td>{{student}}</td><td>{{block}}</td><td>{{from}}</td><td>{{to}}</td><td>{{reason}}</td></tr>
    {{/rows}}
    </tbody>
    </table>
    {{/hasRows}}
    </section>
    """,
  ]

  /// The re-plan section of the plan form, when the form's day has a published plan (else nil).
  static func replanSection(
    _ input: PlanFormInput, _ context: AppContext, _ state: WebState, error: String? = nil,
    timeLimitError: String? = nil
  ) throws -> [String: Any]? {
    guard let day = Day(input.date), let current = try state.record.auditTrail(on: day).last else {
      return error.map { ["missing": true, "replanError": $0] }
    }
    let absences = try AbsenceDesk.list(state, on: day)
    let policy = try state.record.directory().policy
    var data: [String: Any] = [
      "day": day.description,
      "version": "version \(current.version), \(current.publishedAt) by \(current.publishedBy)",
      "absences": absences.isEmpty
        ? "Nobody is marked absent on \(day)."
        : "\(count(absences.count, "absence")) marked on \(day).",
      "move": NumberFormat.plain(ReplanDesk.movePenalty(policy)),
      "canPlan": context.person?.grant.role == .scheduler, "csrf": context.person?.csrf ?? "",
      "timeLimit": input.timeLimit,
    ]
    if let error { data["replanError"] = error }
    if let timeLimitError { data["timeLimitError"] = timeLimitError }
    return data
  }

  /// `POST /plan/replan`: re-plans the published day of the form in the background (one plan
  /// at a time), then 303 to the job's page; a day without a published plan comes back (422).
  static func startReplan(_ context: AppContext, _ state: WebState) async throws -> Response {
    let person = try scheduler(context)
    var (input, day, limit) = readPlanForm(context.form, defaultLimit: state.configuration.planTimeLimit)
    // The errors go beside the re-plan form's fields, not the plan form's.
    func back(_ error: String?) async throws -> Response {
      var shown = input
      shown.timeLimitError = nil
      shown.dateError = nil
      return try await planFormPage(
        shown, context, state, status: .unprocessableContent, replanError: error,
        replanTimeLimitError: input.timeLimitError)
    }
    guard let day else {
      return try await back("Give the day to re-plan as YYYY-MM-DD, for example 2026-11-30.")
    }
    guard let current = try state.record.auditTrail(on: day).last,
      let published = try state.record.publishedPlan(on: day)
    else {
      return try await back(
        "No plan for \(day) is published, so there is nothing to re-plan: make the day's plan instead.")
    }
    guard let limit else { return try await back(nil) }
    if let job = await state.jobs.running(kind: "plan") { return redirect("/plan/jobs/\(job.id)") }
    let loaded: LoadedSchool
    do {
      loaded = try state.record.load(date: day)
    } catch {
      input.problems = try problems(error)
      return try await planFormPage(input, context, state, status: .unprocessableContent)
    }
    let base = current.version
    let (id, _) = await state.jobs.startUnlessRunning(
      kind: "plan", owner: person.grant.id, what: "re-plan of \(day)"
    ) { progress in
      try makeReplan(loaded, published: published, base: base, timeLimit: limit, state, progress: progress)
    }
    return redirect("/plan/jobs/\(id)")
  }

  /// Runs the re-plan on the job's thread, reporting a progress line at most four times a second.
  static func makeReplan(
    _ loaded: LoadedSchool, published: Plan, base: Int, timeLimit: Double, _ state: WebState,
    progress: @escaping @Sendable (String) -> Void
  ) throws -> JobResult {
    progress("building the re-plan of \(loaded.date) from version \(base), at most \(seconds(timeLimit)) s")
    let start = Date().timeIntervalSince1970
    let throttle = Throttle(interval: 0.25)
    let options = PlanOptions(
      timeLimit: timeLimit, start: start,
      progress: { p in
        guard throttle.ready() else { return }
        progress(progressLine(incumbent: p.incumbent, bound: p.bound, gap: p.gap, start: start))
      })
    let plan = try ReplanDesk.replan(loaded, published: published, options: options, state)
    return .replan(plan, base: base)
  }

  /// Publishes a finished re-plan in place of the day's plan (spec §13 `--publish --replan`),
  /// unless the day's plan changed since the re-plan started (then the page says so, 409).
  static func publishReplan(
    _ plan: Plan, base: Int, job: JobSnapshot, person: SignedIn, _ context: AppContext, _ state: WebState
  ) throws -> Response {
    var input = PublishInput()
    guard let current = try state.record.auditTrail(on: plan.date).last, current.version == base else {
      input.publishError =
        "The published plan for \(plan.date) changed since this re-plan started (it was version \(base)): "
        + "re-plan again so the changes are counted from the plan teachers have now."
      return try jobPageResponse(job, context, state, publish: input, status: .conflict)
    }
    let result: PublishResult
    do {
      result = try ReplanDesk.publish(plan, by: person.grant.label, state)
    } catch let error as SchoolRecordError {
      input.publishError = error.description
      return try jobPageResponse(job, context, state, publish: input, status: .unprocessableContent)
    }
    return redirect("/published/\(plan.date)?version=\(result.version)")
  }

  /// The change list's data: a summary line and one row per change, in the plan's order.
  static func changesData(_ plan: Plan, school: School, base: Int?) -> [String: Any] {
    let names = Names(school)
    let changes = ReplanDesk.changes(of: plan) ?? []
    let added = changes.filter { $0.from == nil }.count
    let dropped = changes.filter { $0.to == nil }.count
    let moved = changes.count - added - dropped
    let from = base.map { " (version \($0))" } ?? ""
    let summary =
      changes.isEmpty
      ? "No changes: every placement of the published plan\(from) is kept."
      : "\(count(changes.count, "change")) to the published plan\(from): \(added) added, \(moved) moved, "
        + "\(dropped) dropped. Every other placement is kept."
    func place(_ place: ChangeEntry.Place?) -> String {
      guard let place else { return "home base" }
      return "\(names.staffMember(place.staff)) · \(names.target(place.target))"
    }
    return [
      "summary": summary, "hasRows": !changes.isEmpty,
      "rows": changes.map { change -> [String: Any] in
        [
          "student": names.student(change.student), "block": change.block,
          "from": place(change.from), "to": place(change.to), "reason": change.reason,
          "kind": change.from == nil ? "added" : change.to == nil ? "dropped" : "moved",
        ]
      },
    ]
  }
}

/// One change of a re-plan as the pages show it (spec §13 `changes`).
struct ChangeEntry: Sendable, Equatable {
  /// A session a student is placed in: its staff member and target.
  struct Place: Sendable, Equatable {
    var staff: String
    var target: String
  }

  var student: String
  var block: String
  /// nil: the student was not placed in this block before (added).
  var from: Place?
  /// nil: the student is not placed in this block now (dropped).
  var to: Place?
  var reason: String
}

/// The planner's and record's re-plan API as the pages use it (one place to follow them).
enum ReplanDesk {
  /// The `move` weight of the school's policy (spec §13: 5.0 unless `[weights] move` says otherwise).
  static func movePenalty(_ policy: Policy) -> Double { policy.weights.move }

  /// The re-plan of `loaded`'s day against its published plan (`regroup plan --replan`).
  static func replan(_ loaded: LoadedSchool, published: Plan, options: PlanOptions, _ state: WebState) throws
    -> Plan
  {
    try Planner(options: options).replan(loaded.school, date: loaded.date, published: published.sessions)
  }

  /// Publishes a re-plan in place of the day's plan (`regroup plan --publish --replan`): the
  /// replaced version's audit entry names the day's absences, as the command line's does.
  static func publish(_ plan: Plan, by: String, _ state: WebState) throws -> PublishResult {
    let absent = try state.record.absences(on: plan.date).map { stored in
      stored.absence.id + (stored.absence.blockID.map { " (block \($0))" } ?? "")
    }
    let who = by + "; re-plan" + (absent.isEmpty ? "" : " for absences: " + absent.joined(separator: ", "))
    return try state.record.publish(plan, replace: true, by: who)
  }

  /// The plan's changes; nil for a plan made from scratch (a re-plan with none has `[]`).
  static func changes(of plan: Plan) -> [ChangeEntry]? {
    plan.changes?.map { change in
      ChangeEntry(
        student: change.studentID, block: change.block,
        from: change.from.map { ChangeEntry.Place(staff: $0.staff, target: $0.target) },
        to: change.to.map { ChangeEntry.Place(staff: $0.staff, target: $0.target) }, reason: change.reason)
    }
  }
}
