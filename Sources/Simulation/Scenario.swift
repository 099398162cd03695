import LearnerStatus
import TOMLKit

/// A what-if change to a base school (spec §9): staff and blocks added, changed or
/// removed, staff marked unavailable, policy keys changed.
///
/// ```swift
/// let scenario = try Scenario.read(text, file: "more-staff.toml")
/// let changed = try scenario.apply(to: school)
/// ```
public struct Scenario: Sendable, Equatable {
  /// A `staff.csv` row to add.
  public struct StaffChange: Sendable, Equatable {
    public var staffID: String
    public var name: String?
    public var subjects: SubjectSet?
    public var maxGroupSize: Int?
    public var maxMinutes: Int?
    /// The key path of this table in the file, e.g. `change_staff[2]`, for messages.
    public var key: String
  }

  /// A `blocks.csv` row to add or change.
  public struct BlockChange: Sendable, Equatable {
    public var blockID: String
    public var start: Int?
    public var end: Int?
    public var subjects: SubjectSet?
    public var key: String
  }

  /// The scenario's name (default: the file's name without `.toml`).
  public var name: String
  /// The file it came from, as given; diagnostics name it.
  public var file: String
  public var removeStaff: [String] = []
  public var removeBlocks: [String] = []
  public var addStaff: [StaffChange] = []
  public var changeStaff: [StaffChange] = []
  public var addBlocks: [BlockChange] = []
  public var changeBlocks: [BlockChange] = []
  public var unavailable: [(staff: String, block: String, key: String)] = []
  /// `[policy]` entries as `(table, key, value)`, already validated against a default policy.
  var policy: [(table: String, key: String, value: PolicyValue)] = []

  /// A `[policy]` value, kept as plain data (TOML values are not `Sendable`).
  enum PolicyValue: Sendable, Equatable, CustomStringConvertible {
    case int(Int), double(Double), string(String)

    init?(_ value: TOMLValue) {
      switch value.type {
      case .int: if let x = value.int { self = .int(x) } else { return nil }
      case .double: if let x = value.double { self = .double(x) } else { return nil }
      case .string: if let x = value.string { self = .string(x) } else { return nil }
      default: return nil
      }
    }

    var toml: TOMLValue {
      switch self {
      case .int(let x): return TOMLValue(integerLiteral: x)
      case .double(let x): return TOMLValue(floatLiteral: x)
      case .string(let x): return TOMLValue(stringLiteral: x)
      }
    }

    var description: String {
      switch self {
      case .int(let x): return String(x)
      case .double(let x): return String(x)
      case .string(let x): return x
      }
    }
  }

  /// The unchanged base: no changes at all.
  public static func base(name: String = "base") -> Scenario { Scenario(name: name, file: "") }

  public init(name: String, file: String) {
    self.name = name
    self.file = file
  }

  public static func == (a: Scenario, b: Scenario) -> Bool {
    a.name == b.name && a.file == b.file && a.removeStaff == b.removeStaff
      && a.removeBlocks == b.removeBlocks && a.addStaff == b.addStaff
      && a.changeStaff == b.changeStaff && a.addBlocks == b.addBlocks
      && a.changeBlocks == b.changeBlocks
      && a.unavailable.map { [$0.staff, $0.block] } == b.unavailable.map { [$0.staff, $0.block] }
      && a.policy.map { "\($0.table).\($0.key)=\($0.value)" }
        == b.policy.map { "\($0.table).\($0.key)=\($0.value)" }
  }

  /// The top-level keys of a scenario file, in the spec's order.
  public static let topKeys = [
    "name", "remove_staff", "remove_blocks", "policy", "add_staff", "change_staff", "unavailable",
    "add_block", "change_block",
  ]
  static let staffKeys = ["staff_id", "name", "subjects", "max_group_size", "max_minutes"]
  static let blockKeys = ["block_id", "start", "end", "subjects"]
  static let unavailableKeys = ["staff_id", "block_id"]
  static let policyTables = ["status", "groups", "weights"]

  /// Parses a scenario file's text; `file` names it in diagnostics.
  ///
  /// - Throws: `InputError` with every problem found: a TOML syntax error with its line;
  ///   otherwise the key (TOMLKit gives no lines for values).
  public static func read(_ text: String, file: String) throws -> Scenario {
    var scenario = Scenario(name: defaultName(file), file: file)
    var problems: [String] = []
    let table: TOMLTable
    do {
      table = try TOMLTable(string: text)
    } catch let error as TOMLParseError {
      let line = error.source.begin.line
      throw InputError([Diagnostic(.error, file: file, line: line > 0 ? line : nil, error.description)])
    } catch {
      throw InputError([Diagnostic(.error, file: file, "cannot parse: \(error)")])
    }
    func fail(_ message: String) { problems.append(message) }

    for key in ordered(table.keys, known: topKeys) {
      guard let value = table[key]?.tomlValue else { continue }
      switch key {
      case "name":
        if let s = value.string {
          scenario.name = s
        } else {
          fail("name must be a string, found \(show(value))")
        }
      case "remove_staff", "remove_blocks":
        guard let items = stringList(value) else {
          fail("\(key) must be an array of ids, e.g. [\"T007\"], found \(show(value))")
          continue
        }
        if key == "remove_staff" { scenario.removeStaff = items } else { scenario.removeBlocks = items }
      case "policy":
        guard let policyTable = value.table else {
          fail("policy must be a table ([policy]), found \(show(value))")
          continue
        }
        var probe = Policy()
        for tableName in ordered(policyTable.keys, known: policyTables) {
          guard let sub = policyTable[tableName]?.tomlValue else { continue }
          guard policyTables.contains(tableName) else {
            fail(unknownKey("policy.\(tableName)", known: policyTables.map { "policy.\($0)" }))
            continue
          }
          guard let subTable = sub.table else {
            fail("policy.\(tableName) must be a table, found \(show(sub))")
            continue
          }
          let known = PolicyReader.knownKeys[tableName] ?? []
          for subKey in ordered(subTable.keys, known: known) {
            guard let v = subTable[subKey]?.tomlValue else { continue }
            if let message = PolicyReader.apply(table: tableName, key: subKey, value: v, to: &probe) {
              fail(policyMessage(message, table: tableName))
            } else if let plain = PolicyValue(v) {
              scenario.policy.append((tableName, subKey, plain))
            }
          }
        }
      case "add_staff", "change_staff":
        for (i, row) in tables(value, key: key, fail: fail).enumerated() {
          let path = "\(key)[\(i + 1)]"
          if let change = staffChange(row, path: path, adding: key == "add_staff", fail: fail) {
            if key == "add_staff" {
              scenario.addStaff.append(change)
            } else {
              scenario.changeStaff.append(change)
            }
          }
        }
      case "add_block", "change_block":
        for (i, row) in tables(value, key: key, fail: fail).enumerated() {
          let path = "\(key)[\(i + 1)]"
          if let change = blockChange(row, path: path, adding: key == "add_block", fail: fail) {
            if key == "add_block" {
              scenario.addBlocks.append(change)
            } else {
              scenario.changeBlocks.append(change)
            }
          }
        }
      case "unavailable":
        for (i, row) in tables(value, key: key, fail: fail).enumerated() {
          let path = "unavailable[\(i + 1)]"
          checkKeys(row, known: unavailableKeys, path: path, fail: fail)
          let staff = requiredString(row, "staff_id", path: path, fail: fail)
          let block = requiredString(row, "block_id", path: path, fail: fail)
          if let staff, let block { scenario.unavailable.append((staff, block, path)) }
        }
      default:
        fail(unknownKey(key, known: topKeys))
      }
    }
    if !problems.isEmpty {
      throw InputError(problems.map { Diagnostic(.error, file: file, $0) })
    }
    return scenario
  }

  /// The school with this scenario's changes, in this order: remove staff and blocks, add
  /// staff, change staff, add blocks, change blocks, unavailability, policy.
  ///
  /// Removing a staff member or a block also drops the rows that refer to it
  /// (unavailability, requests, pins); history stays, as it took place.
  ///
  /// - Throws: `InputError` naming the file and key of every unknown or duplicate id, and
  ///   of a changed block whose end is not after its start.
  public func apply(to base: School) throws -> School {
    var school = base
    var problems: [String] = []
    func fail(_ message: String) { problems.append(message) }
    func staffIndex(_ id: String) -> Int? { school.staff.firstIndex { $0.id == id } }
    func blockIndex(_ id: String) -> Int? { school.blocks.firstIndex { $0.id == id } }

    for id in removeStaff {
      if staffIndex(id) == nil { fail("remove_staff: unknown staff_id \"\(id)\"") }
    }
    for id in removeBlocks {
      if blockIndex(id) == nil { fail("remove_blocks: unknown block_id \"\(id)\"") }
    }
    let goneStaff = Set(removeStaff)
    let goneBlocks = Set(removeBlocks)
    school.staff.removeAll { goneStaff.contains($0.id) }
    school.blocks.removeAll { goneBlocks.contains($0.id) }
    school.unavailable.removeAll { goneStaff.contains($0.staffID) || goneBlocks.contains($0.blockID) }
    school.requests.removeAll {
      goneStaff.contains($0.staffID) || $0.blockID.map(goneBlocks.contains) == true
    }
    school.pins.removeAll { goneStaff.contains($0.staffID) || goneBlocks.contains($0.blockID) }

    for add in addStaff {
      if staffIndex(add.staffID) != nil {
        fail("\(add.key).staff_id: duplicate staff_id \"\(add.staffID)\"")
        continue
      }
      school.staff.append(
        StaffMember(
          id: add.staffID, name: add.name ?? "", subjects: add.subjects ?? .any,
          maxGroupSize: add.maxGroupSize ?? 1, maxMinutes: add.maxMinutes ?? 0))
    }
    for change in changeStaff {
      guard let i = staffIndex(change.staffID) else {
        fail("\(change.key).staff_id: unknown staff_id \"\(change.staffID)\"")
        continue
      }
      if let v = change.name { school.staff[i].name = v }
      if let v = change.subjects { school.staff[i].subjects = v }
      if let v = change.maxGroupSize { school.staff[i].maxGroupSize = v }
      if let v = change.maxMinutes { school.staff[i].maxMinutes = v }
    }
    for add in addBlocks {
      if blockIndex(add.blockID) != nil {
        fail("\(add.key).block_id: duplicate block_id \"\(add.blockID)\"")
        continue
      }
      school.blocks.append(
        Block(id: add.blockID, start: add.start ?? 0, end: add.end ?? 0, subjects: add.subjects ?? .any))
    }
    for change in changeBlocks {
      guard let i = blockIndex(change.blockID) else {
        fail("\(change.key).block_id: unknown block_id \"\(change.blockID)\"")
        continue
      }
      if let v = change.start { school.blocks[i].start = v }
      if let v = change.end { school.blocks[i].end = v }
      if let v = change.subjects { school.blocks[i].subjects = v }
      let b = school.blocks[i]
      if b.end <= b.start {
        fail(
          "\(change.key): end must be after start, found start \(Block.clock(b.start)) and end \(Block.clock(b.end))"
        )
      }
    }
    for u in unavailable {
      let knownStaff = staffIndex(u.staff) != nil
      let knownBlock = blockIndex(u.block) != nil
      if !knownStaff { fail("\(u.key).staff_id: unknown staff_id \"\(u.staff)\"") }
      if !knownBlock { fail("\(u.key).block_id: unknown block_id \"\(u.block)\"") }
      if knownStaff, knownBlock,
        !school.unavailable.contains(where: { $0.staffID == u.staff && $0.blockID == u.block })
      {
        school.unavailable.append(Unavailability(staffID: u.staff, blockID: u.block))
      }
    }
    for entry in policy {
      if let message = PolicyReader.apply(
        table: entry.table, key: entry.key, value: entry.value.toml, to: &school.policy)
      {
        fail(Scenario.policyMessage(message, table: entry.table))
      }
    }
    if !problems.isEmpty {
      throw InputError(problems.map { Diagnostic(.error, file: file, $0) })
    }
    return school
  }

  // MARK: - Reading helpers

  static func defaultName(_ file: String) -> String {
    var name = file.split(separator: "/").last.map(String.init) ?? file
    if name.hasSuffix(".toml") { name.removeLast(5) }
    return name
  }

  static func staffChange(
    _ row: TOMLTable, path: String, adding: Bool, fail: (String) -> Void
  ) -> StaffChange? {
    checkKeys(row, known: staffKeys, path: path, fail: fail)
    let id = requiredString(row, "staff_id", path: path, fail: fail)
    var change = StaffChange(staffID: id ?? "", key: path)
    var ok = id != nil
    if let v = row["name"]?.tomlValue {
      if let s = v.string {
        change.name = s
      } else {
        fail("\(path).name must be a string, found \(show(v))")
        ok = false
      }
    }
    if let v = row["subjects"]?.tomlValue {
      if let s = subjectCell(v), !s.isEmpty {
        change.subjects = SubjectSet(cell: s)
      } else {
        fail("\(path).subjects must be a list like \"math;reading\" or \"*\", found \(show(v))")
        ok = false
      }
    } else if adding {
      fail("\(path).subjects is missing; it is required")
      ok = false
    }
    for (column, minimum) in [("max_group_size", 1), ("max_minutes", 0)] {
      guard let v = row[column]?.tomlValue else {
        if adding {
          fail("\(path).\(column) is missing; it is required")
          ok = false
        }
        continue
      }
      guard v.type == .int, let x = v.int, x >= minimum else {
        fail("\(path).\(column) must be an integer ≥ \(minimum), found \(show(v))")
        ok = false
        continue
      }
      if column == "max_group_size" { change.maxGroupSize = x } else { change.maxMinutes = x }
    }
    return ok ? change : nil
  }

  static func blockChange(
    _ row: TOMLTable, path: String, adding: Bool, fail: (String) -> Void
  ) -> BlockChange? {
    checkKeys(row, known: blockKeys, path: path, fail: fail)
    let id = requiredString(row, "block_id", path: path, fail: fail)
    var change = BlockChange(blockID: id ?? "", key: path)
    var ok = id != nil
    for column in ["start", "end"] {
      guard let v = row[column]?.tomlValue else {
        if adding {
          fail("\(path).\(column) is missing; it is required")
          ok = false
        }
        continue
      }
      guard let s = v.string, let minutes = clock(s) else {
        fail("\(path).\(column) must be a time \"HH:MM\", found \(show(v))")
        ok = false
        continue
      }
      if column == "start" { change.start = minutes } else { change.end = minutes }
    }
    if let start = change.start, let end = change.end, end <= start {
      fail("\(path): end must be after start, found start \(Block.clock(start)) and end \(Block.clock(end))")
      ok = false
    }
    if let v = row["subjects"]?.tomlValue {
      if let s = subjectCell(v) {
        change.subjects = s.isEmpty ? .any : SubjectSet(cell: s)
      } else {
        fail("\(path).subjects must be a list like \"math;reading\" or \"*\", found \(show(v))")
        ok = false
      }
    }
    return ok ? change : nil
  }

  /// `HH:MM` (or `H:MM`) as minutes after midnight, as `blocks.csv` reads it.
  static func clock(_ text: String) -> Int? {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
      parts[0].allSatisfy(\.isASCII), parts[0].allSatisfy(\.isNumber),
      parts[1].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isNumber),
      let h = Int(parts[0]), let m = Int(parts[1]), (0...23).contains(h), (0...59).contains(m)
    else { return nil }
    return h * 60 + m
  }

  /// A subjects value: a `;`-list string, or an array of strings.
  static func subjectCell(_ value: TOMLValue) -> String? {
    if let s = value.string { return s }
    if let list = stringList(value) { return list.joined(separator: ";") }
    return nil
  }

  static func stringList(_ value: TOMLValue) -> [String]? {
    guard let array = value.array else { return nil }
    var result: [String] = []
    for item in array {
      guard let s = item.tomlValue.string, !s.isEmpty else { return nil }
      result.append(s)
    }
    return result
  }

  static func requiredString(
    _ row: TOMLTable, _ column: String, path: String, fail: (String) -> Void
  ) -> String? {
    guard let v = row[column]?.tomlValue else {
      fail("\(path).\(column) is missing; it is required")
      return nil
    }
    guard let s = v.string, !s.isEmpty else {
      fail("\(path).\(column) must be a non-empty string, found \(show(v))")
      return nil
    }
    return s
  }

  static func checkKeys(_ row: TOMLTable, known: [String], path: String, fail: (String) -> Void) {
    for key in row.keys.sorted() where !known.contains(key) {
      var message = unknownKey("\(path).\(key)", known: known.map { "\(path).\($0)" })
      // A top-level key written after a table lands inside that table (TOML): say so.
      if topKeys.contains(key) { message += " (top-level keys go before the first table)" }
      fail(message)
    }
  }

  /// The tables of an array of tables (`[[add_staff]]`); a problem when it is anything else.
  static func tables(_ value: TOMLValue, key: String, fail: (String) -> Void) -> [TOMLTable] {
    guard let array = value.array else {
      fail("\(key) must be an array of tables ([[\(key)]]), found \(show(value))")
      return []
    }
    var result: [TOMLTable] = []
    for item in array {
      guard let t = item.tomlValue.table else {
        fail("\(key) must be an array of tables ([[\(key)]]), found an array of \(show(item.tomlValue))")
        return []
      }
      result.append(t)
    }
    return result
  }

  /// Known keys first in schema order, then unknown keys sorted: a stable report order.
  static func ordered(_ keys: [String], known: [String]) -> [String] {
    let present = Set(keys)
    return known.filter(present.contains) + keys.filter { !known.contains($0) }.sorted()
  }

  /// PolicyReader's message for a `[policy]` key, with the key named as the scenario spells it.
  static func policyMessage(_ message: String, table: String) -> String {
    if message.hasPrefix("unknown key") {
      return message.replacingOccurrences(of: "\"\(table).", with: "\"policy.\(table).")
    }
    return "policy." + message
  }

  static func unknownKey(_ key: String, known: [String]) -> String {
    "unknown key \"\(key)\"; the keys here are \(known.joined(separator: ", "))"
  }

  static func show(_ value: TOMLValue) -> String {
    switch value.type {
    case .string: return "\"\(value.string ?? "")\""
    case .int: return value.int.map(String.init) ?? "?"
    case .double: return value.double.map { "\($0)" } ?? "?"
    case .table: return "a table"
    case .array: return "an array"
    default: return value.debugDescription
    }
  }
}
