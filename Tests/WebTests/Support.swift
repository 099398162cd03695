import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LearnerStatus
import NIOCore
import Record
import SchoolGenerator
import Web

/// A generated school imported into a fresh record in a temporary folder, with sign-in links
/// for two staff members, the scheduler and the principal.
struct WebFixture: Sendable {
  let folder: URL
  let state: WebState
  let school: School
  /// Two staff members (the first two of staff.csv) and their tokens.
  let teacher: String
  let teacherToken: String
  let otherTeacher: String
  let otherTeacherToken: String
  let schedulerToken: String
  let principalToken: String

  /// Builds the fixture: `students` generated with `seed`, plans limited to `planTimeLimit` seconds.
  ///
  /// `edit` may change the generated folder's files before they are imported.
  static func make(
    students: Int = 60, seed: UInt64 = 7, planTimeLimit: Double = 5, scenarios: URL? = nil,
    edit: (URL) throws -> Void = { _ in }
  ) throws -> WebFixture {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("regroup-web-\(UUID().uuidString)")
    let generator = SchoolGenerator(students: students, seed: seed)
    try generator.write(to: folder)
    try edit(folder)
    let record = try SchoolRecord.open(at: folder.appendingPathComponent("regroup.db"), create: true)
    let loaded = try SchoolRecord.validate(files: try SchoolRecord.readFiles(in: folder))
    _ = try record.importSchool(loaded, from: folder.path)
    let staff = loaded.school.staff.map(\.id)
    let (_, t1) = try record.issueAccess(staff: staff[0], by: "test")
    let (_, t2) = try record.issueAccess(staff: staff[1], by: "test")
    let (_, s) = try record.issueAccess(role: .scheduler, name: "Sam Scheduler", by: "test")
    let (_, p) = try record.issueAccess(role: .principal, name: "Pat Principal", by: "test")
    let state = try WebState(
      WebConfiguration(
        record: record.url, scenarios: scenarios, planTimeLimit: planTimeLimit))
    return WebFixture(
      folder: folder, state: state, school: loaded.school, teacher: staff[0], teacherToken: t1,
      otherTeacher: staff[1], otherTeacherToken: t2, schedulerToken: s, principalToken: p)
  }

  /// Runs `body` against the app through Hummingbird's in-process router tester.
  func test<T: Sendable>(_ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
    try await WebApp.application(state).test(.router, body)
  }

  func remove() { try? FileManager.default.removeItem(at: folder) }
}

/// A response as a test reads it.
struct Page: Sendable {
  var status: HTTPResponse.Status
  var headers: HTTPFields
  var body: String

  /// The `Location` of a redirect, if any.
  var location: String? { headers[.location] }

  /// The first CSRF token in the page's forms.
  var csrf: String? { Browser.firstMatch(#"name="_csrf" value="([^"]+)""#, in: body) }
}

/// A browser-like client: keeps the session cookie and the latest CSRF token it saw.
final class Browser: @unchecked Sendable {
  let client: any TestClientProtocol
  var cookie: String?
  var csrf: String?

  init(_ client: any TestClientProtocol) { self.client = client }

  /// Opens a sign-in link's path and keeps the cookie; then reads the home page for a CSRF token.
  @discardableResult
  func signIn(_ token: String) async throws -> Page {
    let page = try await get("/signin/\(token)")
    if page.status == .seeOther, let location = page.location {
      let home = try await get(location)
      if home.status == .seeOther, let next = home.location { return try await get(next) }
      return home
    }
    return page
  }

  /// GET `uri` with the cookie; remembers a new cookie and CSRF token.
  func get(_ uri: String) async throws -> Page {
    try await send(uri, method: .get, body: nil)
  }

  /// POST a form; `_csrf` is added from the last page seen unless `csrf` says otherwise.
  func post(_ uri: String, _ fields: [(String, String)], csrf override: String?? = nil) async throws -> Page {
    var fields = fields
    let token: String? = override ?? csrf
    if let token { fields.append(("_csrf", token)) }
    let text = fields.map { "\(Browser.formEscape($0.0))=\(Browser.formEscape($0.1))" }.joined(separator: "&")
    return try await send(uri, method: .post, body: text)
  }

  private func send(_ uri: String, method: HTTPRequest.Method, body: String?) async throws -> Page {
    var headers: HTTPFields = [:]
    if let cookie { headers[.cookie] = cookie }
    if body != nil { headers[.contentType] = "application/x-www-form-urlencoded" }
    let response = try await client.execute(
      uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    let page = Page(status: response.status, headers: response.headers, body: String(buffer: response.body))
    for field in response.headers[values: .setCookie] {
      let pair = field.split(separator: ";", maxSplits: 1)[0]
      if pair.hasSuffix("=") { cookie = nil } else { cookie = String(pair) }
    }
    if let token = page.csrf { csrf = token }
    return page
  }

  static func formEscape(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._*")
    return (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text)
  }

  static func firstMatch(_ pattern: String, in text: String) -> String? {
    guard let regex = try? NSRegularExpression(pattern: pattern),
      let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
      let range = Range(match.range(at: 1), in: text)
    else { return nil }
    return String(text[range])
  }
}
