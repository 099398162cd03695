import Foundation
import TestSupport
import Testing

/// `regroup generate` run as a process: same seed same bytes, refusing a non-empty folder,
/// usage errors, and a generated school that `plan`, `check` and `status` accept.
@Suite struct GenerateCLITests {}

extension GenerateCLITests {
  /// A fresh temporary folder; the school is written to `school` inside it (not yet created).
  static func newSchoolPath() throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("regroup-generate-e2e-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder.appendingPathComponent("school")
  }

  /// Every regular file under `folder`, by relative path, with its bytes.
  static func contents(of folder: URL) throws -> [String: Data] {
    var result: [String: Data] = [:]
    let fm = FileManager.default
    let base = folder.standardizedFileURL.path
    guard let walker = fm.enumerator(atPath: base) else { return result }
    for case let relative as String in walker {
      var isDirectory: ObjCBool = false
      let path = base + "/" + relative
      guard fm.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
      result[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
    }
    return result
  }

  /// `regroup generate OUT --students N --seed S …`, expected to succeed.
  @discardableResult
  static func generate(
    _ out: URL, students: Int, seed: Int, _ extra: [String] = [],
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> RunRegroup.Result {
    let run = try RunRegroup.run(
      ["generate", out.path, "--students", "\(students)", "--seed", "\(seed)"] + extra,
      sourceLocation: sourceLocation)
    try #require(run.status == 0, "generate failed: \(run.stderr)", sourceLocation: sourceLocation)
    return run
  }

  static let requiredFiles = [
    "school.toml", "students.csv", "targets.csv", "staff.csv", "blocks.csv", "evidence.csv",
  ]
}

extension GenerateCLITests {
  @Test func sameSeedWritesTheSameBytes() throws {
    let first = try Self.newSchoolPath()
    let second = try Self.newSchoolPath()
    let run = try Self.generate(first, students: 40, seed: 7)
    try Self.generate(second, students: 40, seed: 7)
    #expect(!run.stdout.isEmpty, "generate reports what it wrote")
    #expect(run.stderr.isEmpty, "stderr: \(run.stderr)")
    let a = try Self.contents(of: first)
    let b = try Self.contents(of: second)
    for name in Self.requiredFiles {
      #expect(a[name].map { !$0.isEmpty } == true, "\(name) missing or empty")
    }
    #expect(a.keys.sorted() == b.keys.sorted())
    for (name, bytes) in a {
      #expect(b[name] == bytes, "\(name) differs between two runs with seed 7")
    }
  }

  @Test func differentSeedsWriteDifferentSchools() throws {
    let first = try Self.newSchoolPath()
    let second = try Self.newSchoolPath()
    try Self.generate(first, students: 40, seed: 7)
    try Self.generate(second, students: 40, seed: 8)
    let a = try Self.contents(of: first)
    let b = try Self.contents(of: second)
    #expect(a != b, "seeds 7 and 8 wrote identical folders")
    #expect(a["evidence.csv"] != b["evidence.csv"], "seeds 7 and 8 wrote the same evidence")
  }

  @Test func nonEmptyFolderIsRefusedWithoutForce() throws {
    let folder = try Self.newSchoolPath()
    try Self.generate(folder, students: 30, seed: 7)
    let note = folder.appendingPathComponent("notes.txt")
    try Data("the principal's notes\n".utf8).write(to: note)
    let before = try Self.contents(of: folder)

    let refused = try RunRegroup.run(["generate", folder.path, "--students", "30", "--seed", "8"])
    #expect(refused.status == 1, "exit \(refused.status)\n\(refused.stderr)")
    #expect(refused.stdout.isEmpty, "stdout: \(refused.stdout)")
    #expect(refused.stderr.contains("--force"), "stderr does not say how to proceed:\n\(refused.stderr)")
    #expect(try Self.contents(of: folder) == before, "a refused generate changed the folder")

    // A folder holding only someone else's file is refused the same way.
    let other = try Self.newSchoolPath()
    try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
    try Data("keep me\n".utf8).write(to: other.appendingPathComponent("keep.txt"))
    let refusedOther = try RunRegroup.run(["generate", other.path, "--students", "30", "--seed", "8"])
    #expect(refusedOther.status == 1)
    #expect(try Self.contents(of: other) == ["keep.txt": Data("keep me\n".utf8)])
  }

  @Test func forceReplacesTheSchoolsFiles() throws {
    let folder = try Self.newSchoolPath()
    try Self.generate(folder, students: 30, seed: 7)
    try Self.generate(folder, students: 30, seed: 8, ["--force"])
    let fresh = try Self.newSchoolPath()
    try Self.generate(fresh, students: 30, seed: 8)
    let forced = try Self.contents(of: folder)
    for (name, bytes) in try Self.contents(of: fresh) {
      #expect(forced[name] == bytes, "\(name) after --force differs from a fresh seed-8 school")
    }
  }

  @Test func emptyExistingFolderIsAccepted() throws {
    let folder = try Self.newSchoolPath()
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try Self.generate(folder, students: 10, seed: 1)
    #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("students.csv").path))
  }

  /// A labelled command line, so the failure trace says which one.
  struct Invocation: Sendable, CustomTestStringConvertible {
    var label: String
    var arguments: [String]
    var testDescription: String { label }
  }

  static let usageErrors: [Invocation] = [
    Invocation(label: "--students 0", arguments: ["--students", "0", "--seed", "1"]),
    Invocation(label: "--students -5", arguments: ["--students=-5", "--seed", "1"]),
    Invocation(label: "--students many", arguments: ["--students", "many", "--seed", "1"]),
    Invocation(label: "no --seed", arguments: ["--students", "10"]),
    Invocation(label: "no --students", arguments: ["--seed", "1"]),
    Invocation(label: "--grades 3,x", arguments: ["--students", "10", "--seed", "1", "--grades", "3,x"]),
    Invocation(label: "--grades 13", arguments: ["--students", "10", "--seed", "1", "--grades", "13"]),
    Invocation(
      label: "--date 2026-02-30", arguments: ["--students", "10", "--seed", "1", "--date", "2026-02-30"]),
    Invocation(label: "unknown flag", arguments: ["--students", "10", "--seed", "1", "--teachers", "4"]),
    Invocation(
      label: "--profile college", arguments: ["--students", "10", "--seed", "1", "--profile", "college"]),
    Invocation(
      label: "--method median", arguments: ["--students", "10", "--seed", "1", "--method", "median"]),
  ]

  @Test(arguments: usageErrors)
  func usageErrorExits64AndWritesNothing(_ line: Invocation) throws {
    let out = try Self.newSchoolPath()
    let run = try RunRegroup.run(["generate", out.path] + line.arguments)
    #expect(run.status == 64, "exit \(run.status)\nstderr:\n\(run.stderr)")
    #expect(run.stdout.isEmpty, "stdout: \(run.stdout)")
    #expect(run.stderr.contains("Usage: regroup generate"), "not ArgumentParser's message:\n\(run.stderr)")
    #expect(!FileManager.default.fileExists(atPath: out.path), "a usage error created the folder")
  }

  @Test func missingOutIsAUsageError() throws {
    let run = try RunRegroup.run(["generate", "--students", "10", "--seed", "1"])
    #expect(run.status == 64, "exit \(run.status)\nstderr:\n\(run.stderr)")
    #expect(run.stdout.isEmpty)
  }
}

extension GenerateCLITests {
  @Test func generatedSchoolPlansChecksAndShowsStatus() throws {
    let folder = try Self.newSchoolPath()
    try Self.generate(folder, students: 40, seed: 5, ["--date", "2026-12-01"])
    let toml = try String(contentsOf: folder.appendingPathComponent("school.toml"), encoding: .utf8)
    #expect(toml.contains("2026-12-01"), "school.toml does not carry --date")

    let plan = try RunRegroup.run(["plan", folder.path, "--format", "json"])
    #expect(plan.status == 0, "exit \(plan.status)\n\(plan.stderr)")
    for line in plan.stderrLines {
      #expect(line.contains(": warning: "), "stderr line is not a warning: \(line)")
    }
    let json = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
    #expect(json["date"] as? String == "2026-12-01")
    #expect(json["status"] as? String == "optimal")
    let sessions = try #require(json["sessions"] as? [[String: Any]])
    #expect(!sessions.isEmpty, "a generated school of 40 gets no session")
    let objective = try #require((json["objective"] as? NSNumber)?.doubleValue)

    let planFile = folder.deletingLastPathComponent().appendingPathComponent("PLAN.json")
    try Data(plan.stdout.utf8).write(to: planFile)
    let check = try RunRegroup.run(["check", folder.path, planFile.path])
    #expect(check.status == 0, "check:\n\(check.stdout)\(check.stderr)")
    #expect(check.stdout.contains("score: "), "check's stdout: \(check.stdout)")

    let status = try RunRegroup.run(["status", folder.path, "--format", "json"])
    #expect(status.status == 0, "exit \(status.status)\n\(status.stderr)")
    let report = try #require(
      try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
    #expect(report["date"] as? String == "2026-12-01")
    let needs = try #require(report["needs"] as? [[String: Any]])
    #expect(!needs.isEmpty, "a generated school of 40 has no needs")
    #expect(report["targets"] is [Any])
    #expect(objective > 0)
  }
}

extension GenerateCLITests {
  /// `--profile` writes that kind of school (same bytes for the same seed), `--method`
  /// overrides its status method, and `--help` lists every profile.
  @Test func profilesWriteTheirShape() throws {
    let first = try Self.newSchoolPath()
    let second = try Self.newSchoolPath()
    let run = try Self.generate(first, students: 60, seed: 3, ["--profile", "elementary"])
    try Self.generate(second, students: 60, seed: 3, ["--profile", "elementary"])
    #expect(run.stdout.contains("profile elementary"), "stdout: \(run.stdout)")
    #expect(try Self.contents(of: first) == Self.contents(of: second))
    let blocks = try String(contentsOf: first.appendingPathComponent("blocks.csv"), encoding: .utf8)
    #expect(blocks.split(separator: "\n").count == 9, "eight blocks and the header:\n\(blocks)")
    let toml = try String(contentsOf: first.appendingPathComponent("school.toml"), encoding: .utf8)
    #expect(toml.contains("method = \"recent\""))
    let students = try String(contentsOf: first.appendingPathComponent("students.csv"), encoding: .utf8)
    // The grade is the third cell from the end (a quoted name may hold a comma).
    let grades = Set(
      students.split(separator: "\n").dropFirst().map { line in
        let cells = line.split(separator: ",", omittingEmptySubsequences: false)
        return String(cells[cells.count - 3])
      })
    #expect(grades == ["1", "2", "3", "4", "5"], "the profile's grades: \(grades)")

    let high = try Self.newSchoolPath()
    try Self.generate(high, students: 80, seed: 3, ["--profile", "high", "--method", "mean"])
    let highToml = try String(contentsOf: high.appendingPathComponent("school.toml"), encoding: .utf8)
    #expect(highToml.contains("method = \"mean\""))
    let status = try RunRegroup.run(["status", high.path])
    #expect(status.status == 0, "status: \(status.stderr)")

    let help = try RunRegroup.run(["generate", "--help"])
    for profile in [
      "standard", "elementary", "middle", "high", "rural", "large", "requests", "sparse", "tiers",
    ] {
      #expect(help.stdout.contains(profile), "--help does not list \(profile)")
    }
  }
}
