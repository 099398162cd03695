import Foundation
import Hummingbird
import Record

/// The person a request comes from, once their session cookie checked out.
public struct SignedIn: Sendable {
  public var grant: AccessGrant
  /// The CSRF token every form of this session must send back as `_csrf`.
  public var csrf: String

  /// The staff id of a staff member; nil for the scheduler and the principal.
  public var staffID: String? { grant.role == .staff ? grant.staffID : nil }
}

/// The request context: Hummingbird's core storage plus who is signed in and the parsed form.
public struct AppContext: RequestContext {
  public var coreContext: CoreRequestContextStorage
  /// nil when no valid session cookie came with the request.
  public var person: SignedIn?
  /// The submitted form of a POST (already checked against CSRF); empty otherwise.
  public var form = Form()

  public init(source: Source) {
    self.coreContext = .init(source: source)
  }

  /// The signed-in person if their role is one of `roles`; else 401 (not signed in) or 403.
  @discardableResult
  public func require(_ roles: AccessRole...) throws -> SignedIn {
    guard let person else { throw HTTPError(.unauthorized) }
    guard roles.contains(person.grant.role) else { throw HTTPError(.forbidden) }
    return person
  }

  /// The signed-in staff member's id; else 401 or 403.
  public func requireStaff() throws -> (SignedIn, String) {
    let person = try require(.staff)
    guard let id = person.staffID else { throw HTTPError(.forbidden) }
    return (person, id)
  }
}
