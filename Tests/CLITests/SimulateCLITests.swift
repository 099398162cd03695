import Foundation
import TestSupport
import Testing

/// `regroup simulate` run as a process: the three formats on a small generated school, the
/// base first, `--output`, and a bad scenario (exit 1, named on stderr, nothing on stdout).
@Suite(.serialized) struct SimulateCLITests {
  /// A temporary folder holding a generated 40-student school and one scenario file.
  static func workspace() throws -> URL {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("regroup-simulate-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let generated = try RunRegroup.run([
      "generate", folder.appendingPathComponent("school").path, "--students", "40", "--seed", "2",
    ])
    #expect(generated.status == 0, "\(generated.stderr)")
    let scenario = """
      name = "One more interventionist"

      [[add_staff]]
      staff_id = "X1"
      subjects = "*"
      max_group_size = 5
      max_minutes = 100
      """
    try scenario.write(to: folder.appendingPathComponent("more.toml"), atomically: true, encoding: .utf8)
    return folder
  }

  static func arguments(_ folder: URL, _ extra: [String]) -> [String] {
    [
      "simulate", folder.appendingPathComponent("school").path,
      "--scenario", folder.appendingPathComponent("more.toml").path,
      "--days", "2", "--day-time-limit", "2", "--seed", "3",
    ] + extra
  }

  @Test func textJSONAndHTML() throws {
    let folder = try Self.workspace()
    defer { try? FileManager.default.removeItem(at: folder) }

    let text = try RunRegroup.run(Self.arguments(folder, []))
    #expect(text.status == 0, "\(text.stderr)")
    let header = text.stdout.split(separator: "\n").dropFirst().first { !$0.isEmpty }.map(String.init) ?? ""
    #expect(header.contains("base"))
    #expect(header.range(of: "base")!.lowerBound < header.range(of: "One more interventionist")!.lowerBound)
    #expect(text.stdout.contains("needs served per day"))
    #expect(text.stdout.contains("same peers next day (tracking)"))
    #expect(text.stderr.isEmpty)

    let json = try RunRegroup.run(Self.arguments(folder, ["--format", "json"]))
    #expect(json.status == 0, "\(json.stderr)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    let scenarios = try #require(object["scenarios"] as? [[String: Any]])
    #expect(scenarios.map { $0["name"] as? String } == ["base", "One more interventionist"])
    #expect((scenarios[0]["days"] as? [Any])?.count == 2)
    #expect(scenarios[0]["needs_served_per_day"] != nil)
    #expect(scenarios[0]["equity"] != nil)
    #expect((object["model"] as? [String: Any])?["seed"] as? Int == 3)

    let html = folder.appendingPathComponent("report.html")
    let written = try RunRegroup.run(Self.arguments(folder, ["--format", "html", "--output", html.path]))
    #expect(written.status == 0, "\(written.stderr)")
    #expect(written.stdout.isEmpty)
    let page = try String(contentsOf: html, encoding: .utf8)
    #expect(page.hasPrefix("<!DOCTYPE html>"))
    #expect(page.contains("<svg"))
    #expect(!page.contains("<script"))
    #expect(!page.contains("http://") && !page.contains("https://"))
  }

  @Test func aBadScenarioIsBadInput() throws {
    let folder = try Self.workspace()
    defer { try? FileManager.default.removeItem(at: folder) }
    let bad = folder.appendingPathComponent("bad.toml")
    try "[[change_staff]]\nstaff_id = \"NOPE\"\nmax_minutes = -5\n".write(
      to: bad, atomically: true, encoding: .utf8)
    let result = try RunRegroup.run([
      "simulate", folder.appendingPathComponent("school").path, "--scenario", bad.path, "--days", "1",
    ])
    #expect(result.status == 1)
    #expect(result.stdout.isEmpty)
    #expect(
      result.stderrLines == [
        "\(bad.path): error: change_staff[1].max_minutes must be an integer ≥ 0, found -5"
      ])

    try "[[change_staff]]\nstaff_id = \"NOPE\"\nmax_minutes = 5\n".write(
      to: bad, atomically: true, encoding: .utf8)
    let unknown = try RunRegroup.run([
      "simulate", folder.appendingPathComponent("school").path, "--scenario", bad.path, "--days", "1",
    ])
    #expect(unknown.status == 1)
    #expect(unknown.stdout.isEmpty)
    #expect(
      unknown.stderrLines == ["\(bad.path): error: change_staff[1].staff_id: unknown staff_id \"NOPE\""])

    try "name = \"x\"\nremove_staff = [\n".write(to: bad, atomically: true, encoding: .utf8)
    let syntax = try RunRegroup.run([
      "simulate", folder.appendingPathComponent("school").path, "--scenario", bad.path, "--days", "1",
    ])
    #expect(syntax.status == 1)
    #expect(syntax.stdout.isEmpty)
    #expect(syntax.stderrLines.first?.hasPrefix("\(bad.path):") == true)
    #expect(syntax.stderrLines.first?.hasPrefix("\(bad.path): ") == false)
  }
}
