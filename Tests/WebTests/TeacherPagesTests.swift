import Foundation
import HTTPTypes
import HummingbirdTesting
import LearnerStatus
import Planning
import Record
import Testing

@testable import Web

/// The teacher's pages: My requests (add, withdraw, detail, search), My day, and who may use them.
@Suite struct TeacherPagesTests {}

extension TeacherPagesTests {
  @Test func onlyAStaffMemberMayUseTheTeacherPages() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    let request = try fixture.state.record.addRequest(
      staff: fixture.teacher, student: fixture.school.students[0].id, by: "test")
    let before = try fixture.state.record.requests()
    let pages = ["/day", "/requests", "/requests/\(request.id)", "/students?q=a"]
    try await fixture.test { client in
      let anonymous = Browser(client)
      for page in pages {
        #expect(try await anonymous.get(page).status == .unauthorized, "\(page)")
      }
      for post in ["/requests", "/requests/\(request.id)/withdraw", "/day/notes"] {
        #expect(try await anonymous.post(post, [], csrf: .some(nil)).status == .unauthorized, "\(post)")
      }
      for token in [fixture.schedulerToken, fixture.principalToken] {
        let person = Browser(client)
        try await person.signIn(token)
        for page in pages {
          #expect(try await person.get(page).status == .forbidden, "\(page)")
        }
        let add = try await person.post("/requests", [("student", fixture.school.students[1].id)])
        #expect(add.status == .forbidden)
        #expect(try await person.post("/requests/\(request.id)/withdraw", []).status == .forbidden)
      }
      let teacher = Browser(client)
      try await teacher.signIn(fixture.teacherToken)
      for page in pages {
        #expect(try await teacher.get(page).status == .ok, "\(page)")
      }
    }
    #expect(try fixture.state.record.requests() == before)
  }

  @Test func aTeacherAddsARequestByIdAndByNameAndSeesItListed() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    try fixture.addStudents([("S9001", "Quill", "Ashdown"), ("S9002", "Mirela", "Ostrava")])
    let earlier = try fixture.state.record.requests(staff: fixture.teacher)
    try await fixture.test { client in
      let teacher = Browser(client)
      try await teacher.signIn(fixture.teacherToken)
      let form = try await teacher.get("/requests")
      #expect(form.status == .ok)
      for id in ["student", "block", "priority", "note", "add-request", "requests"] {
        #expect(form.body.contains("id=\"\(id)\""), "#\(id)")
      }
      #expect(form.body.contains("<option value=\"S9001 — Quill Ashdown\">"))

      let byID = try await teacher.post(
        "/requests",
        [("student", "s9001"), ("block", ""), ("priority", "high"), ("note", "fractions"), ("date", "")])
      #expect(byID.status == .seeOther)
      let location = try #require(byID.location)
      #expect(location.hasPrefix("/requests?added=REQ-"))
      let listed = try await teacher.get(location)
      let first = try #require(try fixture.requests(of: fixture.teacher, except: earlier).first)
      #expect(listed.body.contains("Request \(first.id) added."))
      #expect(listed.body.contains("S9001 — Quill Ashdown"))
      #expect(first.studentID == "S9001")
      #expect(first.blockID == nil)
      #expect(first.priority == .high)
      #expect(first.note == "fractions")
      #expect(first.madeBy.hasPrefix(fixture.teacher))

      let block = fixture.school.blocks[0].id
      let byName = try await teacher.post(
        "/requests",
        [
          ("student", "mirela OSTRAVA"), ("block", block), ("priority", "normal"), ("note", ""),
          ("date", "2026-11-30"),
        ])
      #expect(byName.status == .seeOther)
      let labelled = try await teacher.post(
        "/requests", [("student", "S9001 — Quill Ashdown"), ("priority", "required")])
      #expect(labelled.status == .seeOther)
      let stored = try fixture.requests(of: fixture.teacher, except: earlier)
      #expect(stored.count == 3)
      let second = try #require(stored.first { $0.studentID == "S9002" })
      #expect(second.blockID == block)
      #expect(second.date == Day("2026-11-30"))
      #expect(stored.contains { $0.studentID == "S9001" && $0.priority == .required })
      let page = try await teacher.get("/requests")
      #expect(page.body.components(separatedBy: "<tr id=\"request-").count == earlier.count + 4)
    }
  }

  @Test func badInputBringsTheFormBackWithTheErrorAndStoresNothing() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    try fixture.addStudents([("S9001", "Quill", "Ashdown"), ("S9002", "Quill", "Brennan")])
    let known = fixture.school.students[0].id
    let before = try fixture.state.record.requests()
    try await fixture.test { client in
      let teacher = Browser(client)
      try await teacher.signIn(fixture.teacherToken)
      let unknown = try await teacher.post(
        "/requests", [("student", "Nobody Atall"), ("priority", "high"), ("note", "keep this note")])
      #expect(unknown.status == .unprocessableContent)
      #expect(unknown.body.contains("id=\"student-error\""))
      #expect(unknown.body.contains("No student has the id or name “Nobody Atall”"))
      #expect(unknown.body.contains("value=\"Nobody Atall\""))
      #expect(unknown.body.contains("value=\"keep this note\""))
      #expect(unknown.body.contains("<option value=\"high\" selected>"))

      let ambiguous = try await teacher.post("/requests", [("student", "quill")])
      #expect(ambiguous.status == .unprocessableContent)
      #expect(ambiguous.body.contains("2 students are called “quill”"))
      let matches = try #require(
        Browser.firstMatch(#"<ul id="student-matches">([\s\S]*?)</ul>"#, in: ambiguous.body))
      #expect(matches.contains("S9001 — Quill Ashdown"))
      #expect(matches.contains("S9002 — Quill Brennan"))

      let near = try await teacher.post("/requests", [("student", "Quil")])
      #expect(near.status == .unprocessableContent)
      #expect(near.body.contains("did you mean one of these?"))

      let block = try await teacher.post("/requests", [("student", known), ("block", "NOPE")])
      #expect(block.status == .unprocessableContent)
      #expect(block.body.contains("id=\"block-error\""))
      #expect(block.body.contains("There is no block “NOPE”"))
      #expect(!block.body.contains("id=\"student-error\""))

      let priority = try await teacher.post("/requests", [("student", known), ("priority", "urgent")])
      #expect(priority.status == .unprocessableContent)
      #expect(priority.body.contains("id=\"priority-error\""))

      let date = try await teacher.post("/requests", [("student", known), ("date", "30/11/2026")])
      #expect(date.status == .unprocessableContent)
      #expect(date.body.contains("id=\"date-error\""))
      #expect(date.body.contains("value=\"30/11/2026\""))

      let empty = try await teacher.post("/requests", [("student", "  ")])
      #expect(empty.status == .unprocessableContent)
      #expect(empty.body.contains("Choose a student"))

      let long = try await teacher.post(
        "/requests",
        [("student", known), ("note", String(repeating: "x", count: TeacherPages.noteLimit + 1))])
      #expect(long.status == .unprocessableContent)
      #expect(long.body.contains("id=\"note-error\""))
    }
    #expect(try fixture.state.record.requests() == before)
  }

  @Test func aTeacherWithdrawsTheirOwnOpenRequest() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    let request = try fixture.state.record.addRequest(
      staff: fixture.teacher, student: fixture.school.students[0].id, by: "test")
    try await fixture.test { client in
      let teacher = Browser(client)
      try await teacher.signIn(fixture.teacherToken)
      let list = try await teacher.get("/requests")
      #expect(list.body.contains("id=\"withdraw-\(request.id)\""))
      let withdrawn = try await teacher.post("/requests/\(request.id)/withdraw", [])
      #expect(withdrawn.status == .seeOther)
      #expect(withdrawn.location == "/requests?withdrawn=\(request.id)")
      let after = try await teacher.get(withdrawn.location!)
      #expect(after.body.contains("Request \(request.id) withdrawn."))
      #expect(!after.body.contains("id=\"withdraw-\(request.id)\""))
      let again = try await teacher.post("/requests/\(request.id)/withdraw", [])
      #expect(again.status == .conflict)
      #expect(again.body.contains("id=\"withdraw-error\""))
      #expect(again.body.contains("was withdrawn already"))
      #expect(try await teacher.post("/requests/REQ-9999/withdraw", []).status == .notFound)
    }
    let stored = try #require(try fixture.state.record.requests().first { $0.id == request.id })
    #expect(stored.state == .withdrawn)
  }

  @Test func anotherTeachersRequestIsForbiddenAndUnchanged() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    let student = fixture.school.students[0]
    let request = try fixture.state.record.addRequest(
      staff: fixture.teacher, student: student.id, note: "private note", by: "test")
    try await fixture.test { client in
      let owner = Browser(client)
      try await owner.signIn(fixture.teacherToken)
      let detail = try await owner.get("/requests/\(request.id)")
      #expect(detail.status == .ok)
      #expect(detail.body.contains("private note"))
      #expect(detail.body.contains("Not planned yet."))
      #expect(detail.body.contains("id=\"withdraw\""))
      #expect(try await owner.get("/requests/REQ-9999").status == .notFound)

      let other = Browser(client)
      try await other.signIn(fixture.otherTeacherToken)
      let read = try await other.get("/requests/\(request.id)")
      #expect(read.status == .forbidden)
      #expect(!read.body.contains("private note"))
      let list = try await other.get("/requests")
      #expect(!list.body.contains("private note"))
      #expect(!list.body.contains("request-\(request.id)"))
      #expect(try await other.post("/requests/\(request.id)/withdraw", []).status == .forbidden)
    }
    #expect(try fixture.state.record.requests().first { $0.id == request.id }?.state == .open)
  }

  @Test func everyTeacherFormNeedsTheCSRFToken() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    let (plan, block) = try fixture.publishPlanWithSessionFor(fixture.teacher)
    let request = try fixture.state.record.addRequest(
      staff: fixture.teacher, student: fixture.school.students[0].id, by: "test")
    let before = try fixture.state.record.requests()
    try await fixture.test { client in
      let teacher = Browser(client)
      try await teacher.signIn(fixture.teacherToken)
      let posts: [(String, [(String, String)])] = [
        ("/requests", [("student", fixture.school.students[1].id)]),
        ("/requests/\(request.id)/withdraw", []),
        ("/day/notes", [("date", plan.date.description), ("block", block), ("note", "sneaky")]),
      ]
      for (uri, fields) in posts {
        #expect(try await teacher.post(uri, fields, csrf: .some(nil)).status == .forbidden, "\(uri)")
        #expect(try await teacher.post(uri, fields, csrf: "forged").status == .forbidden, "\(uri)")
      }
    }
    #expect(try fixture.state.record.requests() == before)
    #expect(try fixture.state.record.sessionNote(date: plan.date, block: block, staff: fixture.teacher) == "")
  }

  @Test func namesAndNotesAreEscapedEverywhere() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    try fixture.addStudents([("S9001", "<b>Zoë</b>", "<script>alert(1)</script>")])
    try await fixture.test { client in
      let teacher = Browser(client)
      try await teacher.signIn(fixture.teacherToken)
      let added = try await teacher.post(
        "/requests", [("student", "S9001"), ("note", "<img src=x onerror=alert(2)>")])
      #expect(added.status == .seeOther)
      let id = try #require(try fixture.state.record.requests().first { $0.studentID == "S9001" }?.id)
      for uri in ["/requests", "/requests/\(id)", "/students?q=Zo%C3%AB"] {
        let page = try await teacher.get(uri)
        #expect(page.status == .ok, "\(uri)")
        #expect(!page.body.contains("<b>Zoë</b>"), "\(uri)")
        #expect(!page.body.contains("<script>alert"), "\(uri)")
        #expect(!page.body.contains("<img src=x"), "\(uri)")
        #expect(page.body.contains("&lt;b&gt;Zoë&lt;/b&gt;"), "\(uri)")
      }
      let bad = try await teacher.post("/requests", [("student", "<i>nobody</i>")])
      #expect(bad.status == .unprocessableContent)
      #expect(!bad.body.contains("<i>nobody</i>"))
      #expect(bad.body.contains("&lt;i&gt;nobody&lt;/i&gt;"))
    }
  }

  @Test func theStudentSearchFindsByIdOrName() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    try fixture.addStudents([("S9001", "Quill", "Ashdown")])
    try await fixture.test { client in
      let teacher = Browser(client)
      try await teacher.signIn(fixture.teacherToken)
      let byName = try await teacher.get("/students?q=ashd")
      #expect(byName.body.contains("S9001 — Quill Ashdown"))
      #expect(byName.body.contains("href=\"/requests?student=S9001#add\""))
      #expect(try await teacher.get("/students?q=s9001").body.contains("S9001 — Quill Ashdown"))
      #expect(try await teacher.get("/students?q=zzzzqq").body.contains("id=\"no-students\""))
      let prefilled = try await teacher.get("/requests?student=S9001")
      #expect(prefilled.body.contains("name=\"student\" list=\"student-list\" value=\"S9001\""))
    }
  }

  @Test func myDaySaysPlainlyWhenNoPlanIsPublished() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    try await fixture.test { client in
      let teacher = Browser(client)
      try await teacher.signIn(fixture.teacherToken)
      let day = try await teacher.get("/day")
      #expect(day.status == .ok)
      #expect(day.body.contains("id=\"day\""))
      #expect(day.body.contains("No plan is published for \(fixture.schoolDay) yet"))
      let bad = try await teacher.get("/day?date=tomorrow")
      #expect(bad.status == .unprocessableContent)
      #expect(bad.body.contains("id=\"day-date-error\""))
      #expect(bad.body.contains("value=\"tomorrow\""))
    }
  }

  @Test func myDayOpensOnTheNewestPublishedDayWhenThePlanDateHasNone() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    let record = fixture.state.record
    let earlier = Day(ordinal: fixture.schoolDay.ordinal - 2)
    let plan = try Planner(options: PlanOptions(timeLimit: 2)).plan(
      try record.school(on: earlier), date: earlier)
    try record.publish(plan, by: "test")
    try await fixture.test { client in
      let teacher = Browser(client)
      try await teacher.signIn(fixture.teacherToken)
      let day = try await teacher.get("/day")
      #expect(day.body.contains("Your day on \(earlier)"))
      #expect(day.body.contains("href=\"/day?date=\(earlier)\" aria-current=\"page\""))
      let planDay = try await teacher.get("/day?date=\(fixture.schoolDay)")
      #expect(planDay.body.contains("No plan is published for \(fixture.schoolDay) yet"))
    }
  }

  @Test func myDayShowsTheSessionsStudentsNotesAndTheUnmetRequestsReason() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    let record = fixture.state.record
    let block = try fixture.blockFreeFor([fixture.teacher, fixture.otherTeacher])
    let students = fixture.school.students
    // The teacher must lead a session in `block` (two required students); the other teacher
    // requires the student the teacher only asked for, so the teacher's request cannot be met.
    for student in students[0..<2] {
      try record.addRequest(
        staff: fixture.teacher, student: student.id, block: block, priority: "required", by: "test")
    }
    let unmet = try record.addRequest(
      staff: fixture.teacher, student: students[2].id, block: block, priority: "high", note: "wanted",
      by: "test")
    for student in students[2..<4] {
      try record.addRequest(
        staff: fixture.otherTeacher, student: student.id, block: block, priority: "required", by: "test")
    }
    let plan = try Planner(options: PlanOptions(timeLimit: 4)).plan(
      try record.school(on: fixture.schoolDay), date: fixture.schoolDay)
    try record.publish(plan, by: "test")
    let session = try #require(plan.sessions.first { $0.block == block && $0.staff == fixture.teacher })
    let outcome = try #require(plan.requests.first { $0.requestID == unmet.id })
    #expect(!outcome.honored)
    let reason = try #require(outcome.reason)

    try await fixture.test { client in
      let teacher = Browser(client)
      try await teacher.signIn(fixture.teacherToken)
      let day = try await teacher.get("/day")
      #expect(day.status == .ok)
      #expect(day.body.contains("Your day on \(fixture.schoolDay)"))
      #expect(day.body.contains("id=\"block-\(block)\""))
      #expect(day.body.contains("Target <strong>\(session.target)</strong>"))
      for id in session.students {
        let student = try #require(students.first { $0.id == id })
        #expect(day.body.contains(escapeHTML(TeacherPages.label(of: student))), "\(id)")
      }
      let elsewhere = try #require(
        Browser.firstMatch(#"<table id="elsewhere">([\s\S]*?)</table>"#, in: day.body))
      #expect(elsewhere.contains(unmet.id))
      #expect(elsewhere.contains(escapeHTML(reason)))
      #expect(elsewhere.contains("(\(fixture.otherTeacher)) in \(block)"))
      #expect(try await teacher.get("/day?date=\(fixture.schoolDay)").status == .ok)

      let saved = try await teacher.post(
        "/day/notes", [("date", plan.date.description), ("block", block), ("note", "bring <counters>")])
      #expect(saved.status == .seeOther)
      let withNote = try await teacher.get(saved.location!)
      #expect(withNote.body.contains("Notes on \(block) saved."))
      #expect(withNote.body.contains("bring &lt;counters&gt;</textarea>"))
      #expect(
        try record.sessionNote(date: plan.date, block: block, staff: fixture.teacher) == "bring <counters>")

      let long = try await teacher.post(
        "/day/notes",
        [
          ("date", plan.date.description), ("block", block),
          ("note", String(repeating: "y", count: TeacherPages.sessionNoteLimit + 1)),
        ])
      #expect(long.status == .unprocessableContent)
      #expect(long.body.contains("id=\"note-\(block)-error\""))

      // A block without this teacher's session, or a day without a plan: 403, nothing saved.
      let free = fixture.school.blocks.map(\.id).first { id in
        !plan.sessions.contains { $0.block == id && $0.staff == fixture.teacher }
      }
      if let free {
        let refused = try await teacher.post(
          "/day/notes", [("date", plan.date.description), ("block", free), ("note", "x")])
        #expect(refused.status == .forbidden)
      }
      let noPlan = try await teacher.post(
        "/day/notes", [("date", "2020-01-01"), ("block", block), ("note", "x")])
      #expect(noPlan.status == .forbidden)
      #expect(
        try record.sessionNote(date: plan.date, block: block, staff: fixture.teacher) == "bring <counters>")

      let other = Browser(client)
      try await other.signIn(fixture.otherTeacherToken)
      let otherDay = try await other.get("/day")
      #expect(!otherDay.body.contains("bring &lt;counters&gt;"))

      let requests = try await teacher.get("/requests")
      #expect(requests.body.contains("Not honored in the plan for \(fixture.schoolDay)."))
      #expect(requests.body.contains(escapeHTML(reason)))
      #expect(requests.body.contains("Honored in the plan for \(fixture.schoolDay)."))
      let row = try #require(
        Browser.firstMatch(#"<tr id="request-\#(unmet.id)">([\s\S]*?)</tr>"#, in: requests.body))
      #expect(row.contains("<td>\(fixture.schoolDay)</td>"))
      #expect(row.contains("<td>planned</td>"))
      let detail = try await teacher.get("/requests/\(unmet.id)")
      #expect(detail.body.contains(escapeHTML(reason)))
      #expect(!detail.body.contains("id=\"withdraw\""))
      let late = try await teacher.post("/requests/\(unmet.id)/withdraw", [])
      #expect(late.status == .conflict)
    }
  }

  @Test func aRecordErrorReadsAsPlainWordsOnAPage() {
    let error = SchoolRecordError("error: unknown staff \"T9\"\nerror: unknown block \"B9\"")
    #expect(TeacherPages.plain(error) == "unknown staff \"T9\"; unknown block \"B9\"")
    #expect(TeacherPages.plain(SchoolRecordError("no error: prefix")) == "no error: prefix")
  }

  @Test func studentMatchingAcceptsIdsLabelsAndUniqueNames() {
    let students = [
      Student(id: "S1", givenName: "Ana", familyName: "Lopez", grade: "3", tier: 1),
      Student(id: "S2", givenName: "Ana", familyName: "Smith", grade: "3", tier: 1),
      Student(id: "S3", givenName: "Zoë", familyName: "Brook", grade: "4", tier: 1),
    ]
    #expect(TeacherPages.findStudent("s2", in: students) == .found(students[1]))
    #expect(TeacherPages.findStudent("S3 — anything", in: students) == .found(students[2]))
    #expect(TeacherPages.findStudent("ana lopez", in: students) == .found(students[0]))
    #expect(TeacherPages.findStudent("zoe", in: students) == .found(students[2]))
    #expect(TeacherPages.findStudent("BROOK", in: students) == .found(students[2]))
    guard case .none(_, let matches) = TeacherPages.findStudent("Ana", in: students) else {
      Issue.record("an ambiguous name matched")
      return
    }
    #expect(matches.map(\.id) == ["S1", "S2"])
    guard case .none(_, let near) = TeacherPages.findStudent("smi", in: students) else {
      Issue.record("a partial name matched")
      return
    }
    #expect(near.map(\.id) == ["S2"])
  }
}

extension WebFixture {
  /// `staff`'s requests other than `earlier` ones (those a test added), in the order made.
  fileprivate func requests(of staff: String, except earlier: [StoredRequest]) throws -> [StoredRequest] {
    try state.record.requests(staff: staff).filter { !earlier.contains($0) }
  }

  /// The school's plan date (school.toml's).
  fileprivate var schoolDay: Day { (try? state.record.load(date: nil).date) ?? Day("2026-11-25")! }

  /// Adds students (id, given name, family name) to students.csv and imports the folder again.
  fileprivate func addStudents(_ rows: [(String, String, String)]) throws {
    let file = folder.appendingPathComponent("students.csv")
    var text = try String(contentsOf: file, encoding: .utf8)
    if !text.hasSuffix("\n") { text += "\n" }
    let grade = school.students[0].grade
    for (id, given, family) in rows { text += "\(id),\(given),\(family),\(grade),1,\n" }
    try text.write(to: file, atomically: true, encoding: .utf8)
    let loaded = try SchoolRecord.validate(files: try SchoolRecord.readFiles(in: folder))
    _ = try state.record.importSchool(loaded, from: folder.path)
  }

  /// A block in which none of `staff` is unavailable (the any-subject block when it qualifies).
  fileprivate func blockFreeFor(_ staff: [String]) throws -> String {
    let free = school.blocks.filter { block in
      !school.unavailable.contains { staff.contains($0.staffID) && $0.blockID == block.id }
    }
    let any = free.first { $0.subjects == .any }
    return try #require(any ?? free.first).id
  }

  /// Publishes a plan in which `staff` leads a session (two required students); returns it and the block.
  fileprivate func publishPlanWithSessionFor(_ staff: String) throws -> (Plan, String) {
    let block = try blockFreeFor([staff])
    for student in school.students[2..<4] {
      try state.record.addRequest(
        staff: staff, student: student.id, block: block, priority: "required", by: "test")
    }
    let plan = try Planner(options: PlanOptions(timeLimit: 4)).plan(
      try state.record.school(on: schoolDay), date: schoolDay)
    try state.record.publish(plan, by: "test")
    return (plan, block)
  }
}
