import Foundation
import Hummingbird
import LearnerStatus
import Record

/// A staff member's pages: "My day" (their sessions, notes, and the students they asked for
/// who are with someone else) and "My requests" (ask for a student, withdraw, see outcomes).
///
/// Only a signed-in staff member may use them (the scheduler and the principal get 403,
/// nobody signed in gets 401), and each sees and changes only their own requests and sessions.
enum TeacherPages {
  static let templates: [String: String] = dayTemplates.merging(requestTemplates) { first, _ in first }

  static func addRoutes(to router: Router<AppContext>, state: WebState) {
    router.get("/day") { request, context in try dayPage(request, context, state) }
    router.post("/day/notes") { _, context in try saveNote(context, state) }
    router.get("/requests") { request, context in try requestsPage(request, context, state) }
    router.post("/requests") { _, context in try addRequest(context, state) }
    router.get("/requests/:id") { _, context in try requestDetail(context, state) }
    router.post("/requests/:id/withdraw") { _, context in try withdraw(context, state) }
    router.get("/students") { request, context in try studentSearch(request, context, state) }
  }

  /// The school's students, staff, targets and blocks as the record holds them now.
  static func currentSchool(_ state: WebState) throws -> School {
    try state.record.directory()
  }

  /// Today's date in UTC.
  static func todayUTC() -> Day {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let parts = calendar.dateComponents([.year, .month, .day], from: Date())
    return Day(year: parts.year!, month: parts.month!, day: parts.day!)!
  }

  /// `Given Family`, or the id when the student has no name.
  static func name(of student: Student) -> String {
    let name = [student.givenName, student.familyName].filter { !$0.isEmpty }.joined(separator: " ")
    return name.isEmpty ? student.id : name
  }

  /// `S001 — Given Family`: how the student field and its suggestions name a student.
  static func label(of student: Student) -> String { "\(student.id) — \(name(of: student))" }

  /// `09:00–09:30` for a block.
  static func time(of block: Block) -> String { "\(Block.clock(block.start))–\(Block.clock(block.end))" }
}

// MARK: - Finding a student by id or name

extension TeacherPages {
  /// What the student field named: one student, or the reason it did not, with close matches.
  enum StudentMatch: Equatable {
    case found(Student)
    case none(message: String, matches: [Student])
  }

  /// How many close matches an unknown or ambiguous name lists.
  static let matchLimit = 10

  /// The student `text` names: an id, `ID — name`, or a unique name (all case-insensitive).
  ///
  /// A full name (`Given Family`) is tried first, then a given or family name alone. An
  /// ambiguous name lists the students it fits; an unknown one lists those whose id or name
  /// contains it.
  static func findStudent(_ text: String, in students: [Student]) -> StudentMatch {
    let query = text.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !query.isEmpty else {
      return .none(message: "Choose a student: type an id or a name.", matches: [])
    }
    let key = fold(query)
    let idPart = fold(query.split(separator: "—", maxSplits: 1).first.map(String.init) ?? query)
    if let student = students.first(where: { fold($0.id) == key || fold($0.id) == idPart }) {
      return .found(student)
    }
    var fits = students.filter { fold(name(of: $0)) == key }
    if fits.isEmpty {
      fits = students.filter { fold($0.givenName) == key || fold($0.familyName) == key }
    }
    if fits.count == 1 { return .found(fits[0]) }
    if fits.count > 1 {
      let shown =
        fits.count > matchLimit ? " (the first \(matchLimit) are below; the full name narrows them)" : ""
      return .none(
        message: "\(fits.count) students are called “\(query)”: choose one by id\(shown).",
        matches: Array(fits.prefix(matchLimit)))
    }
    let near = search(query, in: students)
    return .none(
      message: near.isEmpty
        ? "No student has the id or name “\(query)”."
        : "No student has the id or name “\(query)”; did you mean one of these?",
      matches: Array(near.prefix(matchLimit)))
  }

  /// Students whose id or name contains `query` (case- and accent-insensitive), in file order.
  static func search(_ query: String, in students: [Student]) -> [Student] {
    let key = fold(query.trimmingCharacters(in: .whitespacesAndNewlines))
    guard !key.isEmpty else { return [] }
    return students.filter { fold($0.id).contains(key) || fold(name(of: $0)).contains(key) }
  }

  /// `text` folded for comparison: trimmed, without case or accents (`Zoë` is `zoe`).
  static func fold(_ text: String) -> String {
    text.trimmingCharacters(in: .whitespacesAndNewlines)
      .folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
  }
}
