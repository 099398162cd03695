import Foundation
import LearnerStatus
import TOMLKit

/// `oneroster.toml`: what the standards leave to each district (spec §15), with checked values.
///
/// Every problem names the file and the key (`oneroster.toml: error: levels.score_max …`);
/// TOMLKit gives positions only for syntax errors.
public struct OneRosterMapping {
  /// `[files]`: where the set, the package and Regroup's own files are (relative to the mapping file).
  public var roster: URL?
  public var casePackage: URL?
  public var school: URL?

  /// `[levels]`: a score `score_min…score_max` maps linearly onto levels 0…4.
  public var scoreMin: Double?
  public var scoreMax: Double?
  /// `[levels.text]`: a textScore's level (0…4).
  public var textLevels: [String: Double] = [:]
  /// `levels.use_score_scales`: a textScore not in the table is read through the result's or line item's score scale.
  public var useScoreScales = false

  /// `[students]`: the users.csv column giving the tier, flag columns, and whether userFlags.csv is read.
  public var tierColumn: String?
  public var flagColumns: [String] = []
  public var flagsFile = true

  /// `[staff]`: the roles that are staff, with defaults and per-role settings.
  public struct StaffDefaults: Sendable, Equatable {
    public var subjects: String = "*"
    public var maxMinutes: Int = 240
    public var maxGroupSize: Int = 6
  }
  public var staffRoles: [String] = ["teacher"]
  public var staffDefaults = StaffDefaults()
  public var staffByRole: [String: StaffDefaults] = [:]
  /// `staff.*_column`: users.csv columns that, when filled, override the role's settings for one person.
  public var staffSubjectsColumn: String?
  public var staffMinutesColumn: String?
  public var staffGroupSizeColumn: String?

  /// `[targets]`: how a CASE item becomes a target.
  public enum TargetID: String, Sendable { case humanCodingScheme, identifier }
  public enum Sequence: String, Sendable { case listEnumeration, sequenceNumber, document, none }
  public var targetID = TargetID.humanCodingScheme
  public var subject: String?
  /// `[targets.subjects]`: subject by humanCodingScheme prefix (the longest matching prefix wins).
  public var subjectByPrefix: [(prefix: String, subject: String)] = []
  public var sequence = Sequence.listEnumeration
  /// CFItemType values that are targets; empty: every item that has no children.
  public var itemTypes: [String] = []

  /// `[line_items]`: how a line item is tagged to one target (OneRoster 1.1; also read in 1.2).
  public var lineItemColumn: String?
  public var lineItemPattern: NSRegularExpression?

  /// The mapping file's name in diagnostics.
  public var origin = "oneroster.toml"

  public init() {}

  /// The keys of each table, for unknown-key messages (`""` is the top level).
  static let knownKeys: [String: [String]] = [
    "": ["files", "levels", "students", "staff", "targets", "line_items"],
    "files": ["roster", "case", "school"],
    "levels": ["score_min", "score_max", "text", "use_score_scales"],
    "students": ["tier", "flags", "flags_file"],
    "staff": [
      "roles", "subjects", "max_minutes", "max_group_size", "role", "subjects_column",
      "max_minutes_column", "max_group_size_column",
    ],
    "targets": ["id", "subject", "subjects", "sequence", "item_types"],
    "line_items": ["target_column", "title_pattern"],
  ]

  /// Reads and checks the mapping file at `url`.
  ///
  /// - Throws: `InputError` naming the file and every bad key.
  public static func load(_ url: URL) throws -> OneRosterMapping {
    let origin = url.lastPathComponent
    guard let data = FileManager.default.contents(atPath: url.path) else {
      throw InputError([Diagnostic(.error, file: url.path, "cannot read the mapping file")])
    }
    return try parse(
      String(decoding: data, as: UTF8.self), origin: origin, base: url.deletingLastPathComponent())
  }

  /// Parses a mapping text; paths in `[files]` are relative to `base`.
  public static func parse(_ text: String, origin: String, base: URL) throws -> OneRosterMapping {
    let table: TOMLTable
    do {
      table = try TOMLTable(string: text)
    } catch let error as TOMLParseError {
      let line = error.source.begin.line
      throw InputError([Diagnostic(.error, file: origin, line: line > 0 ? line : nil, error.description)])
    } catch {
      throw InputError([Diagnostic(.error, file: origin, "cannot parse: \(error)")])
    }
    var m = OneRosterMapping()
    m.origin = origin
    var problems: [Diagnostic] = []
    func fail(_ key: String, _ message: String) {
      problems.append(Diagnostic(.error, file: origin, "\(key) \(message)"))
    }
    func check(_ t: TOMLTable, _ name: String) {
      let known = knownKeys[name] ?? []
      for key in t.keys.sorted() where !known.contains(key) {
        fail(
          name.isEmpty ? key : "\(name).\(key)",
          "is not a key of oneroster.toml\(name.isEmpty ? "" : " [\(name)]"); known keys: \(known.joined(separator: ", "))"
        )
      }
    }
    func sub(_ t: TOMLTable, _ key: String, _ path: String) -> TOMLTable? {
      guard let value = t[key] else { return nil }
      guard let s = value.tomlValue.table else {
        fail(path, "must be a table ([\(path)])")
        return nil
      }
      return s
    }
    func string(_ t: TOMLTable, _ key: String, _ path: String) -> String? {
      guard let value = t[key] else { return nil }
      guard let s = value.tomlValue.string else {
        fail(path, "must be a string")
        return nil
      }
      return s
    }
    func number(_ t: TOMLTable, _ key: String, _ path: String) -> Double? {
      guard let value = t[key]?.tomlValue else { return nil }
      if let d = value.double { return d }
      if let i = value.int { return Double(i) }
      fail(path, "must be a number")
      return nil
    }
    func integer(_ t: TOMLTable, _ key: String, _ path: String, atLeast minimum: Int) -> Int? {
      guard let value = t[key]?.tomlValue else { return nil }
      guard let i = value.int, i >= minimum else {
        fail(path, "must be an integer ≥ \(minimum)")
        return nil
      }
      return i
    }
    func bool(_ t: TOMLTable, _ key: String, _ path: String) -> Bool? {
      guard let value = t[key]?.tomlValue else { return nil }
      guard let b = value.bool else {
        fail(path, "must be true or false")
        return nil
      }
      return b
    }
    func strings(_ t: TOMLTable, _ key: String, _ path: String) -> [String]? {
      guard let value = t[key]?.tomlValue else { return nil }
      guard let array = value.array else {
        fail(path, "must be a list of strings, like [\"a\", \"b\"]")
        return nil
      }
      var out: [String] = []
      for element in array {
        guard let s = element.tomlValue.string else {
          fail(path, "must be a list of strings, like [\"a\", \"b\"]")
          return nil
        }
        out.append(s)
      }
      return out
    }
    func path(_ text: String?) -> URL? {
      guard let text, !text.isEmpty else { return nil }
      return text.hasPrefix("/") ? URL(fileURLWithPath: text) : base.appendingPathComponent(text)
    }

    check(table, "")
    if let files = sub(table, "files", "files") {
      check(files, "files")
      m.roster = path(string(files, "roster", "files.roster"))
      m.casePackage = path(string(files, "case", "files.case"))
      m.school = path(string(files, "school", "files.school"))
    }
    if let levels = sub(table, "levels", "levels") {
      check(levels, "levels")
      m.scoreMin = number(levels, "score_min", "levels.score_min")
      m.scoreMax = number(levels, "score_max", "levels.score_max")
      if (m.scoreMin == nil) != (m.scoreMax == nil) {
        fail(
          "levels.score_min",
          "and levels.score_max must be given together (the score at level 0 and at level 4)")
      }
      if let lo = m.scoreMin, let hi = m.scoreMax, !(hi > lo) {
        fail("levels.score_max", "must be greater than levels.score_min, found \(hi) ≤ \(lo)")
      }
      if let text = sub(levels, "text", "levels.text") {
        for key in text.keys.sorted() {
          let keyPath = "levels.text.\(key)"
          guard let level = number(text, key, keyPath) else { continue }
          guard level >= 0, level <= 4 else {
            fail(keyPath, "must be a level from 0 to 4, found \(level)")
            continue
          }
          m.textLevels[key] = level
        }
      }
      m.useScoreScales = bool(levels, "use_score_scales", "levels.use_score_scales") ?? false
      if m.useScoreScales, m.scoreMin == nil {
        fail(
          "levels.use_score_scales",
          "needs levels.score_min and levels.score_max: a scale's values are scores")
      }
    }
    if let students = sub(table, "students", "students") {
      check(students, "students")
      m.tierColumn = string(students, "tier", "students.tier")
      m.flagColumns = strings(students, "flags", "students.flags") ?? []
      m.flagsFile = bool(students, "flags_file", "students.flags_file") ?? true
    }
    func defaults(_ t: TOMLTable, _ prefix: String, _ base: StaffDefaults) -> StaffDefaults {
      var d = base
      if let s = string(t, "subjects", "\(prefix).subjects") { d.subjects = s }
      if let v = integer(t, "max_minutes", "\(prefix).max_minutes", atLeast: 0) { d.maxMinutes = v }
      if let v = integer(t, "max_group_size", "\(prefix).max_group_size", atLeast: 1) { d.maxGroupSize = v }
      return d
    }
    if let staff = sub(table, "staff", "staff") {
      check(staff, "staff")
      if let roles = strings(staff, "roles", "staff.roles") {
        if roles.contains("student") { fail("staff.roles", "must not contain student") }
        m.staffRoles = roles
      }
      m.staffDefaults = defaults(staff, "staff", StaffDefaults())
      m.staffSubjectsColumn = string(staff, "subjects_column", "staff.subjects_column")
      m.staffMinutesColumn = string(staff, "max_minutes_column", "staff.max_minutes_column")
      m.staffGroupSizeColumn = string(staff, "max_group_size_column", "staff.max_group_size_column")
      if let byRole = sub(staff, "role", "staff.role") {
        for role in byRole.keys.sorted() {
          guard let t = sub(byRole, role, "staff.role.\(role)") else { continue }
          for key in t.keys.sorted() where !["subjects", "max_minutes", "max_group_size"].contains(key) {
            fail(
              "staff.role.\(role).\(key)",
              "is not a key of [staff.role.\(role)]; known keys: subjects, max_minutes, max_group_size")
          }
          if !m.staffRoles.contains(role) {
            fail(
              "staff.role.\(role)",
              "is not one of staff.roles (\(m.staffRoles.joined(separator: ", "))); add it there")
          }
          m.staffByRole[role] = defaults(t, "staff.role.\(role)", m.staffDefaults)
        }
      }
    }
    if let targets = sub(table, "targets", "targets") {
      check(targets, "targets")
      if let id = string(targets, "id", "targets.id") {
        if let v = TargetID(rawValue: id) {
          m.targetID = v
        } else {
          fail("targets.id", "must be humanCodingScheme or identifier, found \"\(id)\"")
        }
      }
      m.subject = string(targets, "subject", "targets.subject")
      if let subjects = sub(targets, "subjects", "targets.subjects") {
        for key in subjects.keys {
          if let s = string(subjects, key, "targets.subjects.\(key)") {
            m.subjectByPrefix.append((key, s))
          }
        }
        m.subjectByPrefix.sort {
          $0.prefix.count != $1.prefix.count ? $0.prefix.count > $1.prefix.count : $0.prefix < $1.prefix
        }
      }
      if let seq = string(targets, "sequence", "targets.sequence") {
        if let v = Sequence(rawValue: seq) {
          m.sequence = v
        } else {
          fail(
            "targets.sequence", "must be listEnumeration, sequenceNumber, document or none, found \"\(seq)\"")
        }
      }
      m.itemTypes = strings(targets, "item_types", "targets.item_types") ?? []
    }
    if let lineItems = sub(table, "line_items", "line_items") {
      check(lineItems, "line_items")
      m.lineItemColumn = string(lineItems, "target_column", "line_items.target_column")
      if let pattern = string(lineItems, "title_pattern", "line_items.title_pattern") {
        do {
          let regex = try NSRegularExpression(pattern: pattern)
          if regex.numberOfCaptureGroups < 1 {
            fail("line_items.title_pattern", "needs a capture group ( … ) around the target id")
          } else {
            m.lineItemPattern = regex
          }
        } catch {
          fail("line_items.title_pattern", "is not a regular expression: \(error.localizedDescription)")
        }
      }
    }
    if !problems.isEmpty { throw InputError(problems) }
    return m
  }

  /// The staff settings of `role`.
  public func staffSettings(_ role: String) -> StaffDefaults { staffByRole[role] ?? staffDefaults }

  /// The level 0…4 of a numeric score, or nil when it is outside the mapped range (or none is mapped).
  public func level(score: Double) -> Double? {
    guard let lo = scoreMin, let hi = scoreMax, score >= lo, score <= hi else { return nil }
    return (score - lo) * 4 / (hi - lo)
  }
}

extension OneRosterMapping: @unchecked Sendable {}
