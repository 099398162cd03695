import Foundation
import HTTPTypes
import HummingbirdTesting
import LearnerStatus
import Planning
import Record
import Testing

@testable import Web

/// Re-planning a published day over HTTP (spec §13): the form on the plan page, the job with its
/// progress, the change list before the sheet, publishing in place of the day's plan, the
/// published page's change list, and each teacher's "What changed for you" on My day.
@Suite struct ReplanPagesTests {}

extension ReplanPagesTests {
  /// Publishes a plan made from scratch for the fixture's day; returns it.
  static func publishFirstPlan(_ fixture: WebFixture) throws -> Plan {
    let day = fixture.absenceDay
    let plan = try Planner(options: PlanOptions(timeLimit: 4)).plan(
      try fixture.state.record.load(date: day).school, date: day)
    try fixture.state.record.publish(plan, by: "test")
    return plan
  }

  /// Sends the re-plan form and waits until its job is done; returns the job's id.
  static func replan(_ browser: Browser, day: Day, limit: String = "5") async throws -> String {
    let sent = try await browser.post("/plan/replan", [("date", "\(day)"), ("time_limit", limit)])
    #expect(sent.status == .seeOther, "\(sent.body.prefix(2000))")
    let location = try #require(sent.location)
    #expect(location.hasPrefix("/plan/jobs/"))
    let id = String(location.dropFirst("/plan/jobs/".count))
    try await SchedulerPagesTests.waitUntilDone(browser, id)
    return id
  }

  /// The finished re-plan of job `id` and the version it started from.
  static func replanned(_ id: String, _ fixture: WebFixture) async throws -> (Plan, Int) {
    let found = await fixture.state.jobs.snapshot(id)
    guard case .replan(let plan, let base) = found?.result else { throw WebError.notFound }
    return (plan, base)
  }

  @Test func theReplanFormShowsOnceTheDayIsPublishedAndOnlyTheSchedulerSendsIt() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    let day = fixture.absenceDay
    try await fixture.test { client in
      let scheduler = Browser(client)
      try await scheduler.signIn(fixture.schedulerToken)
      let before = try await scheduler.get("/plan")
      #expect(!before.body.contains("id=\"replan\""))
      // Nothing published: a re-plan is refused beside the form, and no job starts.
      let refused = try await scheduler.post("/plan/replan", [("date", "\(day)"), ("time_limit", "3")])
      #expect(refused.status == .unprocessableContent)
      #expect(refused.body.contains("id=\"replan-error\""))
      #expect(refused.body.contains("No plan for \(day) is published"))
      let badDay = try await scheduler.post("/plan/replan", [("date", "soon"), ("time_limit", "3")])
      #expect(badDay.status == .unprocessableContent)
      #expect(badDay.body.contains("id=\"replan-error\""))
      #expect(await fixture.state.jobs.recent(kind: "plan").isEmpty)

      _ = try Self.publishFirstPlan(fixture)
      let after = try await scheduler.get("/plan")
      #expect(after.body.contains("id=\"replan-form\""))
      #expect(after.body.contains("Re-plan \(day) this morning"))
      #expect(after.body.contains("Nobody is marked absent on \(day)."))
      let badLimit = try await scheduler.post("/plan/replan", [("date", "\(day)"), ("time_limit", "0")])
      #expect(badLimit.status == .unprocessableContent)
      #expect(badLimit.body.contains("id=\"replan-time-limit-error\""))
      #expect(!badLimit.body.contains("id=\"time-limit-error\""))
      for token: String? in [nil, "forged"] {
        let page = try await scheduler.post("/plan/replan", [("date", "\(day)")], csrf: .some(token))
        #expect(page.status == .forbidden)
      }
      #expect(await fixture.state.jobs.recent(kind: "plan").isEmpty)

      let principal = Browser(client)
      try await principal.signIn(fixture.principalToken)
      let read = try await principal.get("/plan")
      #expect(read.body.contains("id=\"replan-heading\""))
      #expect(!read.body.contains("id=\"replan-form\""))
      #expect(try await principal.post("/plan/replan", [("date", "\(day)")]).status == .forbidden)
      let teacher = Browser(client)
      try await teacher.signIn(fixture.teacherToken)
      #expect(try await teacher.post("/plan/replan", [("date", "\(day)")]).status == .forbidden)
      let anonymous = Browser(client)
      #expect(try await anonymous.post("/plan/replan", [], csrf: .some(nil)).status == .unauthorized)
      #expect(await fixture.state.jobs.recent(kind: "plan").isEmpty)
    }
  }

  @Test func aReplanWithNothingChangedKeepsEveryPlacement() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    let day = fixture.absenceDay
    _ = try Self.publishFirstPlan(fixture)
    try await fixture.test { client in
      let scheduler = Browser(client)
      try await scheduler.signIn(fixture.schedulerToken)
      let id = try await Self.replan(scheduler, day: day)
      let (plan, base) = try await Self.replanned(id, fixture)
      #expect(base == 1)
      #expect(ReplanDesk.changes(of: plan) == [])
      let page = try await scheduler.get("/plan/jobs/\(id)")
      #expect(page.body.contains("id=\"changes\""))
      #expect(page.body.contains("No changes: every placement of the published plan (version 1) is kept."))
      #expect(!page.body.contains("id=\"change-list\""))
    }
  }

  @Test func anAbsenceIsReplannedWithReasonsPublishedAndShownToTheTeachersItTouches() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    let day = fixture.absenceDay
    let first = try Self.publishFirstPlan(fixture)
    // The staff member who leads the most students is out for the whole day.
    var led: [String: Int] = [:]
    for session in first.sessions { led[session.staff, default: 0] += session.students.count }
    let absent = try #require(led.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key)
    let (_, absentToken) = try fixture.state.record.issueAccess(staff: absent, by: "test")
    try AbsenceDesk.add(fixture.state, on: day, id: absent, block: nil, by: "test")
    try await fixture.test { client in
      let scheduler = Browser(client)
      try await scheduler.signIn(fixture.schedulerToken)
      let form = try await scheduler.get("/plan")
      #expect(form.body.contains("1 absence marked on \(day)."))
      let id = try await Self.replan(scheduler, day: day)
      let (plan, _) = try await Self.replanned(id, fixture)
      #expect(plan.status == .optimal || plan.status == .feasible)
      #expect(!plan.sessions.contains { $0.staff == absent })
      let changes = ReplanDesk.changes(of: plan) ?? []
      #expect(!changes.isEmpty)
      // Every student the absent staff member led is in the change list, with the reason.
      for session in first.sessions where session.staff == absent {
        for student in session.students {
          #expect(
            changes.contains {
              $0.student == student && $0.block == session.block && $0.from?.staff == absent
            },
            "\(student) \(session.block)")
        }
      }
      #expect(
        changes.filter { $0.from?.staff == absent }.allSatisfy { $0.reason.contains("\(absent) is absent") })

      // The page: changes first, then the sheet, then the publish form for a re-plan.
      let page = try await scheduler.get("/plan/jobs/\(id)")
      let list = try #require(page.body.range(of: "id=\"change-list\""))
      let sheet = try #require(page.body.range(of: "id=\"plan-result\""))
      #expect(list.lowerBound < sheet.lowerBound)
      #expect(page.body.contains("\(absent) is absent"))
      #expect(page.body.contains("id=\"replan-publish-note\""))
      #expect(!page.body.contains("id=\"replace\""))

      // Publish: it replaces version 1 (kept in the audit trail).
      let published = try await scheduler.post("/plan/jobs/\(id)/publish", [])
      #expect(published.status == .seeOther)
      #expect(published.location == "/published/\(day)?version=2")
      let trail = try fixture.state.record.auditTrail(on: day)
      #expect(trail.map(\.version) == [1, 2])
      #expect(try fixture.state.record.publishedPlan(on: day)?.sessions == plan.sessions)
      // The record keeps the changes with the plan, and the audit entry names the absence.
      #expect(try fixture.state.record.publishedPlan(on: day)?.changes == plan.changes)
      #expect(trail[0].replacedBy == "scheduler Sam Scheduler; re-plan for absences: \(absent)")
      let shown = try await scheduler.get(try #require(published.location))
      #expect(shown.body.contains("id=\"change-list\""))
      #expect(shown.body.contains("to the published plan (version 1)"))
      // Publishing the same re-plan twice: the day moved on from version 1, so it is refused.
      let again = try await scheduler.post("/plan/jobs/\(id)/publish", [])
      #expect(again.status == .conflict)
      #expect(again.body.contains("changed since this re-plan started"))
      #expect(try fixture.state.record.auditTrail(on: day).count == 2)

      // The absent teacher's My day: the students who left their sessions, and why.
      let teacher = Browser(client)
      try await teacher.signIn(absentToken)
      let myDay = try await teacher.get("/day?date=\(day)")
      #expect(myDay.body.contains("id=\"my-changes\""))
      let mine = try #require(myDay.body.range(of: "id=\"my-change-list\""))
      #expect(myDay.body[mine.upperBound...].contains("\(absent) is absent"))
      #expect(myDay.body.contains("left"))
      #expect(myDay.body.contains("You are marked absent the whole day."))
      // A teacher none of whose students moved is told so.
      let untouched = fixture.school.staff.map(\.id).first { staff in
        staff != absent && !changes.contains { $0.from?.staff == staff || $0.to?.staff == staff }
      }
      if let untouched {
        let (_, token) = try fixture.state.record.issueAccess(staff: untouched, by: "test")
        let other = Browser(client)
        try await other.signIn(token)
        let page = try await other.get("/day?date=\(day)")
        #expect(page.body.contains("nothing changed in your sessions"))
      }
    }
  }

  @Test func aReplanOfAnOlderVersionIsNotPublished() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    let day = fixture.absenceDay
    let first = try Self.publishFirstPlan(fixture)
    try await fixture.test { client in
      let scheduler = Browser(client)
      try await scheduler.signIn(fixture.schedulerToken)
      let id = try await Self.replan(scheduler, day: day)
      // Meanwhile the day's plan is replaced from elsewhere (the command line, another tab).
      try fixture.state.record.publish(first, replace: true, by: "elsewhere")
      let page = try await scheduler.post("/plan/jobs/\(id)/publish", [])
      #expect(page.status == .conflict)
      #expect(page.body.contains("id=\"publish-error\""))
      #expect(page.body.contains("(it was version 1)"))
      #expect(try fixture.state.record.auditTrail(on: day).count == 2)
    }
  }
}

// MARK: - What a plan of the week shows

extension ReplanPagesTests {
  @Test func thePlanPageShowsPinsDroppedByAnAbsenceAndTheWeeklyDosage() async throws {
    let fixture = try WebFixture.make { folder in
      let url = folder.appendingPathComponent("school.toml")
      let text = try String(contentsOf: url, encoding: .utf8)
      try (text + "\n[dosage]\ntier1 = 0\ntier2 = 2\ntier3 = 4\n").write(
        to: url, atomically: true, encoding: .utf8)
    }
    defer { fixture.remove() }
    let day = fixture.absenceDay
    let pin = try #require(fixture.school.pins.first)
    try AbsenceDesk.add(fixture.state, on: day, id: pin.studentID, block: pin.blockID, by: "test")
    let withTarget = fixture.school.students.filter { $0.tier >= 2 }.count
    try await fixture.test { client in
      let scheduler = Browser(client)
      try await scheduler.signIn(fixture.schedulerToken)
      let id = try await SchedulerPagesTests.makePlan(scheduler, limit: "4")
      let page = try await scheduler.get("/plan/jobs/\(id)")
      let warnings = try #require(page.body.range(of: "id=\"plan-warnings\""))
      #expect(page.body[warnings.upperBound...].contains("dropped: \(pin.studentID) is absent"))
      #expect(page.body.contains("id=\"plan-dosage\""))
      #expect(page.body.contains("of \(withTarget) students with a weekly dosage reach it with today"))
    }
    // Without absences or [dosage], neither section shows.
    let plain = try WebFixture.make()
    defer { plain.remove() }
    try await plain.test { client in
      let scheduler = Browser(client)
      try await scheduler.signIn(plain.schedulerToken)
      let id = try await SchedulerPagesTests.makePlan(scheduler, limit: "4")
      let page = try await scheduler.get("/plan/jobs/\(id)")
      #expect(!page.body.contains("id=\"plan-warnings\""))
      #expect(!page.body.contains("id=\"plan-dosage\""))
    }
  }
}
