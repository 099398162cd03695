import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `regroup access issue|revoke|list` and `regroup serve` as processes (spec §10).
extension RecordCLITests {
  @Test func accessIssuePrintsOneLinkLineAndRevokeEndsIt() throws {
    let w = try Workspace()
    #expect(try w.run(["import", w.folder.path]).status == 0)

    let issued = try w.run(["access", "issue", "--staff", "T001"])
    #expect(issued.status == 0)
    let pattern = #"^http://127\.0\.0\.1:8080/signin/[A-Za-z0-9_-]{43}\n$"#
    #expect(issued.stdout.range(of: pattern, options: .regularExpression) != nil, "\(issued.stdout)")

    let other = try w.run([
      "access", "issue", "--role", "scheduler", "--name", "Ann Lee", "--base-url",
      "http://school.local:9000/",
    ])
    #expect(other.status == 0)
    #expect(other.stdout.hasPrefix("http://school.local:9000/signin/"))

    let listed = try w.run(["access", "list"])
    #expect(listed.status == 0)
    #expect(listed.stdout.contains("T001"))
    #expect(listed.stdout.contains("Ann Lee"))
    let token = String(try #require(issued.stdout.split(separator: "/").last).dropLast())
    #expect(!listed.stdout.contains(token))

    #expect(try w.run(["access", "revoke", "--staff", "T001"]).status == 0)
    let again = try w.run(["access", "revoke", "--staff", "T001"])
    #expect(again.status == 1)
    #expect(again.stderr.contains("T001 has no sign-in link to revoke"))
    #expect(try w.run(["access", "list"]).stdout.contains("revoked"))
  }

  @Test func accessRejectsUnknownStaffMissingNamesAndMissingRecords() throws {
    let w = try Workspace()
    let noRecord = try w.run(["access", "issue", "--staff", "T001"])
    #expect(noRecord.status == 1)
    #expect(noRecord.stderr.contains("regroup import"))
    #expect(noRecord.stdout.isEmpty)

    #expect(try w.run(["import", w.folder.path]).status == 0)
    let unknown = try w.run(["access", "issue", "--staff", "T999"])
    #expect(unknown.status == 1)
    #expect(unknown.stderr.contains("unknown staff \"T999\""))
    #expect(unknown.stdout.isEmpty)
    #expect(try w.run(["access", "issue", "--role", "principal"]).status == 64)
    #expect(try w.run(["access", "issue", "--role", "staff", "--name", "X"]).status == 64)
    #expect(
      try w.run(["access", "issue", "--staff", "T001", "--role", "principal", "--name", "X"]).status == 64)
    #expect(try w.run(["access", "issue"]).status == 64)
  }

  @Test func serveAnswersOnItsPortSignsInByLinkAndStopsOnSIGTERM() throws {
    let w = try Workspace()
    #expect(try w.run(["import", w.folder.path]).status == 0)
    let port = try freePort()
    let link = try w.run(["access", "issue", "--staff", "T001", "--base-url", "http://127.0.0.1:\(port)"])
    let path = String(link.stdout.dropFirst("http://127.0.0.1:\(port)".count).dropLast())

    let server = try w.start(["serve", "--port", String(port)])
    defer { if server.process.isRunning { server.process.terminate() } }
    let home = try waitForHTTP(port: port, path: "/")
    #expect(home.hasPrefix("HTTP/1.1 200"))
    #expect(home.contains("personal sign-in link"))

    let signIn = try httpGet(port: port, path: path)
    #expect(signIn.hasPrefix("HTTP/1.1 303"))
    #expect(signIn.lowercased().contains("set-cookie: regroup_session="))
    #expect(try httpGet(port: port, path: "/signin/wrong").hasPrefix("HTTP/1.1 403"))
    #expect(try httpGet(port: port, path: "/nothing-here").hasPrefix("HTTP/1.1 404"))

    server.process.terminate()
    server.process.waitUntilExit()
    let result = try server.result()
    #expect(result.status == 0)
    #expect(result.stderr.contains("serving regroup.db on http://127.0.0.1:\(port)/"))
    // Nothing personal in the server's output: no token, no names.
    #expect(!result.stderr.contains(path.dropFirst("/signin/".count)))
    #expect(!result.stderr.contains("Teacher 1"))
  }

  @Test func serveShowsARecordImportedFromOneRosterUnchanged() throws {
    // Issue 17: a record made by `import --oneroster` is served like a folder's record.
    let w = try Workspace()
    let mapping = Fixtures.root.appendingPathComponent("oneroster/v12/oneroster.toml").path
    let imported = try w.run(["import", "--oneroster", mapping, "--db", w.db.path])
    #expect(imported.status == 0, "\(imported.stderr)")
    let port = try freePort()
    let link = try w.run([
      "access", "issue", "--role", "scheduler", "--name", "Ann Lee", "--base-url", "http://127.0.0.1:\(port)",
    ])
    #expect(link.status == 0, "\(link.stderr)")
    let path = String(link.stdout.dropFirst("http://127.0.0.1:\(port)".count).dropLast())

    let server = try w.start(["serve", "--port", String(port)])
    defer { if server.process.isRunning { server.process.terminate() } }
    _ = try waitForHTTP(port: port, path: "/")
    let signIn = try httpGet(port: port, path: path)
    #expect(signIn.hasPrefix("HTTP/1.1 303"))
    let cookie = try #require(
      signIn.split(separator: "\r\n").first { $0.lowercased().hasPrefix("set-cookie: regroup_session=") }
    ).dropFirst("set-cookie: ".count).split(separator: ";").first.map(String.init)

    // The scheduler's status page lists the imported needs, CASE prerequisites included.
    let status = try httpGet(port: port, path: "/status", cookie: cookie)
    #expect(status.hasPrefix("HTTP/1.1 200"), "\(status.prefix(200))")
    #expect(status.contains("stu-1001"))
    #expect(status.contains("5.NF.A.2"))
    #expect(status.contains("id=\"not-ready\""))
    #expect(try httpGet(port: port, path: "/status").hasPrefix("HTTP/1.1 401"))
    server.process.terminate()
    server.process.waitUntilExit()
    #expect(try server.result().status == 0)
  }

  @Test func serveWithoutARecordSaysWhereItLooked() throws {
    let w = try Workspace()
    let result = try w.run(["serve", "--port", String(try freePort())])
    #expect(result.status == 1)
    #expect(result.stderr.contains(w.db.path))
    #expect(result.stderr.contains("regroup import"))
  }
}

/// A TCP port nobody listens on right now (the kernel's pick for port 0).
private func freePort() throws -> Int {
  let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
  defer { close(fd) }
  var address = sockaddr_in()
  address.sin_family = sa_family_t(AF_INET)
  address.sin_addr.s_addr = inet_addr("127.0.0.1")
  address.sin_port = 0
  var length = socklen_t(MemoryLayout<sockaddr_in>.size)
  let bound = withUnsafeMutablePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
      guard bind(fd, pointer, length) == 0 else { return -1 }
      return getsockname(fd, pointer, &length)
    }
  }
  try #require(bound == 0, "cannot find a free port")
  return Int(UInt16(bigEndian: address.sin_port))
}

/// A plain HTTP/1.1 GET on loopback (no redirects followed): the raw response, or nil when nobody answers.
private func httpGetOrNil(port: Int, path: String, cookie: String? = nil) -> String? {
  let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
  guard fd >= 0 else { return nil }
  defer { close(fd) }
  var address = sockaddr_in()
  address.sin_family = sa_family_t(AF_INET)
  address.sin_addr.s_addr = inet_addr("127.0.0.1")
  address.sin_port = UInt16(port).bigEndian
  let connected = withUnsafePointer(to: &address) {
    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
      connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
    }
  }
  guard connected == 0 else { return nil }
  let cookieLine = cookie.map { "Cookie: \($0)\r\n" } ?? ""
  let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\(cookieLine)Connection: close\r\n\r\n"
  _ = request.withCString { send(fd, $0, strlen($0), 0) }
  var data = Data()
  var buffer = [UInt8](repeating: 0, count: 65_536)
  while true {
    let n = recv(fd, &buffer, buffer.count, 0)
    if n <= 0 { break }
    data.append(contentsOf: buffer[0..<n])
  }
  return String(decoding: data, as: UTF8.self)
}

private func httpGet(port: Int, path: String, cookie: String? = nil) throws -> String {
  try #require(httpGetOrNil(port: port, path: path, cookie: cookie), "nothing answers on port \(port)")
}

/// Waits up to 20 s for the server to answer `path`.
private func waitForHTTP(port: Int, path: String) throws -> String {
  let deadline = Date().addingTimeInterval(20)
  while Date() < deadline {
    if let response = httpGetOrNil(port: port, path: path), !response.isEmpty { return response }
    usleep(100_000)
  }
  return try httpGet(port: port, path: path)
}
