import Foundation
import HTTPTypes
import Hummingbird
import LearnerStatus
import Planning
import Record
import Reports

/// The published days: the list, each day's sheet and audit trail, and its downloads (roster
/// CSV, a calendar per staff member, the printable page).
extension SchedulerPages {
  static let publishedTemplates: [String: String] = [
    "scheduler-published-list": """
    {{#hasDays}}
    <table id="published-days">
    <thead><tr><th>Day</th><th class="num">Version</th><th>Published</th><th>By</th><th>Status</th></tr></thead>
    <tbody>
    {{#days}}<tr><td><a href="{{href}}">{{date}}</a></td><td class="num">{{version}}</td><td>{{at}}</td><td>{{by}}</td><td>{{status}}</td></tr>
    {{/days}}
    </tbody>
    </table>
    {{/hasDays}}
    {{^hasDays}}<p class="muted" id="no-published">No plan is published yet.</p>{{/hasDays}}
    """,
    "scheduler-published-day": """
    {{#justPublished}}<p class="notice" id="published" role="status">{{justPublished}}</p>{{/justPublished}}
    <h2>Downloads</h2>
    <ul id="downloads">
      <li><a href="{{base}}/roster.csv" id="roster-csv">Roster of the whole day (CSV)</a></li>
      <li><a href="{{base}}/sheet.html" id="sheet-html">Printable day sheet</a></li>
    </ul>
    <table id="staff-downloads">
    <thead><tr><th>Staff member</th><th class="num">Sessions</th><th>Calendar</th><th>Roster</th></tr></thead>
    <tbody>
    {{#staffFiles}}<tr><td>{{name}}</td><td class="num">{{sessions}}</td><td><a href="{{ics}}">.ics</a></td><td><a href="{{roster}}">.csv</a></td></tr>
    {{/staffFiles}}
    </tbody>
    </table>
    {{#changes}}{{> scheduler-changes}}{{/changes}}
    {{#sheet}}{{> scheduler-sheet}}{{/sheet}}
    <h2>Audit trail</h2>
    <table id="audit-trail">
    <thead><tr><th class="num">Version</th><th>Status</th><th class="num">Score</th><th>Published</th><th>By</th><th>Replaced</th></tr></thead>
    <tbody>
    {{#trail}}<tr><td class="num">{{version}}</td><td>{{status}}</td><td class="num">{{score}}</td><td>{{at}}</td><td>{{by}}</td><td>{{replaced}}</td></tr>
    {{/trail}}
    </tbody>
    </table>
    """,
  ]

  static func addPublishedRoutes(to router: Router<AppContext>, state: WebState) {
    router.get("/published") { _, context in try publishedList(context, state) }
    router.get("/published/:date") { request, context in try publishedDay(request, context, state) }
    router.get("/published/:date/roster.csv") { request, context in
      try rosterDownload(request, context, state)
    }
    router.get("/published/:date/ics/:staff") { _, context in try calendarDownload(context, state) }
    router.get("/published/:date/sheet.html") { _, context in try printableSheet(context, state) }
  }

  /// `GET /published`: the days with a published plan, newest first, with their current version.
  static func publishedList(_ context: AppContext, _ state: WebState) throws -> Response {
    try reader(context)
    let days = try state.record.publishedDates().reversed().map { day -> [String: Any] in
      let current = try state.record.auditTrail(on: day).last
      return [
        "date": day.description, "href": "/published/\(day)",
        "version": current.map { String($0.version) } ?? "-", "at": current?.publishedAt ?? "-",
        "by": current?.publishedBy ?? "-", "status": current?.plan.status.rawValue ?? "-",
      ]
    }
    let data: [String: Any] = ["hasDays": !days.isEmpty, "days": days]
    return state.page(
      "scheduler-published-list", title: "Published plans", data, context: context, path: "/published")
  }

  /// The published plan of `:date` and the school read on that day; 404 when there is none.
  static func publishedPlan(_ context: AppContext, _ state: WebState) throws -> (Plan, School) {
    guard let text = context.parameters.get("date"), let day = Day(text),
      let plan = try state.record.publishedPlan(on: day)
    else { throw WebError.notFound }
    return (plan, try state.record.school(on: day))
  }

  /// `GET /published/:date[?version=N]`: the day sheet, downloads and the audit trail; right
  /// after publishing, `version` says which version was just published.
  static func publishedDay(_ request: Request, _ context: AppContext, _ state: WebState) throws -> Response {
    try reader(context)
    let (plan, school) = try publishedPlan(context, state)
    let trail = try state.record.auditTrail(on: plan.date)
    let base = "/published/\(plan.date)"
    let names = Names(school)
    let directory = DayDirectory(plan: plan, school: school)
    var data: [String: Any] = [
      "base": base,
      "sheet": sheetData(plan, school: school, requests: try state.record.requests()),
      "staffFiles": directory.staffOrder.map { id -> [String: Any] in
        [
          "name": names.staffMember(id), "sessions": String(plan.sessions.filter { $0.staff == id }.count),
          "ics": "\(base)/ics/\(queryEscape(id))", "roster": "\(base)/roster.csv?staff=\(queryEscape(id))",
        ]
      },
      "trail": trail.map { v -> [String: Any] in
        [
          "version": String(v.version), "status": v.plan.status.rawValue,
          "score": v.plan.objective.map { Number.fixed($0, decimals: 2) } ?? "none",
          "at": v.publishedAt, "by": v.publishedBy,
          "replaced": v.replacedAt.map { "\($0) by \(v.replacedBy ?? "?")" } ?? "current",
        ]
      },
    ]
    if ReplanDesk.changes(of: plan) != nil, let current = trail.last {
      // A re-plan: its changes count from the version it replaced.
      data["changes"] = changesData(
        plan, school: school, base: current.version > 1 ? current.version - 1 : nil)
    }
    if let text = request.uri.queryParameters.get("version"), let version = Int(text),
      let published = trail.first(where: { $0.version == version })
    {
      data["justPublished"] =
        "Published: version \(published.version) of the plan for \(plan.date)"
        + (published.version > 1 ? ", replacing version \(published.version - 1)." : ".")
    }
    return state.page(
      "scheduler-published-day", title: "Published plan for \(plan.date)", data, context: context,
      path: "/published")
  }

  /// `GET /published/:date/roster.csv[?staff=ID]`: the day's roster (a `staff` column, then
  /// ``RosterCSV``'s), or one staff member's roster exactly as `regroup export --roster` writes it.
  static func rosterDownload(_ request: Request, _ context: AppContext, _ state: WebState) throws -> Response
  {
    try reader(context)
    let (plan, school) = try publishedPlan(context, state)
    let directory = DayDirectory(plan: plan, school: school)
    if let staff = request.uri.queryParameters.get("staff") {
      guard directory.staffOrder.contains(staff) else { throw WebError.notFound }
      return download(
        RosterCSV.render(plan, school: school, staff: staff), contentType: "text/csv; charset=utf-8",
        filename: "roster-\(plan.date)-\(fileName(staff)).csv")
    }
    var text = "staff," + RosterCSV.header + "\n"
    for staff in directory.staffOrder {
      for row in csvRows(RosterCSV.render(plan, school: school, staff: staff)).dropFirst() {
        text += PlanCSV.cell(staff) + "," + row + "\n"
      }
    }
    return download(text, contentType: "text/csv; charset=utf-8", filename: "roster-\(plan.date).csv")
  }

  /// `GET /published/:date/ics/:staff`: one staff member's calendar of the day (iCalendar).
  static func calendarDownload(_ context: AppContext, _ state: WebState) throws -> Response {
    try reader(context)
    let (plan, school) = try publishedPlan(context, state)
    guard let staff = context.parameters.get("staff"),
      DayDirectory(plan: plan, school: school).staffOrder.contains(staff)
    else { throw WebError.notFound }
    return download(
      ICalendar.render(plan, school: school, staff: staff), contentType: "text/calendar; charset=utf-8",
      filename: "\(plan.date)-\(fileName(staff)).ics")
  }

  /// `GET /published/:date/sheet.html`: the printable, self-contained day sheet, shown in the browser.
  static func printableSheet(_ context: AppContext, _ state: WebState) throws -> Response {
    try reader(context)
    let (plan, school) = try publishedPlan(context, state)
    return html(DaySheetHTML.render(plan, school: school))
  }

  /// The rows of CSV `text` without their line ends; a line break inside a quoted cell stays in its row.
  static func csvRows(_ text: String) -> [String] {
    var rows: [String] = []
    var row = ""
    var quoted = false
    for character in text {
      if character == "\n", !quoted {
        rows.append(row)
        row = ""
        continue
      }
      if character == "\"" { quoted.toggle() }
      row.append(character)
    }
    if !row.isEmpty { rows.append(row) }
    return rows
  }

  /// A staff id as part of a file name: letters, digits, `.`, `_` and `-` kept, the rest `_`.
  static func fileName(_ id: String) -> String {
    String(
      id.unicodeScalars.map { scalar -> Character in
        let keep =
          ("0"..."9").contains(scalar) || ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar)
          || scalar == "." || scalar == "_" || scalar == "-"
        return keep ? Character(scalar) : "_"
      })
  }
}

// MARK: - Every request

extension SchedulerPages {
  static let requestsTemplates: [String: String] = [
    "scheduler-requests": """
    <p id="requests-summary">{{summary}}</p>
    {{#hasRequests}}
    <table id="all-requests">
    <thead><tr><th>Request</th><th>Staff member</th><th>Student</th><th>Block</th><th>Day</th><th>Priority</th><th>State</th><th>Outcome</th><th>Note</th></tr></thead>
    <tbody>
    {{#requests}}<tr data-state="{{state}}"><td>{{id}}</td><td>{{staff}}</td><td>{{student}}</td><td>{{block}}</td><td>{{day}}</td><td>{{priority}}</td><td>{{state}}</td><td class="{{outcomeClass}}">{{outcome}}</td><td>{{note}}</td></tr>
    {{/requests}}
    </tbody>
    </table>
    {{/hasRequests}}
    """
  ]

  /// `GET /all-requests`: every request, open ones first, with what the published plans made of it.
  static func allRequestsPage(_ context: AppContext, _ state: WebState) throws -> Response {
    try reader(context)
    let requests = try state.record.requests()
    let school = (try? state.record.directory()) ?? School()
    let names = Names(school)
    var outcomes: [String: RequestFeedback] = [:]
    var seen = Set<String>()
    for staff in requests.filter({ $0.state == .closed }).map(\.staffID) where seen.insert(staff).inserted {
      for feedback in try state.record.requestStatus(staff: staff) where feedback.planDate != nil {
        outcomes[feedback.request.id] = feedback
      }
    }
    let open = requests.filter { $0.state == .open }.count
    let data: [String: Any] = [
      "summary": "\(count(requests.count, "request")), \(open) open.",
      "hasRequests": !requests.isEmpty,
      "requests": requests.map { r -> [String: Any] in
        let outcome = outcomeWords(r, outcomes[r.id])
        return [
          "id": r.id, "staff": names.staffMember(r.staffID), "student": names.student(r.studentID),
          "block": r.blockID ?? "any", "day": r.date?.description ?? "any", "priority": r.priority.rawValue,
          "state": r.state.rawValue, "outcome": outcome.text, "outcomeClass": outcome.style, "note": r.note,
        ]
      },
    ]
    return state.page("scheduler-requests", title: "Requests", data, context: context, path: "/all-requests")
  }

  /// What became of a request in words, and the class that colours it.
  static func outcomeWords(_ request: StoredRequest, _ feedback: RequestFeedback?) -> (
    text: String, style: String
  ) {
    switch request.state {
    case .open: return ("waiting for a published plan", "muted")
    case .withdrawn: return ("withdrawn", "muted")
    case .closed:
      guard let feedback, let honored = feedback.honored else {
        return ("planned on \(request.closedOn?.description ?? "an earlier day")", "muted")
      }
      let day = feedback.planDate?.description ?? "?"
      return honored
        ? ("honored on \(day)", "honored")
        : ("not honored on \(day): \(feedback.reason ?? "no reason given")", "not-honored")
    }
  }
}
