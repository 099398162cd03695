import Foundation
import TestSupport
import Testing

/// `regroup absence add|list|remove` against a record (spec §12).
@Suite struct AbsenceCLITests {
  @Test func addListAndRemoveAbsences() throws {
    let w = try RecordCLITests.Workspace()
    try w.importFolder()
    let added = try w.run(["absence", "add", "T001", "--by", "office"])
    #expect(added.status == 0)
    #expect(added.stdout == "T001 (staff) absent on 2026-11-25, the whole day\n")
    let block = try w.run(["absence", "add", "S00004", "--block", "B1", "--date", "2026-11-25"])
    #expect(block.stdout == "S00004 (student) absent on 2026-11-25, block B1\n")
    let list = try w.run(["absence", "list", "--format", "csv"])
    #expect(list.status == 0)
    let lines = list.stdout.split(separator: "\n").map {
      $0.split(separator: ",", omittingEmptySubsequences: false).prefix(4).joined(separator: ",")
    }
    #expect(lines == ["date,id,block_id,kind", "2026-11-25,T001,,staff", "2026-11-25,S00004,B1,student"])
    let text = try w.run(["absence", "list"])
    #expect(text.stdout.contains("whole day"))
    let removed = try w.run(["absence", "remove", "S00004", "--block", "B1"])
    #expect(removed.status == 0 && removed.stdout.hasPrefix("removed: S00004"))
    let other = try w.run(["absence", "list", "--date", "2026-11-26"])
    #expect(other.stdout == "no absences on 2026-11-26\n")
  }

  @Test func badAbsencesExitOneAndChangeNothing() throws {
    let w = try RecordCLITests.Workspace()
    try w.importFolder()
    let unknown = try w.run(["absence", "add", "T0001"])
    #expect(unknown.status == 1)
    #expect(unknown.stderr.contains("unknown id \"T0001\""))
    let block = try w.run(["absence", "add", "T001", "--block", "B9"])
    #expect(block.status == 1 && block.stderr.contains("unknown block \"B9\""))
    let missing = try w.run(["absence", "remove", "T001"])
    #expect(missing.status == 1 && missing.stderr.contains("no absence of T001"))
    let list = try w.run(["absence", "list", "--all", "--format", "csv"])
    #expect(list.stdout == "date,id,block_id,kind,made_by,made_at\n")
  }
}
