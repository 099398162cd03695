import Foundation
import HTTPTypes
import HummingbirdTesting
import LearnerStatus
import Planning
import Record
import Testing

@testable import Web

/// "Absences this morning" over HTTP: marking staff and students absent (whole day or a block),
/// the list with what each absence takes out of the published plan, removing one; who may do it;
/// bad input, forged forms.
@Suite struct AbsencePagesTests {}

extension AbsencePagesTests {
  @Test func staffGet403NobodySignedInGets401AndThePrincipalOnlyReads() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    let day = fixture.absenceDay
    try await fixture.test { client in
      let anonymous = Browser(client)
      #expect(try await anonymous.get("/absences").status == .unauthorized)
      for route in ["/absences", "/absences/remove"] {
        #expect(
          try await anonymous.post(route, [("date", "\(day)")], csrf: .some(nil)).status == .unauthorized)
      }
      let teacher = Browser(client)
      try await teacher.signIn(fixture.teacherToken)
      #expect(try await teacher.get("/absences").status == .forbidden)
      let asTeacher = try await teacher.post(
        "/absences", [("date", "\(day)"), ("who", fixture.otherTeacher)])
      #expect(asTeacher.status == .forbidden)

      let principal = Browser(client)
      try await principal.signIn(fixture.principalToken)
      let page = try await principal.get("/absences")
      #expect(page.status == .ok)
      #expect(page.body.contains("id=\"absences-heading\""))
      #expect(!page.body.contains("id=\"absence-form\""))
      let asPrincipal = try await principal.post(
        "/absences", [("date", "\(day)"), ("who", fixture.otherTeacher)])
      #expect(asPrincipal.status == .forbidden)
    }
    #expect(try AbsenceDesk.list(fixture.state, on: day).isEmpty)
  }

  @Test func theSchedulerMarksAStaffMemberAndAStudentAbsentAndRemovesOne() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    let day = fixture.absenceDay
    let student = fixture.school.students[3]
    let block = fixture.school.blocks[0].id
    try await fixture.test { client in
      let scheduler = Browser(client)
      try await scheduler.signIn(fixture.schedulerToken)
      let empty = try await scheduler.get("/absences")
      #expect(empty.status == .ok)
      #expect(empty.body.contains("Absences on \(day)"))
      #expect(empty.body.contains("id=\"no-absences\""))
      for id in ["who", "absence-block", "add-absence"] {
        #expect(empty.body.contains("id=\"\(id)\""), "#\(id)")
      }

      // A staff member by id, the whole day.
      let first = try await scheduler.post(
        "/absences", [("date", "\(day)"), ("who", fixture.teacher), ("block", "")])
      #expect(first.status == .seeOther)
      #expect(first.location?.hasPrefix("/absences?date=\(day)&done=") == true)
      let listed = try await scheduler.get(try #require(first.location))
      #expect(listed.body.contains("marked absent on \(day), the whole day."))
      #expect(listed.body.contains("id=\"absence-\(fixture.teacher)-whole-day\""))

      // A student by full name (any case), one block.
      let name = TeacherPages.name(of: student).uppercased()
      let second = try await scheduler.post(
        "/absences", [("date", "\(day)"), ("who", name), ("block", block)])
      #expect(second.status == .seeOther, "\(name)")
      #expect(
        try AbsenceDesk.list(fixture.state, on: day) == [
          AbsenceEntry(id: fixture.teacher, block: nil), AbsenceEntry(id: student.id, block: block),
        ])
      let both = try await scheduler.get("/absences")
      let table = try #require(both.body.range(of: "id=\"absences\""))
      let rows = both.body[table.upperBound...]
      #expect(rows.contains("(\(fixture.teacher))</td><td>staff</td><td>whole day</td>"))
      #expect(rows.contains("(\(student.id))</td><td>student</td><td>\(block) ("))

      // Remove the staff member's absence: the student's stays.
      let removed = try await scheduler.post(
        "/absences/remove", [("date", "\(day)"), ("id", fixture.teacher), ("block", "")])
      #expect(removed.status == .seeOther)
      #expect(try AbsenceDesk.list(fixture.state, on: day) == [AbsenceEntry(id: student.id, block: block)])
      // Removing it again: nothing to remove, the page says so (409) and nothing changes.
      let again = try await scheduler.post(
        "/absences/remove", [("date", "\(day)"), ("id", fixture.teacher), ("block", "")])
      #expect(again.status == .conflict)
      #expect(again.body.contains("id=\"remove-error\""))
      #expect(try AbsenceDesk.list(fixture.state, on: day).count == 1)

      // Another day's list is its own.
      let other = day.adding(days: 1)
      let later = try await scheduler.get("/absences?date=\(other)")
      #expect(later.body.contains("Nobody is marked absent on \(other)."))
    }
  }

  @Test func badInputComesBackBesideItsFieldAndStoresNothing() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    let day = fixture.absenceDay
    let given = fixture.school.students[0].givenName
    let sharing = fixture.school.students.filter { $0.givenName == given }.count
    try await fixture.test { client in
      let scheduler = Browser(client)
      try await scheduler.signIn(fixture.schedulerToken)
      var cases: [(who: String, block: String, error: String, words: String)] = [
        ("", "", "who-error", "Choose who is absent"),
        ("NOBODY-42", "", "who-error", "No staff member or student has the id or name “NOBODY-42”"),
        (fixture.teacher, "B99", "absence-block-error", "There is no block “B99”"),
      ]
      if sharing > 1 { cases.append((given, "", "who-error", "people are called “\(given)”")) }
      for c in cases {
        let page = try await scheduler.post(
          "/absences", [("date", "\(day)"), ("who", c.who), ("block", c.block)])
        #expect(page.status == .unprocessableContent, "\(c)")
        #expect(page.body.contains("id=\"\(c.error)\""), "\(c)")
        #expect(page.body.contains(escapeHTML(c.words)), "\(c)")
        #expect(page.body.contains("name=\"who\" list=\"who-list\" value=\"\(escapeHTML(c.who))\""), "\(c)")
      }
      let badDay = try await scheduler.get("/absences?date=tomorrow")
      #expect(badDay.status == .unprocessableContent)
      #expect(badDay.body.contains("id=\"absences-date-error\""))
      let badPost = try await scheduler.post("/absences", [("date", "2026-02-30"), ("who", fixture.teacher)])
      #expect(badPost.status == .unprocessableContent)

      // An expired or forged form: 403, nothing stored.
      for token: String? in [nil, "forged"] {
        let page = try await scheduler.post(
          "/absences", [("date", "\(day)"), ("who", fixture.teacher)], csrf: .some(token))
        #expect(page.status == .forbidden)
        #expect(page.body.contains("nothing was changed"))
      }
    }
    #expect(try AbsenceDesk.list(fixture.state, on: day).isEmpty)
  }

  @Test func theSameAbsenceTwiceComesBackWithTheRecordsWordsAndIsStoredOnce() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    let day = fixture.absenceDay
    try await fixture.test { client in
      let scheduler = Browser(client)
      try await scheduler.signIn(fixture.schedulerToken)
      let fields = [("date", "\(day)"), ("who", fixture.teacher), ("block", "")]
      #expect(try await scheduler.post("/absences", fields).status == .seeOther)
      let again = try await scheduler.post("/absences", fields)
      #expect(again.status == .unprocessableContent)
      #expect(again.body.contains("id=\"absence-form-error\""))
      #expect(again.body.contains("\(fixture.teacher) is already marked absent on \(day) for the whole day"))
      // A block absence of someone out all day is a different row, and is stored.
      let block = fixture.school.blocks[0].id
      let inBlock = try await scheduler.post(
        "/absences", [("date", "\(day)"), ("who", fixture.teacher), ("block", block)])
      #expect(inBlock.status == .seeOther)
    }
    #expect(try AbsenceDesk.list(fixture.state, on: day).count == 2)
    #expect(try fixture.state.record.absences(on: day).map(\.kind) == ["staff", "staff"])
  }

  @Test func theListSaysWhatEachAbsenceTakesOutOfThePublishedPlan() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    let day = fixture.absenceDay
    let plan = try Planner(options: PlanOptions(timeLimit: 4)).plan(
      try fixture.state.record.load(date: day).school, date: day)
    try fixture.state.record.publish(plan, by: "test")
    let session = try #require(plan.sessions.first)
    let student = try #require(session.students.first)
    try AbsenceDesk.add(fixture.state, on: day, id: session.staff, block: nil, by: "test")
    try AbsenceDesk.add(fixture.state, on: day, id: student, block: session.block, by: "test")
    try await fixture.test { client in
      let scheduler = Browser(client)
      try await scheduler.signIn(fixture.schedulerToken)
      let page = try await scheduler.get("/absences?date=\(day)")
      #expect(page.status == .ok)
      #expect(page.body.contains("id=\"replan-hint\""))
      #expect(page.body.contains("leads \(session.block) \(session.target) ("))
      #expect(page.body.contains("placed in \(session.block) \(session.target) with \(session.staff)"))
    }
  }

  @Test func findPersonKnowsStaffStudentsAndAnIdThatIsBoth() {
    var school = School()
    school.staff = [
      StaffMember(
        id: "T1", name: "Ana Ruiz", subjects: SubjectSet(cell: "*"), maxGroupSize: 5, maxMinutes: 60),
      StaffMember(id: "X9", name: "Bo Li", subjects: SubjectSet(cell: "*"), maxGroupSize: 5, maxMinutes: 60),
    ]
    school.students = [
      Student(id: "S1", givenName: "Zoë", familyName: "Ng", grade: "3", tier: 1),
      Student(id: "S2", givenName: "Ana", familyName: "Ruiz", grade: "3", tier: 1),
      Student(id: "X9", givenName: "Cy", familyName: "Oh", grade: "3", tier: 1),
    ]
    #expect(SchedulerPages.findPerson("t1", in: school) == .staff("T1"))
    #expect(SchedulerPages.findPerson("S1 — Zoë Ng", in: school) == .student("S1"))
    #expect(SchedulerPages.findPerson("zoe ng", in: school) == .student("S1"))
    #expect(SchedulerPages.findPerson("Bo Li", in: school) == .staff("X9"))
    guard case .none(let both, let matches) = SchedulerPages.findPerson("X9", in: school) else {
      Issue.record("an id that is both staff and student was accepted")
      return
    }
    #expect(both.contains("both a staff id and a student id"))
    #expect(matches.count == 2)
    guard case .none(let twice, _) = SchedulerPages.findPerson("Ana Ruiz", in: school) else {
      Issue.record("a name two people share was accepted")
      return
    }
    #expect(twice.contains("2 people are called “Ana Ruiz”"))
    guard case .none(let unknown, let near) = SchedulerPages.findPerson("ru", in: school) else {
      Issue.record("an unknown name was accepted")
      return
    }
    #expect(unknown.contains("did you mean"))
    #expect(near == ["T1 — Ana Ruiz", "S2 — Ana Ruiz"])
  }
}

extension WebFixture {
  /// The school's plan date (school.toml's), the day absences are marked for by default.
  var absenceDay: Day { (try? state.record.load(date: nil).date) ?? Day("2026-01-05")! }
}

// MARK: - Weekly dosage on the status page

extension AbsencePagesTests {
  @Test func statusListsTheStudentsWhoCanNoLongerReachTheirWeeklyDosage() async throws {
    // The same generated school twice: once to count its week, once with a [dosage] table set
    // so that the tier-3 student with the fewest sessions this week reaches it exactly.
    let plain = try WebFixture.make()
    let day = plain.absenceDay
    let week = WeekCount(plain.school, on: day)
    let blocks = plain.school.blocks.count
    let tier3 = plain.school.students.filter { $0.tier == 3 }
    plain.remove()
    let student = try #require(
      tier3.min { (week.before[$0.id] ?? 0, $0.id) < (week.before[$1.id] ?? 0, $1.id) })
    let perWeek = blocks * (week.daysLeft + 1) + (week.before[student.id] ?? 0)
    let fixture = try WebFixture.make { folder in
      let url = folder.appendingPathComponent("school.toml")
      let text = try String(contentsOf: url, encoding: .utf8)
      try (text + "\n[dosage]\ntier1 = 0\ntier2 = 0\ntier3 = \(perWeek)\n").write(
        to: url, atomically: true, encoding: .utf8)
    }
    defer { fixture.remove() }
    try await fixture.test { client in
      let scheduler = Browser(client)
      try await scheduler.signIn(fixture.schedulerToken)
      // A session in every block today and every day left: they all can still make it.
      let reachable = try await scheduler.get("/status")
      #expect(reachable.body.contains("id=\"dosage-summary\""))
      #expect(
        reachable.body.contains(
          "Every one of the \(tier3.count) students with a weekly dosage can still reach it"))
      #expect(!reachable.body.contains("id=\"dosage-unreachable\""))

      // Absent today: the week can no longer give them enough.
      try AbsenceDesk.add(fixture.state, on: day, id: student.id, block: nil, by: "test")
      let page = try await scheduler.get("/status")
      let table = try #require(page.body.range(of: "id=\"dosage-unreachable\""))
      let rows = page.body[table.upperBound...]
      #expect(rows.contains("(\(student.id))</td><td class=\"num\">3</td><td class=\"num\">\(perWeek)</td>"))
      #expect(page.body.contains("1 student of \(tier3.count) with a weekly dosage can no longer reach it"))
    }
    // A school without [dosage] shows no such section.
    let without = try WebFixture.make()
    defer { without.remove() }
    try await without.test { client in
      let page = try await Browser(client).signIn(without.schedulerToken)
      #expect(!page.body.contains("id=\"dosage-summary\""))
    }
  }
}
