import Foundation
import LearnerStatus
import Planning
import Record
import Reports

/// The day sheet as the plan page and the published page show it: the header figures, the
/// sessions by block and by staff member, who stays in home base, the requests' outcomes.
extension SchedulerPages {
  static let sheetTemplates: [String: String] = [
    "scheduler-sheet": """
    <table class="figures" id="plan-figures" style="width: auto">
    <tbody>
    <tr><th>Day</th><td>{{date}}</td></tr>
    <tr><th>Status</th><td class="{{statusClass}}" id="plan-status">{{status}}</td></tr>
    <tr><th>Score</th><td class="num" id="plan-score">{{score}}</td></tr>
    <tr><th>Proven bound</th><td class="num">{{bound}}</td></tr>
    <tr><th>Gap</th><td class="num">{{gap}}</td></tr>
    <tr><th>Planning time</th><td class="num">{{seconds}}</td></tr>
    </tbody>
    </table>
    {{#hasPlanWarnings}}
    <h2>Dropped because of absences</h2>
    <ul id="plan-warnings">{{#planWarnings}}<li>{{.}}</li>{{/planWarnings}}</ul>
    {{/hasPlanWarnings}}
    {{#dosage}}
    <h2>Weekly dosage</h2>
    <p id="plan-dosage">{{summary}}</p>
    {{#hasShort}}
    <table id="plan-dosage-short">
    <thead><tr><th>Student</th><th class="num">Tier</th><th class="num">Sessions a week</th><th class="num">Before today</th><th class="num">Today</th><th class="num">Still short</th></tr></thead>
    <tbody>
    {{#short}}<tr><td>{{student}}</td><td class="num">{{tier}}</td><td class="num">{{perWeek}}</td><td class="num">{{before}}</td><td class="num">{{today}}</td><td class="num">{{short}}</td></tr>
    {{/short}}
    </tbody>
    </table>
    {{/hasShort}}
    {{/dosage}}
    {{#hasConflicts}}
    <h2>Why there is no plan</h2>
    <ul id="conflicts">{{#conflicts}}<li><strong>{{rules}}</strong>: {{message}}</li>{{/conflicts}}</ul>
    {{/hasConflicts}}
    <h2>By block</h2>
    {{#blocks}}
    <h3>{{id}} <span class="muted">{{time}}</span></h3>
    {{#hasSessions}}
    <table class="block-sessions" data-block="{{id}}">
    <thead><tr><th>Staff member</th><th>Target</th><th class="num">Students</th><th>Who</th></tr></thead>
    <tbody>
    {{#sessions}}<tr><td>{{staff}}</td><td>{{target}}</td><td class="num">{{count}}</td><td>{{students}}</td></tr>
    {{/sessions}}
    </tbody>
    </table>
    {{/hasSessions}}
    {{^hasSessions}}<p class="muted">No sessions in this block.</p>{{/hasSessions}}
    <details class="home-base"><summary>{{homeCount}} in home base</summary><p>{{homeStudents}}</p></details>
    {{/blocks}}
    <h2>By staff member</h2>
    <table id="by-staff">
    <thead><tr><th>Staff member</th><th class="num">Minutes</th><th>Sessions</th></tr></thead>
    <tbody>
    {{#staff}}<tr><td>{{name}}</td><td class="num">{{minutes}}</td><td>{{sessions}}</td></tr>
    {{/staff}}
    </tbody>
    </table>
    <h2>Requests</h2>
    {{#hasRequests}}
    <table id="request-outcomes">
    <thead><tr><th>Request</th><th>Staff member</th><th>Student</th><th>Block</th><th>Priority</th><th>Outcome</th></tr></thead>
    <tbody>
    {{#requests}}<tr><td>{{id}}</td><td>{{staff}}</td><td>{{student}}</td><td>{{block}}</td><td>{{priority}}</td><td class="{{outcomeClass}}">{{outcome}}</td></tr>
    {{/requests}}
    </tbody>
    </table>
    {{/hasRequests}}
    {{^hasRequests}}<p class="muted">No requests were open for this day.</p>{{/hasRequests}}
    """
  ]

  /// The data of the `scheduler-sheet` partial for `plan`, with names from `school` and each
  /// request's staff member, student and block from the record's `requests`.
  static func sheetData(_ plan: Plan, school: School, requests: [StoredRequest]) -> [String: Any] {
    let names = Names(school)
    let directory = DayDirectory(plan: plan, school: school)
    let noPlan = plan.status == .infeasible || plan.status == .timeout
    var data: [String: Any] = [
      "date": plan.date.description,
      "status": statusWords(plan.status),
      "statusClass": noPlan ? "not-honored" : "honored",
      "score": plan.objective.map { Number.fixed($0, decimals: 2) } ?? "none",
      "bound": plan.bound.map { Number.fixed($0, decimals: 2) } ?? "none",
      "gap": plan.gap.map { Number.fixed($0 * 100, decimals: 2) + " %" } ?? "none",
      "seconds": Number.fixed(plan.seconds, decimals: 1) + " s",
      "hasConflicts": !plan.conflicts.isEmpty,
      "conflicts": plan.conflicts.map { ["rules": $0.rules.joined(separator: ", "), "message": $0.message] },
      "blocks": blockRows(plan, school: school, names: names, directory: directory),
      "staff": staffDayRows(plan, school: school, names: names, directory: directory),
      "hasRequests": !plan.requests.isEmpty,
      "requests": outcomeRows(plan, school: school, names: names, requests: requests),
      "hasPlanWarnings": !plan.warnings.isEmpty, "planWarnings": plan.warnings,
    ]
    if let dosage = plan.dosage {
      // Spec §14: every student with a weekly dosage; the page lists those still short after today.
      let short = dosage.filter { $0.shortAfterToday > 0 }
      data["dosage"] = [
        "summary": "\(dosage.count - short.count) of \(count(dosage.count, "student")) with a weekly dosage "
          + "reach it with today's sessions\(short.isEmpty ? "." : "; still short after today:")",
        "hasShort": !short.isEmpty,
        "short": short.map { d -> [String: Any] in
          [
            "student": names.student(d.studentID), "tier": String(d.tier), "perWeek": String(d.perWeek),
            "before": String(d.beforeToday), "today": String(d.today), "short": String(d.shortAfterToday),
          ]
        },
      ]
    }
    return data
  }

  /// `optimal (proven best)`, `feasible (…)` and the like, for people.
  static func statusWords(_ status: Plan.Status) -> String {
    switch status {
    case .optimal: return "optimal: no plan scores higher"
    case .feasible: return "feasible: a good plan, not proven best within the time limit"
    case .infeasible: return "infeasible: the rules cannot all hold on this day"
    case .timeout: return "no plan: the time limit ran out before any plan was found"
    }
  }

  /// Each block of the day: its sessions (staff, target, students) and who stays in home base.
  static func blockRows(_ plan: Plan, school: School, names: Names, directory: DayDirectory)
    -> [[String: Any]]
  {
    directory.blockOrder.map { block -> [String: Any] in
      let sessions = plan.sessions.filter { $0.block == block }
      let placed = Set(sessions.flatMap(\.students))
      let home = school.students.map(\.id).filter { !placed.contains($0) }
      return [
        "id": block, "time": directory.timeRange(block),
        "hasSessions": !sessions.isEmpty,
        "sessions": sessions.map { s -> [String: Any] in
          [
            "staff": names.staffMember(s.staff), "target": names.target(s.target),
            "count": String(s.students.count),
            "students": s.students.map(names.student).joined(separator: ", "),
          ]
        },
        "homeCount": count(home.count, "student"),
        "homeStudents": home.isEmpty ? "nobody" : home.map(names.student).joined(separator: ", "),
      ]
    }
  }

  /// Each staff member's day: minutes used of their maximum, and their sessions.
  static func staffDayRows(_ plan: Plan, school: School, names: Names, directory: DayDirectory)
    -> [[String: Any]]
  {
    directory.staffOrder.map { id -> [String: Any] in
      let led = plan.sessions.filter { $0.staff == id }
      var seen = Set<String>()
      let blocks = led.map(\.block).filter { seen.insert($0).inserted }
      let minutes = blocks.reduce(0) { $0 + (directory.block($1)?.minutes ?? 0) }
      let limit = names.staff[id].map { " of \($0.maxMinutes)" } ?? ""
      return [
        "name": names.staffMember(id), "minutes": "\(minutes)\(limit)",
        "sessions": led.isEmpty
          ? "no sessions"
          : led.map { "\($0.block) \($0.target) (\($0.students.count))" }.joined(separator: ", "),
      ]
    }
  }

  /// Each request the plan decided: who asked for whom, where, and whether it was honored (why not).
  static func outcomeRows(_ plan: Plan, school: School, names: Names, requests: [StoredRequest])
    -> [[String: Any]]
  {
    let stored = Dictionary(requests.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let fromSchool = Dictionary(school.requests.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    return plan.requests.map { outcome -> [String: Any] in
      var row: [String: Any] = [
        "id": outcome.requestID, "staff": "-", "student": "-", "block": "-", "priority": "-",
        "outcome": outcome.honored ? "honored" : "not honored: \(outcome.reason ?? "no reason given")",
        "outcomeClass": outcome.honored ? "honored" : "not-honored",
      ]
      if let r = stored[outcome.requestID] {
        row["staff"] = names.staffMember(r.staffID)
        row["student"] = names.student(r.studentID)
        row["block"] = r.blockID ?? "any"
        row["priority"] = r.priority.rawValue
      } else if let r = fromSchool[outcome.requestID] {
        row["staff"] = names.staffMember(r.staffID)
        row["student"] = names.student(r.studentID)
        row["block"] = r.blockID ?? "any"
        row["priority"] = r.priority.rawValue
      }
      return row
    }
  }
}
