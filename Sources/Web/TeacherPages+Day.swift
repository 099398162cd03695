import Foundation
import HTTPTypes
import Hummingbird
import LearnerStatus
import Planning
import Record

// MARK: - My day: the staff member's sessions of a published day, their notes, unmet requests

extension TeacherPages {
  static let dayTemplates: [String: String] = [
    "teacher-day": """
    <section id="day">
    <form method="get" action="/day" class="stack" id="day-form">
      <label for="day-date">Day</label>
      <input type="text" id="day-date" name="date" value="{{date}}" placeholder="YYYY-MM-DD" size="12"{{#dateError}} aria-invalid="true" aria-describedby="day-date-error"{{/dateError}}>
      <button type="submit" class="secondary">Show</button>
      {{#dateError}}<p class="field-error" id="day-date-error">{{dateError}}</p>{{/dateError}}
    </form>
    {{#hasDates}}<p id="published-dates">Published days: {{#dates}}<a href="/day?date={{date}}"{{#current}} aria-current="page"{{/current}}>{{date}}</a> {{/dates}}</p>{{/hasDates}}
    {{#shown}}
    <h2 id="day-heading">Your day on {{date}}</h2>
    {{^published}}<p id="no-plan">No plan is published for {{date}} yet, so you have no sessions to show. The scheduler publishes the day's plan; look again then.</p>{{/published}}
    {{#published}}
    {{#changes}}
    <section id="my-changes">
    <h2>What changed for you</h2>
    <p id="my-changes-summary">{{summary}}</p>
    {{#hasRows}}
    <table id="my-change-list">
    <thead><tr><th>Student</th><th>Block</th><th>Was</th><th>Now</th><th>Why</th></tr></thead>
    <tbody>
    {{#rows}}<tr class="change-{{kind}}"><td>{{student}}</td><td>{{block}}</td><td>{{from}}</td><td>{{to}}</td><td>{{reason}}</td></tr>
    {{/rows}}
    </tbody>
    </table>
    {{/hasRows}}
    </section>
    {{/changes}}
    {{#blocks}}
    <article class="block" id="block-{{blockID}}">
    <h3>{{blockID}} · {{time}}</h3>
    {{#sessions}}
    <p class="session">Target <strong>{{target}}</strong> {{title}} · {{count}}</p>
    <ol class="students">{{#students}}<li>{{.}}</li>{{/students}}</ol>
    <form method="post" action="/day/notes" class="stack">
      <input type="hidden" name="_csrf" value="{{csrf}}">
      <input type="hidden" name="date" value="{{date}}">
      <input type="hidden" name="block" value="{{blockID}}">
      <label for="note-{{blockID}}">Notes on this session</label>
      <textarea id="note-{{blockID}}" name="note" maxlength="\(sessionNoteLimit)"{{#noteError}} aria-invalid="true" aria-describedby="note-{{blockID}}-error"{{/noteError}}>{{note}}</textarea>
      {{#noteError}}<p class="field-error" id="note-{{blockID}}-error">{{noteError}}</p>{{/noteError}}
      <button type="submit" class="secondary" id="save-note-{{blockID}}">Save notes</button>
    </form>
    {{/sessions}}
    {{^sessions}}<p class="muted no-session">No session: you are free in this block.</p>{{/sessions}}
    </article>
    {{/blocks}}
    <h2>Students you asked for who are with someone else</h2>
    {{#hasElsewhere}}
    <table id="elsewhere">
    <thead><tr><th>Student</th><th>You asked for</th><th>Where they are</th><th>Why</th></tr></thead>
    <tbody>
    {{#elsewhere}}<tr><td>{{student}}</td><td><a href="/requests/{{href}}">{{id}}</a>: {{asked}}</td><td>{{placed}}</td><td>{{reason}}</td></tr>
    {{/elsewhere}}
    </tbody>
    </table>
    {{/hasElsewhere}}
    {{^hasElsewhere}}<p class="muted" id="no-elsewhere">Every student you asked for on this day is with you.</p>{{/hasElsewhere}}
    {{/published}}
    {{/shown}}
    </section>
    """
  ]

  /// The longest session note, in characters.
  static let sessionNoteLimit = 2000

  /// A note that came back with an error: its block, the text sent, and the message.
  struct NoteInput {
    var block: String
    var note: String
    var error: String
  }

  /// `GET /day[?date=]`: the staff member's sessions on the day, by block, with notes.
  static func dayPage(_ request: Request, _ context: AppContext, _ state: WebState) throws -> Response {
    try context.requireStaff()
    let school = try currentSchool(state)
    let text = request.uri.queryParameters.get("date")?.trimmingCharacters(in: .whitespaces) ?? ""
    if !text.isEmpty, Day(text) == nil {
      return try dayResponse(
        nil, dateText: text, school: school, context, state, status: .unprocessableContent)
    }
    let day = try Day(text) ?? defaultDay(planned: school.policy.date, state)
    var notice: String?
    if let block = request.uri.queryParameters.get("saved"), school.blocks.contains(where: { $0.id == block })
    {
      notice = "Notes on \(block) saved."
    }
    return try dayResponse(day, dateText: day.description, school: school, context, state, notice: notice)
  }

  /// The day My day opens on: the school's plan date (`planned`), else the newest published day, else today.
  static func defaultDay(planned: Day?, _ state: WebState) throws -> Day {
    let published = try state.record.publishedDates()
    if let planned, published.isEmpty || published.contains(planned) {
      return planned
    }
    return published.last ?? todayUTC()
  }

  /// My day for `day` (nil: the date field was bad, so only the form and its error show).
  static func dayResponse(
    _ day: Day?, dateText: String, school: School, _ context: AppContext, _ state: WebState,
    note: NoteInput? = nil,
    notice: String? = nil, status: HTTPResponse.Status = .ok
  ) throws -> Response {
    let (person, staff) = try context.requireStaff()
    let published = try state.record.publishedDates()
    var data: [String: Any] = [
      "csrf": person.csrf, "date": dateText, "hasDates": !published.isEmpty,
      "dates": published.reversed().map { ["date": $0.description, "current": $0 == day] },
    ]
    if let day {
      data["shown"] = true
      if let plan = try state.record.publishedPlan(on: day) {
        data["published"] = true
        data["blocks"] = try blockData(plan, school: school, staff: staff, note: note, state)
        let away = try state.record.absences(on: day).map(\.absence).filter { $0.id == staff }
        if let changes = changesData(plan, school: school, staff: staff, absent: away) {
          data["changes"] = changes
        }
        let elsewhere = try elsewhereData(plan, school: school, staff: staff, state)
        data["elsewhere"] = elsewhere
        data["hasElsewhere"] = !elsewhere.isEmpty
      }
    } else {
      data["dateError"] = "Give the day as YYYY-MM-DD, for example 2026-11-30."
    }
    return state.page(
      "teacher-day", title: "My day", data, context: context, path: "/day", notice: notice, status: status)
  }

  /// Each block of the day, in blocks.csv order, with the staff member's session in it (if any).
  static func blockData(_ plan: Plan, school: School, staff: String, note: NoteInput?, _ state: WebState)
    throws
    -> [[String: Any]]
  {
    let notes = try state.record.sessionNotes(date: plan.date, staff: staff)
    let students = Dictionary(school.students.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let targets = Dictionary(school.targets.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    return school.blocks.map { block in
      let sessions = plan.sessions.filter { $0.block == block.id && $0.staff == staff }.map { session in
        var data: [String: Any] = [
          "target": session.target, "title": targets[session.target]?.title ?? "",
          "count": session.students.count == 1 ? "1 student" : "\(session.students.count) students",
          "students": session.students.map { id in students[id].map(label(of:)) ?? id },
          "note": notes[block.id] ?? "",
        ]
        if let note, note.block == block.id {
          data["note"] = note.note
          data["noteError"] = note.error
        }
        return data
      }
      return ["blockID": block.id, "time": time(of: block), "sessions": sessions]
    }
  }

  /// What a re-plan changed in `staff`'s sessions (students who joined or left them, and why);
  /// nil when the published plan is no re-plan (it lists no changes).
  static func changesData(_ plan: Plan, school: School, staff: String, absent: [Absence] = []) -> [String:
    Any]?
  {
    guard let all = ReplanDesk.changes(of: plan) else { return nil }
    let mine = all.filter { $0.from?.staff == staff || $0.to?.staff == staff }
    let names = SchedulerPages.Names(school)
    func place(_ place: ChangeEntry.Place?) -> String {
      guard let place else { return "home base" }
      let who = place.staff == staff ? "you" : names.staffMember(place.staff)
      return "\(who) · \(names.target(place.target))"
    }
    let joined = mine.filter { $0.to?.staff == staff && $0.from?.staff != staff }.count
    let left = mine.filter { $0.from?.staff == staff && $0.to?.staff != staff }.count
    let within = mine.count - joined - left
    var parts = ["\(joined) joined", "\(left) left"]
    if within > 0 { parts.append("\(within) moved within your sessions") }
    let marked =
      absent.isEmpty
      ? ""
      : " You are marked absent "
        + (absent.contains { $0.blockID == nil }
          ? "the whole day."
          : "in " + absent.compactMap(\.blockID).joined(separator: ", ") + ".")
    return [
      "summary":
        (mine.isEmpty
        ? "The day was re-planned this morning; nothing changed in your sessions."
        : "The day was re-planned this morning: "
          + "\(SchedulerPages.count(mine.count, "change")) in your sessions (\(parts.joined(separator: ", ")))."
          + (absent.isEmpty ? " The rest of your day is as it was." : "")) + marked,
      "hasRows": !mine.isEmpty,
      "rows": mine.map { change -> [String: Any] in
        [
          "student": names.student(change.student), "block": change.block, "from": place(change.from),
          "to": place(change.to), "reason": change.reason,
          "kind": change.to?.staff == staff ? "added" : "dropped",
        ]
      },
    ]
  }

  /// The staff member's requests the day's plan did not honor: the student, where they are, and why.
  static func elsewhereData(_ plan: Plan, school: School, staff: String, _ state: WebState) throws
    -> [[String: Any]]
  {
    let mine = Dictionary(
      try state.record.requests(staff: staff, date: plan.date).map { ($0.id, $0) },
      uniquingKeysWith: { a, _ in a })
    let students = Dictionary(school.students.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let staffNames = Dictionary(school.staff.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
    return plan.requests.compactMap { outcome -> [String: Any]? in
      guard !outcome.honored, let request = mine[outcome.requestID] else { return nil }
      let placed = plan.sessions.filter { $0.students.contains(request.studentID) }.map { session in
        let who = staffNames[session.staff].map { $0.isEmpty ? session.staff : "\($0) (\(session.staff))" }
        return "with \(who ?? session.staff) in \(session.block) on \(session.target)"
      }
      return [
        "id": request.id, "href": queryEscape(request.id),
        "student": students[request.studentID].map(label(of:)) ?? request.studentID,
        "asked": "\(request.blockID.map { "block \($0)" } ?? "any block"), \(request.priority.rawValue)",
        "placed": placed.isEmpty ? "in their home base all day" : placed.joined(separator: "; "),
        "reason": outcome.reason ?? "",
      ]
    }
  }

  /// `POST /day/notes`: saves the staff member's notes on their session in a block of a published day.
  ///
  /// Only a block where they lead a session that day may carry notes (else 403, nothing
  /// saved); a note that is too long comes back (422) beside its field.
  static func saveNote(_ context: AppContext, _ state: WebState) throws -> Response {
    let (_, staff) = try context.requireStaff()
    let form = context.form
    guard let day = Day(form["date"] ?? ""), let block = form["block"],
      let plan = try state.record.publishedPlan(on: day),
      plan.sessions.contains(where: { $0.block == block && $0.staff == staff })
    else { throw HTTPError(.forbidden) }
    let note = form["note"] ?? ""
    if note.count > sessionNoteLimit {
      let input = NoteInput(
        block: block, note: note,
        error: "Keep the notes under \(sessionNoteLimit) characters (they have \(note.count)).")
      return try dayResponse(
        day, dateText: day.description, school: try currentSchool(state), context, state, note: input,
        status: .unprocessableContent)
    }
    try state.record.setSessionNote(note, date: day, block: block, staff: staff)
    return redirect("/day?date=\(day)&saved=\(queryEscape(block))#block-\(queryEscape(block))")
  }
}
