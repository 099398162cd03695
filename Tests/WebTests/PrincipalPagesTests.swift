import Foundation
import HTTPTypes
import HummingbirdTesting
import Record
import TestSupport
import Testing

@testable import Web

/// The principal's pages: choosing scenarios, running a simulation, its comparison and report.
@Suite struct PrincipalPagesTests {
  /// The four scenario files of `fixtures/scenarios`, by file and name.
  static let fixtureScenarios = [
    ("cap-groups-at-5.toml", "Groups capped at 5"),
    ("groups-of-at-least-3.toml", "Groups of at least 3"),
    ("one-more-interventionist.toml", "One more interventionist"),
    ("second-win-block.toml", "Second WIN block"),
  ]

  /// A scenario folder with `files` (name → TOML text), removed by the caller.
  static func scenarioFolder(_ files: [String: String]) throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("regroup-scenarios-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for (name, text) in files {
      try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    return folder
  }

  /// A browser signed in with `token`.
  static func signedIn(_ client: any TestClientProtocol, _ token: String) async throws -> Browser {
    let browser = Browser(client)
    try await browser.signIn(token)
    return browser
  }

  /// The simulation jobs started so far on `fixture`'s board.
  static func simulations(_ fixture: WebFixture) async -> Int {
    await fixture.state.jobs.recent(kind: "simulation").count
  }
}

extension PrincipalPagesTests {
  @Test func onlyThePrincipalMayUseThePagesAndUnknownJobsAre404() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    let jobRoutes = [
      "/scenarios/jobs/nope", "/scenarios/jobs/nope/progress", "/scenarios/jobs/nope/report",
      "/scenarios/jobs/nope/report.json",
    ]
    try await fixture.test { client in
      let anonymous = Browser(client)
      for uri in ["/scenarios"] + jobRoutes {
        #expect(try await anonymous.get(uri).status == .unauthorized, "\(uri)")
      }
      #expect(
        try await anonymous.post("/scenarios/run", [("days", "2")], csrf: .some(nil)).status == .unauthorized)

      for token in [fixture.teacherToken, fixture.schedulerToken] {
        let other = try await Self.signedIn(client, token)
        for uri in ["/scenarios"] + jobRoutes {
          let page = try await other.get(uri)
          #expect(page.status == .forbidden, "\(uri)")
          #expect(page.body.contains("Not allowed"))
        }
        let post = try await other.post("/scenarios/run", [("extra", "name = \"x\""), ("days", "2")])
        #expect(post.status == .forbidden)
      }

      let principal = try await Self.signedIn(client, fixture.principalToken)
      for uri in jobRoutes {
        let page = try await principal.get(uri)
        #expect(page.status == .notFound, "\(uri)")
        #expect(page.body.contains("There is no such page."))
      }
    }
    #expect(await Self.simulations(fixture) == 0)
  }

  @Test func theFormListsTheFolderWithUnusableFilesAndEscapedNames() async throws {
    let folder = try Self.scenarioFolder([
      "a-fine.toml": "name = \"<b>Bold</b> & more\"\n[policy]\ngroups.min_size = 2\n",
      "b-broken.toml": "name = \"unterminated\n",
      "c-unknown-staff.toml": "remove_staff = [\"NOBODY\"]\n",
      "notes.txt": "not a scenario",
    ])
    defer { try? FileManager.default.removeItem(at: folder) }
    let fixture = try WebFixture.make(scenarios: folder)
    defer { fixture.remove() }
    try await fixture.test { client in
      let principal = try await Self.signedIn(client, fixture.principalToken)
      let page = try await principal.get("/scenarios")
      #expect(page.status == .ok)
      #expect(page.body.contains("&lt;b&gt;Bold&lt;/b&gt; &amp; more"))
      #expect(!page.body.contains("<b>Bold</b>"))
      #expect(page.body.contains(#"id="scenario-1" name="scenario" value="a-fine.toml""#))
      #expect(page.body.contains(#"id="scenario-2" disabled"#))
      #expect(page.body.contains("b-broken.toml:"))
      #expect(page.body.contains(#"id="scenario-3" disabled"#))
      #expect(page.body.contains(#"remove_staff: unknown staff_id &quot;NOBODY&quot;"#))
      #expect(!page.body.contains("notes.txt"))
      for id in ["extra", "days", "seed", "run"] { #expect(page.body.contains(#"id="\#(id)""#)) }
      #expect(page.body.contains(#"id="days" name="days" value="10""#))
      #expect(page.body.contains(#"id="seed" name="seed" value="1""#))
      #expect(page.body.contains(#"name="_csrf" value="\#(principal.csrf ?? "-")""#))
    }
  }

  @Test func withoutAScenarioFolderThePageSaysSo() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    try await fixture.test { client in
      let principal = try await Self.signedIn(client, fixture.principalToken)
      let page = try await principal.get("/scenarios")
      #expect(page.status == .ok)
      #expect(page.body.contains("No scenario folder was given"))
      #expect(!page.body.contains(#"id="scenario-1""#))
    }
  }

  @Test func runningNeedsTheSessionsCSRFToken() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    try await fixture.test { client in
      let principal = try await Self.signedIn(client, fixture.principalToken)
      let fields = [("extra", "[policy]\ngroups.min_size = 2\n"), ("days", "1"), ("seed", "1")]
      #expect(try await principal.post("/scenarios/run", fields, csrf: .some(nil)).status == .forbidden)
      #expect(try await principal.post("/scenarios/run", fields, csrf: "forged").status == .forbidden)
      let teacher = try await Self.signedIn(client, fixture.teacherToken)
      #expect(try await principal.post("/scenarios/run", fields, csrf: teacher.csrf).status == .forbidden)
    }
    #expect(await Self.simulations(fixture) == 0)
  }

  @Test func badInputBringsTheFormBackWithEachErrorAndStartsNothing() async throws {
    let folder = try Self.scenarioFolder([
      "a-fine.toml": "name = \"Fine\"\n[policy]\ngroups.min_size = 2\n",
      "b-broken.toml": "name = \"unterminated\n",
    ])
    defer { try? FileManager.default.removeItem(at: folder) }
    let fixture = try WebFixture.make(scenarios: folder)
    defer { fixture.remove() }
    try await fixture.test { client in
      let principal = try await Self.signedIn(client, fixture.principalToken)
      _ = try await principal.get("/scenarios")

      let none = try await principal.post("/scenarios/run", [("days", "3"), ("seed", "9")])
      #expect(none.status == .unprocessableContent)
      #expect(none.body.contains(#"id="scenario-error""#))
      #expect(none.body.contains("Choose at least one scenario"))
      #expect(none.body.contains(#"id="days" name="days" value="3""#))
      #expect(none.body.contains(#"id="seed" name="seed" value="9""#))

      for days in ["0", "61", "ten", ""] {
        let page = try await principal.post(
          "/scenarios/run", [("scenario", "a-fine.toml"), ("days", days), ("seed", "1")])
        #expect(page.status == .unprocessableContent, "days \(days)")
        #expect(page.body.contains(#"id="days-error""#), "days \(days)")
        #expect(page.body.contains(#"value="a-fine.toml" checked"#), "days \(days)")
        #expect(!page.body.contains(#"id="scenario-error""#), "days \(days)")
      }

      let seed = try await principal.post(
        "/scenarios/run", [("scenario", "a-fine.toml"), ("days", "2"), ("seed", "-1")])
      #expect(seed.status == .unprocessableContent)
      #expect(seed.body.contains(#"id="seed-error""#))

      let broken = try await principal.post(
        "/scenarios/run", [("scenario", "b-broken.toml"), ("days", "2"), ("seed", "1")])
      #expect(broken.status == .unprocessableContent)
      #expect(broken.body.contains("b-broken.toml cannot be used"))

      let gone = try await principal.post(
        "/scenarios/run", [("scenario", "gone.toml"), ("days", "2"), ("seed", "1")])
      #expect(gone.status == .unprocessableContent)
      #expect(gone.body.contains("There is no scenario file gone.toml"))

      let badTOML = "name = \"<script>x</script>\"\n[[add_staff]\n"
      let syntax = try await principal.post(
        "/scenarios/run", [("extra", badTOML), ("days", "2"), ("seed", "1")])
      #expect(syntax.status == .unprocessableContent)
      #expect(syntax.body.contains(#"id="extra-error""#))
      #expect(syntax.body.contains("pasted scenario:"))
      #expect(syntax.body.contains("&lt;script&gt;x&lt;/script&gt;"))
      #expect(!syntax.body.contains("<script>x"))

      let unknown = "name = \"Away\"\n[[unavailable]]\nstaff_id = \"NOBODY\"\nblock_id = \"WIN\"\n"
      let ids = try await principal.post(
        "/scenarios/run", [("scenario", "a-fine.toml"), ("extra", unknown), ("days", "2"), ("seed", "1")])
      #expect(ids.status == .unprocessableContent)
      #expect(ids.body.contains(#"id="extra-error""#))
      #expect(ids.body.contains("unknown staff_id &quot;NOBODY&quot;"))
      #expect(!ids.body.contains(#"id="scenario-error""#))
    }
    #expect(await Self.simulations(fixture) == 0)
  }

  @Test(.timeLimit(.minutes(5)))
  func aSimulationRunsToItsComparisonAndReport() async throws {
    let folder = Fixtures.root.appendingPathComponent("scenarios")
    // 300 students: enough teachers (T001…T014) for every fixture scenario's ids.
    let fixture = try WebFixture.make(students: 300, scenarios: folder)
    defer { fixture.remove() }
    try await fixture.test { client in
      let principal = try await Self.signedIn(client, fixture.principalToken)
      let form = try await principal.get("/scenarios")
      for (index, (file, name)) in Self.fixtureScenarios.enumerated() {
        #expect(form.body.contains(#"id="scenario-\#(index + 1)" name="scenario" value="\#(file)""#))
        #expect(form.body.contains(name))
      }
      let fields = Self.fixtureScenarios.map { ("scenario", $0.0) } + [("days", "2"), ("seed", "1")]
      let started = try await principal.post("/scenarios/run", fields)
      #expect(started.status == .seeOther)
      let location = try #require(started.location)
      #expect(location.hasPrefix("/scenarios/jobs/"))

      // One at a time: a second run while this one works is refused, and starts nothing.
      let second = try await principal.post("/scenarios/run", fields)
      // Ten scenario-days of 300 students take seconds: the job is still running here.
      let running = try await principal.get(location)
      #expect(second.status == .conflict)
      #expect(second.body.contains(#"id="run-error""#))
      #expect(running.body.contains(#"data-poll="\#(location)/progress""#))
      #expect(running.body.contains(#"<noscript><meta http-equiv="refresh" content="2">"#))
      #expect(try await principal.get(location + "/report").location == location)

      var progress = ""
      for _ in 0..<600 {
        progress = try await principal.get(location + "/progress").body
        if progress.contains(#""done":true"#) { break }
        try await Task.sleep(for: .milliseconds(250))
      }
      #expect(progress.contains(#""done":true"#))
      #expect(await Self.simulations(fixture) == 1)

      let done = try await principal.get(location)
      #expect(done.status == .ok)
      #expect(done.body.contains(#"id="comparison""#))
      #expect(done.body.contains(#"id="equity""#))
      #expect(done.body.contains("needs served per day"))
      #expect(done.body.contains(#"<a id="report" href="\#(location)/report">"#))
      #expect(done.body.contains("Simulated 2 school days"))
      for (_, name) in Self.fixtureScenarios { #expect(done.body.contains(name)) }

      let report = try await principal.get(location + "/report")
      #expect(report.status == .ok)
      #expect(report.headers[.contentType] == "text/html; charset=utf-8")
      #expect(report.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
      #expect(report.body.contains("<svg"))
      for (_, name) in Self.fixtureScenarios { #expect(report.body.contains(name)) }

      let json = try await principal.get(location + "/report.json")
      #expect(json.status == .ok)
      #expect(json.headers[.contentType] == "application/json; charset=utf-8")
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(json.body.utf8)) as? [String: Any])
      #expect(object["days"] as? Int == 2)
      let columns = try #require(object["scenarios"] as? [[String: Any]])
      #expect(columns.compactMap { $0["name"] as? String } == ["base"] + Self.fixtureScenarios.map(\.1))

      let again = try await principal.get("/scenarios")
      #expect(again.body.contains(#"id="recent-simulations""#))
      #expect(again.body.contains(location))
    }
  }
}
