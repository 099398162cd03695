import Foundation
import LearnerStatus
import TestSupport
import Testing

@testable import SchoolGenerator

@Suite struct SchoolGeneratorTests {}

// MARK: - Helpers

/// A minimal RFC 4180 reader for the tests (independent of the loader).
func parseCSV(_ text: String) -> [[String]] {
  var rows: [[String]] = []
  var row: [String] = []
  var cell = ""
  var inQuotes = false
  var chars = Array(text)[...]
  while let c = chars.popFirst() {
    if inQuotes {
      if c == "\"" {
        if chars.first == "\"" {
          cell.append("\"")
          chars.removeFirst()
        } else {
          inQuotes = false
        }
      } else {
        cell.append(c)
      }
    } else if c == "\"" {
      inQuotes = true
    } else if c == "," {
      row.append(cell)
      cell = ""
    } else if c == "\n" || c == "\r\n" {
      row.append(cell)
      rows.append(row)
      row = []
      cell = ""
    } else {
      cell.append(c)
    }
  }
  if !cell.isEmpty || !row.isEmpty {
    row.append(cell)
    rows.append(row)
  }
  return rows
}

func file(_ files: [(name: String, contents: String)], _ name: String) -> String {
  files.first { $0.name == name }!.contents
}

func temporaryFolder() -> URL {
  FileManager.default.temporaryDirectory.appendingPathComponent(
    "regroup-gen-\(UUID().uuidString)")
}

// MARK: - Determinism

extension SchoolGeneratorTests {
  @Test func sameSeedGivesIdenticalBytes() {
    let a = SchoolGenerator(students: 150, seed: 42).files()
    let b = SchoolGenerator(students: 150, seed: 42).files()
    #expect(a.map(\.name) == b.map(\.name))
    for (x, y) in zip(a, b) {
      #expect(Array(x.contents.utf8) == Array(y.contents.utf8), "\(x.name) differs")
    }
  }

  @Test func differentSeedsDiffer() {
    let a = SchoolGenerator(students: 150, seed: 1).files()
    let b = SchoolGenerator(students: 150, seed: 2).files()
    #expect(file(a, "evidence.csv") != file(b, "evidence.csv"))
    #expect(file(a, "students.csv") != file(b, "students.csv"))
  }

  @Test func writesTheSpecFiles() throws {
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let generator = SchoolGenerator(students: 40, seed: 9, grades: [6, 7, 8], date: "2027-03-10")
    try generator.write(to: folder)
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    #expect(names == SchoolFolder.fileNames.filter { $0 != "absences.csv" }.sorted())
    let toml = try String(contentsOf: folder.appendingPathComponent("school.toml"), encoding: .utf8)
    #expect(toml.contains("date = \"2027-03-10\""))
    let written = try String(
      contentsOf: folder.appendingPathComponent("evidence.csv"), encoding: .utf8)
    #expect(written == file(generator.files(), "evidence.csv"))
  }
}

// MARK: - Sizes and ratios

extension SchoolGeneratorTests {
  @Test(arguments: [120, 300, 1000])
  func sizesAndRatios(students n: Int) {
    let school = SchoolGenerator(students: n, seed: UInt64(n)).school()
    #expect(school.students.count == n)
    #expect(Set(school.students.map(\.id)).count == n)
    #expect(school.students.first?.id == "S00001")
    let teachers = school.staff.filter { $0.id.hasPrefix("T") }
    let ratio = Double(n) / Double(teachers.count)
    #expect(ratio > 19 && ratio < 25, "students per teacher \(ratio)")
    #expect(teachers.allSatisfy { $0.subjects == .any })
    let interventionists = school.staff.filter { $0.id.hasPrefix("I") }
    #expect(!interventionists.isEmpty)
    for i in interventionists {
      guard case .only(let set) = i.subjects else { Issue.record("\(i.id) teaches any"); continue }
      #expect(set.count == 1)
      #expect((3...5).contains(i.maxGroupSize))
    }
    #expect(school.staff.contains { $0.id.hasPrefix("P") })
    #expect(school.blocks.map(\.id) == ["B1", "B2", "WIN"])
    // Teacher time is scarce: no classroom teacher... at least most cannot lead all blocks.
    let allBlocks = school.blocks.map(\.minutes).reduce(0, +)
    let short = teachers.filter { $0.maxMinutes < allBlocks }.count
    #expect(Double(short) >= 0.6 * Double(teachers.count))
    // Requests: about 6% of students, one each; mostly normal or high, few required.
    let requested = Set(school.requests.map(\.studentID))
    #expect(requested.count == school.requests.count)
    let share = Double(requested.count) / Double(n)
    #expect(share > 0.05 && share < 0.07, "requested share \(share)")
    let required = school.requests.filter { $0.priority == .required }.count
    #expect(required <= school.requests.count / 4 + 1)
    #expect(school.requests.filter { $0.priority != .required }.count >= school.requests.count / 2)
    #expect(!school.pins.isEmpty && school.pins.count <= n / 40)
    // Tiers: mostly 1, some 2, few 3.
    let tiers = [1, 2, 3].map { t in school.students.filter { $0.tier == t }.count }
    #expect(tiers[0] > 2 * (tiers[1] + tiers[2]) && tiers[1] > 0 && tiers[2] > 0)
    if n >= 300 { #expect(tiers[1] > tiers[2]) }
    #expect(school.students.contains { $0.flags.contains("iep") })
    #expect(school.students.contains { $0.flags.contains("el") })
    #expect(!school.unavailable.isEmpty || n < 100)
    #expect(!school.history.isEmpty)
  }

  @Test func studentsHaveAHandfulOfNeeds() {
    let school = SchoolGenerator(students: 400, seed: 5).school()
    let date = Day("2026-11-25")!
    let needs = Derivation.needs(in: school, on: date)
    var perStudent: [String: Int] = [:]
    for need in needs { perStudent[need.student, default: 0] += 1 }
    let counts = school.students.map { perStudent[$0.id] ?? 0 }.sorted()
    let median = counts[counts.count / 2]
    #expect((4...10).contains(median), "median needs \(median)")
    let typical = counts.filter { (2...12).contains($0) }.count
    #expect(Double(typical) > 0.75 * Double(counts.count))
    // Evidence: several weeks, half steps, targets of the grade and the grade below.
    let days = Set(school.evidence.map(\.date))
    #expect(days.count >= 20 && days.allSatisfy { $0 < date && $0.weekday < 5 })
    #expect(school.evidence.allSatisfy { ($0.level * 2).rounded() == $0.level * 2 })
    #expect(school.evidence.allSatisfy { (0...4).contains($0.level) })
    let grade = Dictionary(uniqueKeysWithValues: school.students.map { ($0.id, $0.grade) })
    let targetGrade = Dictionary(uniqueKeysWithValues: school.targets.map { ($0.id, $0.grade) })
    var below = 0
    for e in school.evidence {
      let s = Int(grade[e.studentID]!)!
      let t = Int(targetGrade[e.targetID]!)!
      #expect(t == s || t == s - 1)
      if t == s - 1 { below += 1 }
    }
    #expect(below > 0)
  }

  @Test func fiveThousandStudentsQuickly() {
    let start = Date()
    let files = SchoolGenerator(students: 5000, seed: 77).files()
    let seconds = Date().timeIntervalSince(start)
    #expect(seconds < 10, "took \(seconds) s")  // about 0.1 s in release
    #expect(file(files, "students.csv").split(separator: "\n").count == 5001)
  }

  @Test func argumentProblems() {
    #expect(SchoolGenerator.problems(students: 10, grades: [3, 4], date: "2026-11-25").isEmpty)
    #expect(!SchoolGenerator.problems(students: 0, grades: [3], date: "2026-11-25").isEmpty)
    #expect(!SchoolGenerator.problems(students: 10, grades: [], date: "2026-11-25").isEmpty)
    #expect(!SchoolGenerator.problems(students: 10, grades: [13], date: "2026-11-25").isEmpty)
    #expect(!SchoolGenerator.problems(students: 10, grades: [3], date: "2026-02-30").isEmpty)
  }

  @Test func tinySchoolsWork() throws {
    for n in [1, 2, 5, 12] {
      let generator = SchoolGenerator(students: n, seed: 3)
      let files = Dictionary(uniqueKeysWithValues: generator.files().map { ($0.name, $0.contents) })
      let loaded = try SchoolFolder.load(files: files)
      #expect(loaded.school.students.count == n)
      try checkFeasibility(loaded.school, date: loaded.date)
    }
  }
}

// MARK: - CSV quoting

extension SchoolGeneratorTests {
  @Test func quotingRoundTrip() {
    let tricky = [
      "Johnson, Jr.", "Anna \"Annie\"", "O'Neil", "Chloé", "two\nlines", " padded ", "plain",
      "\"", ",", "", "Nguyễn, \"Ben\"",
    ]
    var csv = CSVText(header: ["id", "name"])
    for (i, name) in tricky.enumerated() {
      csv.plain(String(i))
      csv.cell(name)
      csv.endRow()
    }
    let rows = parseCSV(csv.text)
    #expect(rows.count == tricky.count + 1)
    #expect(rows.dropFirst().map { $0[1] } == tricky)
    #expect(CSVText.escape("Johnson, Jr.") == "\"Johnson, Jr.\"")
    #expect(CSVText.escape("Anna \"Annie\"") == "\"Anna \"\"Annie\"\"\"")
    #expect(CSVText.escape("O'Neil") == "O'Neil")
  }

  @Test func generatedNamesRoundTrip() throws {
    let generator = SchoolGenerator(students: 600, seed: 11)
    let text = file(generator.files(), "students.csv")
    let rows = parseCSV(text).dropFirst()
    let school = generator.school()
    #expect(rows.map { $0[1] } == school.students.map(\.givenName))
    #expect(rows.map { $0[2] } == school.students.map(\.familyName))
    #expect(school.students.contains { $0.familyName.contains(",") })
    #expect(school.students.contains { $0.givenName.contains("\"") })
    #expect(school.students.contains { $0.familyName.contains("'") })
    // And through the project's loader.
    let files = Dictionary(uniqueKeysWithValues: generator.files().map { ($0.name, $0.contents) })
    let loaded = try SchoolFolder.load(files: files)
    #expect(loaded.school.students.map(\.familyName) == school.students.map(\.familyName))
    #expect(loaded.school.students.map(\.givenName) == school.students.map(\.givenName))
  }
}

// MARK: - Loading and feasibility

extension SchoolGeneratorTests {
  @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
  func loadsWithoutErrorsAndIsFeasible(seed: UInt64) throws {
    let folder = temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let generator = SchoolGenerator(students: 120, seed: seed)
    try generator.write(to: folder)
    let loaded: LoadedSchool
    do {
      loaded = try SchoolFolder.load(folder)
    } catch let error as InputError {
      Issue.record("load failed:\n\(error)")
      return
    }
    #expect(loaded.date == Day("2026-11-25"))
    // Only warnings a real school has: students who arrived this week have no evidence.
    for w in loaded.warnings {
      #expect(w.severity == .warning)
      #expect(w.file == "students.csv", "\(w)")
    }
    let school = loaded.school
    let values = generator.school()
    #expect(school.students == values.students)
    #expect(school.targets == values.targets)
    #expect(school.staff == values.staff)
    #expect(school.blocks == values.blocks)
    #expect(school.evidence == values.evidence)
    #expect(school.history == values.history)
    #expect(school.requests == values.requests)
    #expect(school.pins == values.pins)
    #expect(school.unavailable == values.unavailable)
    try checkFeasibility(school, date: loaded.date)
    try checkHistory(school)
  }

  @Test func manySmallSchoolsAreFeasible() throws {
    for seed in 1...25 as ClosedRange<UInt64> {
      for n in [8, 15, 30, 60] {
        let school = SchoolGenerator(students: n, seed: seed, grades: [4]).school()
        try checkFeasibility(school, date: Day("2026-11-25")!)
      }
    }
  }

  @Test(arguments: [300, 2000])
  func largerSchoolsAreFeasible(students: Int) throws {
    let school = SchoolGenerator(students: students, seed: 8).school()
    try checkFeasibility(school, date: Day("2026-11-25")!)
    try checkHistory(school)
  }
}

/// Checks, by code and independently of the generator, that pins and required requests can
/// hold together (spec §3 R1-R4, R8, R9), as far as structure goes.
func checkFeasibility(_ school: School, date: Day) throws {
  let minSize = school.policy.minSize
  let blocks = Dictionary(uniqueKeysWithValues: school.blocks.map { ($0.id, $0) })
  let staff = Dictionary(uniqueKeysWithValues: school.staff.map { ($0.id, $0) })
  let targets = Dictionary(uniqueKeysWithValues: school.targets.map { ($0.id, $0) })
  let away = Set(school.unavailable.map { "\($0.staffID)|\($0.blockID)" })
  func usable(_ k: String, _ b: String) -> Bool {
    guard let member = staff[k], let block = blocks[b], !away.contains("\(k)|\(b)") else {
      return false
    }
    return school.targets.contains {
      member.subjects.allows($0.subject) && block.subjects.allows($0.subject)
    }
  }

  // Forced placements: (student, staff, block or nil).
  var forced: [(student: String, staff: String, block: String?, what: String)] = []
  for p in school.pins { forced.append((p.studentID, p.staffID, p.blockID, "pin")) }
  for r in school.requests where r.priority == .required {
    forced.append((r.studentID, r.staffID, r.blockID, "required \(r.id)"))
  }
  // No two pins for one student in one block; in fact at most one forced placement each.
  var seen = Set<String>()
  for f in forced {
    #expect(seen.insert(f.student).inserted, "\(f.student) has two forced placements")
  }
  // Each forced placement with a block is on a staff member usable there.
  for f in forced {
    if let b = f.block { #expect(usable(f.staff, b), "\(f.what): \(f.staff) cannot lead \(b)") }
  }

  // Needs as the planner sees them.
  let needs = Derivation.needs(in: school, on: date)
  var needsOf: [String: [String]] = [:]
  for n in needs { needsOf[n.student, default: []].append(n.target) }

  // Assign each forced placement without a block to a block, preferring blocks its staff
  // member is already forced into; then check capacity, minutes and min_size.
  var sessions: [String: [String]] = [:]  // "k|b" -> forced students
  var blocksOf: [String: Set<String>] = [:]
  for f in forced where f.block != nil {
    sessions["\(f.staff)|\(f.block!)", default: []].append(f.student)
    blocksOf[f.staff, default: []].insert(f.block!)
  }
  for f in forced where f.block == nil {
    let options = school.blocks.map(\.id).filter { usable(f.staff, $0) }
    let member = staff[f.staff]!
    let used = blocksOf[f.staff, default: []]
    let fitting = options.filter { b in
      let all = used.union([b])
      let minutes = all.map { blocks[$0]!.minutes }.reduce(0, +)
      return minutes <= member.maxMinutes
        && (sessions["\(f.staff)|\(b)"]?.count ?? 0) < member.maxGroupSize
    }
    let choice = fitting.first { used.contains($0) } ?? fitting.first
    #expect(choice != nil, "\(f.what): no block of \(f.staff) can take \(f.student)")
    if let b = choice {
      sessions["\(f.staff)|\(b)", default: []].append(f.student)
      blocksOf[f.staff, default: []].insert(b)
    }
  }
  for (k, used) in blocksOf.sorted(by: { $0.key < $1.key }) {
    let minutes = used.map { blocks[$0]!.minutes }.reduce(0, +)
    #expect(minutes <= staff[k]!.maxMinutes, "\(k) is forced into \(minutes) minutes")
  }
  // Capacity and min_size: greedily give each forced session companions, each used once.
  var taken = Set(forced.map(\.student))
  for (key, students) in sessions.sorted(by: { $0.key < $1.key }) {
    let parts = key.split(separator: "|").map(String.init)
    let member = staff[parts[0]]!
    let block = blocks[parts[1]]!
    #expect(students.count <= member.maxGroupSize, "\(key) has too many forced students")
    let missing = minSize - students.count
    guard missing > 0 else { continue }
    var byTarget: [String: [String]] = [:]
    for s in school.students.map(\.id) where !taken.contains(s) {
      for t in needsOf[s] ?? [] {
        let subject = targets[t]!.subject
        if member.subjects.allows(subject) && block.subjects.allows(subject) {
          byTarget[t, default: []].append(s)
        }
      }
    }
    let best = byTarget.sorted { $0.key < $1.key }.max { $0.value.count < $1.value.count }
    let found = best?.value.prefix(missing) ?? []
    #expect(found.count == missing, "\(key) cannot reach min_size")
    taken.formUnion(found)
  }
}

/// History is made of coherent past sessions: one target per staff member, block and day,
/// between min_size and max_group_size students, each student once per block and day, in
/// usable blocks within the staff member's minutes, all before the plan date.
func checkHistory(_ school: School) throws {
  let staff = Dictionary(uniqueKeysWithValues: school.staff.map { ($0.id, $0) })
  let blocks = Dictionary(uniqueKeysWithValues: school.blocks.map { ($0.id, $0) })
  let targets = Dictionary(uniqueKeysWithValues: school.targets.map { ($0.id, $0) })
  var sessions: [String: (target: String, count: Int)] = [:]
  var studentSlots = Set<String>()
  var minutes: [String: Set<String>] = [:]
  let date = school.policy.date!
  for h in school.history {
    #expect(h.date < date && date.days(to: h.date) >= -14 && h.date.weekday < 5)
    let key = "\(h.date)|\(h.blockID)|\(h.staffID)"
    if let s = sessions[key] {
      #expect(s.target == h.targetID, "\(key) teaches two targets")
      sessions[key] = (s.target, s.count + 1)
    } else {
      sessions[key] = (h.targetID, 1)
    }
    #expect(studentSlots.insert("\(h.date)|\(h.blockID)|\(h.studentID)").inserted)
    let subject = targets[h.targetID]!.subject
    #expect(staff[h.staffID]!.subjects.allows(subject) && blocks[h.blockID]!.subjects.allows(subject))
    minutes["\(h.date)|\(h.staffID)", default: []].insert(h.blockID)
  }
  for (key, s) in sessions {
    let k = String(key.split(separator: "|")[2])
    #expect(s.count >= school.policy.minSize && s.count <= staff[k]!.maxGroupSize)
  }
  for (key, used) in minutes {
    let k = String(key.split(separator: "|")[1])
    #expect(used.map { blocks[$0]!.minutes }.reduce(0, +) <= staff[k]!.maxMinutes)
  }
}

// MARK: - The bundled sample

extension SchoolGeneratorTests {
  /// `fixtures/sample` is exactly what `regroup generate fixtures/sample --students 300
  /// --seed 2026` writes: regenerate it (with `--force`) whenever the generator changes.
  @Test func sampleFixtureIsTheGeneratorsOutput() throws {
    let folder = Fixtures.root.appendingPathComponent("sample")
    for file in SchoolGenerator(students: 300, seed: 2026).files() {
      let url = folder.appendingPathComponent(file.name)
      let data = try Data(contentsOf: url)
      #expect(data == Data(file.contents.utf8), "fixtures/sample/\(file.name) is stale")
    }
    let loaded = try SchoolFolder.load(folder)
    #expect(loaded.school.students.count == 300)
    try checkFeasibility(loaded.school, date: loaded.date)
  }
}
