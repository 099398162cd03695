import Foundation

extension SimulationReport {
  static let colors = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf",
  ]

  /// A self-contained HTML report: the comparison table, inline SVG charts (needs served per
  /// day, the wait distribution) and the equity table. No scripts, no network.
  public func html() -> String {
    func esc(_ s: String) -> String {
      s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
    func color(_ i: Int) -> String { SimulationReport.colors[i % SimulationReport.colors.count] }
    var h = """
      <!DOCTYPE html>
      <html lang="en"><head><meta charset="utf-8">
      <title>Regroup simulation</title>
      <style>
      body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
      table{border-collapse:collapse;margin:12px 0}
      th,td{border:1px solid #ccc;padding:4px 8px;text-align:right;font-variant-numeric:tabular-nums}
      th:first-child,td:first-child{text-align:left}
      th{background:#f0f0f0}
      .key span{display:inline-block;width:14px;height:14px;margin:0 6px 0 16px;vertical-align:middle}
      svg{background:#fafafa;border:1px solid #ddd}
      </style></head><body>

      """
    h += "<h1>Regroup simulation</h1>\n"
    h +=
      "<p>\(days) school days from \(start); seed \(model.seed); learning gain U(\(model.gainMin), \(model.gainMax))·(1+gap)/2 per session, "
      + "drift U(0, \(model.driftMax)) every \(model.driftEvery) school days; \(String(format: "%g", dayTimeLimit)) s per day's plan.</p>\n"
    h += "<p class=\"key\">"
    for (i, s) in scenarios.enumerated() {
      h += "<span style=\"background:\(color(i))\"></span>\(esc(s.name))"
    }
    h += "</p>\n<h2>Comparison</h2>\n<table id=\"comparison\"><tr><th>measure</th>"
    for s in scenarios { h += "<th>\(esc(s.name))</th>" }
    h += "</tr>\n"
    for (label, cells) in rows() {
      h += "<tr><td>\(esc(label))</td>" + cells.map { "<td>\(esc($0))</td>" }.joined() + "</tr>\n"
    }
    h += "</table>\n"

    // Needs served per day: one line per scenario.
    let w = 900.0
    let ht = 300.0
    let pad = 40.0
    let maxServed = max(1, scenarios.flatMap { $0.days.map(\.served) }.max() ?? 1)
    let n = max(1, (scenarios.first?.days.count ?? 1) - 1)
    h +=
      "<h2>Needs served per day</h2>\n<svg id=\"served\" width=\"\(Int(w))\" height=\"\(Int(ht))\" viewBox=\"0 0 \(Int(w)) \(Int(ht))\">\n"
    h += "<line x1=\"\(pad)\" y1=\"\(ht - pad)\" x2=\"\(w - 10)\" y2=\"\(ht - pad)\" stroke=\"#888\"/>"
    h += "<line x1=\"\(pad)\" y1=\"10\" x2=\"\(pad)\" y2=\"\(ht - pad)\" stroke=\"#888\"/>\n"
    h +=
      "<text x=\"4\" y=\"18\" font-size=\"12\">\(maxServed)</text><text x=\"4\" y=\"\(ht - pad)\" font-size=\"12\">0</text>\n"
    if let first = scenarios.first?.days.first?.date, let last = scenarios.first?.days.last?.date {
      h += "<text x=\"\(pad)\" y=\"\(ht - 20)\" font-size=\"12\">\(first)</text>"
      h += "<text x=\"\(w - 90)\" y=\"\(ht - 20)\" font-size=\"12\">\(last)</text>\n"
    }
    for (i, s) in scenarios.enumerated() {
      let points = s.days.enumerated().map { k, d -> String in
        let x = pad + (w - pad - 10) * Double(k) / Double(n)
        let y = (ht - pad) - (ht - pad - 10) * Double(d.served) / Double(maxServed)
        return String(format: "%.1f,%.1f", x, y)
      }
      h +=
        "<polyline fill=\"none\" stroke=\"\(color(i))\" stroke-width=\"2.5\" points=\"\(points.joined(separator: " "))\"><title>\(esc(s.name))</title></polyline>\n"
    }
    h += "</svg>\n"

    // Wait distribution: share of need-days by wait, grouped bars.
    let buckets = scenarios.map(\.waitHistogram.count).max() ?? 1
    let shares = scenarios.map { s -> [Double] in
      let total = max(1, s.waitHistogram.reduce(0, +))
      return (0..<buckets).map {
        $0 < s.waitHistogram.count ? Double(s.waitHistogram[$0]) / Double(total) : 0
      }
    }
    let maxShare = max(0.01, shares.flatMap { $0 }.max() ?? 0.01)
    let groupWidth = (w - pad - 10) / Double(max(1, buckets))
    let barWidth = groupWidth * 0.8 / Double(max(1, scenarios.count))
    h += "<h2>Wait at the start of each day (share of needs, by days waited)</h2>\n"
    h += "<svg id=\"waits\" width=\"\(Int(w))\" height=\"\(Int(ht))\" viewBox=\"0 0 \(Int(w)) \(Int(ht))\">\n"
    h += "<line x1=\"\(pad)\" y1=\"\(ht - pad)\" x2=\"\(w - 10)\" y2=\"\(ht - pad)\" stroke=\"#888\"/>\n"
    h += "<text x=\"4\" y=\"18\" font-size=\"12\">\(Int((maxShare * 100).rounded()))%</text>\n"
    for b in 0..<buckets {
      let gx = pad + groupWidth * Double(b)
      let label = b == buckets - 1 ? "\(b)+" : "\(b)"
      h +=
        "<text x=\(String(format: "\"%.1f\"", gx + groupWidth * 0.3)) y=\"\(ht - 22)\" font-size=\"12\">\(label)</text>"
      for (i, row) in shares.enumerated() {
        let bh = (ht - pad - 10) * row[b] / maxShare
        h +=
          String(
            format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" ",
            gx + groupWidth * 0.1 + barWidth * Double(i), ht - pad - bh, barWidth, bh)
          + "fill=\"\(color(i))\"/>"
      }
      h += "\n"
    }
    h += "</svg>\n"

    // Equity: service rate and mean wait per group, each scenario.
    h +=
      "<h2>Equity: service rate · mean wait (days) · sessions per student</h2>\n<table id=\"equity\"><tr><th>group</th><th>students</th>"
    for s in scenarios { h += "<th>\(esc(s.name))</th>" }
    h += "</tr>\n"
    for (g, row) in (scenarios.first?.equity ?? []).enumerated() {
      h += "<tr><td>\(esc(row.group))</td><td>\(row.students)</td>"
      for s in scenarios where g < s.equity.count {
        let e = s.equity[g]
        h += String(
          format: "<td>%.1f%% · %.2f · %.2f</td>", e.serviceRate * 100, e.meanWait, e.sessionsPerStudent)
      }
      h += "</tr>\n"
    }
    h += "</table>\n<p>Flags audit plans; they never decide placement.</p>\n</body></html>\n"
    return h
  }
}
