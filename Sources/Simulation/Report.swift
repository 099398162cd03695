import Foundation
import LearnerStatus

/// A whole simulation: its settings and one result per column (the base first).
public struct SimulationReport: Sendable, Equatable, Codable {
  public var start: Day
  public var days: Int
  public var model: LearningModel
  public var dayTimeLimit: Double
  public var relativeGap: Double
  public var scenarios: [ScenarioResult]

  enum CodingKeys: String, CodingKey {
    case start, days, model, scenarios
    case dayTimeLimit = "day_time_limit"
    case relativeGap = "relative_gap"
  }

  /// Pretty JSON with sorted keys (a stable text for a stable report).
  public func json() -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  /// The comparison table's rows: a label and one cell per scenario.
  public func rows() -> [(String, [String])] {
    func n(_ x: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", x) }
    func pct(_ x: Double) -> String { String(format: "%.1f%%", x * 100) }
    var rows: [(String, [String])] = []
    func row(_ label: String, _ f: (ScenarioResult) -> String) { rows.append((label, scenarios.map(f))) }
    row("needs served per day") { n($0.needsServedPerDay) }
    row("needs served, total") { String($0.totalServed) }
    row("wait median (days)") { n($0.waitMedian) }
    row("wait p90 (days)") { n($0.waitP90) }
    row("needs at start → at end") { "\($0.needsAtStart) → \($0.needsAtEnd)" }
    row("first-day needs still open") { pct($0.openAtEnd) }
    row("students never served") { "\($0.studentsNeverServed) of \($0.studentsWithNeeds)" }
    row("staff minutes used / available") {
      "\($0.staffMinutesUsed) / \($0.staffMinutesAvailable) (\(pct($0.staffMinutesAvailable == 0 ? 0 : Double($0.staffMinutesUsed) / Double($0.staffMinutesAvailable))))"
    }
    let groups = scenarios.first?.equity.map(\.group) ?? []
    for g in groups where g.hasPrefix("tier") {
      row("sessions per student, \(g)") { r in n(r.equity.first { $0.group == g }?.sessionsPerStudent ?? 0, 2)
      }
    }
    for g in groups {
      row("service rate, \(g)") { r in pct(r.equity.first { $0.group == g }?.serviceRate ?? 0) }
    }
    for g in groups {
      row("mean wait, \(g)") { r in n(r.equity.first { $0.group == g }?.meanWait ?? 0, 2) }
    }
    // Weekly dosage (§14), when the school has it: student-weeks that reached their target.
    for g in scenarios.first?.dosage?.map(\.group) ?? [] {
      row("weekly dosage reached, \(g)") { r in
        guard let d = r.dosage?.first(where: { $0.group == g }) else { return "-" }
        return "\(d.reached) of \(d.studentWeeks) (\(pct(d.share)))"
      }
    }
    row("same peers next day (tracking)") { pct($0.samePeers) }
    row("days not proven within the gap") { "\($0.daysAtTimeLimit) of \($0.days.count)" }
    row("days without a plan") { String($0.daysWithoutPlan) }
    return rows
  }

  /// The aligned comparison table, the base first.
  public func text() -> String {
    let header = ("", scenarios.map(\.name))
    let all = [header] + rows()
    func width(_ s: String) -> Int { s.count }
    let labelWidth = all.map { width($0.0) }.max() ?? 0
    var widths = Array(repeating: 0, count: scenarios.count)
    for (_, cells) in all { for (i, c) in cells.enumerated() { widths[i] = max(widths[i], width(c)) } }
    func pad(_ s: String, _ w: Int, left: Bool) -> String {
      let fill = String(repeating: " ", count: max(0, w - width(s)))
      return left ? s + fill : fill + s
    }
    var out =
      "Simulated \(days) school day\(days == 1 ? "" : "s") from \(start) (seed \(model.seed), "
      + "\(String(format: "%g", dayTimeLimit)) s and gap \(String(format: "%g", relativeGap)) per day)\n\n"
    for (label, cells) in all {
      var line = pad(label, labelWidth, left: true)
      for (i, c) in cells.enumerated() { line += "  " + pad(c, widths[i], left: false) }
      while line.hasSuffix(" ") { line.removeLast() }
      out += line + "\n"
    }
    return out
  }
}
