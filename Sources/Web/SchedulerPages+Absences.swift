import Foundation
import HTTPTypes
import Hummingbird
import LearnerStatus
import Planning
import Record

/// "Absences this morning" (spec §12): mark staff members and students absent for a day (the
/// whole day or one block), list them with what they touch in the published plan, remove them.
///
/// Every change goes through the record in one transaction; the scheduler alone sends the forms.
extension SchedulerPages {
  static let absenceTemplates: [String: String] = [
    "scheduler-absences": """
    <form method="get" action="/absences" class="stack" id="absences-day">
      <label for="absences-date">Day</label>
      <input type="text" id="absences-date" name="date" value="{{date}}" placeholder="YYYY-MM-DD" size="12"{{#dayError}} aria-invalid="true" aria-describedby="absences-date-error"{{/dayError}}>
      <button type="submit" class="secondary">Show</button>
      {{#dayError}}<p class="field-error" id="absences-date-error">{{dayError}}</p>{{/dayError}}
      {{#hasProblems}}<ul class="field-error" id="record-problems">{{#problems}}<li>{{.}}</li>{{/problems}}</ul>{{/hasProblems}}
    </form>
    {{#shown}}
    <h2 id="absences-heading">Absent on {{day}}</h2>
    {{#removeError}}<p class="field-error" id="remove-error">{{removeError}}</p>{{/removeError}}
    {{#hasAbsences}}
    <table id="absences">
    <thead><tr><th>Who</th><th></th><th>When</th><th>In the published plan</th><th></th></tr></thead>
    <tbody>
    {{#absences}}<tr id="absence-{{key}}"><td>{{who}}</td><td>{{kind}}</td><td>{{when}}</td><td>{{touches}}</td>
    <td>{{#canChange}}<form method="post" action="/absences/remove" class="inline"><input type="hidden" name="_csrf" value="{{csrf}}"><input type="hidden" name="date" value="{{day}}"><input type="hidden" name="id" value="{{id}}"><input type="hidden" name="block" value="{{block}}"><button type="submit" class="secondary" id="remove-{{key}}">Remove</button></form>{{/canChange}}</td></tr>
    {{/absences}}
    </tbody>
    </table>
    {{/hasAbsences}}
    {{^hasAbsences}}<p class="muted" id="no-absences">Nobody is marked absent on {{day}}.</p>{{/hasAbsences}}
    {{#published}}<p id="replan-hint">A plan for {{day}} is published. After marking the absences, <a href="/plan?date={{day}}#replan-form">re-plan the day</a>: it keeps every placement it can and lists each change with its reason.</p>{{/published}}
    {{^published}}<p class="muted" id="no-published-plan">No plan for {{day}} is published yet: the absences apply to the plan you <a href="/plan">make</a> for it.</p>{{/published}}
    {{#canChange}}
    <h2>Mark someone absent</h2>
    <form method="post" action="/absences" class="stack" id="absence-form" novalidate>
      <input type="hidden" name="_csrf" value="{{csrf}}">
      <input type="hidden" name="date" value="{{day}}">
      {{#formError}}<p class="field-error" id="absence-form-error">{{formError}}</p>{{/formError}}
      <label for="who">Staff member or student (id or name)</label>
      <input type="text" id="who" name="who" list="who-list" value="{{who}}" autocomplete="off" size="40"{{#whoError}} aria-invalid="true" aria-describedby="who-error"{{/whoError}}>
      <datalist id="who-list">{{#people}}<option value="{{.}}">{{/people}}</datalist>
      {{#whoError}}<div class="field-error" id="who-error"><p>{{whoError}}</p>{{#hasMatches}}<ul id="who-matches">{{#matches}}<li>{{.}}</li>{{/matches}}</ul>{{/hasMatches}}</div>{{/whoError}}
      <label for="absence-block">When</label>
      <select id="absence-block" name="block"{{#blockError}} aria-invalid="true" aria-describedby="absence-block-error"{{/blockError}}>
        {{#blocks}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/blocks}}
      </select>
      {{#blockError}}<p class="field-error" id="absence-block-error">{{blockError}}</p>{{/blockError}}
      <p><button type="submit" id="add-absence">Mark absent</button></p>
    </form>
    {{/canChange}}
    {{^canChange}}<p class="muted">Only the scheduler marks absences.</p>{{/canChange}}
    {{/shown}}
    """
  ]

  static func addAbsenceRoutes(to router: Router<AppContext>, state: WebState) {
    router.get("/absences") { request, context in try absencesPage(request, context, state) }
    router.post("/absences") { _, context in try addAbsence(context, state) }
    router.post("/absences/remove") { _, context in try removeAbsence(context, state) }
  }

  /// What the absences page shows besides the list: the form's values and each field's error.
  struct AbsenceForm {
    var who = ""
    var block = ""
    var errors: [String: String] = [:]
    /// Close matches of an unknown or ambiguous name (already labelled).
    var matches: [String] = []
    /// A problem the record found that belongs to no one field.
    var formError: String?
    /// Why an absence could not be removed.
    var removeError: String?
  }

  /// `GET /absences[?date=]`: the day's absences (the school's plan date by default) and the form.
  static func absencesPage(_ request: Request, _ context: AppContext, _ state: WebState) throws -> Response {
    try reader(context)
    let text = request.uri.queryParameters.get("date")?.trimmingCharacters(in: .whitespaces) ?? ""
    var notice: String?
    if let done = request.uri.queryParameters.get("done") { notice = done }
    switch Self.day(text) {
    case .failure:
      return try absencesResponse(
        nil, dateText: text, AbsenceForm(), context, state, status: .unprocessableContent)
    case .success(let given):
      let day: Day
      if let given {
        day = given
      } else {
        do {
          day = try state.record.load(date: nil).date
        } catch {
          return try absencesResponse(
            nil, dateText: "", AbsenceForm(), context, state, problems: try problems(error),
            status: .unprocessableContent)
        }
      }
      return try absencesResponse(
        day, dateText: day.description, AbsenceForm(), context, state, notice: notice)
    }
  }

  /// The absences page for `day` (nil: the date field was bad or the record has no school).
  static func absencesResponse(
    _ day: Day?, dateText: String, _ form: AbsenceForm, _ context: AppContext, _ state: WebState,
    problems: [String] = [], notice: String? = nil, status: HTTPResponse.Status = .ok
  ) throws -> Response {
    var data: [String: Any] = [
      "date": dateText, "hasProblems": !problems.isEmpty, "problems": problems,
    ]
    if day == nil, problems.isEmpty { data["dayError"] = dateMessage }
    var title = "Absences"
    if let day {
      title = "Absences on \(day)"
      let school = try state.record.directory()
      let names = Names(school)
      let plan = try state.record.publishedPlan(on: day)
      let canChange = context.person?.grant.role == .scheduler
      let csrf = context.person?.csrf ?? ""
      let rows = try AbsenceDesk.list(state, on: day).map { absence -> [String: Any] in
        let isStaff = names.staff[absence.id] != nil
        return [
          "key": absenceKey(absence), "id": absence.id, "block": absence.block ?? "", "day": day.description,
          "who": isStaff ? names.staffMember(absence.id) : names.student(absence.id),
          "kind": isStaff ? "staff" : "student",
          "when": absence.block.map { b in
            school.blocks.first { $0.id == b }.map { "\(b) (\(TeacherPages.time(of: $0)))" } ?? b
          } ?? "whole day",
          "touches": plan.map { touches(absence, plan: $0, isStaff: isStaff) } ?? "-",
          "canChange": canChange, "csrf": csrf,
        ]
      }
      data["shown"] = true
      data["day"] = day.description
      data["absences"] = rows
      data["hasAbsences"] = !rows.isEmpty
      data["published"] = plan != nil
      data["canChange"] = canChange
      data["csrf"] = csrf
      data["who"] = form.who
      data["people"] =
        school.staff.map { "\($0.id) — \($0.name.isEmpty ? $0.id : $0.name)" }
        + school.students.map(TeacherPages.label(of:))
      data["blocks"] =
        [["value": "", "label": "The whole day", "selected": form.block.isEmpty]]
        + school.blocks.map { block -> [String: Any] in
          [
            "value": block.id, "label": "\(block.id) (\(TeacherPages.time(of: block))) only",
            "selected": block.id == form.block,
          ]
        }
      data["matches"] = form.matches
      data["hasMatches"] = !form.matches.isEmpty
      for (field, message) in form.errors { data[field + "Error"] = message }
      if let error = form.formError { data["formError"] = error }
      if let error = form.removeError { data["removeError"] = error }
    }
    return state.page(
      "scheduler-absences", title: title, data, context: context, path: "/absences", notice: notice,
      status: status)
  }

  /// What an absence takes out of the published plan, in words: the staff member's sessions or
  /// the student's placements in the blocks it covers.
  static func touches(_ absence: AbsenceEntry, plan: Plan, isStaff: Bool) -> String {
    let inBlock = plan.sessions.filter { absence.block == nil || $0.block == absence.block }
    if isStaff {
      let led = inBlock.filter { $0.staff == absence.id }
      guard !led.isEmpty else { return "leads no session" }
      return "leads "
        + led.map { "\($0.block) \($0.target) (\(count($0.students.count, "student")))" }
        .joined(separator: ", ")
    }
    let joined = inBlock.filter { $0.students.contains(absence.id) }
    guard !joined.isEmpty else { return "in home base" }
    return "placed in " + joined.map { "\($0.block) \($0.target) with \($0.staff)" }.joined(separator: ", ")
  }

  /// A stable, HTML-id-safe key for one absence row (`T003-whole-day`, `S00012-B2`).
  static func absenceKey(_ absence: AbsenceEntry) -> String {
    fileName(absence.id) + "-" + (absence.block.map(fileName) ?? "whole-day")
  }

  /// Who the `who` field names: a staff member or a student, by id (exact, any case) or by a
  /// unique name; an id that is both, or a name that fits several, asks to choose.
  enum PersonMatch: Equatable {
    case staff(String)
    case student(String)
    case none(message: String, matches: [String])
  }

  /// The person `text` names among `school`'s staff and students.
  static func findPerson(_ text: String, in school: School) -> PersonMatch {
    let query = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !query.isEmpty else {
      return .none(
        message: "Choose who is absent: type a staff member's or a student's id or name.", matches: [])
    }
    let fold = TeacherPages.fold
    let key = fold(query)
    let idPart = fold(query.split(separator: "—", maxSplits: 1).first.map(String.init) ?? query)
    let staffByID = school.staff.filter { fold($0.id) == key || fold($0.id) == idPart }
    let studentsByID = school.students.filter { fold($0.id) == key || fold($0.id) == idPart }
    func staffLabel(_ k: StaffMember) -> String { "\(k.id) — \(k.name.isEmpty ? k.id : k.name)" }
    if !staffByID.isEmpty, !studentsByID.isEmpty {
      return .none(
        message:
          "“\(query)” is both a staff id and a student id in the record, so an absence cannot name it; fix the ids (spec §12).",
        matches: staffByID.map(staffLabel) + studentsByID.map(TeacherPages.label(of:)))
    }
    if let k = staffByID.first { return .staff(k.id) }
    if let s = studentsByID.first { return .student(s.id) }
    let staffNamed = school.staff.filter { !$0.name.isEmpty && fold($0.name) == key }
    var studentsNamed = school.students.filter { fold(TeacherPages.name(of: $0)) == key }
    if studentsNamed.isEmpty {
      studentsNamed = school.students.filter { fold($0.givenName) == key || fold($0.familyName) == key }
    }
    let fits = staffNamed.map(staffLabel) + studentsNamed.map(TeacherPages.label(of:))
    if fits.count == 1 {
      return staffNamed.first.map { .staff($0.id) } ?? .student(studentsNamed[0].id)
    }
    let limit = TeacherPages.matchLimit
    if fits.count > 1 {
      return .none(
        message: "\(fits.count) people are called “\(query)”: choose one by id.",
        matches: Array(fits.prefix(limit)))
    }
    let near =
      school.staff.filter { fold($0.id).contains(key) || fold($0.name).contains(key) }.map(staffLabel)
      + TeacherPages.search(query, in: school.students).map(TeacherPages.label(of:))
    return .none(
      message: near.isEmpty
        ? "No staff member or student has the id or name “\(query)”."
        : "No staff member or student has the id or name “\(query)”; did you mean one of these?",
      matches: Array(near.prefix(limit)))
  }

  /// `POST /absences`: marks the person absent on the form's day (whole day or one block), then
  /// 303 to the day's list; bad input comes back (422) beside its field, nothing stored.
  static func addAbsence(_ context: AppContext, _ state: WebState) throws -> Response {
    let person = try scheduler(context)
    let form = context.form
    var input = AbsenceForm(who: form["who"] ?? "", block: form["block"] ?? "")
    guard let day = Day(form["date"] ?? "") else {
      return try absencesResponse(
        nil, dateText: form["date"] ?? "", input, context, state, status: .unprocessableContent)
    }
    let school = try state.record.directory()
    var id: String?
    switch findPerson(input.who, in: school) {
    case .staff(let found), .student(let found):
      id = found
    case .none(let message, let matches):
      input.errors["who"] = message
      input.matches = matches
    }
    if !input.block.isEmpty, !school.blocks.contains(where: { $0.id == input.block }) {
      input.errors["block"] =
        "There is no block “\(input.block)”: choose one from the list, or the whole day."
    }
    guard input.errors.isEmpty, let id else {
      return try absencesResponse(
        day, dateText: day.description, input, context, state, status: .unprocessableContent)
    }
    let block = input.block.isEmpty ? nil : input.block
    do {
      try AbsenceDesk.add(state, on: day, id: id, block: block, by: person.grant.label)
    } catch let error as SchoolRecordError {
      input.formError = TeacherPages.plain(error)
      return try absencesResponse(
        day, dateText: day.description, input, context, state, status: .unprocessableContent)
    }
    let names = Names(school)
    let who = names.staff[id] != nil ? names.staffMember(id) : names.student(id)
    let done = "\(who) marked absent on \(day), \(block.map { "block \($0)" } ?? "the whole day")."
    return redirect("/absences?date=\(day)&done=\(queryEscape(done))")
  }

  /// `POST /absences/remove`: takes one absence back, then 303 to the day's list; an absence
  /// that is no longer there brings the page back (409) saying so.
  static func removeAbsence(_ context: AppContext, _ state: WebState) throws -> Response {
    let person = try scheduler(context)
    let form = context.form
    guard let day = Day(form["date"] ?? ""), let id = form["id"], !id.isEmpty else {
      throw WebError.notFound
    }
    let block = (form["block"] ?? "").isEmpty ? nil : form["block"]
    do {
      try AbsenceDesk.remove(state, on: day, id: id, block: block)
    } catch let error as SchoolRecordError {
      var input = AbsenceForm()
      input.removeError = TeacherPages.plain(error)
      return try absencesResponse(day, dateText: day.description, input, context, state, status: .conflict)
    }
    let done = "The absence of \(id) on \(day) (\(block.map { "block \($0)" } ?? "whole day")) was removed."
    return redirect("/absences?date=\(day)&done=\(queryEscape(done))")
  }
}

/// One absence as the pages show it: who, and the block (nil: the whole day).
struct AbsenceEntry: Sendable, Equatable {
  var id: String
  var block: String?
}

/// The record's absences API as the pages use it (one place to follow the record).
enum AbsenceDesk {
  /// The absences dated `day`, in the order they were added.
  static func list(_ state: WebState, on day: Day) throws -> [AbsenceEntry] {
    try state.record.absences(on: day).map { AbsenceEntry(id: $0.absence.id, block: $0.absence.blockID) }
  }

  /// Every absence of the record in one string, which changes whenever one is added or removed
  /// (a cache key for the status page).
  static func fingerprint(_ state: WebState) throws -> String {
    try state.record.absences().map { "\($0.absence.date)/\($0.absence.id)/\($0.absence.blockID ?? "*")" }
      .joined(separator: ",")
  }

  /// Marks `id` absent on `day` (`block` nil: the whole day), in one transaction.
  static func add(_ state: WebState, on day: Day, id: String, block: String?, by: String) throws {
    try state.record.addAbsence(id: id, date: day, block: block, by: by)
  }

  /// Takes back the absence of `id` on `day` in `block` (nil: the whole-day absence).
  static func remove(_ state: WebState, on day: Day, id: String, block: String?) throws {
    try state.record.removeAbsence(id: id, date: day, block: block)
  }
}
