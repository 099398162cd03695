import Foundation
import HTTPTypes
import Hummingbird
import LearnerStatus
import Record

// MARK: - My requests: the list, the add form, withdrawing, one request's detail

extension TeacherPages {
  static let requestTemplates: [String: String] = [
    "teacher-requests": """
    <section id="my-requests">
    <h2>Your requests</h2>
    {{#withdrawError}}<p class="field-error" id="withdraw-error">{{withdrawError}}</p>{{/withdrawError}}
    {{#hasRequests}}
    <table id="requests">
    <thead><tr><th>Request</th><th>Student</th><th>Block</th><th>Day</th><th>Priority</th><th>Note</th><th>State</th><th>Outcome</th><th></th></tr></thead>
    <tbody>
    {{#requests}}{{> teacher-request-row}}{{/requests}}
    </tbody>
    </table>
    {{/hasRequests}}
    {{^hasRequests}}<table id="requests"><tbody><tr><td class="muted">You have made no requests yet.</td></tr></tbody></table>{{/hasRequests}}
    </section>
    {{> teacher-request-form}}
    """,
    "teacher-request-row": """
    <tr id="request-{{id}}"><td><a href="/requests/{{href}}">{{id}}</a></td><td>{{student}}</td><td>{{block}}</td><td>{{day}}</td><td>{{priority}}</td><td>{{note}}</td><td>{{state}}</td>
    <td>{{#outcome}}<span class="{{outcomeClass}}">{{outcome}}</span>{{/outcome}}{{#reason}} <span class="reason">{{reason}}</span>{{/reason}}</td>
    <td>{{#canWithdraw}}<form method="post" action="/requests/{{href}}/withdraw" class="inline"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit" class="secondary" id="withdraw-{{id}}">Withdraw</button></form>{{/canWithdraw}}</td></tr>

    """,
    "teacher-request-form": """
    <section id="add">
    <h2>Ask for a student</h2>
    <form method="post" action="/requests" class="stack" id="add-form">
      <input type="hidden" name="_csrf" value="{{csrf}}">
      {{#formError}}<p class="field-error" id="form-error">{{formError}}</p>{{/formError}}
      <label for="student">Student (id or name)</label>
      <input type="text" id="student" name="student" list="student-list" value="{{student}}" autocomplete="off" size="40"{{#studentError}} aria-invalid="true" aria-describedby="student-error"{{/studentError}}>
      <datalist id="student-list">{{#students}}<option value="{{.}}">{{/students}}</datalist>
      {{#studentError}}<div class="field-error" id="student-error"><p>{{studentError}}</p>{{#hasMatches}}<ul id="student-matches">{{#matches}}<li>{{.}}</li>{{/matches}}</ul>{{/hasMatches}}</div>{{/studentError}}
      <p class="muted"><a href="/students">Search the students</a> if you are not sure of the name.</p>
      <label for="block">Block</label>
      <select id="block" name="block"{{#blockError}} aria-invalid="true" aria-describedby="block-error"{{/blockError}}>
        {{#blocks}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/blocks}}
      </select>
      {{#blockError}}<p class="field-error" id="block-error">{{blockError}}</p>{{/blockError}}
      <label for="priority">Priority</label>
      <select id="priority" name="priority"{{#priorityError}} aria-invalid="true" aria-describedby="priority-error"{{/priorityError}}>
        {{#priorities}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/priorities}}
      </select>
      {{#priorityError}}<p class="field-error" id="priority-error">{{priorityError}}</p>{{/priorityError}}
      <label for="note">Note (why, in a few words)</label>
      <input type="text" id="note" name="note" value="{{note}}" maxlength="\(noteLimit)" size="60"{{#noteError}} aria-invalid="true" aria-describedby="note-error"{{/noteError}}>
      {{#noteError}}<p class="field-error" id="note-error">{{noteError}}</p>{{/noteError}}
      <label for="date">Day (optional, YYYY-MM-DD; empty: the next published plan)</label>
      <input type="text" id="date" name="date" value="{{date}}" placeholder="YYYY-MM-DD" size="12"{{#dateError}} aria-invalid="true" aria-describedby="date-error"{{/dateError}}>
      {{#dateError}}<p class="field-error" id="date-error">{{dateError}}</p>{{/dateError}}
      <p><button type="submit" id="add-request">Add request</button></p>
    </form>
    </section>
    """,
    "teacher-request-detail": """
    <table id="request-detail">
    <tbody>
    <tr><th>Student</th><td>{{student}}</td></tr>
    <tr><th>Block</th><td>{{block}}</td></tr>
    <tr><th>Day</th><td>{{day}}</td></tr>
    <tr><th>Priority</th><td>{{priority}}</td></tr>
    <tr><th>Note</th><td>{{note}}</td></tr>
    <tr><th>Made</th><td>{{madeAt}} by {{madeBy}}</td></tr>
    <tr><th>State</th><td>{{state}}</td></tr>
    <tr><th>Outcome</th><td>{{#outcome}}<span class="{{outcomeClass}}">{{outcome}}</span>{{/outcome}}{{#reason}} <span class="reason">{{reason}}</span>{{/reason}}{{^outcome}}<span class="muted">Not planned yet.</span>{{/outcome}}</td></tr>
    </tbody>
    </table>
    {{#canWithdraw}}<form method="post" action="/requests/{{href}}/withdraw"><input type="hidden" name="_csrf" value="{{csrf}}"><button type="submit" class="secondary" id="withdraw">Withdraw this request</button></form>{{/canWithdraw}}
    <p><a href="/requests">All your requests</a></p>
    """,
    "teacher-students": """
    <form method="get" action="/students" class="stack" id="student-search">
      <label for="q">Id or name</label>
      <input type="search" id="q" name="q" value="{{query}}" size="30">
      <button type="submit" class="secondary">Search</button>
    </form>
    {{#searched}}
    {{#hasResults}}
    <table id="students"><thead><tr><th>Student</th><th>Grade</th><th></th></tr></thead><tbody>
    {{#results}}<tr><td>{{label}}</td><td>{{grade}}</td><td><a href="/requests?student={{href}}#add">Ask for this student</a></td></tr>{{/results}}
    </tbody></table>
    {{#more}}<p class="muted">{{more}}</p>{{/more}}
    {{/hasResults}}
    {{^hasResults}}<p id="no-students">No student's id or name contains “{{query}}”.</p>{{/hasResults}}
    {{/searched}}
    """,
  ]

  /// The longest note a request may carry, in characters.
  static let noteLimit = 500

  /// What the add form holds: the values sent (kept when it comes back) and each field's error.
  struct RequestForm {
    var student = ""
    var block = ""
    var priority = "normal"
    var note = ""
    var date = ""
    var errors: [String: String] = [:]
    /// Close matches of an unknown or ambiguous student name.
    var matches: [Student] = []
    /// A problem the record found that belongs to no one field.
    var formError: String?
    /// Why a request could not be withdrawn.
    var withdrawError: String?

    /// The form a POST sent.
    init(_ form: Form) {
      student = form["student"] ?? ""
      block = form["block"] ?? ""
      priority = form["priority"] ?? "normal"
      note = form["note"] ?? ""
      date = form["date"] ?? ""
    }

    init() {}
  }

  /// `GET /requests`: the staff member's requests and the add form (`?student=` fills it in).
  static func requestsPage(_ request: Request, _ context: AppContext, _ state: WebState) throws -> Response {
    let (_, staff) = try context.requireStaff()
    var form = RequestForm()
    form.student = request.uri.queryParameters.get("student") ?? ""
    let query = request.uri.queryParameters
    let done = query.get("added").map { ($0, "added") } ?? query.get("withdrawn").map { ($0, "withdrawn") }
    return try requestsResponse(form, context, state, done: done)
  }

  /// The requests page around `form`, with `status` (422 when the form came back with errors).
  ///
  /// - Parameter done: a request just added or withdrawn (id, verb), confirmed under the title
  ///   when it is one of the staff member's own.
  static func requestsResponse(
    _ form: RequestForm, _ context: AppContext, _ state: WebState, done: (String, String)? = nil,
    status: HTTPResponse.Status = .ok
  ) throws -> Response {
    let (person, staff) = try context.requireStaff()
    let school = try currentSchool(state)
    let requests = try state.record.requests(staff: staff)
    let rows = try requestRows(requests, staff: staff, school: school, state)
    var notice: String?
    if let (id, verb) = done, requests.contains(where: { $0.id == id }) { notice = "Request \(id) \(verb)." }
    var data = formData(form, school: school)
    data["csrf"] = person.csrf
    data["requests"] = rows
    data["hasRequests"] = !rows.isEmpty
    return state.page(
      "teacher-requests", title: "My requests", data, context: context, path: "/requests", notice: notice,
      status: status)
  }

  /// The add form's template data: values, errors, the student suggestions, blocks, priorities.
  static func formData(_ form: RequestForm, school: School) -> [String: Any] {
    var data: [String: Any] = [
      "student": form.student, "note": form.note, "date": form.date,
      "students": school.students.map(label(of:)),
      "blocks": [["value": "", "label": "Any block", "selected": form.block.isEmpty]]
        + school.blocks.map { block -> [String: Any] in
          [
            "value": block.id, "label": "\(block.id) (\(time(of: block)))",
            "selected": block.id == form.block,
          ]
        },
      "priorities": ["normal", "high", "required"].map { level -> [String: Any] in
        ["value": level, "label": level, "selected": level == form.priority]
      },
      "matches": form.matches.map(label(of:)),
      "hasMatches": !form.matches.isEmpty,
    ]
    for (field, message) in form.errors { data[field + "Error"] = message }
    if let formError = form.formError { data["formError"] = formError }
    if let withdrawError = form.withdrawError { data["withdrawError"] = withdrawError }
    return data
  }

  /// One row per request of `staff` (as `requests(staff:)` lists them), each with its outcome once planned.
  static func requestRows(_ requests: [StoredRequest], staff: String, school: School, _ state: WebState)
    throws
    -> [[String: Any]]
  {
    let outcomes = try latestOutcomes(staff: staff, state)
    let students = Dictionary(school.students.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    return requests.map { request in
      requestData(request, outcome: outcomes[request.id], student: students[request.studentID])
    }
  }

  /// The latest published outcome of each of `staff`'s requests, by request id.
  static func latestOutcomes(staff: String, _ state: WebState) throws -> [String: RequestFeedback] {
    var outcomes: [String: RequestFeedback] = [:]
    for feedback in try state.record.requestStatus(staff: staff) where feedback.honored != nil {
      outcomes[feedback.request.id] = feedback
    }
    return outcomes
  }

  /// A request's template data: what was asked, its state, and its outcome in words.
  static func requestData(_ request: StoredRequest, outcome: RequestFeedback?, student: Student?)
    -> [String: Any]
  {
    var data: [String: Any] = [
      "id": request.id, "href": queryEscape(request.id),
      "student": student.map(label(of:)) ?? request.studentID,
      "block": request.blockID ?? "any",
      "day": request.date?.description ?? request.closedOn?.description
        ?? (request.state == .open ? "next plan" : "—"),
      "priority": request.priority.rawValue, "note": request.note,
      "madeAt": request.madeAt, "madeBy": request.madeBy,
      "canWithdraw": request.state == .open,
    ]
    switch request.state {
    case .open: data["state"] = "open"
    case .closed: data["state"] = "planned"
    case .withdrawn: data["state"] = "withdrawn"
    }
    if let outcome, let honored = outcome.honored, let day = outcome.planDate {
      data["outcome"] = honored ? "Honored in the plan for \(day)." : "Not honored in the plan for \(day)."
      data["outcomeClass"] = honored ? "honored" : "not-honored"
      if !honored, let reason = outcome.reason, !reason.isEmpty { data["reason"] = reason }
    }
    return data
  }

  /// `POST /requests`: checks the form and adds the request as the signed-in staff member.
  ///
  /// Bad input brings the form back (422) with each error beside its field and nothing stored.
  static func addRequest(_ context: AppContext, _ state: WebState) throws -> Response {
    let (person, staff) = try context.requireStaff()
    let school = try currentSchool(state)
    var form = RequestForm(context.form)
    let (student, day) = check(&form, school: school)
    guard form.errors.isEmpty, let student else {
      return try requestsResponse(form, context, state, status: .unprocessableContent)
    }
    do {
      let added = try state.record.addRequest(
        staff: staff, student: student.id, block: form.block.isEmpty ? nil : form.block, date: day,
        priority: form.priority, note: form.note, by: person.grant.label)
      return redirect("/requests?added=\(queryEscape(added.id))#request-\(queryEscape(added.id))")
    } catch let error as SchoolRecordError {
      form.formError = plain(error)
      return try requestsResponse(form, context, state, status: .unprocessableContent)
    }
  }

  /// Checks each field of the add form, recording an error beside each bad one.
  ///
  /// - Returns: the student the form names and the day it gives (nil: the next plan).
  static func check(_ form: inout RequestForm, school: School) -> (Student?, Day?) {
    var student: Student?
    switch findStudent(form.student, in: school.students) {
    case .found(let found):
      student = found
      form.student = label(of: found)
    case .none(let message, let matches):
      form.errors["student"] = message
      form.matches = matches
    }
    if !form.block.isEmpty, !school.blocks.contains(where: { $0.id == form.block }) {
      form.errors["block"] = "There is no block “\(form.block)”: choose one from the list, or any block."
    }
    if Priority(rawValue: form.priority) == nil {
      form.errors["priority"] = "Choose normal, high or required."
    }
    if form.note.count > noteLimit {
      form.errors["note"] = "Keep the note under \(noteLimit) characters (it has \(form.note.count))."
    }
    var day: Day?
    if !form.date.isEmpty {
      day = Day(form.date)
      if day == nil {
        form.errors["date"] = "Give the day as YYYY-MM-DD, for example 2026-11-30, or leave it empty."
      }
    }
    return (student, day)
  }

  /// A record error's message as a page shows it: each line without its `error: ` prefix.
  static func plain(_ error: SchoolRecordError) -> String {
    error.message.split(separator: "\n").map { line in
      line.hasPrefix("error: ") ? String(line.dropFirst(7)) : String(line)
    }.joined(separator: "; ")
  }

  /// The request `id` if it is the staff member's own; 404 when there is none, 403 when it is another's.
  static func ownRequest(_ id: String?, staff: String, _ state: WebState) throws -> StoredRequest {
    guard let id, let request = try state.record.requests().first(where: { $0.id == id }) else {
      throw WebError.notFound
    }
    guard request.staffID == staff else { throw HTTPError(.forbidden) }
    return request
  }

  /// `GET /requests/:id`: one of the staff member's own requests and its outcome.
  static func requestDetail(_ context: AppContext, _ state: WebState) throws -> Response {
    let (person, staff) = try context.requireStaff()
    let request = try ownRequest(context.parameters.get("id"), staff: staff, state)
    let school = try currentSchool(state)
    let outcome = try latestOutcomes(staff: staff, state)[request.id]
    var data = requestData(
      request, outcome: outcome, student: school.students.first { $0.id == request.studentID })
    data["csrf"] = person.csrf
    return state.page(
      "teacher-request-detail", title: "Request \(request.id)", data, context: context, path: "/requests")
  }

  /// `POST /requests/:id/withdraw`: withdraws one of the staff member's own open requests.
  ///
  /// Another's request is 403 and an unknown one 404, both changing nothing; a request already
  /// planned or withdrawn brings the page back (409) saying so.
  static func withdraw(_ context: AppContext, _ state: WebState) throws -> Response {
    let (person, staff) = try context.requireStaff()
    let request = try ownRequest(context.parameters.get("id"), staff: staff, state)
    var form = RequestForm()
    switch request.state {
    case .closed:
      form.withdrawError = "Request \(request.id) was already planned, so it can no longer be withdrawn."
    case .withdrawn: form.withdrawError = "Request \(request.id) was withdrawn already."
    case .open:
      do {
        try state.record.withdrawRequest(request.id, by: person.grant.label)
        return redirect("/requests?withdrawn=\(queryEscape(request.id))")
      } catch let error as SchoolRecordError {
        // A plan published (or another tab withdrew it) since the page was read.
        form.withdrawError = plain(error)
      }
    }
    return try requestsResponse(form, context, state, status: .conflict)
  }

  /// How many students a search lists at most.
  static let searchLimit = 50

  /// `GET /students?q=`: students whose id or name contains the query, without JavaScript.
  static func studentSearch(_ request: Request, _ context: AppContext, _ state: WebState) throws -> Response {
    try context.requireStaff()
    let query = (request.uri.queryParameters.get("q") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    var data: [String: Any] = ["query": query, "searched": !query.isEmpty]
    if !query.isEmpty {
      let found = search(query, in: try currentSchool(state).students)
      data["results"] = found.prefix(searchLimit).map { student -> [String: Any] in
        ["label": label(of: student), "grade": student.grade, "href": queryEscape(student.id)]
      }
      data["hasResults"] = !found.isEmpty
      if found.count > searchLimit {
        data["more"] = "\(found.count - searchLimit) more match; type more of the name to narrow the list."
      }
    }
    return state.page("teacher-students", title: "Find a student", data, context: context, path: "/students")
  }
}
