import Foundation
import HTTPTypes
import HummingbirdTesting
import LearnerStatus
import Planning
import Record
import SchoolGenerator
import Testing

@testable import Web

/// The scheduler's pages over HTTP: status, making and publishing a plan, the published days and
/// their downloads, every request; who may read and who may change; bad input and unknown ids.
@Suite struct SchedulerPagesTests {}

// MARK: - Access

extension SchedulerPagesTests {
  static let readRoutes = [
    "/status", "/plan", "/plan/jobs/no-such-job", "/plan/jobs/no-such-job/progress", "/published",
    "/published/2026-01-05", "/published/2026-01-05/roster.csv", "/published/2026-01-05/ics/T001",
    "/published/2026-01-05/sheet.html", "/all-requests",
  ]
  static let writeRoutes = ["/plan", "/plan/jobs/no-such-job/publish"]

  @Test func staffGet403AndNobodySignedInGets401OnEveryRoute() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    try await fixture.test { client in
      let anonymous = Browser(client)
      let teacher = Browser(client)
      try await teacher.signIn(fixture.teacherToken)
      for route in Self.readRoutes {
        #expect(try await anonymous.get(route).status == .unauthorized, "GET \(route)")
        let page = try await teacher.get(route)
        #expect(page.status == .forbidden, "GET \(route)")
        #expect(page.body.contains("This page belongs to someone else."), "GET \(route)")
      }
      for route in Self.writeRoutes {
        #expect(try await anonymous.post(route, [("date", "")], csrf: .some(nil)).status == .unauthorized)
        #expect(try await teacher.post(route, [("date", "")]).status == .forbidden, "POST \(route)")
      }
    }
  }

  @Test func thePrincipalReadsButCannotPlanOrPublish() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    try await fixture.test { client in
      let principal = Browser(client)
      try await principal.signIn(fixture.principalToken)
      for route in ["/status", "/plan", "/published", "/all-requests"] {
        #expect(try await principal.get(route).status == .ok, "GET \(route)")
      }
      let form = try await principal.get("/plan")
      #expect(!form.body.contains("id=\"make-plan\""))
      #expect(try await principal.post("/plan", [("date", ""), ("time_limit", "2")]).status == .forbidden)
      #expect(await fixture.state.jobs.recent(kind: "plan").isEmpty)

      let id = await fixture.state.jobs.start(kind: "plan", owner: 0) { _ in
        .plan(try Planner(options: PlanOptions(timeLimit: 3)).plan(fixture.school, date: fixture.planDate))
      }
      try await Self.waitUntilDone(principal, id)
      let done = try await principal.get("/plan/jobs/\(id)")
      #expect(done.status == .ok)
      #expect(done.body.contains("id=\"plan-result\""))
      #expect(!done.body.contains("id=\"publish\""))
      #expect(try await principal.post("/plan/jobs/\(id)/publish", []).status == .forbidden)
      #expect(try fixture.state.record.publishedDates().isEmpty)
    }
  }

  @Test func everyPostWithoutTheCSRFTokenIs403AndChangesNothing() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    try await fixture.test { client in
      let scheduler = Browser(client)
      try await scheduler.signIn(fixture.schedulerToken)
      let id = await fixture.state.jobs.start(kind: "plan", owner: 0) { _ in
        .plan(try Planner(options: PlanOptions(timeLimit: 3)).plan(fixture.school, date: fixture.planDate))
      }
      try await Self.waitUntilDone(scheduler, id)
      for route in ["/plan", "/plan/jobs/\(id)/publish"] {
        for token: String? in [nil, "forged"] {
          let page = try await scheduler.post(route, [("date", ""), ("time_limit", "2")], csrf: .some(token))
          #expect(page.status == .forbidden, "POST \(route) with \(token ?? "no token")")
          #expect(page.body.contains("nothing was changed"))
        }
      }
      #expect(await fixture.state.jobs.recent(kind: "plan").count == 1)
      #expect(try fixture.state.record.publishedDates().isEmpty)
    }
  }
}

// MARK: - Status

extension SchedulerPagesTests {
  @Test func statusShowsNeedsPerTargetTheLongestWaitsAndTheStaff() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    let report = try StatusReport(school: fixture.school, date: fixture.planDate)
    try await fixture.test { client in
      let scheduler = Browser(client)
      let page = try await scheduler.signIn(fixture.schedulerToken)
      #expect(page.status == .ok)
      #expect(page.body.contains("Morning status for \(fixture.planDate)"))
      #expect(!page.body.contains("id=\"status-published\""))
      #expect(page.body.contains("id=\"needs-per-target\""))
      for target in report.targets where target.students > 0 {
        #expect(page.body.contains("<td>\(target.target)"), "target \(target.target)")
      }
      let longest = try #require(report.needs.max { ($0.wait, $0.weight) < ($1.wait, $1.weight) })
      let waits = try #require(page.body.range(of: "id=\"longest-waits\""))
      #expect(page.body[waits.upperBound...].contains("(\(longest.student))</td>"))
      for member in fixture.school.staff {
        #expect(page.body.contains("\(escapeHTML(member.name)) (\(member.id))"), "staff \(member.id)")
      }

      let other = try await scheduler.get("/status?date=2026-12-07")
      #expect(other.status == .ok)
      #expect(other.body.contains("Morning status for 2026-12-07"))
      let bad = try await scheduler.get("/status?date=7%2F12%2F2026")
      #expect(bad.status == .unprocessableContent)
      #expect(bad.body.contains("id=\"status-date-error\""))
      #expect(bad.body.contains("value=\"7/12/2026\""))
    }
  }

  @Test func statusListsNeedsThatWaitOnAPrerequisite() async throws {
    // Every generated target needs the one before it in its subject and grade (spec §11).
    let fixture = try WebFixture.make { folder in
      let url = folder.appendingPathComponent("targets.csv")
      var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
      var previous: [String: String] = [:]
      for i in lines.indices {
        guard i > 0 else {
          lines[i] += ",prerequisites"
          continue
        }
        let cells = lines[i].split(separator: ",").map(String.init)
        let family = "\(cells[1])|\(cells[3])"
        lines[i] += "," + (previous[family] ?? "")
        previous[family] = cells[0]
      }
      try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    }
    defer { fixture.remove() }
    let report = try StatusReport(school: fixture.school, date: fixture.planDate)
    let waiting = try #require(report.needs.first { !$0.isReady })
    try await fixture.test { client in
      let page = try await Browser(client).signIn(fixture.schedulerToken)
      #expect(page.status == .ok)
      let table = try #require(page.body.range(of: "id=\"not-ready\""))
      let rows = page.body[table.upperBound...]
      #expect(rows.contains("(\(waiting.student))</td><td>"))
      #expect(rows.contains(waiting.missingPrerequisites[0]))
      #expect(page.body.contains("× 0.25"))
    }
    // A school without prerequisites shows no such section.
    let plain = try WebFixture.make()
    defer { plain.remove() }
    try await plain.test { client in
      let page = try await Browser(client).signIn(plain.schedulerToken)
      #expect(!page.body.contains("id=\"not-ready\""))
    }
  }

  @Test func statusIsComputedOnceButNeverStaleAfterTheRecordChanges() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    try await fixture.test { client in
      let scheduler = Browser(client)
      let first = try await scheduler.signIn(fixture.schedulerToken)
      let count = try #require(Browser.firstMatch(#"(\d+) open requests? for this day"#, in: first.body))
      #expect(try await scheduler.get("/status").body == first.body)
      let student = fixture.school.students.last!.id
      try fixture.state.record.addRequest(staff: fixture.teacher, student: student, by: "test")
      let after = try await scheduler.get("/status")
      #expect(after.body.contains("\(Int(count)! + 1) open requests for this day"))
    }
  }

  @Test func namesAreEscapedOnEveryPage() async throws {
    let fixture = try Self.fixture { folder in
      try Self.rename(in: folder, student: 0, to: "<b>Zed</b>")
    }
    defer { fixture.remove() }
    let student = fixture.school.students[0].id
    try await fixture.test { client in
      let scheduler = Browser(client)
      try await scheduler.signIn(fixture.schedulerToken)
      try fixture.state.record.addRequest(
        staff: fixture.teacher, student: student, priority: "high", note: "<script>alert(1)</script>",
        by: "test")
      let id = try await Self.makePlan(scheduler, limit: "3")
      let done = try await scheduler.get("/plan/jobs/\(id)")
      #expect(done.body.contains("&lt;b&gt;Zed&lt;/b&gt;"))
      #expect(!done.body.contains("<b>Zed</b>"))
      #expect(try await scheduler.post("/plan/jobs/\(id)/publish", []).status == .seeOther)
      for route in ["/all-requests", "/published/\(fixture.planDate)"] {
        let page = try await scheduler.get(route)
        #expect(page.body.contains("&lt;b&gt;Zed&lt;/b&gt;"), "\(route)")
        #expect(!page.body.contains("<b>Zed</b>"), "\(route)")
        #expect(!page.body.contains("<script>alert"), "\(route)")
      }
      #expect(try await scheduler.get("/all-requests").body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }
  }

  @Test func aRecordWithoutASchoolGivesTheFormBackWithItsProblem() async throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
      "regroup-web-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let record = try SchoolRecord.open(at: folder.appendingPathComponent("regroup.db"), create: true)
    let (_, token) = try record.issueAccess(role: .scheduler, name: "Sam", by: "test")
    let state = try WebState(WebConfiguration(record: record.url, planTimeLimit: 2))
    try await WebApp.application(state).test(.router) { client in
      let scheduler = Browser(client)
      _ = try await scheduler.get("/signin/\(token)")
      let status = try await scheduler.get("/status")
      #expect(status.status == .unprocessableContent)
      #expect(status.body.contains("holds no school yet"))
      let form = try await scheduler.get("/plan")
      #expect(form.status == .ok)
      #expect(form.body.contains("id=\"record-problems\""))
      let sent = try await scheduler.post("/plan", [("date", "2026-12-01"), ("time_limit", "2")])
      #expect(sent.status == .unprocessableContent)
      #expect(sent.body.contains("holds no school yet"))
      #expect(sent.body.contains("value=\"2026-12-01\""))
      #expect(await state.jobs.recent(kind: "plan").isEmpty)
    }
  }
}

// MARK: - Planning and publishing

extension SchedulerPagesTests {
  @Test func aPlanIsMadePublishedAndReplacedWithTheAuditTrail() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    let record = fixture.state.record
    try await fixture.test { client in
      let scheduler = Browser(client)
      try await scheduler.signIn(fixture.schedulerToken)
      let form = try await scheduler.get("/plan")
      #expect(form.status == .ok)
      for id in ["date", "time-limit", "make-plan"] { #expect(form.body.contains("id=\"\(id)\""), "#\(id)") }
      #expect(form.body.contains("name=\"date\" value=\"\(fixture.planDate)\""))
      #expect(form.body.contains("name=\"time_limit\" value=\"5\""))

      let id = try await Self.makePlan(scheduler, date: fixture.planDate.description, limit: "4")
      let done = try await scheduler.get("/plan/jobs/\(id)")
      #expect(done.status == .ok)
      for element in ["plan-result", "publish", "replace", "by-staff", "request-outcomes"] {
        #expect(done.body.contains("id=\"\(element)\""), "#\(element)")
      }
      let plan = try await Self.plan(of: id, fixture)
      #expect(plan.status == .optimal || plan.status == .feasible)
      let staffNames = Dictionary(uniqueKeysWithValues: fixture.school.staff.map { ($0.id, $0.name) })
      let titles = Dictionary(uniqueKeysWithValues: fixture.school.targets.map { ($0.id, $0.title) })
      for session in plan.sessions {
        let row =
          "<tr><td>\(escapeHTML(staffNames[session.staff]!)) (\(session.staff))</td>"
          + "<td>\(session.target) \(escapeHTML(titles[session.target]!))</td>"
          + "<td class=\"num\">\(session.students.count)</td>"
        #expect(done.body.contains(row), "\(session.block) \(session.staff)")
      }

      // Publish; the page after it says so.
      let first = try await scheduler.post("/plan/jobs/\(id)/publish", [])
      #expect(first.status == .seeOther)
      #expect(first.location == "/published/\(fixture.planDate)?version=1")
      let shown = try await scheduler.get(try #require(first.location))
      #expect(shown.status == .ok)
      #expect(shown.body.contains("id=\"published\""))
      #expect(try record.publishedPlan(on: fixture.planDate)?.sessions == plan.sessions)

      // Again without "replace": the page back, the checkbox's error beside it, nothing changed.
      let again = try await scheduler.post("/plan/jobs/\(id)/publish", [])
      #expect(again.status == .unprocessableContent)
      #expect(again.body.contains("id=\"replace-error\""))
      #expect(again.body.contains("already published"))
      #expect(try record.auditTrail(on: fixture.planDate).count == 1)

      // With "replace": version 2, and the audit trail shows both.
      let replaced = try await scheduler.post("/plan/jobs/\(id)/publish", [("replace", "1")])
      #expect(replaced.location == "/published/\(fixture.planDate)?version=2")
      let trail = try record.auditTrail(on: fixture.planDate)
      #expect(trail.map(\.version) == [1, 2])
      #expect(trail[0].replacedBy == "scheduler Sam Scheduler")
      let day = try await scheduler.get("/published/\(fixture.planDate)")
      let audit = try #require(day.body.range(of: "id=\"audit-trail\""))
      let rows = day.body[audit.upperBound...]
      #expect(rows.contains("<td class=\"num\">1</td>"))
      #expect(rows.contains("<td class=\"num\">2</td>"))
      #expect(rows.contains("by scheduler Sam Scheduler</td>"))
      #expect(rows.contains("<td>current</td>"))

      let list = try await scheduler.get("/published")
      #expect(list.body.contains("href=\"/published/\(fixture.planDate)\""))
    }
  }

  @Test func thePlanPageShowsProgressWhileItRunsAndOnePlanRunsAtATime() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    let gate = PlanGate()
    try await fixture.test { client in
      let scheduler = Browser(client)
      try await scheduler.signIn(fixture.schedulerToken)
      let (id, _) = await fixture.state.jobs.startUnlessRunning(kind: "plan", owner: 0) { progress in
        progress("score 1.0 · bound 2.0 · gap 50.00 % · 1 s")
        gate.wait()
        return .plan(
          Plan(
            date: fixture.planDate, status: .timeout, objective: nil, bound: nil, sessions: [], requests: []))
      }
      try await Task.sleep(for: .milliseconds(200))
      let page = try await scheduler.get("/plan/jobs/\(id)")
      #expect(page.status == .ok)
      #expect(page.body.contains("data-poll=\"/plan/jobs/\(id)/progress\""))
      #expect(page.body.contains("<meta http-equiv=\"refresh\" content=\"2\">"))
      let progress = try await scheduler.get("/plan/jobs/\(id)/progress")
      #expect(progress.headers[.contentType] == "application/json; charset=utf-8")
      let json = try Self.json(progress.body)
      #expect(json["done"] as? Bool == false)
      #expect(json["line"] as? String == "score 1.0 · bound 2.0 · gap 50.00 % · 1 s")

      // While it runs, the form says so and sending it again goes to the running plan.
      #expect(try await scheduler.get("/plan").body.contains("id=\"running-plan\""))
      let second = try await scheduler.post("/plan", [("date", ""), ("time_limit", "2")])
      #expect(second.location == "/plan/jobs/\(id)")
      let again = await fixture.state.jobs.startUnlessRunning(kind: "plan", owner: 0) { _ in
        .report(html: "", json: "")
      }
      #expect(again.id == id)
      #expect(!again.started)
      let early = try await scheduler.post("/plan/jobs/\(id)/publish", [])
      #expect(early.status == .unprocessableContent)
      #expect(early.body.contains("not finished yet"))
      gate.open()
      try await Self.waitUntilDone(scheduler, id)

      // A plan that ran out of time is not publishable, and the page says why.
      let done = try await scheduler.get("/plan/jobs/\(id)")
      #expect(done.body.contains("id=\"not-publishable\""))
      #expect(done.body.contains("time limit ran out"))
      #expect(!done.body.contains("id=\"publish\""))
      #expect(try await scheduler.post("/plan/jobs/\(id)/publish", []).status == .unprocessableContent)
      #expect(try fixture.state.record.publishedDates().isEmpty)
    }
  }

  @Test func anInfeasibleOrFailedPlanSaysWhy() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    try await fixture.test { client in
      let scheduler = Browser(client)
      try await scheduler.signIn(fixture.schedulerToken)
      let infeasible = await fixture.state.jobs.start(kind: "plan", owner: 0) { _ in
        .plan(
          Plan(
            date: fixture.planDate, status: .infeasible, objective: nil, bound: nil, sessions: [],
            requests: [],
            conflicts: [Conflict(rules: ["R8"], items: ["S1"], message: "S1 is pinned <twice>")]))
      }
      try await Self.waitUntilDone(scheduler, infeasible)
      let page = try await scheduler.get("/plan/jobs/\(infeasible)")
      #expect(page.body.contains("S1 is pinned &lt;twice&gt;"))
      #expect(page.body.contains("the day is infeasible"))
      let refused = try await scheduler.post("/plan/jobs/\(infeasible)/publish", [("replace", "1")])
      #expect(refused.status == .unprocessableContent)
      #expect(try fixture.state.record.publishedDates().isEmpty)

      let failed = await fixture.state.jobs.start(kind: "plan", owner: 0) { _ in
        throw InputError([Diagnostic(.error, file: "staff.csv", line: 3, "max_minutes must be a number")])
      }
      try await Self.waitUntilDone(scheduler, failed)
      let failure = try await scheduler.get("/plan/jobs/\(failed)")
      #expect(failure.body.contains("id=\"plan-failed\""))
      #expect(failure.body.contains("staff.csv:3: error: max_minutes must be a number"))
    }
  }

  @Test func badFormInputComesBackWithTheErrorBesideTheFieldAndStartsNothing() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    try await fixture.test { client in
      let scheduler = Browser(client)
      try await scheduler.signIn(fixture.schedulerToken)
      let cases: [(date: String, limit: String, error: String)] = [
        ("2026-13-45", "5", "date-error"), ("tomorrow", "5", "date-error"), ("", "abc", "time-limit-error"),
        ("", "0", "time-limit-error"), ("", "601", "time-limit-error"), ("", "-3", "time-limit-error"),
        ("", "nan", "time-limit-error"), ("x", "y", "date-error"),
      ]
      for c in cases {
        let page = try await scheduler.post("/plan", [("date", c.date), ("time_limit", c.limit)])
        #expect(page.status == .unprocessableContent, "\(c)")
        #expect(page.body.contains("id=\"\(c.error)\""), "\(c)")
        #expect(page.body.contains("name=\"date\" value=\"\(c.date)\""), "\(c)")
        #expect(page.body.contains("name=\"time_limit\" value=\"\(c.limit)\""), "\(c)")
      }
      #expect(await fixture.state.jobs.recent(kind: "plan").isEmpty)
    }
  }

  @Test func unknownJobsAndDaysAreA404() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    try await fixture.test { client in
      let scheduler = Browser(client)
      try await scheduler.signIn(fixture.schedulerToken)
      for route in [
        "/plan/jobs/nope", "/plan/jobs/nope/progress", "/published/2031-01-01", "/published/not-a-day",
        "/published/2031-01-01/roster.csv", "/published/2031-01-01/ics/T001",
        "/published/2031-01-01/sheet.html",
      ] {
        let page = try await scheduler.get(route)
        #expect(page.status == .notFound, "GET \(route)")
        #expect(page.body.contains("There is no such page."), "GET \(route)")
      }
      #expect(try await scheduler.post("/plan/jobs/nope/publish", []).status == .notFound)
      // A simulation's job is not a plan.
      let report = await fixture.state.jobs.start(kind: "simulate", owner: 0) { _ in
        .report(html: "", json: "")
      }
      #expect(try await scheduler.get("/plan/jobs/\(report)").status == .notFound)
    }
  }
}

// MARK: - Downloads and requests

extension SchedulerPagesTests {
  @Test func thePublishedDayDownloadsHaveThePlansContents() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    let plan = try Planner(options: PlanOptions(timeLimit: 4)).plan(fixture.school, date: fixture.planDate)
    try fixture.state.record.publish(plan, by: "test")
    let names = Dictionary(uniqueKeysWithValues: fixture.school.students.map { ($0.id, $0) })
    let leader = try #require(plan.sessions.first?.staff)
    try await fixture.test { client in
      let principal = Browser(client)
      try await principal.signIn(fixture.principalToken)
      let base = "/published/\(fixture.planDate)"
      #expect(try await principal.get("/status").body.contains("<a href=\"\(base)\">see it</a>"))
      let day = try await principal.get(base)
      #expect(day.status == .ok)
      #expect(day.body.contains("href=\"\(base)/ics/\(leader)\""))
      #expect(!day.body.contains("id=\"published\""))

      let roster = try await principal.get("\(base)/roster.csv")
      #expect(roster.status == .ok)
      #expect(roster.headers[.contentType] == "text/csv; charset=utf-8")
      #expect(
        roster.headers[.contentDisposition] == "attachment; filename=\"roster-\(fixture.planDate).csv\"")
      let lines = roster.body.split(separator: "\n").map(String.init)
      #expect(
        lines.first == "staff,date,block,start,end,target,target_title,student_id,given_name,family_name")
      var expected: [String] = []
      for session in plan.sessions {
        for student in session.students {
          expected.append(
            "\(session.staff),\(plan.date),\(session.block),\(student),\(names[student]!.familyName)")
        }
      }
      let got = lines.dropFirst().map { line -> String in
        let cells = Self.csvCells(line)
        return [cells[0], cells[1], cells[2], cells[7], cells[9]].joined(separator: ",")
      }
      #expect(got.sorted() == expected.sorted())

      let one = try await principal.get("\(base)/roster.csv?staff=\(leader)")
      let placed = plan.sessions.filter { $0.staff == leader }.map(\.students.count).reduce(0, +)
      #expect(one.body.split(separator: "\n").count == 1 + placed)
      #expect(try await principal.get("\(base)/roster.csv?staff=NOBODY").status == .notFound)

      let ics = try await principal.get("\(base)/ics/\(leader)")
      #expect(ics.headers[.contentType] == "text/calendar; charset=utf-8")
      #expect(ics.headers[.contentDisposition]?.hasPrefix("attachment;") == true)
      #expect(ics.body.hasPrefix("BEGIN:VCALENDAR\r\n"))
      #expect(
        ics.body.components(separatedBy: "BEGIN:VEVENT").count - 1
          == plan.sessions.filter { $0.staff == leader }.count)
      #expect(try await principal.get("\(base)/ics/NOBODY").status == .notFound)

      let sheet = try await principal.get("\(base)/sheet.html")
      #expect(sheet.headers[.contentType] == "text/html; charset=utf-8")
      let first = try #require(plan.sessions.first?.students.first)
      #expect(sheet.body.contains(escapeHTML(names[first]!.familyName)))
      #expect(!sheet.body.contains("<script"))
    }
  }

  @Test func theDaysRosterKeepsALineBreakInsideAQuotedCellInItsRow() {
    #expect(
      SchedulerPages.csvRows("h1,h2\na,\"x\ny\"\nb,\"\"\"q\"\"\"\n") == [
        "h1,h2", "a,\"x\ny\"", "b,\"\"\"q\"\"\"",
      ])
    #expect(SchedulerPages.csvRows("h\n") == ["h"])
    #expect(SchedulerPages.csvRows("") == [])
  }

  @Test func allRequestsListsOpenOnesFirstWithTheirOutcomes() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    let record = fixture.state.record
    let student = fixture.school.students[0].id
    let open = try record.addRequest(
      staff: fixture.teacher, student: student, date: fixture.planDate.adding(days: 7),
      note: "after the test",
      by: "test")
    let withdrawn = try record.addRequest(staff: fixture.otherTeacher, student: student, by: "test")
    try record.withdrawRequest(withdrawn.id, by: "test")
    let plan = try Planner(options: PlanOptions(timeLimit: 4)).plan(
      try record.load(date: fixture.planDate).school, date: fixture.planDate)
    try record.publish(plan, by: "test")
    try await fixture.test { client in
      let scheduler = Browser(client)
      try await scheduler.signIn(fixture.schedulerToken)
      let page = try await scheduler.get("/all-requests")
      #expect(page.status == .ok)
      let all = try record.requests()
      #expect(page.body.contains("\(all.count) requests, 1 open."))
      let order = all.compactMap { page.body.range(of: "<td>\($0.id)</td>")?.lowerBound }
      #expect(order.count == all.count)
      #expect(order == order.sorted())
      #expect(all.first?.id == open.id)
      #expect(all.dropFirst().allSatisfy { $0.state != .open })
      #expect(page.body.contains("after the test"))
      #expect(page.body.contains(">withdrawn</td>"))
      for outcome in plan.requests {
        let words = outcome.honored ? "honored on \(plan.date)" : "not honored on \(plan.date): "
        #expect(page.body.contains(words), "\(outcome.requestID)")
      }
    }
  }
}

// MARK: - Helpers

extension SchedulerPagesTests {
  /// Sends the plan form and waits until the job is done; returns the job's id.
  static func makePlan(_ browser: Browser, date: String = "", limit: String) async throws -> String {
    let sent = try await browser.post("/plan", [("date", date), ("time_limit", limit)])
    #expect(sent.status == .seeOther)
    let location = try #require(sent.location)
    #expect(location.hasPrefix("/plan/jobs/"))
    let id = String(location.dropFirst("/plan/jobs/".count))
    try await waitUntilDone(browser, id)
    return id
  }

  /// Polls the job's progress JSON until it says done (at most a minute).
  static func waitUntilDone(_ browser: Browser, _ id: String) async throws {
    for _ in 0..<600 {
      let page = try await browser.get("/plan/jobs/\(id)/progress")
      #expect(page.status == .ok)
      if try json(page.body)["done"] as? Bool == true { return }
      try await Task.sleep(for: .milliseconds(100))
    }
    Issue.record("job \(id) did not finish within a minute")
  }

  /// The finished plan of job `id`.
  static func plan(of id: String, _ fixture: WebFixture) async throws -> Plan {
    let found = await fixture.state.jobs.snapshot(id)
    guard case .plan(let plan) = found?.result else { throw WebError.notFound }
    return plan
  }

  /// The cells of one CSV line (RFC 4180 quoting; no line breaks inside cells).
  static func csvCells(_ line: String) -> [String] {
    var cells: [String] = []
    var cell = ""
    var quoted = false
    let characters = Array(line)
    var i = 0
    while i < characters.count {
      let c = characters[i]
      i += 1
      if quoted {
        if c != "\"" {
          cell.append(c)
        } else if i < characters.count, characters[i] == "\"" {
          cell.append("\"")
          i += 1
        } else {
          quoted = false
        }
      } else if c == "\"" {
        quoted = true
      } else if c == "," {
        cells.append(cell)
        cell = ""
      } else {
        cell.append(c)
      }
    }
    cells.append(cell)
    return cells
  }

  static func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  /// A fixture whose generated folder `edit` changes before it is imported.
  static func fixture(edit: (URL) throws -> Void) throws -> WebFixture {
    try WebFixture.make(edit: edit)
  }

  /// Gives the `index`th student of students.csv the given name `name`.
  static func rename(in folder: URL, student index: Int, to name: String) throws {
    let file = folder.appendingPathComponent("students.csv")
    var lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
    var cells = lines[index + 1].components(separatedBy: ",")
    cells[1] = name
    lines[index + 1] = cells.joined(separator: ",")
    try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
  }
}

/// A one-shot gate a test opens to let a job finish.
final class PlanGate: @unchecked Sendable {
  private let semaphore = DispatchSemaphore(value: 0)
  func wait() { semaphore.wait() }
  func open() { semaphore.signal() }
}

extension WebFixture {
  /// The school's plan date (school.toml's).
  fileprivate var planDate: Day { (try? state.record.load(date: nil).date) ?? Day("2026-01-05")! }
}
