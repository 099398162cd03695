import Foundation
import Hummingbird
import Record

/// The scheduler's pages (to be written).
enum SchedulerPages {
  static let templates: [String: String] = [:]

  static func addRoutes(to router: Router<AppContext>, state: WebState) {}
}
