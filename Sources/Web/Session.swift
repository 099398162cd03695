import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Record

/// Signs and checks session cookies and derives each session's CSRF token (HMAC-SHA256).
struct Signer: Sendable {
  let key: SymmetricKey

  init(key: Data) { self.key = SymmetricKey(data: key) }

  /// The MAC of `text`, base64url without padding.
  func mac(_ text: String) -> String {
    base64url(Data(HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key)))
  }

  /// A new session cookie value for grant `id`, valid until `expires` (seconds since 1970).
  func sessionValue(grant id: Int64, expires: Int, nonce: String = randomNonce()) -> String {
    let body = "\(id).\(expires).\(nonce)"
    return body + "." + mac(body)
  }

  /// The grant id a cookie value names, when its MAC is right and it has not expired.
  func grantID(fromSession value: String, now: Date = Date()) -> Int64? {
    let parts = value.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 4, let id = Int64(parts[0]), let expires = Int(parts[1]) else { return nil }
    let body = parts[0...2].joined(separator: ".")
    guard constantTimeEqual(mac(body), String(parts[3])) else { return nil }
    guard Double(expires) > now.timeIntervalSince1970 else { return nil }
    return id
  }

  /// The CSRF token of a session: derived from its cookie, so nothing is stored.
  func csrfToken(forSession value: String) -> String { mac("csrf:" + value) }
}

/// Compares two strings in time independent of where they differ.
func constantTimeEqual(_ a: String, _ b: String) -> Bool {
  let x = Array(a.utf8)
  let y = Array(b.utf8)
  guard x.count == y.count else { return false }
  var diff: UInt8 = 0
  for i in x.indices { diff |= x[i] ^ y[i] }
  return diff == 0
}

/// 16 random bytes, base64url.
func randomNonce() -> String {
  var generator = SystemRandomNumberGenerator()
  return base64url(Data((0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }))
}

func base64url(_ data: Data) -> String {
  data.base64EncodedString()
    .replacingOccurrences(of: "+", with: "-")
    .replacingOccurrences(of: "/", with: "_")
    .replacingOccurrences(of: "=", with: "")
}

/// The session cookie's name and lifetime.
enum SessionCookie {
  static let name = "regroup_session"
  /// Fourteen days; a revoked link ends its sessions sooner, at once.
  static let lifetime = 14 * 86_400

  /// A `Set-Cookie` for `value`: HTTP-only, SameSite=Lax, whole site.
  static func cookie(_ value: String, maxAge: Int = lifetime) -> Cookie {
    Cookie(name: name, value: value, maxAge: maxAge, path: "/", httpOnly: true, sameSite: .lax)
  }
}

/// Finds who is signed in (a valid cookie naming an active grant) and checks every POST's CSRF token.
///
/// A POST's form is parsed here (at most 1 MiB) and handed to the route in `context.form`; a
/// POST without the session's `_csrf` value gets 403 and changes nothing.
struct SessionMiddleware: RouterMiddleware {
  typealias Context = AppContext
  let state: WebState

  func handle(
    _ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response
  ) async throws -> Response {
    var context = context
    if let value = request.cookies[SessionCookie.name]?.value,
      let id = state.signer.grantID(fromSession: value),
      let grant = try state.record.activeGrant(id: id)
    {
      context.person = SignedIn(grant: grant, csrf: state.signer.csrfToken(forSession: value))
    }
    if request.method == .post {
      let body = try await request.body.collect(upTo: 1 << 20)
      context.form = Form(urlEncoded: String(buffer: body))
      // Every POST but sign-in needs the session's token (sign-in's token is its link).
      if !(request.uri.path.hasPrefix("/signin/")) {
        guard let person = context.person, let sent = context.form["_csrf"],
          constantTimeEqual(sent, person.csrf)
        else {
          throw context.person == nil ? HTTPError(.unauthorized) : WebError.csrf
        }
      }
    }
    return try await next(request, context)
  }
}
