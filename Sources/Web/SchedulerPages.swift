import Foundation
import HTTPTypes
import Hummingbird
import LearnerStatus
import Planning
import Record

/// The scheduler's pages: the morning status, making and publishing the day's plan, the
/// published days with their downloads, and every request.
///
/// The scheduler and the principal may read every page; only the scheduler may send their
/// forms (staff get 403, nobody signed in gets 401).
enum SchedulerPages {
  static let templates: [String: String] =
    statusTemplates
    .merging(planTemplates) { first, _ in first }
    .merging(sheetTemplates) { first, _ in first }
    .merging(publishedTemplates) { first, _ in first }
    .merging(requestsTemplates) { first, _ in first }
    .merging(absenceTemplates) { first, _ in first }
    .merging(replanTemplates) { first, _ in first }

  static func addRoutes(to router: Router<AppContext>, state: WebState) {
    router.get("/status") { request, context in try statusPage(request, context, state) }
    addPlanRoutes(to: router, state: state)
    addPublishedRoutes(to: router, state: state)
    addAbsenceRoutes(to: router, state: state)
    router.get("/all-requests") { _, context in try allRequestsPage(context, state) }
  }

  /// The signed-in scheduler or principal (who may read these pages); else 401 or 403.
  @discardableResult
  static func reader(_ context: AppContext) throws -> SignedIn {
    try context.require(.scheduler, .principal)
  }

  /// The signed-in scheduler (who alone may change things here); else 401 or 403.
  @discardableResult
  static func scheduler(_ context: AppContext) throws -> SignedIn {
    try context.require(.scheduler)
  }

  /// A record problem in plain lines: every diagnostic of bad input, or the record's message.
  ///
  /// - Throws: `error` itself when it is neither (the error page then says something went wrong).
  static func problems(_ error: any Error) throws -> [String] {
    if let error = error as? InputError { return error.diagnostics.map(\.description) }
    if let error = error as? SchoolRecordError { return [error.description] }
    throw error
  }

  /// `message` for a date field that did not hold a YYYY-MM-DD day.
  static let dateMessage = "Give the day as YYYY-MM-DD, for example 2026-11-30."

  /// The day a query or form field names: nil when empty, `.failure` when malformed.
  static func day(_ text: String?) -> Result<Day?, DayError> {
    guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return .success(nil) }
    guard let day = Day(text) else { return .failure(DayError()) }
    return .success(day)
  }

  /// A date field that is not a day.
  struct DayError: Error {}

  /// `Given Family (S001)` for each student id of `school`, the id alone when unknown.
  struct Names {
    let students: [String: Student]
    let staff: [String: StaffMember]
    let targets: [String: Target]

    init(_ school: School) {
      students = Dictionary(school.students.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
      staff = Dictionary(school.staff.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
      targets = Dictionary(school.targets.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// `Given Family (S001)`, or the id alone.
    func student(_ id: String) -> String {
      guard let s = students[id] else { return id }
      let name = [s.givenName, s.familyName].filter { !$0.isEmpty }.joined(separator: " ")
      return name.isEmpty ? id : "\(name) (\(id))"
    }

    /// `Ms Rivera (T07)`, or the id alone.
    func staffMember(_ id: String) -> String {
      guard let name = staff[id]?.name, !name.isEmpty else { return id }
      return "\(name) (\(id))"
    }

    /// `M3.NF.1 Fractions`, or the id alone.
    func target(_ id: String) -> String {
      guard let title = targets[id]?.title, !title.isEmpty else { return id }
      return "\(id) \(title)"
    }
  }
}

// MARK: - The morning status

extension SchedulerPages {
  /// How many of the longest waits the status page lists.
  static let longestWaits = 25
  /// How many needs that wait on a prerequisite the status page lists.
  static let notReadyShown = 50

  static let statusTemplates: [String: String] = [
    "scheduler-status": """
    <form method="get" action="/status" class="stack" id="status-form">
      <label for="status-date">Day</label>
      <input type="text" id="status-date" name="date" value="{{date}}" placeholder="YYYY-MM-DD"{{#dateError}} aria-invalid="true" aria-describedby="status-date-error"{{/dateError}}>
      <button type="submit" class="secondary">Show</button>
      {{#dateError}}<p class="field-error" id="status-date-error">{{dateError}}</p>{{/dateError}}
      {{#hasProblems}}<ul class="field-error" id="status-problems">{{#problems}}<li>{{.}}</li>{{/problems}}</ul>{{/hasProblems}}
    </form>
    {{#report}}
    <p id="status-summary">{{summary}} <a href="/all-requests">{{openRequests}}</a>.</p>
    {{#published}}<p id="status-published">A plan for this day is published: <a href="{{published}}">see it</a>.</p>{{/published}}
    {{#hasWarnings}}<details><summary>{{warningCount}}</summary><ul>{{#warnings}}<li>{{.}}</li>{{/warnings}}</ul></details>{{/hasWarnings}}
    <h2>Needs per target</h2>
    <table id="needs-per-target">
    <thead><tr><th>Target</th><th>Subject</th><th class="num">Students</th><th class="num">Mean level</th><th class="num">Mean wait (days)</th><th class="num">Total weight</th><th>Who could teach it, by block</th></tr></thead>
    <tbody>
    {{#targets}}<tr><td>{{target}}</td><td>{{subject}}</td><td class="num">{{students}}</td><td class="num">{{meanLevel}}</td><td class="num">{{meanWait}}</td><td class="num">{{totalWeight}}</td><td{{^canTeach}} class="not-honored"{{/canTeach}}>{{teachers}}</td></tr>
    {{/targets}}
    </tbody>
    </table>
    {{^targets}}<p class="muted">No student needs anything on this day.</p>{{/targets}}
    <h2>Longest waits</h2>
    <table id="longest-waits">
    <thead><tr><th>Student</th><th>Target</th><th class="num">Level</th><th class="num">Wait (days)</th><th class="num">Weight</th></tr></thead>
    <tbody>
    {{#waits}}<tr><td>{{student}}</td><td>{{target}}</td><td class="num">{{level}}</td><td class="num">{{wait}}</td><td class="num">{{weight}}</td></tr>
    {{/waits}}
    </tbody>
    </table>
    {{#dosage}}
    <h2>Weekly dosage</h2>
    <p id="dosage-summary">{{summary}}</p>
    {{#hasRows}}
    <table id="dosage-unreachable">
    <thead><tr><th>Student</th><th class="num">Tier</th><th class="num">Sessions a week</th><th class="num">This week before the day</th><th class="num">On the day</th><th class="num">Still short after it</th><th class="num">Sessions left this week</th></tr></thead>
    <tbody>
    {{#rows}}<tr><td>{{student}}</td><td class="num">{{tier}}</td><td class="num">{{perWeek}}</td><td class="num">{{before}}</td><td class="num">{{today}}</td><td class="num">{{short}}</td><td class="num">{{left}}</td></tr>
    {{/rows}}
    </tbody>
    </table>
    {{/hasRows}}
    {{/dosage}}
    {{#showsReadiness}}
    <h2>Not ready yet</h2>
    <p class="muted">Needs whose prerequisite the student has not mastered yet: they weigh less (× {{notReadyWeight}}), so the earlier target comes first.</p>
    <table id="not-ready">
    <thead><tr><th>Student</th><th>Target</th><th>Master first</th><th class="num">Level</th><th class="num">Weight</th></tr></thead>
    <tbody>
    {{#notReady}}<tr><td>{{student}}</td><td>{{target}}</td><td>{{missing}}</td><td class="num">{{level}}</td><td class="num">{{weight}}</td></tr>
    {{/notReady}}
    </tbody>
    </table>
    {{^notReady}}<p class="muted">Every need is ready: no student waits on a prerequisite.</p>{{/notReady}}
    {{#notReadyMore}}<p class="muted">{{notReadyMore}}</p>{{/notReadyMore}}
    {{/showsReadiness}}
    <h2>Staff</h2>
    <table id="staff">
    <thead><tr><th>Staff member</th><th>Subjects</th><th class="num">Max group</th><th class="num">Max minutes</th><th>Unavailable</th></tr></thead>
    <tbody>
    {{#staff}}<tr><td>{{name}}</td><td>{{subjects}}</td><td class="num">{{maxGroup}}</td><td class="num">{{maxMinutes}}</td><td>{{unavailable}}</td></tr>
    {{/staff}}
    </tbody>
    </table>
    <h2>Blocks</h2>
    <table id="blocks">
    <thead><tr><th>Block</th><th>Time</th><th>Subjects</th></tr></thead>
    <tbody>
    {{#blocks}}<tr><td>{{id}}</td><td>{{time}}</td><td>{{subjects}}</td></tr>
    {{/blocks}}
    </tbody>
    </table>
    {{/report}}
    """
  ]

  /// `GET /status[?date=YYYY-MM-DD]`: needs per target, the longest waits, the staff.
  static func statusPage(_ request: Request, _ context: AppContext, _ state: WebState) throws -> Response {
    try reader(context)
    let text = request.uri.queryParameters.get("date") ?? ""
    var data: [String: Any] = ["date": text]
    func back(_ key: String, _ value: Any) -> Response {
      data[key] = value
      if key == "problems" { data["hasProblems"] = true }
      return state.page(
        "scheduler-status", title: "Morning status", data, context: context, path: "/status",
        status: .unprocessableContent)
    }
    guard case .success(let day) = Self.day(text) else { return back("dateError", dateMessage) }
    // The same record and day give the same page: computed once per change of the record.
    // Levels and needs change only with imports, evidence and history, not with requests.
    // Absences change who can still reach their weekly dosage.
    let key =
      "status|\(text)|\(TeacherPages.todayUTC())|\(try state.record.needsFingerprint())|"
      + (try AbsenceDesk.fingerprint(state))
    let computed: (date: Day, report: [String: Any])
    do {
      computed = try state.cache.value(key) { try statusReport(day, state) }
    } catch let error as StatusLoadError {
      return back("problems", try problems(error.underlying))
    }
    data["date"] = computed.date.description
    var report = computed.report
    let open = try state.record.requests(date: computed.date).filter { $0.state == .open }.count
    report["openRequests"] = "\(count(open, "open request")) for this day"
    if try state.record.publishedPlan(on: computed.date) != nil {
      report["published"] = "/published/\(computed.date)"
    }
    data["report"] = report
    return state.page(
      "scheduler-status", title: "Morning status for \(computed.date)", data, context: context,
      path: "/status")
  }

  /// The record could not give the school for the status page (its diagnostics go on the page).
  struct StatusLoadError: Error { var underlying: any Error }

  /// The status page's day and tables, from the record (all but the open requests and the published plan).
  static func statusReport(_ day: Day?, _ state: WebState) throws -> (date: Day, report: [String: Any]) {
    let loaded: LoadedSchool
    do {
      loaded = try state.record.load(date: day)
    } catch {
      throw StatusLoadError(underlying: error)
    }
    return (loaded.date, try statusData(loaded, published: try state.record.publishedPlan(on: loaded.date)))
  }

  /// The status page's tables for a loaded school (every name goes out through `{{…}}`).
  static func statusData(_ loaded: LoadedSchool, published: Plan? = nil) throws -> [String: Any] {
    let school = loaded.school
    let report = try StatusReport(school: school, date: loaded.date)
    let names = Names(school)
    let students = Set(report.needs.map(\.student)).count
    var data: [String: Any] = [
      "summary":
        "\(count(report.needs.count, "need")) of \(count(students, "student")) on "
        + "\(count(report.targets.filter { $0.students > 0 }.count, "target")); "
        + "\(count(school.staff.count, "staff member")), \(count(school.blocks.count, "block")).",
      "hasWarnings": !loaded.warnings.isEmpty,
      "warningCount": count(loaded.warnings.count, "warning") + " from the record",
      "warnings": loaded.warnings.map(\.description),
    ]
    data["targets"] = report.targets.filter { $0.students > 0 }.map { t -> [String: Any] in
      [
        "target": names.target(t.target), "subject": t.subject, "students": String(t.students),
        "meanLevel": t.meanLevel.map { NumberFormat.fixed($0, decimals: 2) } ?? "-",
        "meanWait": t.meanWait.map { NumberFormat.fixed($0, decimals: 1) } ?? "-",
        "totalWeight": NumberFormat.fixed(t.totalWeight, decimals: 2),
        "canTeach": !t.staff.isEmpty,
        "teachers": t.staff.isEmpty ? "nobody can teach it" : teachers(t.staff, blocks: school.blocks),
      ]
    }
    let waits = report.needs.sorted {
      ($0.wait, $0.weight, $1.student, $1.target) > ($1.wait, $1.weight, $0.student, $0.target)
    }
    data["waits"] = waits.prefix(longestWaits).map { n -> [String: Any] in
      [
        "student": names.student(n.student), "target": names.target(n.target),
        "level": NumberFormat.fixed(n.level, decimals: 2), "wait": String(n.wait),
        "weight": NumberFormat.fixed(n.weight, decimals: 2),
      ]
    }
    if report.showsReadiness {
      let notReady = report.needs.filter { !$0.isReady }
      data["showsReadiness"] = true
      data["notReadyWeight"] = NumberFormat.plain(school.policy.weights.notReady)
      data["notReady"] = notReady.prefix(notReadyShown).map { n -> [String: Any] in
        [
          "student": names.student(n.student), "target": names.target(n.target),
          "missing": n.missingPrerequisites.map(names.target).joined(separator: ", "),
          "level": NumberFormat.fixed(n.level, decimals: 2),
          "weight": NumberFormat.fixed(n.weight, decimals: 2),
        ]
      }
      if notReady.count > notReadyShown {
        data["notReadyMore"] =
          "The \(notReadyShown) heaviest of \(count(notReady.count, "need")) not ready are shown."
      }
    }
    if let dosage = dosageData(loaded, published: published, names: names) { data["dosage"] = dosage }
    data["staff"] = staffRows(school)
    data["blocks"] = school.blocks.map { b -> [String: Any] in
      [
        "id": b.id, "time": "\(Block.clock(b.start))–\(Block.clock(b.end))",
        "subjects": b.subjects.description,
      ]
    }
    return data
  }

  /// The weekly dosage section (spec §14): the students who can no longer reach their week's
  /// sessions; nil when the school sets no `[dosage]`.
  static func dosageData(_ loaded: LoadedSchool, published: Plan?, names: Names) -> [String: Any]? {
    guard let report = DosageDesk.report(loaded, published: published) else { return nil }
    let rows = report.unreachable
    return [
      "summary": rows.isEmpty
        ? "Every one of the \(count(report.withTarget, "student")) with a weekly dosage can still reach it this week."
        : "\(count(rows.count, "student")) of \(report.withTarget) with a weekly dosage can no longer reach it "
          + "this week, even with a session in every block of every school day left:",
      "hasRows": !rows.isEmpty,
      "rows": rows.map { row -> [String: Any] in
        [
          "student": names.student(row.student), "tier": String(row.tier), "perWeek": String(row.perWeek),
          "before": String(row.beforeToday), "today": String(row.today), "short": String(row.shortAfterToday),
          "left": String(row.sessionsLeft),
        ]
      },
    ]
  }

  /// Who could teach a target, block by block: `B1: T001 T002; WIN: T002` (names are in the staff table).
  static func teachers(_ options: [TeachingOption], blocks: [Block]) -> String {
    blocks.compactMap { block -> String? in
      let staff = options.filter { $0.blocks.contains(block.id) }.map(\.staff)
      return staff.isEmpty ? nil : "\(block.id): \(staff.joined(separator: " "))"
    }.joined(separator: "; ")
  }

  /// One row per staff member: subjects, limits, the blocks they are not available in.
  static func staffRows(_ school: School) -> [[String: Any]] {
    let names = Names(school)
    return school.staff.map { k -> [String: Any] in
      let away = school.unavailable.filter { $0.staffID == k.id }.map(\.blockID)
      return [
        "name": names.staffMember(k.id), "subjects": k.subjects.description,
        "maxGroup": String(k.maxGroupSize), "maxMinutes": String(k.maxMinutes),
        "unavailable": away.isEmpty ? "-" : away.joined(separator: ", "),
      ]
    }
  }

  /// `1 need`, `3 needs`.
  static func count(_ n: Int, _ noun: String) -> String {
    "\(n) \(noun)\(n == 1 ? "" : "s")"
  }
}

/// A student's weekly dosage as the status page shows it (spec §14).
struct DosageEntry: Sendable, Equatable {
  var student: String
  var tier: Int
  var perWeek: Int
  /// Sessions this week before the day.
  var beforeToday: Int
  /// Sessions on the day: the published plan's, else the most the day can give (a session in
  /// every block the student is not absent in).
  var today: Int
  /// Sessions still missing after the day.
  var shortAfterToday: Int
  /// The most sessions the rest of the week can give: school days left after the day × blocks.
  var sessionsLeft: Int
}

/// The weekly dosage the status page reports, from the learner-status week count (spec §14).
enum DosageDesk {
  /// How many students have a weekly dosage, and those who can no longer reach it this week
  /// (short after the day > school days left × blocks); nil when the school has no `[dosage]`.
  ///
  /// With a published plan for the day, the day counts its sessions; without one, the most the
  /// day could give, so a student is listed only when no plan of the day can save their week.
  static func report(_ loaded: LoadedSchool, published: Plan?) -> (
    withTarget: Int, unreachable: [DosageEntry]
  )? {
    let school = loaded.school
    guard let dosage = school.policy.dosage else { return nil }
    let week = WeekCount(school, on: loaded.date)
    let away = AbsentSet(school, on: loaded.date)
    let blocks = school.blocks.map(\.id)
    var planned: [String: Int] = [:]
    for session in published?.sessions ?? [] {
      for student in session.students { planned[student, default: 0] += 1 }
    }
    let left = week.daysLeft * blocks.count
    var withTarget = 0
    var unreachable: [DosageEntry] = []
    for student in school.students {
      let perWeek = dosage.perWeek(tier: student.tier)
      guard perWeek > 0 else { continue }
      withTarget += 1
      let before = week.before[student.id] ?? 0
      let today =
        published == nil
        ? blocks.filter { !away.isAbsent(student.id, in: $0) }.count : planned[student.id] ?? 0
      let short = max(0, perWeek - before - today)
      guard short > left else { continue }
      unreachable.append(
        DosageEntry(
          student: student.id, tier: student.tier, perWeek: perWeek, beforeToday: before, today: today,
          shortAfterToday: short, sessionsLeft: left))
    }
    return (withTarget, unreachable)
  }
}
