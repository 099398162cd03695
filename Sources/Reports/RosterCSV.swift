import LearnerStatus
import Planning

/// One staff member's roster for the day as CSV (`regroup export --roster`).
///
/// Header `date,block,start,end,target,target_title,student_id,given_name,family_name`;
/// one row per student placed with that staff member, in the plan's session order
/// (block order, then target) and each session's student order. `start` and `end` are the
/// block's `HH:MM` (empty for a block the school does not define); names and the title
/// are empty when the school does not know the id. Cells go through ``PlanCSV/cell(_:)``:
/// quoted per RFC 4180 when needed, and a leading `'` on anything a spreadsheet could run
/// as a formula. Lines end in LF, as in ``PlanCSV``. A staff member without sessions gets
/// the header alone.
public enum RosterCSV {
  public static let header =
    "date,block,start,end,target,target_title,student_id,given_name,family_name"

  public static func render(_ plan: Plan, school: School, staff: String) -> String {
    let blocks = Dictionary(school.blocks.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let targets = Dictionary(school.targets.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let students = Dictionary(school.students.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    var out = header + "\n"
    for session in plan.sessions where session.staff == staff {
      let block = blocks[session.block]
      let start = block.map { Block.clock($0.start) } ?? ""
      let end = block.map { Block.clock($0.end) } ?? ""
      let title = targets[session.target]?.title ?? ""
      for id in session.students {
        let student = students[id]
        let row = [
          plan.date.description, session.block, start, end, session.target, title, id,
          student?.givenName ?? "", student?.familyName ?? "",
        ]
        out += row.map(PlanCSV.cell).joined(separator: ",") + "\n"
      }
    }
    return out
  }
}

/// Names and times for the exports: lookups by id that fall back to the id itself.
public struct DayDirectory: Sendable {
  let students: [String: Student]
  let targets: [String: Target]
  let staff: [String: StaffMember]
  let blocks: [String: Block]
  /// Blocks in the school's order, then any the plan names that the school does not.
  public let blockOrder: [String]
  /// Staff in the school's order, then any the plan names that the school does not.
  public let staffOrder: [String]

  public init(plan: Plan, school: School) {
    students = Dictionary(school.students.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    targets = Dictionary(school.targets.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    staff = Dictionary(school.staff.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    blocks = Dictionary(school.blocks.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    var blockOrder = Self.unique(school.blocks.map(\.id))
    var staffOrder = Self.unique(school.staff.map(\.id))
    var seenBlocks = Set(blockOrder)
    var seenStaff = Set(staffOrder)
    for session in plan.sessions {
      if seenBlocks.insert(session.block).inserted { blockOrder.append(session.block) }
      if seenStaff.insert(session.staff).inserted { staffOrder.append(session.staff) }
    }
    self.blockOrder = blockOrder
    self.staffOrder = staffOrder
  }

  static func unique(_ ids: [String]) -> [String] {
    var seen = Set<String>()
    return ids.filter { seen.insert($0).inserted }
  }

  /// `Teacher One (T1)`, or the id when the school has no name for it.
  public func staffName(_ id: String) -> String {
    guard let name = staff[id]?.name, !name.isEmpty else { return id }
    return "\(name) (\(id))"
  }

  /// `Given Family`, or empty when the school has no name for the student.
  public func studentName(_ id: String) -> String {
    guard let student = students[id] else { return "" }
    return [student.givenName, student.familyName].filter { !$0.isEmpty }.joined(separator: " ")
  }

  /// `Lena Rossi (S1)`, or the id alone.
  public func studentLabel(_ id: String) -> String {
    let name = studentName(id)
    return name.isEmpty ? id : "\(name) (\(id))"
  }

  /// The target's title, or empty.
  public func targetTitle(_ id: String) -> String { targets[id]?.title ?? "" }

  /// `M1 Fractions`, or the id alone.
  public func targetLabel(_ id: String) -> String {
    let title = targetTitle(id)
    return title.isEmpty ? id : "\(id) \(title)"
  }

  /// The block, when the school defines it.
  public func block(_ id: String) -> Block? { blocks[id] }

  /// `09:00–09:30` (with `dash` between), or empty for a block the school does not define.
  public func timeRange(_ id: String, dash: String = "–") -> String {
    guard let block = blocks[id] else { return "" }
    return "\(Block.clock(block.start))\(dash)\(Block.clock(block.end))"
  }
}
