import LearnerStatus
import Planning

/// The plan as CSV (spec §5 `--format csv`): one row per placement.
///
/// Header `date,block,start,end,staff,target,student`; rows in the plan's session order,
/// students in each session's order; `start` and `end` are the block's `HH:MM` (empty for
/// a block the school does not define). Lines end in LF (`\n`), the last one too.
/// Cells are quoted per RFC 4180 when they hold a comma, a quote or a line break, and a
/// cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`
/// so that spreadsheets do not run it as a formula.
public enum PlanCSV {
  public static let header = "date,block,start,end,staff,target,student"

  public static func render(_ plan: Plan, school: School) -> String {
    let blocks = Dictionary(school.blocks.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    var out = header + "\n"
    for session in plan.sessions {
      let block = blocks[session.block]
      let start = block.map { Block.clock($0.start) } ?? ""
      let end = block.map { Block.clock($0.end) } ?? ""
      for student in session.students {
        let row = [
          plan.date.description, session.block, start, end, session.staff, session.target, student,
        ]
        out += row.map(cell).joined(separator: ",") + "\n"
      }
    }
    return out
  }

  /// One CSV cell: guarded against formula injection, then quoted when needed.
  public static func cell(_ text: String) -> String {
    var value = text
    if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
      value = "'" + value
    }
    if value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
      return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
    return value
  }
}
