import TOMLKit

/// Reads `school.toml` (spec §1.1) into a `Policy`, naming the key of every bad value.
///
/// TOMLKit gives positions only for syntax errors, so value problems name the key
/// (`weights.gap must be ≥ 0, found -1`) and carry no line.
package enum PolicyReader {
  /// The keys of each table of `school.toml`, in the spec's order (`""` is the top level).
  package static let knownKeys: [String: [String]] = [
    "": ["name", "date", "status", "groups", "weights", "dosage"],
    "status": ["method", "decay", "proficient"],
    "groups": ["min_size"],
    "weights": [
      "gap", "wait", "wait_cap", "tier2", "tier3", "request_high", "request_normal", "session",
      "not_ready", "move", "dosage",
    ],
    "dosage": ["tier1", "tier2", "tier3", "keep_staff"],
  ]

  /// A problem in a TOML document: the message and the line when the parser gave one.
  package struct Problem: Sendable, Equatable {
    package var line: Int?
    package var message: String
  }

  /// Parses a whole `school.toml` text; `policy` is the spec's defaults updated by every good value.
  ///
  /// `parsed` is false when the text is not TOML at all (a syntax error).
  package static func read(_ text: String) -> (policy: Policy, problems: [Problem], parsed: Bool) {
    var policy = Policy()
    let table: TOMLTable
    do {
      table = try TOMLTable(string: text)
    } catch let error as TOMLParseError {
      let line = error.source.begin.line
      return (policy, [Problem(line: line > 0 ? line : nil, message: error.description)], false)
    } catch {
      return (policy, [Problem(line: nil, message: "cannot parse: \(error)")], false)
    }
    var problems: [Problem] = []
    apply(table, to: &policy, problems: &problems)
    return (policy, problems, true)
  }

  /// Applies every key of a parsed top-level table to `policy`, recording a problem per bad key.
  package static func apply(_ table: TOMLTable, to policy: inout Policy, problems: inout [Problem]) {
    func fail(_ message: String) { problems.append(Problem(line: nil, message: message)) }
    for key in ordered(table.keys, known: knownKeys[""]!) {
      guard let value = table[key]?.tomlValue else { continue }
      switch key {
      case "name":
        if let s = value.string {
          policy.name = s
        } else {
          fail("name must be a string, found \(show(value))")
        }
      case "date":
        if let s = value.string, let day = Day(s) {
          policy.date = day
        } else if let d = value.date, let day = Day(year: d.year, month: d.month, day: d.day) {
          policy.date = day
        } else {
          fail("date must be a date YYYY-MM-DD that exists, found \(show(value))")
        }
      case "status", "groups", "weights", "dosage":
        if key == "dosage", policy.dosage == nil, value.table != nil { policy.dosage = Dosage() }
        guard let sub = value.table else {
          fail("\(key) must be a table ([\(key)]), found \(show(value))")
          continue
        }
        for subKey in ordered(sub.keys, known: knownKeys[key]!) {
          guard let subValue = sub[subKey]?.tomlValue else { continue }
          if let message = apply(table: key, key: subKey, value: subValue, to: &policy) {
            fail(message)
          }
        }
      default:
        fail(unknownKey(key, known: knownKeys[""]!))
      }
    }
  }

  /// Applies one `table.key = value`; returns the problem's message, or nil when applied.
  package static func apply(table: String, key: String, value: TOMLValue, to policy: inout Policy)
    -> String?
  {
    let name = "\(table).\(key)"
    func number() -> Double? {
      switch value.type {
      case .int: return value.int.map(Double.init)
      case .double: return value.double
      default: return nil
      }
    }
    func numberCheck(_ range: String, _ ok: (Double) -> Bool) -> Result<Double, Message> {
      guard let x = number() else {
        return .failure(Message("\(name) must be a number, found \(show(value))"))
      }
      guard x.isFinite, ok(x) else {
        return .failure(Message("\(name) must be \(range), found \(show(value))"))
      }
      return .success(x)
    }
    func integer(atLeast minimum: Int) -> Result<Int, Message> {
      guard value.type == .int, let x = value.int, x >= minimum else {
        return .failure(Message("\(name) must be an integer ≥ \(minimum), found \(show(value))"))
      }
      return .success(x)
    }
    func weight(_ set: (inout Weights, Double) -> Void) -> String? {
      switch numberCheck("≥ 0", { $0 >= 0 }) {
      case .success(let x):
        set(&policy.weights, x)
        return nil
      case .failure(let m): return m.text
      }
    }
    switch (table, key) {
    case ("status", "method"):
      guard let s = value.string, let method = StatusMethod(rawValue: s) else {
        return "\(name) must be decaying, recent, mean or highest, found \(show(value))"
      }
      policy.method = method
    case ("status", "decay"):
      switch numberCheck("in (0, 1]", { $0 > 0 && $0 <= 1 }) {
      case .success(let x): policy.decay = x
      case .failure(let m): return m.text
      }
    case ("status", "proficient"):
      switch numberCheck("in (0, 4]", { $0 > 0 && $0 <= 4 }) {
      case .success(let x): policy.proficient = x
      case .failure(let m): return m.text
      }
    case ("groups", "min_size"):
      switch integer(atLeast: 1) {
      case .success(let x): policy.minSize = x
      case .failure(let m): return m.text
      }
    case ("weights", "wait_cap"):
      switch integer(atLeast: 0) {
      case .success(let x): policy.weights.waitCap = x
      case .failure(let m): return m.text
      }
    case ("weights", "gap"): return weight { $0.gap = $1 }
    case ("weights", "wait"): return weight { $0.wait = $1 }
    case ("weights", "tier2"): return weight { $0.tier2 = $1 }
    case ("weights", "tier3"): return weight { $0.tier3 = $1 }
    case ("weights", "request_high"): return weight { $0.requestHigh = $1 }
    case ("weights", "request_normal"): return weight { $0.requestNormal = $1 }
    case ("weights", "session"): return weight { $0.session = $1 }
    case ("weights", "move"): return weight { $0.move = $1 }
    case ("weights", "dosage"): return weight { $0.dosage = $1 }
    case ("dosage", "tier1"), ("dosage", "tier2"), ("dosage", "tier3"):
      switch integer(atLeast: 0) {
      case .success(let x):
        var d = policy.dosage ?? Dosage()
        if key == "tier1" { d.tier1 = x } else if key == "tier2" { d.tier2 = x } else { d.tier3 = x }
        policy.dosage = d
      case .failure(let m): return m.text
      }
    case ("dosage", "keep_staff"):
      guard value.type == .bool, let b = value.bool else {
        return "\(name) must be true or false, found \(show(value))"
      }
      var d = policy.dosage ?? Dosage()
      d.keepStaff = b
      policy.dosage = d
    case ("weights", "not_ready"):
      switch numberCheck("from 0 to 1", { $0 >= 0 && $0 <= 1 }) {
      case .success(let x): policy.weights.notReady = x
      case .failure(let m): return m.text
      }
    default:
      let known = knownKeys[table] ?? []
      return unknownKey(name, known: known.map { "\(table).\($0)" })
    }
    return nil
  }

  /// Known keys first in schema order, then unknown keys sorted: a stable report order.
  static func ordered(_ keys: [String], known: [String]) -> [String] {
    let present = Set(keys)
    return known.filter(present.contains) + keys.filter { !known.contains($0) }.sorted()
  }

  static func unknownKey(_ key: String, known: [String]) -> String {
    var message = "unknown key \"\(key)\""
    if let guess = Suggestion.closest(to: key, in: known) {
      message += "; did you mean \"\(guess)\"?"
    } else if !known.isEmpty {
      message += "; the keys here are \(known.joined(separator: ", "))"
    }
    return message
  }

  /// A value as the user wrote it, near enough: strings quoted, numbers plain.
  static func show(_ value: TOMLValue) -> String {
    switch value.type {
    case .string: return "\"\(value.string ?? "")\""
    case .int: return value.int.map(String.init) ?? "?"
    case .double: return value.double.map { NumberFormat.plain($0) } ?? "?"
    case .table: return "a table"
    case .array: return "an array"
    default: return value.debugDescription
    }
  }
}

/// A problem's message, as an `Error` for `Result`.
struct Message: Error {
  let text: String
  init(_ text: String) { self.text = text }
}

/// "Did you mean …?" suggestions for misspelt ids and keys.
enum Suggestion {
  /// The closest candidate within a small edit distance (ties: first in `candidates`), or nil.
  ///
  /// A candidate differing only in case always qualifies. Otherwise the distance may be at
  /// most a third of the word's length (at most 2), so short ids get no guess, and ids that
  /// differ only in their numbers (`S00009`, `S00001`) are different ids, not typos.
  static func closest<C: Collection<String>>(to word: String, in candidates: C) -> String? {
    let limit = min(2, word.count / 3)
    var best: (String, Int)?
    let lower = word.lowercased()
    for candidate in candidates where candidate != word {
      let candidateLower = candidate.lowercased()
      if candidateLower == lower { return candidate }
      guard limit > 0, abs(candidate.count - word.count) <= limit else { continue }
      let d = distance(lower, candidateLower, limit: limit)
      guard d <= limit, best == nil || d < best!.1 else { continue }
      if skeleton(lower) == skeleton(candidateLower), numbers(lower) != numbers(candidateLower) {
        continue
      }
      best = (candidate, d)
    }
    return best?.0
  }

  /// The text without its digits.
  static func skeleton(_ s: String) -> String {
    String(s.unicodeScalars.filter { !("0"..."9").contains($0) })
  }

  /// The numbers in the text, by value (`M3.NF.01` → [3, 1]).
  static func numbers(_ s: String) -> [Int] {
    var result: [Int] = []
    var current: Int?
    for scalar in s.unicodeScalars {
      if ("0"..."9").contains(scalar) {
        current = (current ?? 0) &* 10 &+ Int(scalar.value - 48)
      } else if let c = current {
        result.append(c)
        current = nil
      }
    }
    if let c = current { result.append(c) }
    return result
  }

  /// Levenshtein distance, giving up (returning limit + 1) once above `limit`.
  static func distance(_ a: String, _ b: String, limit: Int) -> Int {
    let a = Array(a.unicodeScalars)
    let b = Array(b.unicodeScalars)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = Array(repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      var rowMin = current[0]
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        rowMin = min(rowMin, current[j])
      }
      if rowMin > limit { return limit + 1 }
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}
