import Foundation
import HTTPTypes
import HummingbirdTesting
import Record
import Testing

@testable import Web

/// Sign-in links, session cookies, revocation, CSRF, and the plain error pages.
@Suite struct AccessTests {
  @Test func signingInByLinkSetsAnHTTPOnlyCookieAndSendsEachRoleHome() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    try await fixture.test { client in
      let browser = Browser(client)
      let link = try await browser.get("/signin/\(fixture.teacherToken)")
      #expect(link.status == .seeOther)
      #expect(link.location == "/")
      let setCookie = link.headers[values: .setCookie].joined(separator: "\n")
      #expect(setCookie.contains("regroup_session="))
      #expect(setCookie.lowercased().contains("httponly"))
      #expect(setCookie.lowercased().contains("samesite=lax"))
      #expect(!setCookie.contains(fixture.teacherToken))
      #expect(link.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
      #expect(try await browser.get("/").location == "/day")

      let scheduler = Browser(client)
      try await scheduler.get("/signin/\(fixture.schedulerToken)")
      #expect(try await scheduler.get("/").location == "/status")
      let principal = Browser(client)
      try await principal.get("/signin/\(fixture.principalToken)")
      #expect(try await principal.get("/").location == "/scenarios")
    }
  }

  @Test func onlyATokenHashIsStoredAndANewLinkReplacesTheOld() throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    let record = fixture.state.record
    let grant = try #require(try record.activeGrant(tokenHash: SchoolRecord.tokenHash(fixture.teacherToken)))
    #expect(grant.staffID == fixture.teacher)
    let raw = try Data(contentsOf: record.url)
    #expect(raw.range(of: Data(fixture.teacherToken.utf8)) == nil)
    let (_, newer) = try record.issueAccess(staff: fixture.teacher, by: "test")
    #expect(try record.activeGrant(tokenHash: SchoolRecord.tokenHash(fixture.teacherToken)) == nil)
    #expect(try record.activeGrant(tokenHash: SchoolRecord.tokenHash(newer))?.staffID == fixture.teacher)
    #expect(throws: SchoolRecordError.self) { try record.issueAccess(staff: "NO-SUCH-STAFF", by: "test") }
  }

  @Test func aBadOrRevokedLinkIsRefusedAndARevokedSessionEndsAtOnce() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    try await fixture.test { client in
      let stranger = Browser(client)
      let bad = try await stranger.get("/signin/not-a-real-token")
      #expect(bad.status == .forbidden)
      #expect(stranger.cookie == nil)

      let teacher = Browser(client)
      try await teacher.get("/signin/\(fixture.teacherToken)")
      #expect(try await teacher.get("/").location == "/day")
      try fixture.state.record.revokeAccess(staff: fixture.teacher, by: "test")
      let after = try await teacher.get("/")
      #expect(after.status == .ok)
      #expect(after.location == nil)
      #expect(after.body.contains("personal sign-in link"))
      #expect(try await teacher.get("/signin/\(fixture.teacherToken)").status == .forbidden)
    }
  }

  @Test func aTamperedOrExpiredCookieIsIgnored() throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    let signer = fixture.state.signer
    let future = Int(Date().timeIntervalSince1970) + 3600
    let good = signer.sessionValue(grant: 1, expires: future)
    #expect(signer.grantID(fromSession: good) == 1)
    let parts = good.split(separator: ".")
    #expect(signer.grantID(fromSession: "2.\(parts[1]).\(parts[2]).\(parts[3])") == nil)
    #expect(signer.grantID(fromSession: "1.\(future + 10).\(parts[2]).\(parts[3])") == nil)
    #expect(signer.grantID(fromSession: signer.sessionValue(grant: 1, expires: 1000)) == nil)
    #expect(signer.grantID(fromSession: "garbage") == nil)
    #expect(
      signer.csrfToken(forSession: good)
        != signer.csrfToken(forSession: signer.sessionValue(grant: 1, expires: future)))
  }

  @Test func everyPostNeedsTheSessionsCSRFToken() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    try await fixture.test { client in
      let anonymous = Browser(client)
      #expect(try await anonymous.post("/signout", [], csrf: .some(nil)).status == .unauthorized)

      let teacher = Browser(client)
      try await teacher.signIn(fixture.teacherToken)
      let token = try #require(teacher.csrf)
      #expect(try await teacher.post("/signout", [], csrf: .some(nil)).status == .forbidden)
      #expect(try await teacher.post("/signout", [], csrf: "forged").status == .forbidden)

      // Another person's token does not fit this session.
      let other = Browser(client)
      try await other.signIn(fixture.otherTeacherToken)
      #expect(try await teacher.post("/signout", [], csrf: other.csrf).status == .forbidden)
      #expect(teacher.cookie != nil)

      let out = try await teacher.post("/signout", [], csrf: token)
      #expect(out.status == .seeOther)
      #expect(teacher.cookie == nil)
    }
  }

  @Test func unknownPagesAreAPlain404AndTheSafetyHeadersAreSet() async throws {
    let fixture = try WebFixture.make()
    defer { fixture.remove() }
    try await fixture.test { client in
      let browser = Browser(client)
      let missing = try await browser.get("/no/such/page")
      #expect(missing.status == .notFound)
      #expect(missing.body.contains("There is no such page."))
      #expect(missing.headers[.contentType] == "text/html; charset=utf-8")
      #expect(missing.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true)
      #expect(missing.headers[.cacheControl] == "no-store")
      let css = try await browser.get("/static/app.css")
      #expect(css.status == .ok)
      #expect(css.headers[.contentType] == "text/css; charset=utf-8")
    }
  }
}
