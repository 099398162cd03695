import Foundation
import Hummingbird
import Record

/// The teacher's pages (to be written).
enum TeacherPages {
  static let templates: [String: String] = [:]

  static func addRoutes(to router: Router<AppContext>, state: WebState) {}
}
