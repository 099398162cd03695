import Foundation
import LearnerStatus

/// Where the rows of each OneRoster file come from: the set itself, or a record that stored earlier imports.
public protocol RosterRows {
  /// Calls `body` for every row of `file` (`users.csv`), in file order; false when there is no such file.
  func rows(of file: String, _ body: (RosterRow) throws -> Void) throws -> Bool
}

/// The OneRoster files Regroup reads, with the columns each must have (spec §15).
public enum OneRosterFiles {
  /// Files in the order they are read; `userFlags.csv` is Microsoft SDS's, not OneRoster's.
  public static let names = [
    "users.csv", "roles.csv", "enrollments.csv", "userFlags.csv", "scoreScales.csv",
    "lineItems.csv", "lineItemScoreScales.csv", "results.csv", "resultScoreScales.csv",
    "resultLearningObjectiveIds.csv",
  ]

  /// The columns `file` must have in a set of `version`.
  public static func required(_ file: String, _ version: Manifest.Version) -> [String] {
    switch file {
    case "users.csv":
      return version == .v1_1
        ? ["sourcedId", "role", "givenName", "familyName"] : ["sourcedId", "givenName", "familyName"]
    case "roles.csv": return ["sourcedId", "userSourcedId", "role"]
    case "enrollments.csv": return ["sourcedId", "userSourcedId", "role"]
    case "userFlags.csv": return ["userSourcedId", "flag"]
    case "scoreScales.csv": return ["sourcedId", "scoreScaleValue"]
    case "lineItems.csv": return ["sourcedId", "title"]
    case "lineItemScoreScales.csv": return ["sourcedId", "lineItemSourcedId", "scoreScaleSourcedId"]
    case "results.csv":
      return ["sourcedId", "lineItemSourcedId", "studentSourcedId", "scoreDate"]
    case "resultScoreScales.csv": return ["sourcedId", "resultSourcedId", "scoreScaleSourcedId"]
    case "resultLearningObjectiveIds.csv":
      return ["sourcedId", "resultSourcedId", "learningObjectiveId", "score", "textScore"]
    default: return []
    }
  }

  /// The row's key within its file: `sourcedId`, or `userSourcedId`+`flag` for userFlags.csv.
  public static func key(_ file: String, _ row: RosterRow) -> String {
    file == "userFlags.csv" ? row["userSourcedId"] + "\u{1F}" + row["flag"] : row["sourcedId"]
  }

  /// The manifest's name of `file` (`file.resultLearningObjectiveIds` → `resultLearningObjectiveIds`).
  public static func manifestName(_ file: String) -> String { String(file.dropLast(4)) }
}

/// What a OneRoster set and a CASE package become: the school's people, targets and evidence.
public struct MappedSchool: Sendable {
  public var students: [Student] = []
  public var staff: [StaffMember] = []
  public var targets: [Target] = []
  /// Target id → the ids of its prerequisites (from CASE `precedes`), in package order.
  public var prerequisites: [String: [String]] = [:]
  public var evidence: [Evidence] = []
  /// Per-objective rows without a score or textScore, and results skipped (exempt, not submitted, disabled users).
  public var rowsWithoutScore = 0
  public var resultsSkipped = 0
  public init() {}
}

/// Maps OneRoster rows and a CASE package onto Regroup's school, checking every reference.
///
/// Every problem is a `member:line: error:` saying what to fix in the data or in
/// `oneroster.toml`; at most `maximumErrors` are kept, then one line says how many more.
public struct Mapper {
  public var mapping: OneRosterMapping
  public var version: Manifest.Version
  public var package: CASEPackage
  public static let maximumErrors = 50

  public init(mapping: OneRosterMapping, version: Manifest.Version, package: CASEPackage) {
    self.mapping = mapping
    self.version = version
    self.package = package
  }

  final class Problems {
    var list: [Diagnostic] = []
    var more = 0
    func add(_ d: Diagnostic) {
      if list.count < Mapper.maximumErrors { list.append(d) } else { more += 1 }
    }
    func check() throws {
      guard !list.isEmpty else { return }
      var all = list
      if more > 0 {
        all.append(Diagnostic(.error, file: all[all.count - 1].file, "… and \(more) more errors"))
      }
      throw InputError(all)
    }
  }

  /// The school the rows describe.
  ///
  /// - Throws: `InputError` with every problem found (up to `maximumErrors`).
  public func map(_ source: any RosterRows) throws -> MappedSchool {
    var out = MappedSchool()
    let problems = Problems()
    let targets = try mapTargets(&out, problems)
    try problems.check()

    // Users and their roles.
    struct User {
      var given: String, family: String, grade: String, enabled: Bool, tier: Int, flags: [String]
      var line: Int, origin: String
      var roles: Set<String>
      var subjects: String?, minutes: Int?, size: Int?
    }
    var users: [String: User] = [:]
    var userOrder: [String] = []
    let foundUsers = try source.rows(of: "users.csv") { row in
      let id = row["sourcedId"]
      if id.isEmpty {
        problems.add(row.error("sourcedId is empty; every user needs one"))
        return
      }
      var tier = 1
      if let column = mapping.tierColumn {
        let cell = row[column]
        if !cell.isEmpty {
          if let t = Int(cell), (1...3).contains(t) {
            tier = t
          } else {
            problems.add(
              row.error(
                "\(column) must be 1, 2 or 3, found \"\(cell)\": fix the data, or students.tier in \(mapping.origin)"
              ))
          }
        }
      }
      var flags: [String] = []
      for column in mapping.flagColumns where isTrue(row[column]) {
        flags.append(column.hasPrefix("metadata.") ? String(column.dropFirst(9)) : column)
      }
      func personal(_ column: String?, atLeast minimum: Int) -> Int? {
        guard let column, !row[column].isEmpty else { return nil }
        guard let v = Int(row[column]), v >= minimum else {
          problems.add(
            row.error(
              "\(column) must be an integer ≥ \(minimum), found \"\(row[column])\": fix the data, or the staff.*_column keys in \(mapping.origin)"
            ))
          return nil
        }
        return v
      }
      let subjectsCell = mapping.staffSubjectsColumn.map { row[$0] } ?? ""
      let minutes = personal(mapping.staffMinutesColumn, atLeast: 0)
      let size = personal(mapping.staffGroupSizeColumn, atLeast: 1)
      let enabledCell = row["enabledUser"]
      var roles: Set<String> = []
      if version == .v1_1, !row["role"].isEmpty { roles.insert(row["role"]) }
      let grade = row["grades"].split(separator: ",").first.map {
        String($0.trimmingCharacters(in: .whitespaces))
      }
      users[id] = User(
        given: row["givenName"], family: row["familyName"], grade: grade.map(Self.grade) ?? "",
        enabled: enabledCell.isEmpty || isTrue(enabledCell), tier: tier, flags: flags, line: row.line,
        origin: row.origin, roles: roles, subjects: subjectsCell.isEmpty ? nil : subjectsCell,
        minutes: minutes, size: size)
      userOrder.append(id)
    }
    if !foundUsers {
      problems.add(
        Diagnostic(.error, file: "users.csv", "the set has no users.csv: a OneRoster set needs one"))
    }
    if version == .v1_2 {
      let roleFile = try source.rows(of: "roles.csv") { row in
        let user = row["userSourcedId"]
        guard users[user] != nil else {
          problems.add(row.error("unknown userSourcedId \"\(user)\": it is not in users.csv"))
          return
        }
        users[user]?.roles.insert(row["role"])
      }
      if !roleFile {
        // A 1.2 set without roles.csv: the roles people have in their enrollments.
        _ = try source.rows(of: "enrollments.csv") { row in
          users[row["userSourcedId"]]?.roles.insert(row["role"])
        }
      }
    }
    if mapping.flagsFile {
      _ = try source.rows(of: "userFlags.csv") { row in
        let user = row["userSourcedId"]
        guard users[user] != nil else {
          problems.add(row.error("unknown userSourcedId \"\(user)\": it is not in users.csv"))
          return
        }
        let flag = row["flag"]
        if !flag.isEmpty, users[user]?.flags.contains(flag) == false { users[user]?.flags.append(flag) }
      }
    }
    try problems.check()

    var studentIDs = Set<String>()
    for id in userOrder {
      guard let u = users[id], u.enabled else { continue }
      if u.roles.contains("student") {
        studentIDs.insert(id)
        out.students.append(
          Student(
            id: id, givenName: u.given, familyName: u.family, grade: u.grade, tier: u.tier,
            flags: u.flags, line: u.line))
      }
      if let role = mapping.staffRoles.first(where: { u.roles.contains($0) }) {
        let settings = mapping.staffSettings(role)
        out.staff.append(
          StaffMember(
            id: id, name: [u.given, u.family].filter { !$0.isEmpty }.joined(separator: " "),
            subjects: SubjectSet(cell: u.subjects ?? settings.subjects),
            maxGroupSize: u.size ?? settings.maxGroupSize, maxMinutes: u.minutes ?? settings.maxMinutes,
            line: u.line))
      }
    }

    // Score scales: label → score, checked against the mapped range.
    var scales: [String: [String: Double]] = [:]
    var lineItemScale: [String: String] = [:]
    var resultScale: [String: String] = [:]
    if mapping.useScoreScales {
      _ = try source.rows(of: "scoreScales.csv") { row in
        guard let values = Self.scaleValues(row["scoreScaleValue"]) else {
          problems.add(
            row.error(
              "scoreScaleValue must be {label:score},{label:score}…, found \"\(row["scoreScaleValue"])\""))
          return
        }
        for (label, value) in values where mapping.level(score: value) == nil {
          problems.add(
            row.error(
              "scale value {\(label):\(Self.show(value))} is outside the mapped scale "
                + "\(Self.show(mapping.scoreMin ?? 0))–\(Self.show(mapping.scoreMax ?? 0)): "
                + "widen levels.score_min/score_max in \(mapping.origin), or fix the scale"))
        }
        scales[row["sourcedId"]] = values
      }
      _ = try source.rows(of: "lineItemScoreScales.csv") { row in
        lineItemScale[row["lineItemSourcedId"]] = row["scoreScaleSourcedId"]
      }
      _ = try source.rows(of: "resultScoreScales.csv") { row in
        resultScale[row["resultSourcedId"]] = row["scoreScaleSourcedId"]
      }
    }

    // Line items tagged to one target.
    var tagged: [String: String] = [:]
    let tagging = mapping.lineItemColumn != nil || mapping.lineItemPattern != nil
    if tagging {
      _ = try source.rows(of: "lineItems.csv") { row in
        var tag: String?
        if let column = mapping.lineItemColumn, !row[column].isEmpty { tag = row[column] }
        if tag == nil, let regex = mapping.lineItemPattern {
          let title = row["title"]
          let range = NSRange(title.startIndex..., in: title)
          if let match = regex.firstMatch(in: title, range: range),
            let r = Range(match.range(at: 1), in: title)
          {
            tag = String(title[r])
          }
        }
        guard let tag else { return }
        guard let target = targets.resolve(tag) else {
          problems.add(
            row.error(
              "line item \"\(row["sourcedId"])\" is tagged to \"\(tag)\", which is not a target of "
                + "\(package.origin): fix the tag, or line_items in \(mapping.origin)"))
          return
        }
        tagged[row["sourcedId"]] = target
      }
    }

    // Results: student and date of each.
    struct Result { var student: String, day: Day, lineItem: String }
    var results: [String: Result] = [:]
    var skipped = Set<String>()
    // Results already reported: their per-objective rows add nothing but noise.
    var failed = Set<String>()
    _ = try source.rows(of: "results.csv") { row in
      let id = row["sourcedId"]
      let student = row["studentSourcedId"]
      guard let user = users[student] else {
        failed.insert(id)
        problems.add(
          row.error("result \"\(id)\" is for an unknown student \"\(student)\": it is not in users.csv"))
        return
      }
      let status = row["scoreStatus"].lowercased()
      if !user.enabled || status == "exempt" || status == "not submitted" {
        skipped.insert(id)
        out.resultsSkipped += 1
        return
      }
      guard studentIDs.contains(student) else {
        failed.insert(id)
        problems.add(
          row.error(
            "result \"\(id)\" is for user \"\(student)\", who is not a student (roles: "
              + "\(user.roles.sorted().joined(separator: ", ")))"))
        return
      }
      var dateText = row["scoreDate"]
      if dateText.isEmpty { dateText = row["dateLastModified"] }
      guard let day = Day(String(dateText.prefix(10))) else {
        failed.insert(id)
        problems.add(
          row.error("scoreDate must be a date YYYY-MM-DD (or a date-time), found \"\(row["scoreDate"])\""))
        return
      }
      let lineItem = row["lineItemSourcedId"]
      results[id] = Result(student: student, day: day, lineItem: lineItem)
      // OneRoster 1.1 route: the result of a line item tagged to one target.
      if let target = tagged[lineItem] {
        let scale = resultScale[id] ?? lineItemScale[lineItem]
        if let level = level(
          row, score: "score", text: "textScore", scale: scale.flatMap { scales[$0] }, problems)
        {
          out.evidence.append(
            Evidence(studentID: student, targetID: target, date: day, level: level, line: row.line))
        }
      }
    }

    // OneRoster 1.2: one evidence row per result and learning objective. A set names a
    // few hundred objectives millions of times: resolve each spelling once.
    var resolved: [String: String] = [:]
    _ = try source.rows(of: "resultLearningObjectiveIds.csv") { row in
      let resultID = row["resultSourcedId"]
      if skipped.contains(resultID) || failed.contains(resultID) { return }
      guard let result = results[resultID] else {
        problems.add(row.error("unknown resultSourcedId \"\(resultID)\": it is not in results.csv"))
        return
      }
      let objective = row["learningObjectiveId"]
      guard let target = resolved[objective] ?? targets.resolve(objective) else {
        problems.add(
          row.error(
            "unknown learningObjectiveId \"\(objective)\": no target of \(package.origin) has that "
              + "identifier or \(mapping.targetID == .humanCodingScheme ? "humanCodingScheme" : "id")"
              + (targets.nonTargets.contains(CASEPackage.normalized(objective))
                ? " (it is a CASE item that is not a target: see targets.item_types in \(mapping.origin))"
                : ": fix the id, or add the item to the package")))
        return
      }
      resolved[objective] = target
      let scale = resultScale[resultID] ?? lineItemScale[result.lineItem]
      if let level = level(
        row, score: "score", text: "textScore", scale: scale.flatMap { scales[$0] }, problems)
      {
        out.evidence.append(
          Evidence(
            studentID: result.student, targetID: target, date: result.day, level: level, line: row.line))
      } else if row["score"].isEmpty, row["textScore"].isEmpty {
        out.rowsWithoutScore += 1
      }
    }
    try problems.check()
    return out
  }

  /// The level of a row's score or textScore; nil (and no problem) when both are empty.
  func level(
    _ row: RosterRow, score: String, text: String, scale: [String: Double]?, _ problems: Problems
  ) -> Double? {
    let scoreText = row[score]
    let textScore = row[text]
    if !scoreText.isEmpty {
      guard let value = Double(scoreText), value.isFinite else {
        problems.add(row.error("\(score) must be a number, found \"\(scoreText)\""))
        return nil
      }
      guard let lo = mapping.scoreMin, let hi = mapping.scoreMax else {
        problems.add(
          row.error(
            "\(score) \(scoreText) needs a scale: set levels.score_min and levels.score_max in \(mapping.origin)"
          ))
        return nil
      }
      guard let level = mapping.level(score: value) else {
        problems.add(
          row.error(
            "\(score) \(scoreText) is outside the mapped scale \(Self.show(lo))–\(Self.show(hi)): "
              + "fix the score, or levels.score_min/score_max in \(mapping.origin)"))
        return nil
      }
      return level
    }
    if !textScore.isEmpty {
      if let level = mapping.textLevels[textScore] { return level }
      if let value = scale?[textScore], let level = mapping.level(score: value) { return level }
      let known = mapping.textLevels.keys.sorted()
      problems.add(
        row.error(
          "\(text) \"\(textScore)\" is not in [levels.text] of \(mapping.origin)"
            + (known.isEmpty ? "" : " (it has \(known.joined(separator: ", ")))")
            + (scale == nil ? "" : " nor in the result's score scale")
            + ": add it there, or fix the data"))
      return nil
    }
    return nil
  }

  /// `{Beginning:1},{Developing:2}` → label → score; nil when malformed.
  static func scaleValues(_ text: String) -> [String: Double]? {
    var out: [String: Double] = [:]
    var rest = Substring(text.trimmingCharacters(in: .whitespaces))
    while !rest.isEmpty {
      guard rest.first == "{", let close = rest.firstIndex(of: "}") else { return nil }
      let inner = rest[rest.index(after: rest.startIndex)..<close]
      guard let colon = inner.lastIndex(of: ":"),
        let value = Double(inner[inner.index(after: colon)...].trimmingCharacters(in: .whitespaces))
      else { return nil }
      out[inner[..<colon].trimmingCharacters(in: .whitespaces)] = value
      rest = rest[rest.index(after: close)...].drop { $0 == "," || $0 == " " }
    }
    return out.isEmpty ? nil : out
  }

  static func show(_ v: Double) -> String {
    v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(v)
  }

  /// `04` → `4`; `KG`, `PK` unchanged (CASE and OneRoster both write grades either way).
  static func grade(_ text: String) -> String {
    guard !text.isEmpty, text.allSatisfy(\.isNumber) else { return text }
    return Int(text).map(String.init) ?? text
  }

  /// How learningObjectiveIds and tags find a target.
  struct TargetIndex {
    var byIdentifier: [String: String] = [:]
    var ids: Set<String> = []
    var nonTargets: Set<String> = []

    /// A CASE identifier (any case, with or without `urn:uuid:`), else a target id as written.
    func resolve(_ text: String) -> String? {
      if let id = byIdentifier[CASEPackage.normalized(text)] { return id }
      return ids.contains(text) ? text : nil
    }
  }

  /// Targets from the CASE package (see `[targets]`), with prerequisites from `precedes`.
  func mapTargets(_ out: inout MappedSchool, _ problems: Problems) throws -> TargetIndex {
    var index = TargetIndex()
    var parents = Set<String>()
    var childSequence: [String: Int] = [:]
    for a in package.associations where a.associationType == "isChildOf" {
      parents.insert(CASEPackage.normalized(a.destinationNodeURI.identifier))
      if let n = a.sequenceNumber { childSequence[CASEPackage.normalized(a.originNodeURI.identifier)] = n }
    }
    var firstLine: [String: String] = [:]
    for (position, item) in package.items.enumerated() {
      let key = CASEPackage.normalized(item.identifier)
      let isTarget =
        mapping.itemTypes.isEmpty
        ? !parents.contains(key) : mapping.itemTypes.contains(item.itemType ?? "")
      guard isTarget else {
        index.nonTargets.insert(key)
        continue
      }
      let line = package.line(of: item.identifier)
      func fail(_ message: String) {
        problems.add(Diagnostic(.error, file: package.origin, line: line, message))
      }
      var id: String
      switch mapping.targetID {
      case .identifier: id = key
      case .humanCodingScheme:
        guard let code = item.humanCodingScheme?.trimmingCharacters(in: .whitespaces), !code.isEmpty else {
          fail(
            "CFItem \(item.identifier) has no humanCodingScheme: add one, or set targets.id = \"identifier\" in \(mapping.origin)"
          )
          continue
        }
        id = code
      }
      if let other = firstLine[id] {
        fail(
          "two CFItems give the target id \"\(id)\" (\(other) and \(item.identifier)); set targets.id = \"identifier\" in \(mapping.origin), or fix the codes"
        )
        continue
      }
      firstLine[id] = item.identifier
      let code = item.humanCodingScheme ?? ""
      guard
        let subject = mapping.subjectByPrefix.first(where: { code.hasPrefix($0.prefix) })?.subject
          ?? mapping.subject ?? package.subjects.first
      else {
        fail(
          "no subject for target \"\(id)\": set targets.subject, or a [targets.subjects] prefix for \"\(code)\", in \(mapping.origin)"
        )
        continue
      }
      var sequence: Int?
      switch mapping.sequence {
      case .listEnumeration:
        sequence = item.listEnumeration.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
      case .sequenceNumber: sequence = childSequence[key]
      case .document: sequence = position + 1
      case .none: sequence = nil
      }
      let title =
        (item.abbreviatedStatement?.isEmpty == false ? item.abbreviatedStatement : nil) ?? item.fullStatement
      out.targets.append(
        Target(
          id: id, subject: subject, title: title, grade: item.educationLevel.first.map(Self.grade) ?? "",
          sequence: sequence, line: line ?? 0))
      index.byIdentifier[key] = id
      index.ids.insert(id)
    }

    // A precedes B: A is a prerequisite of B. Only associations between two targets count.
    var edges: [String: [(prerequisite: String, association: String)]] = [:]
    for a in package.associations where a.associationType == "precedes" {
      guard let before = index.byIdentifier[CASEPackage.normalized(a.originNodeURI.identifier)],
        let after = index.byIdentifier[CASEPackage.normalized(a.destinationNodeURI.identifier)]
      else { continue }
      if before == after {
        problems.add(
          Diagnostic(
            .error, file: package.origin, line: package.line(of: a.identifier),
            "association \(a.identifier): target \"\(before)\" precedes itself; remove the association"))
        continue
      }
      if edges[after]?.contains(where: { $0.prerequisite == before }) == true { continue }
      edges[after, default: []].append((before, a.identifier))
    }
    // A cycle is bad input: name the association that closes it.
    var state: [String: Int] = [:]  // 1 on the path, 2 done
    var path: [String] = []
    func visit(_ t: String) -> Bool {
      state[t] = 1
      path.append(t)
      for edge in edges[t] ?? [] {
        if state[edge.prerequisite] == 1 {
          let start = path.firstIndex(of: edge.prerequisite) ?? 0
          let cycle = [edge.prerequisite] + Array(path[start...]).reversed()
          problems.add(
            Diagnostic(
              .error, file: package.origin, line: package.line(of: edge.association),
              "prerequisites form a cycle: \(cycle.joined(separator: " precedes ")); "
                + "remove one of these precedes associations (this one is \(edge.association))"))
          return false
        }
        if state[edge.prerequisite] == nil, !visit(edge.prerequisite) { return false }
      }
      path.removeLast()
      state[t] = 2
      return true
    }
    for t in out.targets.map(\.id) where state[t] == nil {
      if !visit(t) { break }
    }
    for (t, list) in edges { out.prerequisites[t] = list.map(\.prerequisite) }
    for i in out.targets.indices {
      out.targets[i].prerequisites = out.prerequisites[out.targets[i].id] ?? []
    }
    return index
  }
}

/// A OneRoster set read straight from its folder or zip (no record): each file as it is now.
extension RosterSource: RosterRows {
  public func rows(of file: String, _ body: (RosterRow) throws -> Void) throws -> Bool {
    guard let member = member(named: file) else { return false }
    let version = (try? manifest().version) ?? .v1_2
    try rows(of: member, required: OneRosterFiles.required(file, version)) { row in
      if row["status"].lowercased() == "tobedeleted" { return }
      try body(row)
    }
    return true
  }
}
