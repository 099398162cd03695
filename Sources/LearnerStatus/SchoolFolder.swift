import Foundation

/// Reads and validates a school folder (spec §1, §6).
///
/// Every problem in every file is collected before anything is thrown, so one run
/// shows the user all of them, ordered by file (the spec's order) and then by line.
///
/// ```swift
/// let loaded = try SchoolFolder.load(URL(fileURLWithPath: "school"))
/// let needs = Derivation.needs(in: loaded.school, on: loaded.date)
/// ```
public enum SchoolFolder {
  /// The folder's files in the spec's order, which is also the order of diagnostics.
  public static let fileNames = [
    "school.toml", "students.csv", "targets.csv", "staff.csv", "blocks.csv", "evidence.csv",
    "unavailable.csv", "history.csv", "requests.csv", "pins.csv", "absences.csv",
  ]

  /// Files a folder must have.
  public static let requiredFileNames: Set<String> = [
    "school.toml", "students.csv", "targets.csv", "staff.csv", "blocks.csv", "evidence.csv",
  ]

  /// Reads and validates the school in `folder`; `date` (from `--date`) overrides `school.toml`'s.
  ///
  /// - Returns: The school, the day being planned and the warnings found.
  /// - Throws: `InputError` listing every diagnostic (errors and warnings) when any is an error.
  public static func load(_ folder: URL, date: Day? = nil) throws -> LoadedSchool {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory),
      isDirectory.boolValue
    else {
      throw InputError([Diagnostic(.error, file: folder.path, "no such folder")])
    }
    var files: [String: String] = [:]
    var unreadable: [Diagnostic] = []
    for name in fileNames {
      let url = folder.appendingPathComponent(name)
      guard FileManager.default.fileExists(atPath: url.path) else { continue }
      guard let data = FileManager.default.contents(atPath: url.path) else {
        unreadable.append(Diagnostic(.error, file: name, "cannot read the file"))
        continue
      }
      guard let text = String(data: data, encoding: .utf8) else {
        unreadable.append(Diagnostic(.error, file: name, "the file is not UTF-8 text"))
        continue
      }
      files[name] = text
    }
    return try load(files: files, date: date, extraDiagnostics: unreadable)
  }

  /// Validates a school given as file texts keyed by file name (`"students.csv"`); absent keys are missing files.
  ///
  /// - Throws: `InputError` listing every diagnostic when any is an error.
  public static func load(files: [String: String], date: Day? = nil) throws -> LoadedSchool {
    try load(files: files, date: date, extraDiagnostics: [])
  }

  static func load(files: [String: String], date: Day?, extraDiagnostics: [Diagnostic]) throws
    -> LoadedSchool
  {
    let reader = SchoolReader(files: files, dateOverride: date)
    reader.diagnostics += extraDiagnostics
    let school = reader.read()
    let diagnostics = reader.sortedDiagnostics()
    guard let day = reader.date, !diagnostics.contains(where: { $0.severity == .error }) else {
      throw InputError(diagnostics)
    }
    return LoadedSchool(school: school, date: day, warnings: diagnostics)
  }
}

/// One pass over the folder's files, collecting a school and its diagnostics.
final class SchoolReader {
  let files: [String: String]
  let dateOverride: Day?
  var diagnostics: [Diagnostic] = []
  var date: Day?
  /// Files with a structural CSV problem: rows may be lost, so their ids are not used
  /// to judge references (one broken quote must not flood the report).
  var malformed: Set<String> = []

  init(files: [String: String], dateOverride: Day?) {
    self.files = files
    self.dateOverride = dateOverride
  }

  /// Diagnostics by file (spec order), then line (none first), then the order found.
  func sortedDiagnostics() -> [Diagnostic] {
    let rank = Dictionary(
      uniqueKeysWithValues: SchoolFolder.fileNames.enumerated().map { ($1, $0) })
    return diagnostics.enumerated().sorted { a, b in
      let ra = rank[a.element.file] ?? -1
      let rb = rank[b.element.file] ?? -1
      if ra != rb { return ra < rb }
      let la = a.element.line ?? 0
      let lb = b.element.line ?? 0
      if la != lb { return la < lb }
      return a.offset < b.offset
    }.map(\.element)
  }

  func error(_ file: String, _ line: Int?, _ message: String) {
    diagnostics.append(Diagnostic(.error, file: file, line: line, message))
  }

  func warning(_ file: String, _ line: Int?, _ message: String) {
    diagnostics.append(Diagnostic(.warning, file: file, line: line, message))
  }

  // MARK: Reading

  func read() -> School {
    var school = School()

    // school.toml
    var dateReported = true
    if let text = files["school.toml"] {
      let (policy, problems, parsed) = PolicyReader.read(text)
      school.policy = policy
      for p in problems { error("school.toml", p.line, p.message) }
      dateReported = !parsed || problems.contains { $0.message.hasPrefix("date ") }
    } else {
      error("school.toml", nil, "required file is missing")
    }
    date = dateOverride ?? school.policy.date
    if date == nil, !dateReported {
      error(
        "school.toml", nil,
        "no day to plan: add date = \"YYYY-MM-DD\" to school.toml or pass --date YYYY-MM-DD")
    }

    // Entities with ids. A nil id set means the file could not be read: references
    // to it are not checked, so one missing file does not flood the report.
    var studentIDs: Set<String>?
    var targetIDs: Set<String>?
    var staffIDs: Set<String>?
    var blockIDs: Set<String>?

    if let table = open("students.csv", required: true, columns: ["student_id"]) {
      var first: [String: Int] = [:]
      for row in rows(of: table, file: "students.csv") {
        let id = row.required("student_id")
        let isNew = id.map { unique($0, "student_id", row, &first) } ?? false
        var tier: Int? = 1
        let tierText = row["tier"]
        if !tierText.isEmpty {
          tier = isInteger(tierText) ? Int(tierText).flatMap { (1...3).contains($0) ? $0 : nil } : nil
          if tier == nil { row.fail("tier must be 1, 2 or 3, found \"\(tierText)\"") }
        }
        guard let id, isNew, let tier else { continue }
        school.students.append(
          Student(
            id: id, givenName: row["given_name"], familyName: row["family_name"],
            grade: row["grade"], tier: tier, flags: list(row["flags"]), line: row.line))
      }
      studentIDs = malformed.contains("students.csv") ? nil : Set(first.keys)
    }

    if let table = open("targets.csv", required: true, columns: ["target_id", "subject"]) {
      var first: [String: Int] = [:]
      for row in rows(of: table, file: "targets.csv") {
        let id = row.required("target_id")
        let isNew = id.map { unique($0, "target_id", row, &first) } ?? false
        let subject = row.required("subject")
        var sequence: Int?
        var sequenceOK = true
        let sequenceText = row["sequence"]
        if !sequenceText.isEmpty {
          sequence = isInteger(sequenceText) ? Int(sequenceText) : nil
          sequenceOK = sequence != nil
          if !sequenceOK { row.fail("sequence must be an integer, found \"\(sequenceText)\"") }
        }
        guard let id, isNew, let subject, sequenceOK else { continue }
        school.targets.append(
          Target(
            id: id, subject: subject, title: row["title"], grade: row["grade"],
            sequence: sequence, prerequisites: list(row["prerequisites"]), line: row.line))
      }
      targetIDs = malformed.contains("targets.csv") ? nil : Set(first.keys)
      if targetIDs != nil {
        for p in Prerequisites.problems(in: school.targets) {
          error("targets.csv", school.targets[p.target].line, p.message)
        }
      }
    }

    if let table = open(
      "staff.csv", required: true,
      columns: ["staff_id", "subjects", "max_group_size", "max_minutes"])
    {
      var first: [String: Int] = [:]
      for row in rows(of: table, file: "staff.csv") {
        let id = row.required("staff_id")
        let isNew = id.map { unique($0, "staff_id", row, &first) } ?? false
        let subjects = row.required("subjects")
        let size = row.integer("max_group_size", atLeast: 1)
        let minutes = row.integer("max_minutes", atLeast: 0)
        guard let id, isNew, let subjects, let size, let minutes else { continue }
        school.staff.append(
          StaffMember(
            id: id, name: row["name"], subjects: SubjectSet(cell: subjects),
            maxGroupSize: size, maxMinutes: minutes, line: row.line))
      }
      staffIDs = malformed.contains("staff.csv") ? nil : Set(first.keys)
    }

    if let table = open("blocks.csv", required: true, columns: ["block_id", "start", "end"]) {
      var first: [String: Int] = [:]
      for row in rows(of: table, file: "blocks.csv") {
        let id = row.required("block_id")
        let isNew = id.map { unique($0, "block_id", row, &first) } ?? false
        let start = row.time("start")
        let end = row.time("end")
        if let start, let end, end <= start {
          row.fail(
            "end must be after start, found start \(Block.clock(start)) and end \(Block.clock(end))")
        }
        guard let id, isNew, let start, let end, end > start else { continue }
        let subjectsText = row["subjects"]
        school.blocks.append(
          Block(
            id: id, start: start, end: end,
            subjects: subjectsText.isEmpty ? .any : SubjectSet(cell: subjectsText),
            line: row.line))
      }
      blockIDs = malformed.contains("blocks.csv") ? nil : Set(first.keys)
    }

    // Rows that refer to ids.
    if let table = open(
      "evidence.csv", required: true, columns: ["student_id", "target_id", "date", "level"])
    {
      for row in rows(of: table, file: "evidence.csv") {
        let s = row.reference("student_id", studentIDs, "students.csv")
        let t = row.reference("target_id", targetIDs, "targets.csv")
        let day = row.date("date")
        let level = row.level("level")
        guard let s, let t, let day, let level else { continue }
        if let date, day > date {
          row.warn("evidence dated \(day) is after the plan date \(date); it is ignored")
        }
        school.evidence.append(
          Evidence(studentID: s, targetID: t, date: day, level: level, line: row.line))
      }
    }

    if let table = open("unavailable.csv", required: false, columns: ["staff_id", "block_id"]) {
      for row in rows(of: table, file: "unavailable.csv") {
        let k = row.reference("staff_id", staffIDs, "staff.csv")
        let b = row.reference("block_id", blockIDs, "blocks.csv")
        guard let k, let b else { continue }
        school.unavailable.append(Unavailability(staffID: k, blockID: b, line: row.line))
      }
    }

    if let table = open(
      "history.csv", required: false,
      columns: ["date", "block_id", "student_id", "staff_id", "target_id"])
    {
      for row in rows(of: table, file: "history.csv") {
        let day = row.date("date")
        let b = row.reference("block_id", blockIDs, "blocks.csv")
        let s = row.reference("student_id", studentIDs, "students.csv")
        let k = row.reference("staff_id", staffIDs, "staff.csv")
        let t = row.reference("target_id", targetIDs, "targets.csv")
        guard let day, let b, let s, let k, let t else { continue }
        school.history.append(
          HistoryEntry(date: day, blockID: b, studentID: s, staffID: k, targetID: t, line: row.line))
      }
    }

    if let table = open(
      "requests.csv", required: false,
      columns: ["request_id", "staff_id", "student_id", "priority"])
    {
      var first: [String: Int] = [:]
      for row in rows(of: table, file: "requests.csv") {
        let id = row.required("request_id")
        let isNew = id.map { unique($0, "request_id", row, &first) } ?? false
        let k = row.reference("staff_id", staffIDs, "staff.csv")
        let s = row.reference("student_id", studentIDs, "students.csv")
        var b: String?
        var blockOK = true
        if !row["block_id"].isEmpty {
          b = row.reference("block_id", blockIDs, "blocks.csv")
          blockOK = b != nil
        }
        var priority: Priority?
        if let p = row.required("priority") {
          priority = Priority(rawValue: p)
          if priority == nil { row.fail("priority must be required, high or normal, found \"\(p)\"") }
        }
        guard let id, isNew, let k, let s, blockOK, let priority
        else { continue }
        school.requests.append(
          Request(id: id, staffID: k, studentID: s, blockID: b, priority: priority, line: row.line))
      }
    }

    if let table = open("pins.csv", required: false, columns: ["student_id", "block_id", "staff_id"]) {
      for row in rows(of: table, file: "pins.csv") {
        let s = row.reference("student_id", studentIDs, "students.csv")
        let b = row.reference("block_id", blockIDs, "blocks.csv")
        let k = row.reference("staff_id", staffIDs, "staff.csv")
        guard let s, let b, let k else { continue }
        school.pins.append(Pin(studentID: s, blockID: b, staffID: k, line: row.line))
      }
    }

    if let table = open("absences.csv", required: false, columns: ["date", "id"]) {
      for row in rows(of: table, file: "absences.csv") {
        let day = row.date("date")
        let id = row.person("id", staff: staffIDs, students: studentIDs)
        var b: String?
        var blockOK = true
        if !row["block_id"].isEmpty {
          b = row.reference("block_id", blockIDs, "blocks.csv")
          blockOK = b != nil
        }
        guard let day, let id, blockOK else { continue }
        school.absences.append(Absence(date: day, id: id, blockID: b, line: row.line))
      }
    }

    addWarnings(
      school, studentsRead: studentIDs != nil, evidenceRead: files["evidence.csv"] != nil,
      teachingRead: staffIDs != nil && blockIDs != nil && targetIDs != nil)
    return school
  }

  /// Warnings (spec §6): a student with no evidence, a target nobody can teach anywhere.
  func addWarnings(_ school: School, studentsRead: Bool, evidenceRead: Bool, teachingRead: Bool) {
    guard !diagnostics.contains(where: { $0.severity == .error }) else {
      // With errors the school is incomplete; these warnings would mislead.
      return
    }
    if let date, studentsRead, evidenceRead {
      var withEvidence = Set<String>()
      for e in school.evidence where e.date <= date { withEvidence.insert(e.studentID) }
      for s in school.students where !withEvidence.contains(s.id) {
        warning(
          "students.csv", s.line,
          "student \"\(s.id)\" has no evidence on or before \(date), so they have no needs")
      }
    }
    if teachingRead {
      let teaching = Teaching(school)
      for t in school.targets where teaching.options(for: t).isEmpty {
        warning(
          "targets.csv", t.line,
          "no staff member can teach target \"\(t.id)\" (subject \"\(t.subject)\") in any block")
      }
    }
  }

  // MARK: Files and rows

  /// The table of `file`, or nil (with diagnostics) when it is missing, malformed beyond use,
  /// or lacks a required column.
  func open(_ file: String, required: Bool, columns: [String]) -> CSVTable? {
    guard let text = files[file] else {
      if required { error(file, nil, "required file is missing") }
      return nil
    }
    let table = CSVTable(text: text)
    for p in table.problems { error(file, p.line, p.message) }
    if !table.problems.isEmpty { malformed.insert(file) }
    if table.header.isEmpty {
      error(
        file, 1, "the file is empty; its first line must be a header with \(columns.joined(separator: ", "))")
      return nil
    }
    var ok = true
    for column in columns where table.column(column) == nil {
      error(file, 1, "missing required column \"\(column)\"")
      ok = false
    }
    return ok ? table : nil
  }

  /// The rows of a table as `Row` values that report into this reader.
  func rows(of table: CSVTable, file: String) -> [Row] {
    table.rows.map { Row(record: $0, table: table, file: file, reader: self) }
  }

  func list(_ cell: String) -> [String] {
    cell.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
  }

  /// True when `id` is new; otherwise reports the duplicate at this row, naming the first line.
  func unique(_ id: String, _ column: String, _ row: Row, _ first: inout [String: Int]) -> Bool {
    if let line = first[id] {
      error(row.file, row.line, "duplicate \(column) \"\(id)\" (first on line \(line))")
      return false
    }
    first[id] = row.line
    return true
  }
}

/// Whether `text` is an optionally signed run of ASCII digits.
func isInteger(_ text: String) -> Bool {
  var scalars = Substring(text).unicodeScalars[...]
  if let f = scalars.first, f == "+" || f == "-" { scalars = scalars.dropFirst() }
  return !scalars.isEmpty && scalars.allSatisfy { ("0"..."9").contains($0) }
}

/// Whether `text` is a plain decimal number (`3`, `2.5`, `.5`, `-1`); no exponents, `inf` or `nan`.
func isDecimal(_ text: String) -> Bool {
  var scalars = Substring(text).unicodeScalars[...]
  if let f = scalars.first, f == "+" || f == "-" { scalars = scalars.dropFirst() }
  let parts = String(scalars).split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
  let digits = parts.map { $0.unicodeScalars.allSatisfy { ("0"..."9").contains($0) } }
  guard digits.allSatisfy({ $0 }) else { return false }
  return parts.contains { !$0.isEmpty }
}

/// One record of a CSV file, with helpers that read and check its cells and report problems at its line.
struct Row {
  let record: CSVRecord
  let table: CSVTable
  let file: String
  unowned let reader: SchoolReader

  /// The physical line the record starts on.
  var line: Int { record.line }

  /// The cell of `column`, or "" when the file has no such column.
  subscript(_ column: String) -> String {
    guard let i = table.column(column) else { return "" }
    return record.cells[i]
  }

  func fail(_ message: String) { reader.error(file, line, message) }
  func warn(_ message: String) { reader.warning(file, line, message) }

  /// A required cell: nil (and an error) when empty.
  func required(_ column: String) -> String? {
    let value = self[column]
    if value.isEmpty {
      fail("\(column) is empty; it is required")
      return nil
    }
    return value
  }

  /// A required integer cell at least `minimum`.
  func integer(_ column: String, atLeast minimum: Int) -> Int? {
    guard let text = required(column) else { return nil }
    guard isInteger(text), let value = Int(text), value >= minimum else {
      fail("\(column) must be an integer ≥ \(minimum), found \"\(text)\"")
      return nil
    }
    return value
  }

  /// A required `HH:MM` (or `H:MM`) cell, as minutes after midnight.
  func time(_ column: String) -> Int? {
    guard let text = required(column) else { return nil }
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    if parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
      isInteger(String(parts[0])), isInteger(String(parts[1])),
      parts[0].first != "+", parts[0].first != "-",
      let h = Int(parts[0]), let m = Int(parts[1]), (0...23).contains(h), (0...59).contains(m)
    {
      return h * 60 + m
    }
    fail("\(column) must be a time HH:MM, found \"\(text)\"")
    return nil
  }

  /// A required `YYYY-MM-DD` cell naming a day that exists.
  func date(_ column: String) -> Day? {
    guard let text = required(column) else { return nil }
    guard let day = Day(text) else {
      fail("\(column) must be a date YYYY-MM-DD that exists, found \"\(text)\"")
      return nil
    }
    return day
  }

  /// A required level: a number from 0 to 4.
  func level(_ column: String) -> Double? {
    guard let text = required(column) else { return nil }
    guard isDecimal(text), let value = Double(text), value >= 0, value <= 4 else {
      fail("\(column) must be a number from 0 to 4, found \"\(text)\"")
      return nil
    }
    return value
  }

  /// A required id that is a staff_id or a student_id, never both and never neither (spec §12).
  func person(_ column: String, staff: Set<String>?, students: Set<String>?) -> String? {
    guard let id = required(column) else { return nil }
    guard let staff, let students else { return id }
    switch (staff.contains(id), students.contains(id)) {
    case (true, false), (false, true): return id
    case (true, true):
      fail("\(column) \"\(id)\" is both a staff_id and a student_id; rename one of them")
    case (false, false):
      var message = "unknown \(column) \"\(id)\": it is not in staff.csv nor in students.csv"
      if let guess = Suggestion.closest(to: id, in: (staff.union(students)).sorted()) {
        message += "; did you mean \"\(guess)\"?"
      }
      fail(message)
    }
    return nil
  }

  /// A required id that must be defined in `defined` (when that file could be read).
  func reference(_ column: String, _ defined: Set<String>?, _ definingFile: String) -> String? {
    guard let id = required(column) else { return nil }
    guard let defined else { return id }
    if defined.contains(id) { return id }
    var message = "unknown \(column) \"\(id)\": it is not in \(definingFile)"
    if let guess = Suggestion.closest(to: id, in: defined.sorted()) {
      message += "; did you mean \"\(guess)\"?"
    }
    fail(message)
    return nil
  }
}
