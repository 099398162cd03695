import Foundation
import LearnerStatus

/// Writes realistic synthetic school folders (spec §1) for demos, tests and benchmarks.
///
/// What it makes, from a student count and a seed:
/// - students spread over the grades, each with an ability that drives their evidence; tiers
///   follow ability (mostly 1, some 2, few 3), flags (`iep`, `el`, `504`) follow tier;
/// - six targets per subject (math, reading) and grade, plus the grade below (review);
/// - about one classroom teacher (`T001`, subjects `*`) per 22 students, interventionists
///   (`I001`, one subject, groups of 3–5) and specialists (`P001`, math and reading, small
///   groups); classroom teachers can lead only two of the three blocks (70 of 100 minutes);
/// - blocks `B1` (math, 30 min), `B2` (reading, 30 min), `WIN` (`*`, 40 min); some staff
///   unavailable in one block;
/// - six weeks of evidence on school days (levels 0–4 in half steps) so that a typical student
///   has 4–10 needs; a fortnight of history made of coherent past sessions;
/// - requests for about 6% of students (mostly normal or high, a few required) and a few pins.
///
/// Generated schools are feasible: no student has two forced placements (pins or required
/// requests); every pinned or required placement is on a staff member available in that block
/// whose subjects meet the block's; at most `max_group_size` forced students per staff member
/// and block; each staff member's forced blocks fit their `max_minutes`; and every forced
/// session has enough other students, reserved one per session and never reused, who clearly
/// need (level < 2.9) one target it can teach, to reach `min_size`.
///
/// The same arguments give the same bytes: the generator uses its own seeded PRNG and iterates
/// only arrays.
///
/// A `SchoolProfile` gives the school's shape (subjects, blocks, grades, staff, requests,
/// evidence, status method); the default, `standard`, is the school described above.
public struct SchoolGenerator: Sendable {
  public let students: Int
  public let seed: UInt64
  public let grades: [Int]
  public let date: String
  public let profile: SchoolProfile

  /// `grades` is sorted and de-duplicated (nil: the profile's grades). Check arguments first
  /// with `problems(...)`: invalid ones (no students, a grade outside 1–12, a date that does
  /// not exist) stop the program.
  public init(
    students: Int, seed: UInt64, grades: [Int]? = nil, date: String = "2026-11-25",
    profile: SchoolProfile = .standard
  ) {
    let grades = grades ?? profile.defaultGrades
    let problems = SchoolGenerator.problems(students: students, grades: grades, date: date)
    precondition(problems.isEmpty, problems.joined(separator: "; "))
    self.students = students
    self.seed = seed
    self.grades = Array(Set(grades)).sorted()
    self.date = date
    self.profile = profile
  }

  /// What is wrong with these arguments, in plain words; empty when they are fine.
  public static func problems(students: Int, grades: [Int], date: String) -> [String] {
    var out: [String] = []
    if students < 1 { out.append("the number of students must be at least 1, found \(students)") }
    if students > 1_000_000 { out.append("at most 1000000 students, found \(students)") }
    if grades.isEmpty { out.append("at least one grade is needed") }
    for g in grades where !(1...12).contains(g) {
      out.append("grades must be between 1 and 12, found \(g)")
    }
    if Day(date) == nil { out.append("not a date (YYYY-MM-DD): \(date)") }
    return out
  }

  /// The school's files, by name, in a fixed order: `school.toml` then the CSV files.
  public func files() -> [(name: String, contents: String)] {
    let model = GeneratedSchool(
      students: students, seed: seed, grades: grades, date: Day(date)!, profile: profile)
    return model.render()
  }

  /// Writes the files into `folder`, creating it when needed and replacing these files.
  public func write(to folder: URL) throws {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    for file in files() {
      try Data(file.contents.utf8).write(
        to: folder.appendingPathComponent(file.name), options: .atomic)
    }
  }

  /// The same school as values, as `SchoolFolder.load` would read the files (lines included).
  public func school() -> School {
    let model = GeneratedSchool(
      students: students, seed: seed, grades: grades, date: Day(date)!, profile: profile)
    return model.values()
  }
}

// MARK: - The model

enum StaffKind { case teacher, interventionist, specialist }

/// A block of the day; `mask` holds its subjects as bits (bit i: the profile's subject i).
struct BlockSpec: Sendable {
  let id: String
  let start: Int
  let end: Int
  let mask: Int
  let subjectsText: String
  var minutes: Int { end - start }
}

/// The whole generated school as plain arrays indexed by integers (no dictionaries, so nothing
/// depends on hashing order).
struct GeneratedSchool {
  static let minSize = 2
  static let proficientHalves = 6  // level 3.0
  static let decay = 0.65

  let date: Day
  let name: String
  let profile: SchoolProfile
  let blocks: [BlockSpec]
  /// Subjects as bits: bit i is `profile.subjects[i]`.
  let subjectNames: [String]
  let allSubjects: Int

  // Targets.
  var targetIDs: [String] = []
  var targetSubject: [Int] = []  // 0 math, 1 reading
  var targetGrade: [Int] = []
  var targetSeq: [Int] = []
  var targetDifficulty: [Double] = []
  /// First target index of (subject, grade), keyed by subject * 16 + grade.
  var targetStart: [Int]
  let targetsPerGrade: Int

  // Students.
  var studentIDs: [String] = []
  var givenNames: [String] = []
  var familyNames: [String] = []
  var studentGrade: [Int] = []
  var tier: [Int] = []
  var tierBlank: [Bool] = []
  var flags: [String] = []
  var ability: [Double] = []

  // Staff.
  var staffIDs: [String] = []
  var staffNames: [String] = []
  var staffKind: [StaffKind] = []
  var staffMask: [Int] = []
  var maxGroup: [Int] = []
  var maxMinutes: [Int] = []
  var unavailable: [Bool] = []  // staff * blocks + block
  var unavailableRows: [(staff: Int, block: Int)] = []

  // Evidence, one entry per row, in file order.
  var evStudent: [Int32] = []
  var evTarget: [Int16] = []
  var evDay: [Int32] = []  // index into schoolDays
  var evHalves: [UInt8] = []
  /// Clear needs (final level < 2.9) per student: CSR offsets into needTargets.
  var needOffsets: [Int] = [0]
  var needTargets: [Int16] = []
  /// Students whose evidence on the target ever fell below proficient (history pools).
  var struggled: [[Int32]] = []

  var schoolDays: [Day] = []  // weekdays before the plan date, oldest first
  var dayBytes: [[UInt8]] = []

  // History rows, in file order.
  var history: [(day: Int, block: Int, student: Int, staff: Int, target: Int)] = []

  // Requests and pins.
  enum RequestPriority: String { case required, high, normal }
  var requests: [(student: Int, staff: Int, block: Int?, priority: RequestPriority)] = []
  var pins: [(student: Int, block: Int, staff: Int)] = []

  init(students n: Int, seed: UInt64, grades: [Int], date: Day, profile: SchoolProfile) {
    self.date = date
    self.name =
      profile.name == "standard" ? "Generated school \(seed)" : "Generated \(profile.name) school \(seed)"
    self.profile = profile
    self.blocks = profile.blocks
    self.subjectNames = profile.subjects
    self.allSubjects = (1 << profile.subjects.count) - 1
    self.targetStart = [Int](repeating: -1, count: profile.subjects.count * 16)
    self.targetsPerGrade = profile.targetsPerGrade
    var dayList: [Day] = []
    for back in stride(from: 42, through: 1, by: -1) {
      let d = date.adding(days: -back)
      if d.weekday < 5 { dayList.append(d) }
    }
    schoolDays = dayList
    dayBytes = dayList.map { Array($0.description.utf8) }

    makeTargets(grades: grades, seed: seed)
    makeStudents(n, grades: grades, seed: seed)
    makeStaff(students: n, seed: seed)
    makeEvidence(seed: seed)
    makeHistory(seed: seed)
    makeRequestsAndPins(seed: seed)
  }

  static func padded(_ prefix: String, _ number: Int, width: Int) -> String {
    let s = String(number)
    return prefix + String(repeating: "0", count: max(0, width - s.count)) + s
  }

  func usable(_ k: Int, _ b: Int) -> Bool {
    !unavailable[k * blocks.count + b] && (staffMask[k] & blocks[b].mask) != 0
  }

  // MARK: Targets

  mutating func makeTargets(grades: [Int], seed: UInt64) {
    var rng = Xoshiro256(seed: seed, stream: 1)
    var all = Set<Int>()
    for g in grades {
      all.insert(g)
      if g > 1 { all.insert(g - 1) }
    }
    let targetGrades = all.sorted()
    for subject in 0..<subjectNames.count {
      for g in targetGrades {
        targetStart[subject * 16 + g] = targetIDs.count
        for seq in 1...targetsPerGrade {
          targetIDs.append(
            profile.letters[subject] + String(g) + "." + (seq < 10 ? "0" : "") + String(seq))
          targetSubject.append(subject)
          targetGrade.append(g)
          targetSeq.append(seq)
          // Later targets in the sequence are harder; a little noise per target.
          targetDifficulty.append(-0.45 + 0.18 * Double(seq - 1) + 0.25 * rng.normal())
        }
      }
    }
    struggled = Array(repeating: [], count: targetIDs.count)
  }

  // MARK: Students

  mutating func makeStudents(_ n: Int, grades: [Int], seed: UInt64) {
    var rng = Xoshiro256(seed: seed, stream: 2)
    let width = max(5, String(n).count)
    studentIDs.reserveCapacity(n)
    for i in 1...n {
      studentIDs.append(GeneratedSchool.padded("S", i, width: width))
      givenNames.append(Names.givenName(&rng))
      familyNames.append(Names.familyName(&rng))
      studentGrade.append(grades[rng.below(grades.count)])
      let a = rng.normal()
      ability.append(a)
      let z = a + 0.5 * rng.normal()
      let t = z < profile.tier3Below ? 3 : (z < profile.tier2Below ? 2 : 1)
      tier.append(t)
      tierBlank.append(t == 1 && rng.chance(0.5))
      var f: [String] = []
      if rng.chance(t == 3 ? 0.5 : (t == 2 ? 0.15 : 0.04)) { f.append("iep") }
      if rng.chance(0.10) { f.append("el") }
      if rng.chance(0.03) { f.append("504") }
      flags.append(f.joined(separator: ";"))
    }
  }

  // MARK: Staff

  mutating func makeStaff(students n: Int, seed: UInt64) {
    var rng = Xoshiro256(seed: seed, stream: 3)
    let teachers = profile.fixedStaff?.0 ?? max(1, Int((Double(n) / profile.perTeacher).rounded()))
    let interventionists =
      profile.fixedStaff?.1 ?? max(1, Int((Double(n) / profile.perInterventionist).rounded()))
    let specialists =
      profile.fixedStaff?.2 ?? max(1, Int((Double(n) / profile.perSpecialist).rounded()))
    let subjectCount = subjectNames.count
    func add(_ id: String, _ kind: StaffKind, mask: Int, group: Int, minutes: Int) {
      staffIDs.append(id)
      staffNames.append(Names.givenName(&rng) + " " + Names.familyName(&rng))
      staffKind.append(kind)
      staffMask.append(mask)
      maxGroup.append(group)
      maxMinutes.append(minutes)
    }
    for i in stride(from: 1, through: teachers, by: 1) {
      let minutes = rng.pick(profile.teacherMinutes)
      // Classroom teachers teach every subject, or (middle and high schools) a few in turn.
      var mask = allSubjects
      if let count = profile.teacherSubjects {
        mask = 0
        for j in 0..<count { mask |= 1 << (((i - 1) * count + j) % subjectCount) }
      }
      add(
        GeneratedSchool.padded("T", i, width: max(3, String(teachers).count)), .teacher,
        mask: mask, group: rng.int(profile.teacherGroup), minutes: minutes)
    }
    for i in stride(from: 1, through: interventionists, by: 1) {
      add(
        GeneratedSchool.padded("I", i, width: max(3, String(interventionists).count)),
        .interventionist, mask: 1 << ((i - 1) % subjectCount), group: rng.int(3...5),
        minutes: rng.pick(profile.interventionistMinutes))
    }
    for i in stride(from: 1, through: specialists, by: 1) {
      add(
        GeneratedSchool.padded("P", i, width: max(3, String(specialists).count)), .specialist,
        mask: allSubjects, group: rng.int(3...4), minutes: rng.pick(profile.specialistMinutes))
    }
    // Some staff are away for one block (a meeting, a duty), never leaving them without a block.
    let blockCount = blocks.count
    unavailable = Array(repeating: false, count: staffIDs.count * blockCount)
    for k in 0..<staffIDs.count where rng.chance(0.15) {
      let options = (0..<blockCount).filter { (staffMask[k] & blocks[$0].mask) != 0 }
      guard options.count >= 2 else { continue }
      let b = rng.pick(options)
      unavailable[k * blockCount + b] = true
      unavailableRows.append((k, b))
    }
  }

  // MARK: Evidence

  mutating func makeEvidence(seed: UInt64) {
    var rng = Xoshiro256(seed: seed, stream: 4)
    let n = studentIDs.count
    let days = schoolDays.count
    evStudent.reserveCapacity(n * 32)
    evTarget.reserveCapacity(n * 32)
    evDay.reserveCapacity(n * 32)
    evHalves.reserveCapacity(n * 32)
    needTargets.reserveCapacity(n * 8)
    let per = targetsPerGrade
    var dayPool: [Int] = []
    let unobserved = profile.unobservedShare

    for s in 0..<n {
      // About 1 in 100 students arrived this week: no evidence yet (reports must show them).
      if n >= 50 && rng.chance(profile.newStudentShare) {
        needOffsets.append(needTargets.count)
        continue
      }
      let g = studentGrade[s]
      for subject in 0..<subjectNames.count {
        let a = ability[s] + 0.35 * rng.normal()  // subject-specific ability
        // Review targets of the grade below: more for students who struggle.
        let below = g > 1 ? targetStart[subject * 16 + g - 1] : -1
        if below >= 0 {
          let count = a < -0.4 ? rng.int(2...3) : (rng.chance(0.35) ? 1 : 0)
          var seqs = Array(0..<per)
          rng.shuffle(&seqs)
          for j in seqs.prefix(count).sorted() {
            observe(
              s, target: below + j, ability: a, easier: 0.6, from: 0, to: days / 2,
              count: rng.int(1...2), rng: &rng, dayPool: &dayPool)
          }
        }
        let start = targetStart[subject * 16 + g]
        for j in 0..<per {
          // Targets are introduced one after another across the six weeks.
          let intro = j * days / per
          let count = j < per - 2 ? rng.int(2...3) : rng.int(1...2)
          // Sparse evidence: some targets never observed for this student.
          if unobserved > 0 && rng.chance(unobserved) { continue }
          observe(
            s, target: start + j, ability: a, easier: 0, from: intro, to: days, count: count,
            rng: &rng, dayPool: &dayPool)
        }
      }
      needOffsets.append(needTargets.count)
    }
  }

  /// Adds `count` observations of student s on target t on distinct school days in from..<to,
  /// oldest first; records a clear need and the history pool.
  mutating func observe(
    _ s: Int, target t: Int, ability a: Double, easier: Double, from: Int, to: Int, count: Int,
    rng: inout Xoshiro256, dayPool: inout [Int]
  ) {
    dayPool.removeAll(keepingCapacity: true)
    dayPool.append(contentsOf: from..<to)
    let k = min(count, dayPool.count)
    guard k > 0 else { return }
    // Partial Fisher–Yates for k distinct days.
    for i in 0..<k { dayPool.swapAt(i, i + rng.below(dayPool.count - i)) }
    var chosen = Array(dayPool.prefix(k))
    chosen.sort()
    let base = 2.7 + 0.35 * a - targetDifficulty[t] + easier + 0.3 * rng.normal()
    var level = 0.0
    var first = true
    var minHalves = 8
    for d in chosen {
      let weeks = Double(d - from) / 5.0
      let value = base + 0.18 * weeks + 0.45 * rng.normal()
      let halves = max(0, min(8, Int((value * 2).rounded())))
      evStudent.append(Int32(s))
      evTarget.append(Int16(t))
      evDay.append(Int32(d))
      evHalves.append(UInt8(halves))
      let v = Double(halves) / 2
      // The level as the school's status method folds it (spec §2).
      switch profile.method {
      case .decaying:
        level = first ? v : GeneratedSchool.decay * v + (1 - GeneratedSchool.decay) * level
      case .recent: level = v
      case .highest: level = first ? v : max(level, v)
      case .mean: level = first ? v : level + v
      }
      first = false
      minHalves = min(minHalves, halves)
    }
    if profile.method == .mean { level /= Double(chosen.count) }
    if level < 2.9 { needTargets.append(Int16(t)) }
    if minHalves < GeneratedSchool.proficientHalves { struggled[t].append(Int32(s)) }
  }

  // MARK: History

  /// A fortnight of past sessions: on each school day of the last two weeks, staff lead
  /// sessions (within their minutes, in usable blocks) on targets some students struggled with;
  /// a student is in at most one session per block and day.
  mutating func makeHistory(seed: UInt64) {
    var rng = Xoshiro256(seed: seed, stream: 5)
    let n = studentIDs.count
    let firstDay = schoolDays.firstIndex { date.days(to: $0) >= -14 } ?? schoolDays.count
    var placedStamp = [Int32](repeating: -1, count: n)
    var stamp: Int32 = 0
    var group: [Int] = []
    let staffCount = staffIDs.count
    let blockCount = blocks.count
    var chosenBlocks = [Bool](repeating: false, count: staffCount * blockCount)
    var candidates: [Int] = []
    for d in firstDay..<schoolDays.count {
      // Which blocks each staff member leads that day.
      for k in 0..<staffCount {
        var order = Array(0..<blockCount)
        rng.shuffle(&order)
        var used = 0
        for b in order {
          chosenBlocks[k * blockCount + b] = false
          guard usable(k, b), used + blocks[b].minutes <= maxMinutes[k], rng.chance(0.7) else {
            continue
          }
          chosenBlocks[k * blockCount + b] = true
          used += blocks[b].minutes
        }
      }
      for b in 0..<blockCount {
        stamp += 1
        for k in 0..<staffCount where chosenBlocks[k * blockCount + b] {
          let mask = staffMask[k] & blocks[b].mask
          let options = (0..<subjectNames.count).filter { mask & (1 << $0) != 0 }
          let subject = options.count == 1 ? options[0] : options[rng.below(options.count)]
          candidates.removeAll(keepingCapacity: true)
          for t in 0..<targetIDs.count
          where targetSubject[t] == subject && struggled[t].count >= GeneratedSchool.minSize {
            candidates.append(t)
          }
          guard !candidates.isEmpty else { continue }
          let t = rng.pick(candidates)
          let pool = struggled[t]
          let size = rng.int(GeneratedSchool.minSize...maxGroup[k])
          group.removeAll(keepingCapacity: true)
          var attempts = 0
          while group.count < size && attempts < 4 * size {
            attempts += 1
            let s = Int(pool[rng.below(pool.count)])
            if placedStamp[s] == stamp || group.contains(s) { continue }
            group.append(s)
          }
          guard group.count >= GeneratedSchool.minSize else { continue }
          group.sort()
          for s in group {
            placedStamp[s] = stamp
            history.append((d, b, s, k, t))
          }
        }
      }
    }
  }

  // MARK: Requests and pins

  func needs(of s: Int) -> ArraySlice<Int16> { needTargets[needOffsets[s]..<needOffsets[s + 1]] }

  /// Staff of a kind who can teach one of the subjects in `subjects` (bits), or any of the kind.
  /// Any staff member when the school has none of that kind.
  func staffOf(_ kind: StaffKind, subjects: Int) -> [Int] {
    var all = (0..<staffIDs.count).filter { staffKind[$0] == kind }
    if all.isEmpty { all = Array(0..<staffIDs.count) }
    let fitting = all.filter { (staffMask[$0] & subjects) != 0 }
    return fitting.isEmpty ? all : fitting
  }

  func needSubjects(_ s: Int) -> Int {
    var mask = 0
    for t in needs(of: s) { mask |= 1 << targetSubject[Int(t)] }
    return mask
  }

  mutating func makeRequestsAndPins(seed: UInt64) {
    var rng = Xoshiro256(seed: seed, stream: 6)
    let n = studentIDs.count
    var ledger = Ledger(school: self)

    // Requests: about 6% of students (the profile's share), one each.
    let requestCount = n >= 5 ? max(1, Int((Double(n) * profile.requestShare).rounded())) : 0
    var order = Array(0..<n)
    for i in 0..<min(requestCount, n) { order.swapAt(i, i + rng.below(n - i)) }
    let requested = order.prefix(requestCount).sorted()
    var isRequested = [Bool](repeating: false, count: n)
    for s in requested { isRequested[s] = true }

    // Pins: a few (about one per 80 students), mostly to interventionists and specialists, on
    // students with clear needs and no request.
    let pinCount = n >= 10 ? max(1, n / profile.studentsPerPin) : 0
    var pinned: [(student: Int, block: Int, staff: Int)] = []
    var tries = 0
    while pinned.count < pinCount && tries < pinCount * 20 {
      tries += 1
      let s = rng.below(n)
      guard !isRequested[s], !ledger.forced[s], !needs(of: s).isEmpty else { continue }
      let subjects = needSubjects(s)
      let kind = [StaffKind.interventionist, .specialist, .teacher][rng.weighted([5, 3, 2])]
      let k = rng.pick(staffOf(kind, subjects: subjects))
      let fitting = blocks.indices.filter { usable(k, $0) && (blocks[$0].mask & subjects) != 0 }
      guard !fitting.isEmpty else { continue }
      let b = rng.pick(fitting)
      if ledger.force(s, staff: k, block: b, rng: &rng) { pinned.append((s, b, k)) }
    }
    pins = pinned.sorted { $0.student < $1.student }

    // Priorities in fixed proportions (about 10% required, 35% high, the rest normal),
    // shuffled over the requested students.
    let requiredCount =
      requestCount == 0 ? 0 : max(1, Int((Double(requestCount) * profile.requiredShare).rounded()))
    let highCount = Int((Double(requestCount) * profile.highShare).rounded())
    var priorities = [RequestPriority](repeating: .normal, count: requestCount)
    for i in 0..<requestCount where i < requiredCount + highCount {
      priorities[i] = i < requiredCount ? .required : .high
    }
    rng.shuffle(&priorities)

    // Requests, in student order; required ones must fit the ledger, or become high.
    for (index, s) in requested.enumerated() {
      let subjects = needSubjects(s)
      let kind = [StaffKind.teacher, .interventionist, .specialist][rng.weighted([6, 2.5, 1.5])]
      let k = rng.pick(staffOf(kind, subjects: subjects == 0 ? allSubjects : subjects))
      var priority = priorities[index]
      let blockOptions = blocks.indices.filter { usable(k, $0) }
      var block: Int? = rng.chance(0.5) || blockOptions.isEmpty ? nil : rng.pick(blockOptions)
      if priority == .required {
        if ledger.forced[s] || needs(of: s).isEmpty {
          priority = .high
        } else if let b = block {
          if !ledger.force(s, staff: k, block: b, rng: &rng) { priority = .high }
        } else {
          // No block: some block of k's must work; prefer one k is already forced into.
          let base = k * blocks.count
          var witnesses = blockOptions.filter { ledger.blockUsed[base + $0] }
          witnesses += blockOptions.filter { !ledger.blockUsed[base + $0] }
          var ok = false
          for b in witnesses where ledger.force(s, staff: k, block: b, rng: &rng) {
            ok = true
            break
          }
          if !ok { priority = .high }
        }
      }
      if blockOptions.isEmpty { block = nil }
      requests.append((s, k, block, priority))
    }
  }
}

/// Keeps track of forced placements (pins and required requests) so that they stay feasible
/// together (see `SchoolGenerator`).
struct Ledger {
  let minSize = GeneratedSchool.minSize
  var forced: [Bool]
  var reserved: [Bool]
  var forcedCount: [Int]  // staff * blocks + block
  var companions: [Int]  // staff * blocks + block
  var sessionTarget: [Int]  // staff * blocks + block; -1 when none chosen
  var blockUsed: [Bool]  // staff * blocks + block
  let school: GeneratedSchool

  init(school: GeneratedSchool) {
    self.school = school
    let n = school.studentIDs.count
    let slots = school.staffIDs.count * school.blocks.count
    forced = Array(repeating: false, count: n)
    reserved = Array(repeating: false, count: n)
    forcedCount = Array(repeating: 0, count: slots)
    companions = Array(repeating: 0, count: slots)
    sessionTarget = Array(repeating: -1, count: slots)
    blockUsed = Array(repeating: false, count: slots)
  }

  /// Forces student s into staff k's session in block b when that keeps everything feasible;
  /// false (and nothing changed) otherwise.
  mutating func force(_ s: Int, staff k: Int, block b: Int, rng: inout Xoshiro256) -> Bool {
    let slot = k * school.blocks.count + b
    guard !forced[s], !reserved[s], school.usable(k, b) else { return false }
    let total = forcedCount[slot] + 1 + companions[slot]
    guard total <= school.maxGroup[k] else { return false }
    if !blockUsed[slot] {
      var minutes = school.blocks[b].minutes
      for other in school.blocks.indices where blockUsed[k * school.blocks.count + other] {
        minutes += school.blocks[other].minutes
      }
      guard minutes <= school.maxMinutes[k] else { return false }
    }
    // Companions: students with a clear need on one target k can teach in b, not forced and
    // not reserved for another session.
    var found: [Int] = []
    var target = sessionTarget[slot]
    let missing = max(0, minSize - total)
    if missing > 0 {
      let mask = school.staffMask[k] & school.blocks[b].mask
      let n = school.studentIDs.count
      let startAt = rng.below(n)
      for i in 0..<n where found.count < missing {
        let c = (startAt + i) % n
        guard c != s, !forced[c], !reserved[c] else { continue }
        for t16 in school.needs(of: c) {
          let t = Int(t16)
          let fits = target >= 0 ? t == target : (mask & (1 << school.targetSubject[t])) != 0
          if fits {
            target = t
            found.append(c)
            break
          }
        }
      }
      guard found.count == missing else { return false }
    }
    forced[s] = true
    for c in found { reserved[c] = true }
    forcedCount[slot] += 1
    companions[slot] += found.count
    sessionTarget[slot] = target
    blockUsed[slot] = true
    return true
  }
}
