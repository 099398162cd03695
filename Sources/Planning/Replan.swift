import LearnerStatus

/// One placement a re-plan adds, moves or drops (spec §13), with its reason in plain words.
public struct Change: Sendable, Equatable, Codable {
  /// Where a student sits: with whom, on what.
  public struct Seat: Sendable, Equatable, Codable {
    public var staff: String
    public var target: String

    public init(staff: String, target: String) {
      self.staff = staff
      self.target = target
    }
  }

  public var studentID: String
  public var block: String
  /// nil: the student had no session in this block (an added placement).
  public var from: Seat?
  /// nil: the student has no session in this block now (a dropped placement).
  public var to: Seat?
  public var reason: String

  public init(studentID: String, block: String, from: Seat?, to: Seat?, reason: String) {
    self.studentID = studentID
    self.block = block
    self.from = from
    self.to = to
    self.reason = reason
  }
}

extension Planner {
  /// Re-plans a published day (spec §13): the best plan by §4 − move · (published placements
  /// not kept; those an absence makes impossible cost nothing), its own bound and gap, and
  /// `changes` against `published`, one entry per placement added, moved or dropped.
  public func replan(_ school: School, date: Day, published: [Session]) throws -> Plan {
    let week = WeekDay.prepare(school, on: date)
    let day = DayInput(
      school: week.school, date: date, needs: Derivation.needs(in: week.school, on: date),
      published: published)
    var plan = withWeek(try plan(day), week, original: school)
    // The search scores §4 + move · kept; the re-plan's score is §4 − move · (keepable − kept).
    let offset = day.moveWeight * Double(day.keepable.count)
    plan.objective = plan.objective.map { $0 - offset }
    plan.bound = plan.bound.map { $0 - offset }
    if plan.status == .optimal || plan.status == .feasible {
      plan.changes = Self.changes(
        from: published, to: plan.sessions, school: week.school, original: school, date: date)
    } else {
      plan.changes = []
    }
    return plan
  }

  /// The placements that differ between the published and the new sessions, by block order
  /// then student id, each with the first reason that applies: an absence, a new required
  /// request, a session closed, a staff member's freed time, else a better plan for the day.
  static func changes(
    from published: [Session], to sessions: [Session], school: School, original: School, date: Day
  ) -> [Change] {
    struct Seat: Hashable {
      var student: String
      var block: String
    }
    func seats(_ list: [Session]) -> [Seat: Change.Seat] {
      var result: [Seat: Change.Seat] = [:]
      for session in list {
        for s in session.students {
          result[Seat(student: s, block: session.block)] = Change.Seat(
            staff: session.staff, target: session.target)
        }
      }
      return result
    }
    let before = seats(published)
    let after = seats(sessions)
    let away = AbsentSet(original, on: date)
    struct Slot: Hashable {
      var staff: String
      var block: String
      var target: String
    }
    let oldSessions = Set(published.map { Slot(staff: $0.staff, block: $0.block, target: $0.target) })
    let newSessions = Set(sessions.map { Slot(staff: $0.staff, block: $0.block, target: $0.target) })
    let publishedPairs = Set(published.flatMap { s in s.students.map { [$0, s.staff, s.block] } })
    // Staff members whose published sessions an absence took away: their freed students
    // and seats explain the moves they cause.
    let absentStaff = Set(
      published.filter { away.isAbsent($0.staff, in: $0.block) }.map(\.staff))
    let blockOrder = Dictionary(
      school.blocks.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
    let keys = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted {
      let a = blockOrder[$0.block] ?? Int.max
      let b = blockOrder[$1.block] ?? Int.max
      return a != b ? a < b : $0.student < $1.student
    }
    return keys.map { key in
      let from = before[key]
      let to = after[key]
      func reason() -> String {
        if let from, away.isAbsent(key.student, in: key.block), to == nil || from != nil {
          _ = from
          return "\(key.student) is absent"
        }
        if let from, away.isAbsent(from.staff, in: key.block) { return "\(from.staff) is absent" }
        if let to,
          let request = school.requests.first(where: {
            $0.priority == .required && $0.studentID == key.student && $0.staffID == to.staff
              && ($0.blockID == nil || $0.blockID == key.block)
              && !publishedPairs.contains([key.student, to.staff, key.block])
          })
        {
          return "a new required request \(request.id)"
        }
        if let from, !newSessions.contains(Slot(staff: from.staff, block: key.block, target: from.target)) {
          return "\(from.staff)'s session on \(from.target) in block \(key.block) was closed"
        }
        if let to, !oldSessions.contains(Slot(staff: to.staff, block: key.block, target: to.target)) {
          if let freed = absentStaff.sorted().first {
            return "a new session of \(to.staff) on \(to.target), covering for \(freed)"
          }
          return "a new session of \(to.staff) on \(to.target)"
        }
        if let freed = absentStaff.sorted().first {
          return "a seat freed or taken while covering for \(freed)"
        }
        return "a better plan for the day"
      }
      return Change(studentID: key.student, block: key.block, from: from, to: to, reason: reason())
    }
  }
}
