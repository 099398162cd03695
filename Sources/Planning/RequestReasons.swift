import LearnerStatus

/// Says, for every request, whether the plan honors it and, when not, why, in words a
/// teacher can act on.
struct RequestReasons {
  let day: DayInput
  let sessions: [Session]
  let checker: PlanChecker

  func outcomes() -> [RequestOutcome] {
    let honored = checker.honoredRequests(in: sessions)
    return day.school.requests.map { request in
      if honored.contains(request.id) {
        return RequestOutcome(requestID: request.id, honored: true)
      }
      return RequestOutcome(requestID: request.id, honored: false, reason: reason(for: request))
    }
  }

  func reason(for request: Request) -> String {
    let school = day.school
    guard let k = day.staffIndex[request.staffID], day.studentIndex[request.studentID] != nil
    else { return "the request names an unknown staff member or student" }
    let blocks: [Int]
    if let blockID = request.blockID, let b = day.blockIndex[blockID] {
      blocks = [b]
    } else {
      blocks = Array(school.blocks.indices)
    }
    let phrases = blocks.map { b in
      (school.blocks[b].id, reason(request: request, staff: k, block: b))
    }
    if phrases.count == 1 { return phrases[0].1 }
    return phrases.map { "\($0.0): \($0.1)" }.joined(separator: "; ")
  }

  private func reason(request: Request, staff k: Int, block b: Int) -> String {
    let school = day.school
    let member = school.staff[k]
    let block = school.blocks[b]
    let staffID = member.id
    let studentID = request.studentID
    if school.unavailable.contains(where: { $0.staffID == staffID && $0.blockID == block.id }) {
      return "\(staffID) is unavailable in \(block.id)"
    }
    if block.minutes > member.maxMinutes {
      return "\(block.id) (\(block.minutes) min) is longer than \(staffID)'s \(member.maxMinutes) minutes"
    }
    if member.maxGroupSize < day.minSize {
      return
        "\(staffID)'s groups (at most \(member.maxGroupSize)) are below the minimum group size of \(day.minSize)"
    }
    if day.teachable[k][b].isEmpty {
      return "\(staffID) teaches none of \(block.id)'s subjects"
    }
    if let pin = school.pins.first(where: {
      $0.studentID == studentID && $0.blockID == block.id && $0.staffID != staffID
    }) {
      return "\(studentID) is pinned to \(pin.staffID) in that block"
    }
    let mine = sessions.filter { $0.staff == staffID }
    guard let session = mine.first(where: { $0.block == block.id }) else {
      if mine.isEmpty {
        return "\(staffID) leads no session today: other groups' needs weigh more"
      }
      let used = mine.compactMap { s in school.blocks.first { $0.id == s.block } }
      let minutes = used.reduce(0) { $0 + $1.minutes }
      let names = used.map(\.id).joined(separator: " and ")
      if minutes + block.minutes > member.maxMinutes {
        return "\(staffID) has no minutes left after \(names)"
      }
      return "\(staffID) leads no session in \(block.id): their groups in \(names) weigh more"
    }
    if session.students.count >= member.maxGroupSize {
      return "\(staffID)'s group in \(block.id) is full with higher-weight needs"
    }
    if let other = sessions.first(where: { $0.block == block.id && $0.students.contains(studentID) }) {
      return "\(studentID) is placed with \(other.staff) on \(other.target) in \(block.id), which weighs more"
    }
    if let other = sessions.first(where: { $0.target == session.target && $0.students.contains(studentID) }) {
      return "\(studentID) already works on \(session.target) in \(other.block) that day"
    }
    return
      "adding \(studentID) to \(staffID)'s group on \(session.target) in \(block.id) would lower the day's score"
  }
}
