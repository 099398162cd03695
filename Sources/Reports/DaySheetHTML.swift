import LearnerStatus
import Planning

/// The day's plan as a printable HTML page (`regroup export --html`).
///
/// One self-contained page: inline CSS, no scripts, no links to fetch. First the day by
/// block: each group with its staff member, target and students (name and id), and the
/// staff members without a session. Then one printed page per staff member who leads a
/// session (`break-before: page`): their sessions in block order, each with a roster to
/// tick attendance. Staff members without sessions get no page. With `staff`, only that
/// staff member's page. Every name, id and title is HTML-escaped. The page fits A4 and
/// Letter alike (`@page { size: auto }` with 12 mm margins) and carries no timestamp, so
/// the same plan gives the same bytes.
public enum DaySheetHTML {
  public static func render(_ plan: Plan, school: School, staff only: String? = nil) -> String {
    let names = DayDirectory(plan: plan, school: school)
    let schoolName = school.policy.name
    var title = "Day sheet \(plan.date)"
    if let only { title = "\(names.staffName(only)): day sheet \(plan.date)" }
    if !schoolName.isEmpty { title += " · \(schoolName)" }

    var html: [String] = [
      "<!DOCTYPE html>",
      "<html lang=\"en\">",
      "<head>",
      "<meta charset=\"utf-8\">",
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
      "<title>\(escape(title))</title>",
      "<style>",
      style,
      "</style>",
      "</head>",
      "<body>",
    ]

    if only == nil {
      html.append("<section class=\"overview\">")
      html.append("<header>")
      html.append(
        "<h1>Day sheet <span class=\"date\">\(escape(weekdayName(plan.date))) \(plan.date)</span></h1>")
      var facts = ["\(plan.sessions.count) session\(plan.sessions.count == 1 ? "" : "s")"]
      let placed = plan.sessions.reduce(0) { $0 + $1.students.count }
      facts.append("\(placed) placement\(placed == 1 ? "" : "s")")
      facts.append("plan \(plan.status.rawValue)")
      if !schoolName.isEmpty { facts.insert(schoolName, at: 0) }
      html.append("<p class=\"facts\">\(facts.map(escape).joined(separator: " · "))</p>")
      html.append("</header>")
      if plan.sessions.isEmpty { html.append("<p class=\"empty\">No sessions in this plan.</p>") }
      for blockID in names.blockOrder {
        let sessions = plan.sessions.filter { $0.block == blockID }
        guard !sessions.isEmpty else { continue }
        html.append("<section class=\"block\">")
        html.append("<h2>\(blockHeading(blockID, names))</h2>")
        html.append("<table class=\"groups\">")
        html.append("<thead><tr><th>Staff</th><th>Target</th><th>Students</th></tr></thead>")
        html.append("<tbody>")
        for session in sessions {
          let students = session.students.map { "<li>\(studentHTML($0, names))</li>" }.joined()
          html.append(
            "<tr><td class=\"staff\">\(escape(names.staffName(session.staff)))</td>"
              + "<td class=\"target\">\(targetHTML(session.target, names))</td>"
              + "<td class=\"students\"><span class=\"count\">\(session.students.count)</span>"
              + "<ul>\(students)</ul></td></tr>")
        }
        html.append("</tbody>")
        html.append("</table>")
        html.append("</section>")
      }
      let idle = names.staffOrder.filter { id in !plan.sessions.contains { $0.staff == id } }
      if !idle.isEmpty {
        html.append(
          "<p class=\"idle\">No session today: \(idle.map { escape(names.staffName($0)) }.joined(separator: ", ")).</p>"
        )
      }
      html.append("</section>")
    }

    let pages =
      only.map { [$0] } ?? names.staffOrder.filter { id in plan.sessions.contains { $0.staff == id } }
    for staffID in pages {
      let sessions = plan.sessions.filter { $0.staff == staffID }
      html.append("<section class=\"staff-page\">")
      html.append("<header>")
      html.append("<h1>\(escape(names.staffName(staffID)))</h1>")
      var facts = ["\(weekdayName(plan.date)) \(plan.date)"]
      if !schoolName.isEmpty { facts.insert(schoolName, at: 0) }
      facts.append("\(sessions.count) session\(sessions.count == 1 ? "" : "s")")
      html.append("<p class=\"facts\">\(facts.map(escape).joined(separator: " · "))</p>")
      html.append("</header>")
      if sessions.isEmpty { html.append("<p class=\"empty\">No sessions today.</p>") }
      for blockID in names.blockOrder {
        for session in sessions where session.block == blockID {
          html.append("<section class=\"session\">")
          html.append("<h2>\(blockHeading(blockID, names)) · \(targetHTML(session.target, names))</h2>")
          html.append("<table class=\"roster\">")
          html.append(
            "<thead><tr><th class=\"n\">#</th><th>Student</th><th>ID</th>"
              + "<th class=\"tick\">Present</th><th class=\"notes\">Notes</th></tr></thead>")
          html.append("<tbody>")
          for (index, id) in session.students.enumerated() {
            let name = names.studentName(id)
            html.append(
              "<tr><td class=\"n\">\(index + 1)</td><td>\(escape(name.isEmpty ? "—" : name))</td>"
                + "<td class=\"id\">\(escape(id))</td><td class=\"tick\">☐</td><td class=\"notes\"></td></tr>"
            )
          }
          html.append("</tbody>")
          html.append("</table>")
          html.append("</section>")
        }
      }
      html.append("</section>")
    }

    html.append("</body>")
    html.append("</html>")
    return html.joined(separator: "\n") + "\n"
  }

  /// Text for HTML content and attribute values: `&`, `<`, `>`, `"` and `'` as entities.
  public static func escape(_ text: String) -> String {
    var out = ""
    out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  static func blockHeading(_ id: String, _ names: DayDirectory) -> String {
    let range = names.timeRange(id)
    return "<span class=\"block-id\">\(escape(id))</span>"
      + (range.isEmpty ? "" : " <span class=\"time\">\(escape(range))</span>")
  }

  static func targetHTML(_ id: String, _ names: DayDirectory) -> String {
    let title = names.targetTitle(id)
    return "<span class=\"target-id\">\(escape(id))</span>"
      + (title.isEmpty ? "" : " \(escape(title))")
  }

  static func studentHTML(_ id: String, _ names: DayDirectory) -> String {
    let name = names.studentName(id)
    return (name.isEmpty ? "" : "\(escape(name)) ") + "<span class=\"id\">\(escape(id))</span>"
  }

  static func weekdayName(_ day: Day) -> String {
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][day.weekday]
  }

  static let style = """
    :root { color-scheme: light; }
    * { box-sizing: border-box; }
    body { font: 11pt/1.35 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
      color: #111; background: #fff; margin: 0 auto; padding: 16px; max-width: 60rem; }
    h1 { font-size: 18pt; margin: 0 0 2px; }
    h1 .date { font-weight: normal; }
    h2 { font-size: 13pt; margin: 18px 0 6px; break-after: avoid; page-break-after: avoid; }
    .facts { margin: 0 0 10px; color: #444; }
    .time, .id, .block-id, .target-id { font-variant-numeric: tabular-nums; }
    .id { color: #555; font-size: 9.5pt; }
    .target-id { font-weight: 600; }
    table { width: 100%; border-collapse: collapse; }
    th, td { border: 1px solid #999; padding: 4px 6px; text-align: left; vertical-align: top; }
    th { background: #eee; font-weight: 600; }
    thead { display: table-header-group; }
    tr { break-inside: avoid; page-break-inside: avoid; }
    table.groups td.staff { width: 24%; }
    table.groups td.target { width: 28%; }
    td.students ul { margin: 0; padding: 0; list-style: none; columns: 2; column-gap: 12px; }
    td.students li { break-inside: avoid; }
    td.students .count { float: right; color: #555; font-size: 9pt; margin-left: 6px; }
    .session { break-inside: avoid; page-break-inside: avoid; }
    table.roster .n { width: 2.5em; text-align: right; }
    table.roster .tick { width: 5em; text-align: center; }
    table.roster .notes { width: 35%; }
    table.roster td { height: 1.9em; }
    .staff-page { break-before: page; page-break-before: always; }
    .staff-page:first-child { break-before: auto; page-break-before: auto; }
    .staff-page header { border-bottom: 2px solid #111; margin-bottom: 8px; padding-bottom: 4px; }
    .empty, .idle { color: #444; font-style: italic; }
    @page { size: auto; margin: 12mm; }
    @media screen { .staff-page { border-top: 3px double #999; margin-top: 28px; padding-top: 12px; } }
    @media print {
      body { padding: 0; max-width: none; font-size: 10.5pt; }
      th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
    }
    """
}
