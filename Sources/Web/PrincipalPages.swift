import Foundation
import Hummingbird
import Record

/// The principal's pages (to be written).
enum PrincipalPages {
  static let templates: [String: String] = [:]

  static func addRoutes(to router: Router<AppContext>, state: WebState) {}
}
