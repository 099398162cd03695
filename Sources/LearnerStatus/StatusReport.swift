import Foundation

/// What `regroup status` shows (spec §7): the needs and the demand per target.
///
/// ```swift
/// let report = try StatusReport(school: loaded.school, date: loaded.date, student: "S001")
/// print(report.json())
/// ```
public struct StatusReport: Sendable, Equatable {
  /// The day being planned.
  public var date: Day
  /// The needs shown, heaviest first.
  public var needs: [Need]
  /// The targets shown, heaviest total demand first; `students` counts the whole school.
  public var targets: [TargetDemand]
  /// Whether the school has prerequisites (spec §11): then every need says whether it is
  /// ready and which prerequisites it waits for.
  public var showsReadiness: Bool
  /// Students who can no longer reach their weekly dosage (spec §14), even with a session in
  /// every block today and on every school day left; nil when the school has no `[dosage]`.
  public var behind: [Behind]? = nil

  /// A student who cannot reach their week: `short` sessions still owed before today, at most
  /// `possible` left (blocks × the school days from today to Friday).
  public struct Behind: Sendable, Equatable {
    public var student: String
    public var tier: Int
    public var perWeek: Int
    public var short: Int
    public var possible: Int
  }

  /// The students of `school` who cannot reach their week from `date` on (spec §14).
  public static func behind(in school: School, on date: Day) -> [Behind]? {
    guard let dosage = school.policy.dosage else { return nil }
    let week = WeekCount(school, on: date)
    let possible = school.blocks.count * (week.daysLeft + (date.weekday <= 4 ? 1 : 0))
    return school.students.compactMap { student in
      let short = week.short(student, dosage)
      guard short > possible else { return nil }
      return Behind(
        student: student.id, tier: student.tier, perWeek: dosage.perWeek(tier: student.tier), short: short,
        possible: possible)
    }
  }

  /// An unknown `--student` or `--target` id.
  public struct UnknownID: Error, Sendable, CustomStringConvertible {
    enum Kind: Sendable { case student, target }
    let kind: Kind
    let id: String
    let suggestion: String?
    public var description: String {
      let (flag, column, file) =
        kind == .student
        ? ("--student", "student_id", "students.csv") : ("--target", "target_id", "targets.csv")
      var text = "error: \(flag) \"\(id)\" is not a \(column) in \(file)"
      if let suggestion { text += "; did you mean \"\(suggestion)\"?" }
      return text
    }
  }

  /// The report for `date`, restricted to one student and/or one target when given.
  ///
  /// With `student`, the needs are that student's and the targets those they need; with
  /// `target`, the needs are that target's and the targets just that one (even with no need).
  /// - Throws: `UnknownID` when `student` or `target` is not defined in the school.
  public init(school: School, date: Day, student: String? = nil, target: String? = nil) throws {
    if let student, !school.students.contains(where: { $0.id == student }) {
      throw UnknownID(
        kind: .student, id: student,
        suggestion: Suggestion.closest(to: student, in: school.students.map(\.id)))
    }
    if let target, !school.targets.contains(where: { $0.id == target }) {
      throw UnknownID(
        kind: .target, id: target,
        suggestion: Suggestion.closest(to: target, in: school.targets.map(\.id)))
    }
    let all = Derivation.needs(in: school, on: date)
    var demand = Derivation.demand(in: school, needs: all, including: target.map { [$0] } ?? [])
    var needs = all
    if let student { needs = needs.filter { $0.student == student } }
    if let target {
      needs = needs.filter { $0.target == target }
      demand = demand.filter { $0.target == target }
    } else if student != nil {
      let shown = Set(needs.map(\.target))
      demand = demand.filter { shown.contains($0.target) }
    }
    self.init(
      date: date, needs: needs, targets: demand,
      showsReadiness: school.targets.contains { !$0.prerequisites.isEmpty })
    behind = Self.behind(in: school, on: date)?.filter { student == nil || $0.student == student }
  }

  /// A report from parts already computed.
  public init(date: Day, needs: [Need], targets: [TargetDemand], showsReadiness: Bool = false) {
    self.date = date
    self.needs = needs
    self.targets = targets
    self.showsReadiness = showsReadiness
  }

  /// "not ready: needs M1, M2 first", or "" for a ready need.
  public static func readiness(_ need: Need) -> String {
    need.isReady ? "" : "not ready: needs \(need.missingPrerequisites.joined(separator: ", ")) first"
  }

  // MARK: Rendering

  /// The spec §7 JSON: keys in the spec's order, numbers rounded to 6 decimals, one need per line.
  public func json() -> String {
    var out = "{\n"
    out += "  \"date\": \(JSONText.string(date.description)),\n"
    out += "  \"needs\": ["
    out += needs.isEmpty ? "],\n" : "\n"
    for (i, n) in needs.enumerated() {
      out += "    {\"student\": \(JSONText.string(n.student)), \"target\": \(JSONText.string(n.target)), "
      out += "\"level\": \(NumberFormat.plain(n.level)), \"wait\": \(n.wait), "
      out += "\"weight\": \(NumberFormat.plain(n.weight))"
      if showsReadiness {
        out += ", \"ready\": \(n.isReady), \"missing_prerequisites\": ["
        out += n.missingPrerequisites.map(JSONText.string).joined(separator: ", ") + "]"
      }
      out += "}"
      out += i == needs.count - 1 ? "\n  ],\n" : ",\n"
    }
    out += "  \"targets\": ["
    out += targets.isEmpty ? "]" : "\n"
    for (i, t) in targets.enumerated() {
      let staff = t.staff.map { option in
        "{\"staff\": \(JSONText.string(option.staff)), \"blocks\": ["
          + option.blocks.map(JSONText.string).joined(separator: ", ") + "]}"
      }.joined(separator: ", ")
      out += "    {\"target\": \(JSONText.string(t.target)), \"subject\": \(JSONText.string(t.subject)), "
      out += "\"students\": \(t.students), \"staff\": [\(staff)]}"
      out += i == targets.count - 1 ? "\n  ]" : ",\n"
    }
    if let behind {
      // Spec §14: only for a school with a [dosage] table (else §7's shape exactly).
      out += ",\n  \"dosage_behind\": ["
      out += behind.isEmpty ? "]" : "\n"
      for (i, b) in behind.enumerated() {
        out +=
          "    {\"student\": \(JSONText.string(b.student)), \"tier\": \(b.tier), \"per_week\": \(b.perWeek), "
        out += "\"short\": \(b.short), \"possible\": \(b.possible)}"
        out += i == behind.count - 1 ? "\n  ]" : ",\n"
      }
    }
    out += "\n}\n"
    return out
  }

  /// The needs table as CSV, header `student,target,level,wait,weight`; a school with
  /// prerequisites adds `missing_prerequisites` (`;`-separated, empty when ready).
  public func csv() -> String {
    var out = "student,target,level,wait,weight" + (showsReadiness ? ",missing_prerequisites\n" : "\n")
    for n in needs {
      var cells = [
        CSVText.cell(n.student), CSVText.cell(n.target), NumberFormat.plain(n.level),
        String(n.wait), NumberFormat.plain(n.weight),
      ]
      if showsReadiness { cells.append(CSVText.cell(n.missingPrerequisites.joined(separator: ";"))) }
      out += cells.joined(separator: ",")
      out += "\n"
    }
    return out
  }

  /// Both tables as aligned text: demand per target, then each student's needs heaviest first.
  public func text() -> String {
    let students = Set(needs.map(\.student))
    var out = "Status on \(date): \(needs.count) \(needs.count == 1 ? "need" : "needs")"
    out += " of \(students.count) \(students.count == 1 ? "student" : "students")"
    out +=
      " on \(Set(needs.map(\.target)).count) \(Set(needs.map(\.target)).count == 1 ? "target" : "targets")\n"

    out += "\nTargets, heaviest demand first\n"
    if targets.isEmpty {
      out += "  (none)\n"
    } else {
      var rows = [
        ["TARGET", "SUBJECT", "STUDENTS", "MEAN LEVEL", "MEAN WAIT", "TOTAL WEIGHT", "STAFF (BLOCKS)"]
      ]
      for t in targets {
        let staff =
          t.staff.isEmpty
          ? "nobody can teach it"
          : t.staff.map { "\($0.staff) (\($0.blocks.joined(separator: " ")))" }.joined(separator: ", ")
        rows.append([
          t.target, t.subject, String(t.students),
          t.meanLevel.map { NumberFormat.fixed($0, decimals: 2) } ?? "-",
          t.meanWait.map { NumberFormat.fixed($0, decimals: 1) } ?? "-",
          NumberFormat.fixed(t.totalWeight, decimals: 2), staff,
        ])
      }
      out += TextTable.render(rows, rightAligned: [2, 3, 4, 5])
    }

    out += "\nNeeds by student, heaviest first\n"
    if needs.isEmpty {
      out += "  (none)\n"
    } else {
      var rows = [["STUDENT", "TARGET", "LEVEL", "WAIT", "WEIGHT"] + (showsReadiness ? ["READY"] : [])]
      var byStudent: [String: [Need]] = [:]
      for n in needs { byStudent[n.student, default: []].append(n) }
      for s in byStudent.keys.sorted() {
        for (i, n) in (byStudent[s] ?? []).enumerated() {
          rows.append(
            [
              i == 0 ? s : "", n.target, NumberFormat.fixed(n.level, decimals: 2), String(n.wait),
              NumberFormat.fixed(n.weight, decimals: 2),
            ] + (showsReadiness ? [n.isReady ? "ready" : Self.readiness(n)] : []))
        }
      }
      out += TextTable.render(rows, rightAligned: [2, 3, 4])
    }
    if let behind {
      out += "\nStudents who can no longer reach their weekly dosage\n"
      if behind.isEmpty {
        out += "  (none)\n"
      } else {
        var rows = [["STUDENT", "TIER", "PER WEEK", "STILL OWED", "AT MOST LEFT"]]
        for b in behind {
          rows.append([b.student, String(b.tier), String(b.perWeek), String(b.short), String(b.possible)])
        }
        out += TextTable.render(rows, rightAligned: [1, 2, 3, 4])
      }
    }
    return out
  }
}

/// Aligned plain-text tables, two spaces between columns, indented by two.
enum TextTable {
  static func render(_ rows: [[String]], rightAligned: Set<Int> = []) -> String {
    let columns = rows.map(\.count).max() ?? 0
    var widths = Array(repeating: 0, count: columns)
    for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
    var out = ""
    for row in rows {
      var line = "  "
      for (i, cell) in row.enumerated() {
        let pad = String(repeating: " ", count: widths[i] - cell.count)
        let isLast = i == row.count - 1
        if rightAligned.contains(i) {
          line += pad + cell
        } else {
          line += isLast ? cell : cell + pad
        }
        if !isLast { line += "  " }
      }
      while line.hasSuffix(" ") { line.removeLast() }
      out += line + "\n"
    }
    return out
  }
}

/// JSON string literals, shared by every hand-written JSON document of the tool.
public enum JSONText {
  /// A JSON string literal with quotes, backslashes and control characters escaped.
  public static func string(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{08}": out += "\\b"
      case "\u{0C}": out += "\\f"
      case "\u{2028}": out += "\\u2028"
      case "\u{2029}": out += "\\u2029"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16, uppercase: false)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}

/// CSV cells, quoted only when needed (RFC 4180).
enum CSVText {
  static func cell(_ s: String) -> String {
    guard
      s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
        || s != s.trimmingCharacters(in: .whitespaces)
    else { return s }
    return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
