import Foundation
import LearnerStatus
import Testing

@testable import SchoolGenerator

/// Every profile writes a school the loader reads without errors, feasible as the generator
/// promises, deterministic, and of the shape its summary claims.
@Suite struct ProfileTests {
  static let names = SchoolProfile.all.map(\.name)

  /// Writes the profile's school to a folder and loads it back: only the warnings a real
  /// school has (newcomers without evidence), and the same values as `school()`.
  static func loaded(_ profile: SchoolProfile, students: Int, seed: UInt64) throws -> School {
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let generator = SchoolGenerator(students: students, seed: seed, profile: profile)
    try generator.write(to: folder)
    let loaded = try SchoolFolder.load(folder)
    for w in loaded.warnings {
      #expect(w.severity == .warning, "\(profile.name): \(w)")
      #expect(w.file == "students.csv", "\(profile.name): \(w)")
    }
    let values = generator.school()
    #expect(loaded.school.students == values.students)
    #expect(loaded.school.targets == values.targets)
    #expect(loaded.school.staff == values.staff)
    #expect(loaded.school.blocks == values.blocks)
    #expect(loaded.school.evidence == values.evidence)
    #expect(loaded.school.history == values.history)
    #expect(loaded.school.requests == values.requests)
    #expect(loaded.school.pins == values.pins)
    #expect(loaded.school.unavailable == values.unavailable)
    #expect(loaded.school.policy.method == profile.method)
    return loaded.school
  }

  static func profile(_ name: String) throws -> SchoolProfile {
    try #require(SchoolProfile.named(name))
  }
}

extension ProfileTests {
  @Test(arguments: names)
  func loadsWithoutErrorsAndIsFeasible(_ name: String) throws {
    let profile = try Self.profile(name)
    for (students, seed) in [(profile.defaultStudents <= 100 ? 60 : 250, 1), (40, 2)] as [(Int, UInt64)] {
      let school = try Self.loaded(profile, students: students, seed: seed)
      #expect(school.students.count == students)
      try checkFeasibility(school, date: Day("2026-11-25")!)
      try checkHistory(school)
      let needs = Derivation.needs(in: school, on: Day("2026-11-25")!)
      #expect(!needs.isEmpty, "\(name): no needs")
    }
  }

  @Test(arguments: names)
  func sameSeedGivesTheSameBytes(_ name: String) throws {
    let profile = try Self.profile(name)
    let a = SchoolGenerator(students: 90, seed: 4, profile: profile).files()
    let b = SchoolGenerator(students: 90, seed: 4, profile: profile).files()
    #expect(a.map(\.name) == b.map(\.name))
    for (x, y) in zip(a, b) { #expect(x.contents == y.contents, "\(name): \(x.name) differs") }
    let c = SchoolGenerator(students: 90, seed: 5, profile: profile).files()
    #expect(file(a, "evidence.csv") != file(c, "evidence.csv"))
  }

  /// The standard profile is the generator's original school (the bundled sample depends on it).
  @Test func standardIsTheDefault() {
    let a = SchoolGenerator(students: 120, seed: 3).files()
    let b = SchoolGenerator(students: 120, seed: 3, profile: .standard).files()
    #expect(a.map(\.contents) == b.map(\.contents))
    #expect(file(a, "school.toml").contains("method = \"decaying\""))
    #expect(file(a, "school.toml").contains("name = \"Generated school 3\""))
  }

  @Test func everyStatusMethodHasAProfile() {
    let methods = Set(SchoolProfile.all.map(\.method))
    #expect(methods == Set(StatusMethod.allCases))
  }

  @Test func methodOverride() throws {
    let profile = try Self.profile("middle").with(method: .highest)
    let files = SchoolGenerator(students: 50, seed: 1, profile: profile).files()
    #expect(file(files, "school.toml").contains("method = \"highest\""))
    let school = try Self.loaded(profile, students: 50, seed: 1)
    try checkFeasibility(school, date: Day("2026-11-25")!)
  }
}

// MARK: - Shapes

extension ProfileTests {
  static func subjects(_ school: School) -> Set<String> { Set(school.targets.map(\.subject)) }

  @Test func elementaryHasTwoSubjectsAndManyShortBlocks() throws {
    let school = try Self.loaded(try Self.profile("elementary"), students: 400, seed: 1)
    #expect(Self.subjects(school) == ["math", "reading"])
    #expect(school.blocks.count >= 8)
    #expect(school.blocks.allSatisfy { $0.minutes <= 25 })
    #expect(Set(school.students.map(\.grade)) == ["1", "2", "3", "4", "5"])
  }

  @Test func middleHasFourSubjectsAndTeachersOfTwo() throws {
    let school = try Self.loaded(try Self.profile("middle"), students: 400, seed: 1)
    #expect(Self.subjects(school).count == 4)
    #expect(school.blocks.count == 4)
    let teachers = school.staff.filter { $0.id.hasPrefix("T") }
    for t in teachers {
      guard case .only(let set) = t.subjects else {
        Issue.record("\(t.id) teaches any subject")
        continue
      }
      #expect(set.count == 2)
    }
  }

  @Test func highSchoolHasFiveSubjectsOfThirtyToSixtyTargetsAndFewLongBlocks() throws {
    let school = try Self.loaded(try Self.profile("high"), students: 600, seed: 1)
    let bySubject = Dictionary(grouping: school.targets, by: \.subject)
    #expect((4...6).contains(bySubject.count))
    for (subject, targets) in bySubject {
      #expect((30...60).contains(targets.count), "\(subject): \(targets.count) targets")
    }
    #expect(school.blocks.count <= 3)
    #expect(school.blocks.allSatisfy { $0.minutes >= 60 })
    let teachers = school.staff.filter { $0.id.hasPrefix("T") }
    for t in teachers {
      guard case .only(let set) = t.subjects else {
        Issue.record("\(t.id) teaches any subject")
        continue
      }
      #expect(set.count == 1)
    }
    // Students need targets in several subjects.
    let needs = Derivation.needs(in: school, on: Day("2026-11-25")!)
    let targetSubject = Dictionary(uniqueKeysWithValues: school.targets.map { ($0.id, $0.subject) })
    #expect(Set(needs.map { targetSubject[$0.target]! }).count == bySubject.count)
  }

  @Test func ruralHasTwoStaffMembers() throws {
    for students in [30, 60, 200] {
      let school = try Self.loaded(try Self.profile("rural"), students: students, seed: 2)
      #expect(school.staff.count == 2)
      try checkFeasibility(school, date: Day("2026-11-25")!)
    }
  }

  @Test func largeHasEightGradesAndThreeSubjects() throws {
    let school = SchoolGenerator(students: 2_000, seed: 1, profile: try Self.profile("large"))
      .school()
    #expect(Set(school.students.map(\.grade)).count == 8)
    #expect(Self.subjects(school).count == 3)
    #expect(school.blocks.count == 4)
    try checkFeasibility(school, date: Day("2026-11-25")!)
  }

  @Test func requestsDayHasManyRequestsAndPins() throws {
    let standard = SchoolGenerator(students: 600, seed: 1).school()
    let school = try Self.loaded(try Self.profile("requests"), students: 600, seed: 1)
    let share = Double(Set(school.requests.map(\.studentID)).count) / 600
    #expect(share > 0.2 && share < 0.3, "requested share \(share)")
    #expect(school.pins.count >= 4 * standard.pins.count)
    let required = school.requests.filter { $0.priority == .required }.count
    #expect(required > 3 * standard.requests.filter { $0.priority == .required }.count)
  }

  @Test func sparseHasLittleEvidence() throws {
    let standard = SchoolGenerator(students: 600, seed: 1).school()
    let school = try Self.loaded(try Self.profile("sparse"), students: 600, seed: 1)
    #expect(Double(school.evidence.count) < 0.7 * Double(standard.evidence.count))
    let observed = Set(school.evidence.map(\.studentID))
    let newcomers = school.students.filter { !observed.contains($0.id) }.count
    #expect(newcomers >= 24, "newcomers \(newcomers)")
  }

  @Test func tiersHasManyTierTwoAndThreeStudents() throws {
    let school = try Self.loaded(try Self.profile("tiers"), students: 600, seed: 1)
    let counts = [2, 3].map { t in school.students.filter { $0.tier == t }.count }
    #expect(Double(counts[0]) > 0.18 * 600 && Double(counts[1]) > 0.1 * 600, "\(counts)")
    let standard = SchoolGenerator(students: 600, seed: 1).school()
    #expect(counts[1] > 2 * standard.students.filter { $0.tier == 3 }.count)
  }
}
