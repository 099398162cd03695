import LearnerStatus
import Planning

/// The plan as a readable day sheet for people (the default `--format text`).
///
/// Sections, in order: a header (date, status, score, bound, gap); the sessions block
/// by block (time range, staff, target and title, students by name and id); each staff
/// member's day (blocks and minutes used against their maximum); the students left in
/// home base per block; the request outcomes with reasons; and, when the day is
/// infeasible, the conflicts. Names appear only here, never in JSON or CSV.
public enum PlanText {
  public static func render(_ plan: Plan, school: School) -> String {
    let students = Dictionary(school.students.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let targets = Dictionary(school.targets.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let staff = Dictionary(school.staff.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let blocks = Dictionary(school.blocks.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })

    func staffName(_ id: String) -> String {
      guard let name = staff[id]?.name, !name.isEmpty else { return id }
      return "\(name) (\(id))"
    }
    func studentName(_ id: String) -> String {
      guard let student = students[id] else { return id }
      let name = [student.givenName, student.familyName].filter { !$0.isEmpty }
        .joined(separator: " ")
      return name.isEmpty ? id : "\(name) (\(id))"
    }
    func targetName(_ id: String) -> String {
      guard let title = targets[id]?.title, !title.isEmpty else { return id }
      return "\(id) \(title)"
    }
    func timeRange(_ id: String) -> String {
      guard let block = blocks[id] else { return "" }
      return "\(Block.clock(block.start))-\(Block.clock(block.end))"
    }

    var out: [String] = []
    let title = school.policy.name.isEmpty ? "Plan" : "Plan for \(school.policy.name)"
    out.append("\(title), \(plan.date)")
    out.append("status: \(plan.status.rawValue)")
    out.append("score:  \(plan.objective.map { Number.format($0) } ?? "none")")
    out.append("bound:  \(plan.bound.map { Number.format($0) } ?? "none")")
    out.append("gap:    \(plan.gap.map { Number.format($0, decimals: 9) } ?? "none")")

    // Blocks in the folder's order, then any the plan names that the folder does not.
    var blockOrder = school.blocks.map(\.id)
    for session in plan.sessions where !blockOrder.contains(session.block) {
      blockOrder.append(session.block)
    }

    if let changes = plan.changes {
      // Spec §13: what a re-plan changed comes first, one line per placement, with why.
      out.append("")
      out.append("Changes from the published plan (\(changes.count))")
      if changes.isEmpty { out.append("  (none: the published plan stands)") }
      func seat(_ seat: Change.Seat?) -> String {
        guard let seat else { return "no session" }
        return "\(seat.staff) \(seat.target)"
      }
      for c in changes {
        out.append("  \(c.block) \(studentName(c.studentID)): \(seat(c.from)) -> \(seat(c.to)) (\(c.reason))")
      }
    }

    if let dosage = plan.dosage {
      let short = dosage.filter { $0.shortAfterToday > 0 }
      out.append("")
      out.append(
        "Weekly dosage: \(dosage.count - short.count) of \(dosage.count) students reach their week with today"
      )
      for d in short {
        out.append(
          "  \(studentName(d.studentID)): tier \(d.tier), \(d.beforeToday) before today + \(d.today) today "
            + "of \(d.perWeek), \(d.shortAfterToday) still short")
      }
    }

    out.append("")
    out.append("Sessions")
    if plan.sessions.isEmpty { out.append("  (none)") }
    for blockID in blockOrder {
      let sessions = plan.sessions.filter { $0.block == blockID }
      guard !sessions.isEmpty else { continue }
      let range = timeRange(blockID)
      out.append("  \(blockID)\(range.isEmpty ? "" : " \(range)")")
      for session in sessions {
        out.append(
          "    \(staffName(session.staff)): \(targetName(session.target)), "
            + "\(session.students.count) student\(session.students.count == 1 ? "" : "s")")
        out.append("      " + session.students.map(studentName).joined(separator: ", "))
      }
    }

    out.append("")
    out.append("Staff")
    for member in school.staff {
      let led = plan.sessions.filter { $0.staff == member.id }
      var usedBlocks: [String] = []
      for session in led where !usedBlocks.contains(session.block) { usedBlocks.append(session.block) }
      let minutes = usedBlocks.reduce(0) { $0 + (blocks[$1]?.minutes ?? 0) }
      let what = led.isEmpty ? "no sessions" : led.map { "\($0.block) \($0.target)" }.joined(separator: ", ")
      out.append("  \(staffName(member.id)): \(minutes) of \(member.maxMinutes) minutes; \(what)")
    }

    out.append("")
    out.append("Home base (not in a session)")
    for block in school.blocks {
      let placed = Set(plan.sessions.filter { $0.block == block.id }.flatMap(\.students))
      let left = school.students.map(\.id).filter { !placed.contains($0) }
      out.append(
        "  \(block.id) \(timeRange(block.id)): \(left.count) student\(left.count == 1 ? "" : "s")"
          + (left.isEmpty ? "" : ": " + left.joined(separator: ", ")))
    }

    out.append("")
    out.append("Requests")
    if plan.requests.isEmpty { out.append("  (none)") }
    let requests = Dictionary(school.requests.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    for outcome in plan.requests {
      var line = "  \(outcome.requestID)"
      if let request = requests[outcome.requestID] {
        line +=
          " (\(request.priority.rawValue), \(request.staffID) for \(request.studentID)"
          + " in \(request.blockID.map { "block \($0)" } ?? "any block"))"
      }
      line += outcome.honored ? ": honored" : ": not honored; \(outcome.reason ?? "no reason given")"
      out.append(line)
    }

    if !plan.conflicts.isEmpty || plan.status == .infeasible {
      out.append("")
      out.append("Conflicts")
      if plan.conflicts.isEmpty { out.append("  (none named)") }
      for conflict in plan.conflicts {
        out.append("  \(conflict.rules.joined(separator: ", ")): \(conflict.message)")
      }
    }
    return out.joined(separator: "\n") + "\n"
  }
}
