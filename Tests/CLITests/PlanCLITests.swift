import Foundation
import TestSupport
import Testing

/// `regroup plan` run as a process, held to spec §5: the JSON document, exit statuses
/// 0/1/2/64, determinism, the CSV and text forms, `--output`, `--export-model`, and
/// agreement with `regroup check` on the plan's score.
@Suite struct PlanCLITests {}

// MARK: - Helpers

extension PlanCLITests {
  /// Conformance folders with a proven optimum in expected.json, small enough for a debug build.
  static let optimalCases = ["c1-s12", "c2-s30-highest", "c4-s80", "c6-messy"]

  static func conformance(_ name: String) -> String {
    Fixtures.conformance.appendingPathComponent(name).path
  }

  static var c1: String { conformance("c1-s12") }

  /// expected.json, decoded.
  static func expected() throws -> [String: Any] {
    let data = try Data(contentsOf: Fixtures.conformance.appendingPathComponent("expected.json"))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
  }

  /// expected.json's optimal score of one conformance folder.
  static func expectedObjective(
    _ name: String, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Double {
    let plans = try #require(try expected()["plans"] as? [String: Any], sourceLocation: sourceLocation)
    let plan = try #require(plans[name] as? [String: Any], sourceLocation: sourceLocation)
    return try #require((plan["objective"] as? NSNumber)?.doubleValue, sourceLocation: sourceLocation)
  }

  /// stdout as one JSON object; fails when it is anything else (two objects, trailing text).
  static func decode(
    _ text: String, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
    return try #require(
      object as? [String: Any], "stdout is not one JSON object", sourceLocation: sourceLocation)
  }

  static func number(_ value: Any?) -> Double? {
    (value as? NSNumber)?.doubleValue
  }

  /// The cells of `column` in a simple CSV file of the school folder (BOM, CRLF and spaces
  /// around cells tolerated; the files read here hold no quoted cells).
  static func column(_ column: String, of file: URL) throws -> [String] {
    var text = try String(contentsOf: file, encoding: .utf8)
    if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
    let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
      .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
      .filter { !$0.isEmpty }
    guard let header = lines.first else { return [] }
    let names = header.split(separator: ",", omittingEmptySubsequences: false)
      .map { $0.trimmingCharacters(in: .whitespaces) }
    let index = try #require(names.firstIndex(of: column), "\(file.lastPathComponent) has no \(column)")
    return lines.dropFirst().map { line in
      let cells = line.split(separator: ",", omittingEmptySubsequences: false)
        .map { $0.trimmingCharacters(in: .whitespaces) }
      return index < cells.count ? cells[index] : ""
    }
  }

  /// A fresh, empty temporary folder.
  static func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("regroup-plan-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  /// A copy of a school folder in a fresh temporary folder.
  static func copy(_ folder: String) throws -> URL {
    let destination = try temporaryFolder().appendingPathComponent("school")
    try FileManager.default.copyItem(at: URL(fileURLWithPath: folder), to: destination)
    return destination
  }

  /// The JSON text without its `"seconds"` value, the one field allowed to differ between runs.
  static func withoutSeconds(_ text: String) -> String {
    text.replacingOccurrences(
      of: #""seconds"\s*:\s*-?[0-9.eE+-]+"#, with: #""seconds": _"#, options: .regularExpression)
  }

  /// Every stderr line of a successful run is a warning (spec §6: `FILE:LINE: warning: …`).
  static func expectOnlyWarnings(
    _ run: RunRegroup.Result, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for line in run.stderrLines {
      #expect(
        line.contains(": warning: "), "stderr line is not a warning: \(line)", sourceLocation: sourceLocation)
    }
  }

  /// `regroup check FOLDER PLAN.json` on `planText`, written to a temporary file.
  static func check(_ folder: String, planText: String) throws -> RunRegroup.Result {
    let file = try temporaryFolder().appendingPathComponent("PLAN.json")
    try Data(planText.utf8).write(to: file)
    return try RunRegroup.run(["check", folder, file.path])
  }

  /// The number on check's `score: X` line.
  static func score(
    _ checkOutput: String, sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Double {
    let line = try #require(
      checkOutput.split(separator: "\n").map(String.init).first(where: { $0.hasPrefix("score: ") }),
      "no `score: X` line in check's stdout: \(checkOutput)", sourceLocation: sourceLocation)
    return try #require(Double(line.dropFirst("score: ".count)), "\(line)", sourceLocation: sourceLocation)
  }

  /// Runs of `regroup plan` shared between tests, so each expensive solve happens once.
  final class Runs: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [[String]: RunRegroup.Result] = [:]

    func run(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws
      -> RunRegroup.Result
    {
      lock.lock()
      let cached = results[arguments]
      lock.unlock()
      if let cached { return cached }
      let result = try RunRegroup.run(arguments, sourceLocation: sourceLocation)
      lock.lock()
      results[arguments] = result
      lock.unlock()
      return result
    }
  }

  static let shared = Runs()

  /// `regroup plan FOLDER --format json` for a conformance folder, run once per test process.
  static func jsonRun(_ name: String) throws -> RunRegroup.Result {
    try shared.run(["plan", conformance(name), "--format", "json"])
  }
}

// MARK: - The JSON plan on the conformance folders

extension PlanCLITests {
  @Test(arguments: optimalCases)
  func jsonPlanIsOptimalWithTheKnownScore(_ name: String) throws {
    let run = try Self.jsonRun(name)
    #expect(run.status == 0, "\(run.stderr)")
    Self.expectOnlyWarnings(run)
    let json = try Self.decode(run.stdout)
    for key in ["date", "status", "objective", "bound", "gap", "seconds", "sessions", "requests"] {
      #expect(json[key] != nil, "missing key \(key)")
    }
    #expect(json["date"] as? String == "2026-11-25")
    #expect(json["status"] as? String == "optimal")
    // Keys in a fixed order (style §2.10), so output is byte-stable.
    let positions = ["date", "status", "objective", "bound", "sessions", "requests"]
      .map { run.stdout.range(of: "\"\($0)\"")?.lowerBound }
    #expect(
      positions.allSatisfy { $0 != nil } && positions.map { $0! } == positions.map { $0! }.sorted(),
      "keys out of the spec's order")

    let expected = try Self.expectedObjective(name)
    let objective = try #require(Self.number(json["objective"]), "objective is not a number")
    let bound = try #require(Self.number(json["bound"]), "bound is not a number")
    let gap = try #require(Self.number(json["gap"]), "gap is not a number")
    let seconds = try #require(Self.number(json["seconds"]), "seconds is not a number")
    #expect(
      abs(objective - expected) <= 1e-6 * max(1, abs(expected)),
      "objective \(objective), expected \(expected)")
    #expect(bound >= objective - 1e-6, "bound \(bound) below objective \(objective)")
    #expect(gap >= 0 && gap <= 1e-6, "gap \(gap) of an optimal plan under the default --gap 1e-6")
    #expect(
      abs(gap - (bound - objective) / max(1, abs(bound))) <= 1e-6,
      "gap \(gap) is not (bound − objective) / max(1, |bound|)")
    #expect(seconds >= 0)

    let sessions = try #require(json["sessions"] as? [[String: Any]], "sessions is not a list of objects")
    #expect(!sessions.isEmpty)
    for (index, session) in sessions.enumerated() {
      for key in ["block", "staff", "target"] {
        #expect((session[key] as? String).map { !$0.isEmpty } == true, "sessions[\(index)].\(key)")
      }
      let students = session["students"] as? [String]
      #expect(students.map { !$0.isEmpty } == true, "sessions[\(index)].students")
    }

    let requests = try #require(json["requests"] as? [[String: Any]], "requests is not a list of objects")
    let folder = URL(fileURLWithPath: Self.conformance(name))
    let ids = try Self.column("request_id", of: folder.appendingPathComponent("requests.csv"))
    #expect(
      requests.compactMap { $0["request_id"] as? String }.sorted() == ids.sorted(),
      "every request of requests.csv exactly once")
    for request in requests {
      let id = request["request_id"] as? String ?? "?"
      let honored = try #require(request["honored"] as? Bool, "\(id): honored is not true or false")
      if honored {
        #expect(request["reason"] == nil, "\(id) is honored but has a reason")
      } else {
        let reason = request["reason"] as? String
        #expect(reason.map { !$0.isEmpty } == true, "\(id) is not honored and has no reason")
      }
    }
  }

  @Test(arguments: optimalCases)
  func checkScoresThePlanAsItsObjective(_ name: String) throws {
    let run = try Self.jsonRun(name)
    try #require(run.status == 0, "\(run.stderr)")
    let objective = try #require(Self.number(try Self.decode(run.stdout)["objective"]))
    let check = try Self.check(Self.conformance(name), planText: run.stdout)
    #expect(check.status == 0, "check found broken rules:\n\(check.stdout)\(check.stderr)")
    let score = try Self.score(check.stdout)
    #expect(abs(score - objective) <= 1e-6, "check's score \(score), plan's objective \(objective)")
  }

  @Test func twoRunsPrintTheSamePlanExceptSeconds() throws {
    let first = try Self.jsonRun("c4-s80")
    let second = try RunRegroup.run(["plan", Self.conformance("c4-s80"), "--format", "json"])
    #expect(first.status == 0 && second.status == 0)
    #expect(first.stdout.contains("\"seconds\""))
    #expect(Self.withoutSeconds(first.stdout) == Self.withoutSeconds(second.stdout))
  }
}

// MARK: - --gap and --solver-log

extension PlanCLITests {
  /// `--gap G` stops the search once the gap is at most G; the status is then `optimal`,
  /// the plan still keeps every rule, and a run ended by `--gap` is deterministic too.
  @Test func gapStopsEarlyWithAnOptimalStatusAndTheSamePlan() throws {
    let arguments = ["plan", Self.conformance("c4-s80"), "--gap", "0.05", "--format", "json"]
    let first = try RunRegroup.run(arguments)
    #expect(first.status == 0, "\(first.stderr)")
    let json = try Self.decode(first.stdout)
    #expect(json["status"] as? String == "optimal", "status with the final gap within --gap")
    let objective = try #require(Self.number(json["objective"]))
    let bound = try #require(Self.number(json["bound"]))
    let gap = try #require(Self.number(json["gap"]))
    #expect(gap <= 0.05 + 1e-9, "gap \(gap) above --gap 0.05")
    #expect(abs(gap - (bound - objective) / max(1, abs(bound))) <= 1e-6)
    let optimum = try Self.expectedObjective("c4-s80")
    #expect(objective <= optimum + 1e-6, "a score above the proven optimum")
    #expect(bound >= optimum - 1e-6, "a bound below the proven optimum")

    let check = try Self.check(Self.conformance("c4-s80"), planText: first.stdout)
    #expect(check.status == 0, "check found broken rules:\n\(check.stdout)\(check.stderr)")
    #expect(abs(try Self.score(check.stdout) - objective) <= 1e-6)

    let second = try RunRegroup.run(arguments)
    #expect(
      Self.withoutSeconds(first.stdout) == Self.withoutSeconds(second.stdout),
      "a run ended by --gap is deterministic")
  }

  /// GLPK's log goes to stderr, never into the data on stdout.
  @Test func solverLogGoesToStderrOnly() throws {
    let run = try RunRegroup.run(["plan", Self.c1, "--format", "json", "--solver-log"])
    #expect(run.status == 0, "\(run.stderr)")
    let json = try Self.decode(run.stdout)
    #expect(json["status"] as? String == "optimal")
    let reference = try Self.jsonRun("c1-s12")
    #expect(Self.withoutSeconds(run.stdout) == Self.withoutSeconds(reference.stdout))
    #expect(run.stderrLines.contains { !$0.contains(": warning: ") }, "no solver log on stderr")
  }
}

// MARK: - No plan: c5-infeasible

extension PlanCLITests {
  @Test func infeasibleExitsTwoNamingTheClashingPins() throws {
    let name = "c5-infeasible"
    let run = try RunRegroup.run(["plan", Self.conformance(name), "--format", "json"])
    #expect(run.status == 2, "\(run.stderr)")
    Self.expectOnlyWarnings(run)
    let json = try Self.decode(run.stdout)
    #expect(json["status"] as? String == "infeasible")
    #expect((json["sessions"] as? [Any])?.isEmpty == true, "sessions must be an empty list")
    #expect(json["objective"] is NSNull, "objective must be null")
    let bound = json["bound"]
    #expect(bound is NSNull || Self.number(bound) != nil, "bound must be a number or null")

    // The clash, from pins.csv: one student pinned to two staff members in one block.
    let pins = URL(fileURLWithPath: Self.conformance(name)).appendingPathComponent("pins.csv")
    let students = try Self.column("student_id", of: pins)
    let blocks = try Self.column("block_id", of: pins)
    let staff = try Self.column("staff_id", of: pins)
    var byPlace: [String: [Int]] = [:]
    for index in students.indices {
      byPlace["\(students[index])|\(blocks[index])", default: []].append(index)
    }
    let clash = try #require(byPlace.values.first(where: { $0.count >= 2 }), "pins.csv has no clash")
    let student = students[clash[0]]
    let clashingStaff = clash.map { staff[$0] }

    let conflicts = try #require(json["conflicts"] as? [[String: Any]], "conflicts is not a list of objects")
    #expect(!conflicts.isEmpty)
    let named = conflicts.contains { conflict in
      let rules = conflict["rules"] as? [String] ?? []
      let items = Set(conflict["items"] as? [String] ?? [])
      return rules.contains("R8") && items.contains(student) && clashingStaff.allSatisfy(items.contains)
    }
    #expect(named, "no R8 conflict names \(student) and \(clashingStaff): \(conflicts)")
    for conflict in conflicts {
      #expect((conflict["message"] as? String).map { !$0.isEmpty } == true, "conflict without a message")
    }
  }
}

// MARK: - Other formats and outputs

extension PlanCLITests {
  @Test func csvHasOneRowPerPlacement() throws {
    let name = "c4-s80"
    let csv = try RunRegroup.run(["plan", Self.conformance(name), "--format", "csv"])
    #expect(csv.status == 0, "\(csv.stderr)")
    Self.expectOnlyWarnings(csv)
    let lines = csv.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    #expect(lines.first == "date,block,start,end,staff,target,student")
    #expect(lines.last == "", "the last row ends in a newline")
    let rows = lines.dropFirst().filter { !$0.isEmpty }.map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }

    let json = try Self.decode(try Self.jsonRun(name).stdout)
    let sessions = try #require(json["sessions"] as? [[String: Any]])
    var placements: [String] = []
    for session in sessions {
      for student in session["students"] as? [String] ?? [] {
        placements.append(
          "\(session["block"] as? String ?? "")|\(session["staff"] as? String ?? "")|\(session["target"] as? String ?? "")|\(student)"
        )
      }
    }
    #expect(rows.count == placements.count, "CSV rows \(rows.count), JSON placements \(placements.count)")

    // The same plan (determinism), each row's block times from blocks.csv.
    let folder = URL(fileURLWithPath: Self.conformance(name))
    let blockIDs = try Self.column("block_id", of: folder.appendingPathComponent("blocks.csv"))
    let starts = try Self.column("start", of: folder.appendingPathComponent("blocks.csv"))
    let ends = try Self.column("end", of: folder.appendingPathComponent("blocks.csv"))
    var times: [String: String] = [:]
    for index in blockIDs.indices { times[blockIDs[index]] = "\(starts[index])|\(ends[index])" }
    for row in rows {
      try #require(row.count == 7, "row with \(row.count) cells: \(row)")
      #expect(row[0] == "2026-11-25")
      #expect(times[row[1]] == "\(row[2])|\(row[3])", "block \(row[1]) times \(row[2])–\(row[3])")
    }
    #expect(rows.map { "\($0[1])|\($0[4])|\($0[5])|\($0[6])" }.sorted() == placements.sorted())
  }

  @Test func textIsADaySheetNamingEveryBlock() throws {
    let run = try RunRegroup.run(["plan", Self.c1])
    #expect(run.status == 0, "\(run.stderr)")
    Self.expectOnlyWarnings(run)
    #expect(!run.stdout.isEmpty)
    #expect(!run.stdout.hasPrefix("{"), "the default format is text, not JSON")
    let blocks = try Self.column(
      "block_id", of: URL(fileURLWithPath: Self.c1).appendingPathComponent("blocks.csv"))
    #expect(!blocks.isEmpty)
    for block in blocks {
      #expect(run.stdout.contains(block), "the day sheet does not mention block \(block)")
    }
  }

  @Test func outputWritesTheFileAndNothingOnStdout() throws {
    let file = try Self.temporaryFolder().appendingPathComponent("plan.json")
    let run = try RunRegroup.run(["plan", Self.c1, "--format", "json", "--output", file.path])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.isEmpty, "stdout: \(run.stdout)")
    Self.expectOnlyWarnings(run)
    let written = try String(contentsOf: file, encoding: .utf8)
    let json = try Self.decode(written)
    #expect(json["status"] as? String == "optimal")
    let reference = try Self.jsonRun("c1-s12")
    #expect(
      Self.withoutSeconds(written) == Self.withoutSeconds(reference.stdout),
      "the file holds what stdout would")

    let short = try Self.temporaryFolder().appendingPathComponent("plan.csv")
    let csv = try RunRegroup.run(["plan", Self.c1, "--format", "csv", "-o", short.path])
    #expect(csv.status == 0, "\(csv.stderr)")
    #expect(csv.stdout.isEmpty)
    #expect(
      try String(contentsOf: short, encoding: .utf8).hasPrefix("date,block,start,end,staff,target,student\n"))
  }

  @Test func exportModelWritesACPLEXLPFile() throws {
    let file = try Self.temporaryFolder().appendingPathComponent("day.lp")
    let run = try RunRegroup.run(["plan", Self.c1, "--format", "json", "--export-model", file.path])
    #expect(run.status == 0, "\(run.stderr)")
    Self.expectOnlyWarnings(run)
    #expect(try Self.decode(run.stdout)["status"] as? String == "optimal", "the plan is still printed")
    let text = try String(contentsOf: file, encoding: .utf8)
    #expect(!text.isEmpty)
    let lower = text.lowercased()
    #expect(lower.contains("maximize"), "no Maximize section")
    #expect(lower.contains("subject to"), "no Subject To section")
    #expect(lower.contains("end"), "no End line")
  }
}

// MARK: - Bad input (exit 1) and usage errors (exit 64)

extension PlanCLITests {
  /// fixtures/invalid's folders, by name.
  static let invalidFolders: [String] = {
    let root = Fixtures.root.appendingPathComponent("invalid")
    return ((try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? [])
      .filter {
        FileManager.default.fileExists(atPath: root.appendingPathComponent("\($0)/expected.txt").path)
      }
      .sorted()
  }()

  /// expected.json's `bad_input` cases: folder name and the text stderr must contain.
  static let conformanceBadInput: [String] = {
    guard let data = try? Data(contentsOf: Fixtures.conformance.appendingPathComponent("expected.json")),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      let bad = object["bad_input"] as? [String: Any]
    else { return [] }
    return bad.keys.sorted()
  }()

  @Test func badInputCasesAreFound() {
    #expect(Self.invalidFolders.count >= 19, "\(Self.invalidFolders)")
    #expect(Self.conformanceBadInput.count >= 6, "\(Self.conformanceBadInput)")
  }

  @Test(arguments: invalidFolders)
  func invalidFixtureIsBadInput(_ name: String) throws {
    let folder = Fixtures.root.appendingPathComponent("invalid/\(name)")
    let expected = try String(contentsOf: folder.appendingPathComponent("expected.txt"), encoding: .utf8)
      .split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    let run = try RunRegroup.run(["plan", folder.path, "--format", "json"])
    #expect(run.status == 1, "\(run.stderr)")
    #expect(run.stdout.isEmpty, "stdout: \(run.stdout)")
    for line in expected {
      #expect(run.stderrLines.contains(line), "missing on stderr: \(line)\nstderr:\n\(run.stderr)")
    }
    #expect(run.stderrLines == expected, "stderr is exactly expected.txt (fixtures/README.md)")
  }

  @Test(arguments: conformanceBadInput)
  func conformanceBadFolderIsBadInput(_ name: String) throws {
    let bad = try #require(try Self.expected()["bad_input"] as? [String: Any])
    let entry = try #require(bad[name] as? [String: Any])
    let text = try #require(entry["stderr_contains"] as? String)
    let exit = (entry["exit"] as? NSNumber)?.int32Value ?? 1
    let run = try RunRegroup.run(["plan", Self.conformance(name), "--format", "json"])
    #expect(run.status == exit, "\(run.stderr)")
    #expect(run.stdout.isEmpty, "stdout: \(run.stdout)")
    #expect(run.stderr.contains(text), "stderr lacks \(text):\n\(run.stderr)")
    #expect(run.stderrLines.contains { $0.contains(": error: ") }, "no compiler-style error line")
  }

  /// A labelled command line, so the failure trace says which one.
  struct Invocation: Sendable, CustomTestStringConvertible {
    var label: String
    var arguments: [String]
    var testDescription: String { label }
  }

  static let usageErrors: [Invocation] = [
    Invocation(label: "--gap -1", arguments: ["plan", c1, "--gap", "-1"]),
    Invocation(label: "--gap=-1", arguments: ["plan", c1, "--gap=-1"]),
    Invocation(label: "--format xml", arguments: ["plan", c1, "--format", "xml"]),
    Invocation(label: "--date 2026-02-30", arguments: ["plan", c1, "--date", "2026-02-30"]),
    Invocation(label: "--time-limit 0", arguments: ["plan", c1, "--time-limit", "0"]),
    Invocation(label: "--time-limit soon", arguments: ["plan", c1, "--time-limit", "soon"]),
    Invocation(label: "unknown flag", arguments: ["plan", c1, "--fastest"]),
    Invocation(label: "missing folder", arguments: ["plan"]),
    Invocation(label: "missing folder, with options", arguments: ["plan", "--format", "json"]),
  ]

  @Test(arguments: usageErrors)
  func usageErrorExits64(_ line: Invocation) throws {
    let run = try RunRegroup.run(line.arguments)
    #expect(run.status == 64, "exit \(run.status)\nstderr:\n\(run.stderr)")
    #expect(run.stdout.isEmpty, "stdout: \(run.stdout)")
    #expect(run.stderr.contains("Error:"), "not ArgumentParser's message:\n\(run.stderr)")
    #expect(run.stderr.contains("Usage: regroup plan"), "no usage line:\n\(run.stderr)")
  }
}

// MARK: - The day: --date or school.toml

extension PlanCLITests {
  @Test func aDayFromNeitherDateNorSchoolTomlIsBadInput() throws {
    let folder = try Self.copy(Self.c1)
    let toml = folder.appendingPathComponent("school.toml")
    let original = try String(contentsOf: toml, encoding: .utf8)
    let kept = original.split(separator: "\n", omittingEmptySubsequences: false)
      .filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("date") }
    #expect(kept.count < original.split(separator: "\n", omittingEmptySubsequences: false).count)
    try Data(kept.joined(separator: "\n").utf8).write(to: toml)

    let none = try RunRegroup.run(["plan", folder.path, "--format", "json"])
    #expect(none.status == 1, "\(none.stderr)")
    #expect(none.stdout.isEmpty, "stdout: \(none.stdout)")
    #expect(none.stderr.contains("date"), "stderr does not mention the date:\n\(none.stderr)")
    #expect(none.stderr.contains("school.toml"), "stderr does not name school.toml:\n\(none.stderr)")

    let given = try RunRegroup.run(["plan", folder.path, "--date", "2026-11-25", "--format", "json"])
    #expect(given.status == 0, "\(given.stderr)")
    let json = try Self.decode(given.stdout)
    #expect(json["date"] as? String == "2026-11-25")
    #expect(json["status"] as? String == "optimal")
    let expected = try Self.expectedObjective("c1-s12")
    let objective = try #require(Self.number(json["objective"]))
    #expect(abs(objective - expected) <= 1e-6 * max(1, abs(expected)))
  }
}

// MARK: - Time limit on a larger generated school

extension PlanCLITests {
  @Test func timeLimitedRunPrintsAValidPlanOrNone() throws {
    let folder = try Self.temporaryFolder().appendingPathComponent("school")
    let generate = try RunRegroup.run(["generate", folder.path, "--students", "600", "--seed", "3"])
    try #require(generate.status == 0, "\(generate.stderr)")

    let run = try RunRegroup.run(["plan", folder.path, "--time-limit", "5", "--format", "json"])
    #expect(run.status == 0 || run.status == 2, "exit \(run.status)\n\(run.stderr)")
    Self.expectOnlyWarnings(run)
    let json = try Self.decode(run.stdout)
    let status = json["status"] as? String
    if run.status == 0 {
      #expect(status == "optimal" || status == "feasible", "status \(status ?? "nil") with exit 0")
      let objective = try #require(Self.number(json["objective"]), "objective is not a number")
      let bound = try #require(Self.number(json["bound"]), "bound is not a number")
      #expect(objective <= bound + 1e-6, "objective \(objective) above bound \(bound)")
      let check = try Self.check(folder.path, planText: run.stdout)
      #expect(check.status == 0, "check found broken rules:\n\(check.stdout)\(check.stderr)")
      let score = try Self.score(check.stdout)
      #expect(abs(score - objective) <= 1e-6, "check's score \(score), plan's objective \(objective)")
    } else {
      // The generator's schools are feasible: no plan can only mean the limit ran out.
      #expect(status == "timeout", "status \(status ?? "nil") with exit 2")
      #expect(json["objective"] is NSNull)
      #expect((json["sessions"] as? [Any])?.isEmpty == true)
    }
  }
}
