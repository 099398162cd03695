import Foundation
import TestSupport
import Testing

/// `regroup plan --replan` and `--publish --replan` against a record (spec §13).
@Suite struct ReplanCLITests {
  @Test func theMorningsWorkflow() throws {
    let w = try RecordCLITests.Workspace()
    try w.importFolder()
    let none = try w.run(["plan", w.folder.path, "--replan"])
    #expect(none.status == 1)
    #expect(none.stderr.contains("no plan is published for 2026-11-25"))
    let published = try w.run(["plan", w.folder.path, "--publish", "--format", "json"])
    #expect(published.status == 0, "\(published.stderr)")
    let same = try w.run(["plan", w.folder.path, "--replan", "--format", "json"])
    #expect(same.status == 0)
    #expect(same.stdout.contains("\"changes\": [],"))
    #expect(try w.run(["absence", "add", "T002"]).status == 0)
    let re = try w.run(["plan", w.folder.path, "--replan"])
    #expect(re.status == 0)
    let lines = re.stdout.split(separator: "\n").map(String.init)
    let changes = try #require(lines.firstIndex { $0.hasPrefix("Changes from the published plan") })
    let sessions = try #require(lines.firstIndex { $0 == "Sessions" })
    #expect(changes < sessions)
    #expect(re.stdout.contains("(T002 is absent)"))
    let replaced = try w.run(["plan", w.folder.path, "--replan", "--publish", "--format", "json"])
    #expect(replaced.status == 0)
    #expect(replaced.stderr.contains("version 2, replacing the earlier one"))
    #expect(
      !replaced.stdout.contains("\"staff\": \"T002\", \"target\"") || replaced.stdout.contains("\"from\""))
  }
}
