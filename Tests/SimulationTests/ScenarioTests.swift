import LearnerStatus
import Testing

@testable import Simulation

/// A tiny school to change: two staff, two blocks.
func tinySchool() -> School {
  School(
    students: [Student(id: "S1")],
    targets: [Target(id: "M1", subject: "math")],
    staff: [
      StaffMember(id: "T001", subjects: .any, maxGroupSize: 6, maxMinutes: 60),
      StaffMember(id: "T007", subjects: .any, maxGroupSize: 6, maxMinutes: 60),
    ],
    blocks: [Block(id: "B1", start: 540, end: 570), Block(id: "WIN", start: 780, end: 820)],
    unavailable: [Unavailability(staffID: "T007", blockID: "WIN")],
    requests: [Request(id: "R1", staffID: "T007", studentID: "S1", priority: .high)])
}

/// The messages of a bad scenario, as the CLI prints them.
func problems(_ text: String, file: String = "s.toml") -> [String] {
  do {
    _ = try Scenario.read(text, file: file)
    return []
  } catch let error as InputError {
    return error.diagnostics.map(\.description)
  } catch {
    return ["\(error)"]
  }
}

func applyProblems(_ text: String, to school: School = tinySchool()) throws -> [String] {
  let scenario = try Scenario.read(text, file: "s.toml")
  do {
    _ = try scenario.apply(to: school)
    return []
  } catch let error as InputError {
    return error.diagnostics.map(\.description)
  }
}

@Suite struct ScenarioReading {
  @Test func theSpecExampleReadsAndApplies() throws {
    let text = """
      name = "One more interventionist"
      remove_staff = ["T007"]
      remove_blocks = []

      [policy]
      groups.min_size = 3
      weights.session = 6.0

      [[add_staff]]
      staff_id = "X1"
      subjects = "math;reading"
      max_group_size = 5
      max_minutes = 100

      [[change_staff]]
      staff_id = "T001"
      max_minutes = 40

      [[unavailable]]
      staff_id = "T001"
      block_id = "WIN"

      [[add_block]]
      block_id = "WIN2"
      start = "14:00"
      end = "14:30"

      [[change_block]]
      block_id = "B1"
      end = "09:45"
      subjects = "math"
      """
    let scenario = try Scenario.read(text, file: "more.toml")
    #expect(scenario.name == "One more interventionist")
    let school = try scenario.apply(to: tinySchool())
    #expect(school.staff.map(\.id) == ["T001", "X1"])
    #expect(school.staff[0].maxMinutes == 40)
    #expect(school.staff[1].subjects == SubjectSet(cell: "math;reading"))
    #expect(school.staff[1].maxGroupSize == 5 && school.staff[1].maxMinutes == 100)
    #expect(school.blocks.map(\.id) == ["B1", "WIN", "WIN2"])
    #expect(school.blocks[0].end == 585 && school.blocks[0].subjects == SubjectSet(cell: "math"))
    #expect(school.blocks[2].start == 840 && school.blocks[2].end == 870 && school.blocks[2].subjects == .any)
    // T007's unavailability and request go with T007.
    #expect(school.unavailable.map(\.staffID) == ["T001"])
    #expect(school.requests.isEmpty)
    #expect(school.policy.minSize == 3)
    #expect(school.policy.weights.session == 6.0)
    #expect(school.policy.weights.gap == 10.0)
  }

  @Test func theNameDefaultsToTheFileName() throws {
    #expect(try Scenario.read("", file: "dir/cap-groups-at-5.toml").name == "cap-groups-at-5")
  }

  @Test func removingABlockDropsItsRows() throws {
    let school = try Scenario.read("remove_blocks = [\"WIN\"]", file: "s.toml").apply(to: tinySchool())
    #expect(school.blocks.map(\.id) == ["B1"])
    #expect(school.unavailable.isEmpty)
    #expect(school.requests.count == 1)  // any-block request stays
  }

  @Test func theIssueExampleWithRemoveStaffAfterATableIsRejected() {
    let text = """
      [[change_staff]]
      staff_id = "T003"
      max_minutes = 40

      remove_staff = ["T007"]
      """
    #expect(
      problems(text) == [
        "s.toml: error: unknown key \"change_staff[1].remove_staff\"; the keys here are change_staff[1].staff_id, "
          + "change_staff[1].name, change_staff[1].subjects, change_staff[1].max_group_size, "
          + "change_staff[1].max_minutes (top-level keys go before the first table)"
      ])
  }

  @Test func aSyntaxErrorHasItsLine() {
    let found = problems("name = \"x\"\nremove_staff = [\n")
    #expect(found.count == 1)
    #expect(found.first?.hasPrefix("s.toml:") == true)
    #expect(found.first?.hasPrefix("s.toml: ") == false)
  }

  @Test func unknownTopLevelKey() {
    #expect(
      problems("remove_teachers = [\"T1\"]") == [
        "s.toml: error: unknown key \"remove_teachers\"; the keys here are name, remove_staff, remove_blocks, "
          + "policy, add_staff, change_staff, unavailable, add_block, change_block"
      ])
  }

  @Test func badPolicyValuesAreValidatedAsInSchoolToml() {
    #expect(
      problems("[policy]\ngroups.min_size = 0\nweights.gap = -1\n") == [
        "s.toml: error: policy.groups.min_size must be an integer ≥ 1, found 0",
        "s.toml: error: policy.weights.gap must be ≥ 0, found -1",
      ])
    #expect(
      problems("[policy]\nstatus.method = \"newest\"\n") == [
        "s.toml: error: policy.status.method must be decaying, recent, mean or highest, found \"newest\""
      ])
    #expect(
      problems("[policy]\ngroups.max_size = 4\n") == [
        "s.toml: error: unknown key \"policy.groups.max_size\"; did you mean \"policy.groups.min_size\"?"
      ])
    #expect(
      problems("[policy]\ndate = \"2026-12-01\"\n") == [
        "s.toml: error: unknown key \"policy.date\"; the keys here are policy.status, policy.groups, policy.weights"
      ])
  }

  @Test func badStaffAndBlockValues() {
    #expect(
      problems("[[add_staff]]\nstaff_id = \"X1\"\nsubjects = \"*\"\nmax_group_size = 0\nmax_minutes = 10\n")
        == [
          "s.toml: error: add_staff[1].max_group_size must be an integer ≥ 1, found 0"
        ])
    #expect(
      problems("[[add_staff]]\nstaff_id = \"X1\"\n") == [
        "s.toml: error: add_staff[1].subjects is missing; it is required",
        "s.toml: error: add_staff[1].max_group_size is missing; it is required",
        "s.toml: error: add_staff[1].max_minutes is missing; it is required",
      ])
    #expect(
      problems("[[change_staff]]\nstaff_id = \"T1\"\nmax_minutes = \"lots\"\n") == [
        "s.toml: error: change_staff[1].max_minutes must be an integer ≥ 0, found \"lots\""
      ])
    #expect(
      problems("[[add_block]]\nblock_id = \"W2\"\nstart = \"14:00\"\nend = \"13:30\"\n") == [
        "s.toml: error: add_block[1]: end must be after start, found start 14:00 and end 13:30"
      ])
    #expect(
      problems("[[add_block]]\nblock_id = \"W2\"\nstart = \"2pm\"\nend = \"14:30\"\n") == [
        "s.toml: error: add_block[1].start must be a time \"HH:MM\", found \"2pm\""
      ])
    #expect(
      problems("[[unavailable]]\nstaff_id = \"T1\"\n") == [
        "s.toml: error: unavailable[1].block_id is missing; it is required"
      ])
    #expect(
      problems("remove_staff = \"T007\"") == [
        "s.toml: error: remove_staff must be an array of ids, e.g. [\"T007\"], found \"T007\""
      ])
  }

  @Test func unknownIdsAreNamedWhenApplied() throws {
    #expect(
      try applyProblems("remove_staff = [\"T009\"]") == [
        "s.toml: error: remove_staff: unknown staff_id \"T009\""
      ])
    #expect(
      try applyProblems("remove_blocks = [\"WIN3\"]") == [
        "s.toml: error: remove_blocks: unknown block_id \"WIN3\""
      ])
    #expect(
      try applyProblems("[[change_staff]]\nstaff_id = \"T009\"\nmax_minutes = 5\n") == [
        "s.toml: error: change_staff[1].staff_id: unknown staff_id \"T009\""
      ])
    #expect(
      try applyProblems(
        "[[add_staff]]\nstaff_id = \"T001\"\nsubjects = \"*\"\nmax_group_size = 2\nmax_minutes = 5\n")
        == ["s.toml: error: add_staff[1].staff_id: duplicate staff_id \"T001\""])
    #expect(
      try applyProblems("[[change_block]]\nblock_id = \"B9\"\nend = \"10:00\"\n") == [
        "s.toml: error: change_block[1].block_id: unknown block_id \"B9\""
      ])
    #expect(
      try applyProblems("[[change_block]]\nblock_id = \"B1\"\nend = \"08:00\"\n") == [
        "s.toml: error: change_block[1]: end must be after start, found start 09:00 and end 08:00"
      ])
    #expect(
      try applyProblems("[[unavailable]]\nstaff_id = \"T001\"\nblock_id = \"B7\"\n") == [
        "s.toml: error: unavailable[1].block_id: unknown block_id \"B7\""
      ])
  }
}
