import LearnerStatus

/// The shape of a generated school: subjects, blocks, grades, staff, requests, evidence.
///
/// `standard` is the generator's original school (two subjects, three blocks, grades 3–5):
/// its bytes do not change when other profiles are added. The others span the schools
/// Regroup plans for: see `SchoolProfile.all` and `fixtures/README.md`.
public struct SchoolProfile: Sendable, Equatable {
  /// The name `regroup generate --profile` takes.
  public let name: String
  /// One line for `--help`.
  public let summary: String
  /// A typical number of students for this kind of school (shown by `--help`).
  public let defaultStudents: Int
  /// Grades when `--grades` is not given.
  public let defaultGrades: [Int]
  /// The status method written to `school.toml`.
  public private(set) var method: StatusMethod

  let subjects: [String]
  let letters: [String]
  let blocks: [BlockSpec]
  let targetsPerGrade: Int
  /// Students per classroom teacher, interventionist and specialist.
  let perTeacher: Double
  let perInterventionist: Double
  let perSpecialist: Double
  /// Exact staff counts (teachers, interventionists, specialists) instead of ratios.
  let fixedStaff: (Int, Int, Int)?
  /// Subjects a classroom teacher teaches: nil for all (`*`), else that many, in turn.
  let teacherSubjects: Int?
  let teacherMinutes: [Int]
  let teacherGroup: ClosedRange<Int>
  let interventionistMinutes: [Int]
  let specialistMinutes: [Int]
  /// Share of students with a request, share of those required and high, one pin per this
  /// many students.
  let requestShare: Double
  let requiredShare: Double
  let highShare: Double
  let studentsPerPin: Int
  /// Share of students with no evidence yet, and the chance that a student has no evidence
  /// at all on one of their grade's targets (sparse evidence).
  let newStudentShare: Double
  let unobservedShare: Double
  /// Tier thresholds on the noisy ability: below the first, tier 3; below the second, tier 2.
  let tier3Below: Double
  let tier2Below: Double

  public static func == (a: SchoolProfile, b: SchoolProfile) -> Bool {
    a.name == b.name && a.method == b.method
  }

  /// Every profile, `standard` first.
  public static let all: [SchoolProfile] = [
    standard, elementary, middle, high, rural, large, requests, sparse, tiers,
  ]

  /// The profile called `name`, or nil.
  public static func named(_ name: String) -> SchoolProfile? { all.first { $0.name == name } }

  /// The same profile with another status method.
  public func with(method: StatusMethod) -> SchoolProfile {
    var copy = self
    copy.method = method
    return copy
  }

  static func clock(_ h: Int, _ m: Int) -> Int { h * 60 + m }

  /// The original generated school: math and reading, blocks B1 (math), B2 (reading), WIN (`*`).
  public static let standard = SchoolProfile(
    name: "standard",
    summary: "grades 3-5, math and reading, three blocks of 30-40 min (the original school)",
    defaultStudents: 300, defaultGrades: [3, 4, 5], method: .decaying,
    subjects: ["math", "reading"], letters: ["M", "R"],
    blocks: [
      BlockSpec(id: "B1", start: clock(9, 0), end: clock(9, 30), mask: 1, subjectsText: "math"),
      BlockSpec(
        id: "B2", start: clock(10, 15), end: clock(10, 45), mask: 2, subjectsText: "reading"),
      BlockSpec(id: "WIN", start: clock(13, 0), end: clock(13, 40), mask: 3, subjectsText: "*"),
    ],
    targetsPerGrade: 6, perTeacher: 22, perInterventionist: 75, perSpecialist: 160,
    fixedStaff: nil, teacherSubjects: nil,
    teacherMinutes: [70, 70, 70, 70, 70, 60, 60, 100, 100, 70], teacherGroup: 6...8,
    interventionistMinutes: [100, 100, 130, 70], specialistMinutes: [100, 130, 70],
    requestShare: 0.06, requiredShare: 0.1, highShare: 0.35, studentsPerPin: 80,
    newStudentShare: 0.01, unobservedShare: 0, tier3Below: -1.6, tier2Below: -0.95)

  /// Many short blocks: eight 20-25 minute blocks, two subjects, grades 1-5.
  public static let elementary = SchoolProfile(
    name: "elementary",
    summary: "grades 1-5, math and reading, eight short blocks of 20-25 min, status `recent`",
    defaultStudents: 400, defaultGrades: [1, 2, 3, 4, 5], method: .recent,
    subjects: ["math", "reading"], letters: ["M", "R"],
    blocks: [
      BlockSpec(id: "M1", start: clock(8, 30), end: clock(8, 50), mask: 1, subjectsText: "math"),
      BlockSpec(
        id: "R1", start: clock(8, 55), end: clock(9, 15), mask: 2, subjectsText: "reading"),
      BlockSpec(id: "M2", start: clock(9, 45), end: clock(10, 5), mask: 1, subjectsText: "math"),
      BlockSpec(
        id: "R2", start: clock(10, 10), end: clock(10, 30), mask: 2, subjectsText: "reading"),
      BlockSpec(id: "W1", start: clock(11, 0), end: clock(11, 25), mask: 3, subjectsText: "*"),
      BlockSpec(id: "M3", start: clock(13, 0), end: clock(13, 20), mask: 1, subjectsText: "math"),
      BlockSpec(
        id: "R3", start: clock(13, 25), end: clock(13, 45), mask: 2, subjectsText: "reading"),
      BlockSpec(id: "W2", start: clock(14, 15), end: clock(14, 40), mask: 3, subjectsText: "*"),
    ],
    targetsPerGrade: 5, perTeacher: 20, perInterventionist: 70, perSpecialist: 150,
    fixedStaff: nil, teacherSubjects: nil,
    teacherMinutes: [60, 65, 80, 85, 100, 60, 65, 45], teacherGroup: 5...8,
    interventionistMinutes: [120, 140, 100, 160], specialistMinutes: [100, 120, 80],
    requestShare: 0.06, requiredShare: 0.1, highShare: 0.35, studentsPerPin: 80,
    newStudentShare: 0.01, unobservedShare: 0, tier3Below: -1.6, tier2Below: -0.95)

  /// Four subjects, teachers of two each, four 45-minute blocks, grades 6-8.
  public static let middle = SchoolProfile(
    name: "middle",
    summary: "grades 6-8, four subjects, teachers of two each, four blocks of 45 min, `mean`",
    defaultStudents: 700, defaultGrades: [6, 7, 8], method: .mean,
    subjects: ["math", "reading", "science", "writing"], letters: ["M", "R", "S", "W"],
    blocks: [
      BlockSpec(
        id: "P1", start: clock(8, 30), end: clock(9, 15), mask: 5, subjectsText: "math;science"),
      BlockSpec(
        id: "P2", start: clock(9, 30), end: clock(10, 15), mask: 10,
        subjectsText: "reading;writing"),
      BlockSpec(
        id: "P3", start: clock(11, 0), end: clock(11, 45), mask: 3, subjectsText: "math;reading"),
      BlockSpec(id: "FLEX", start: clock(13, 30), end: clock(14, 15), mask: 15, subjectsText: "*"),
    ],
    targetsPerGrade: 6, perTeacher: 25, perInterventionist: 90, perSpecialist: 180,
    fixedStaff: nil, teacherSubjects: 2,
    teacherMinutes: [90, 90, 90, 135, 45, 90], teacherGroup: 6...10,
    interventionistMinutes: [135, 90, 180], specialistMinutes: [90, 135],
    requestShare: 0.06, requiredShare: 0.1, highShare: 0.35, studentsPerPin: 80,
    newStudentShare: 0.01, unobservedShare: 0, tier3Below: -1.6, tier2Below: -0.95)

  /// Five subjects of about 40 targets each (ten a grade over grades 8-12), single-subject
  /// teachers, three long blocks.
  public static let high = SchoolProfile(
    name: "high",
    summary:
      "grades 9-12, five subjects of ~40-50 targets, single-subject teachers, three 80-min blocks, `highest`",
    defaultStudents: 1200, defaultGrades: [9, 10, 11, 12], method: .highest,
    subjects: ["math", "english", "science", "history", "language"],
    letters: ["M", "E", "S", "H", "L"],
    blocks: [
      BlockSpec(
        id: "A", start: clock(8, 0), end: clock(9, 20), mask: 5, subjectsText: "math;science"),
      BlockSpec(
        id: "B", start: clock(9, 35), end: clock(10, 55), mask: 26,
        subjectsText: "english;history;language"),
      BlockSpec(id: "C", start: clock(12, 30), end: clock(13, 50), mask: 31, subjectsText: "*"),
    ],
    targetsPerGrade: 10, perTeacher: 28, perInterventionist: 120, perSpecialist: 250,
    fixedStaff: nil, teacherSubjects: 1,
    teacherMinutes: [80, 80, 160, 80, 160], teacherGroup: 8...12,
    interventionistMinutes: [160, 240, 160], specialistMinutes: [160, 240],
    requestShare: 0.05, requiredShare: 0.1, highShare: 0.35, studentsPerPin: 100,
    newStudentShare: 0.01, unobservedShare: 0.15, tier3Below: -1.6, tier2Below: -0.95)

  /// A small rural school: two staff members for every grade.
  public static let rural = SchoolProfile(
    name: "rural",
    summary: "grades 1-6, math and reading, two staff members in all, three blocks",
    defaultStudents: 60, defaultGrades: [1, 2, 3, 4, 5, 6], method: .decaying,
    subjects: ["math", "reading"], letters: ["M", "R"],
    blocks: [
      BlockSpec(id: "B1", start: clock(9, 0), end: clock(9, 40), mask: 1, subjectsText: "math"),
      BlockSpec(
        id: "B2", start: clock(10, 0), end: clock(10, 40), mask: 2, subjectsText: "reading"),
      BlockSpec(id: "WIN", start: clock(13, 0), end: clock(13, 40), mask: 3, subjectsText: "*"),
    ],
    targetsPerGrade: 6, perTeacher: 22, perInterventionist: 75, perSpecialist: 160,
    fixedStaff: (1, 0, 1), teacherSubjects: nil,
    teacherMinutes: [120, 80], teacherGroup: 6...8,
    interventionistMinutes: [120], specialistMinutes: [120, 80],
    requestShare: 0.06, requiredShare: 0.1, highShare: 0.35, studentsPerPin: 40,
    newStudentShare: 0.01, unobservedShare: 0, tier3Below: -1.6, tier2Below: -0.95)

  /// A large K-8 school: three subjects, four blocks; typical of 10,000 students.
  public static let large = SchoolProfile(
    name: "large",
    summary: "grades 1-8, math, reading and science, four blocks (typical of 10,000 students)",
    defaultStudents: 10_000, defaultGrades: [1, 2, 3, 4, 5, 6, 7, 8], method: .decaying,
    subjects: ["math", "reading", "science"], letters: ["M", "R", "S"],
    blocks: [
      BlockSpec(id: "B1", start: clock(9, 0), end: clock(9, 30), mask: 1, subjectsText: "math"),
      BlockSpec(
        id: "B2", start: clock(10, 0), end: clock(10, 30), mask: 2, subjectsText: "reading"),
      BlockSpec(
        id: "B3", start: clock(11, 0), end: clock(11, 30), mask: 5, subjectsText: "math;science"),
      BlockSpec(id: "WIN", start: clock(13, 0), end: clock(13, 40), mask: 7, subjectsText: "*"),
    ],
    targetsPerGrade: 6, perTeacher: 22, perInterventionist: 75, perSpecialist: 160,
    fixedStaff: nil, teacherSubjects: nil,
    teacherMinutes: [70, 70, 60, 100, 70, 90], teacherGroup: 6...8,
    interventionistMinutes: [100, 130, 70], specialistMinutes: [100, 130, 70],
    requestShare: 0.06, requiredShare: 0.1, highShare: 0.35, studentsPerPin: 80,
    newStudentShare: 0.01, unobservedShare: 0, tier3Below: -1.6, tier2Below: -0.95)

  /// The standard school on a day of many requests and pins.
  public static let requests = SchoolProfile(
    name: "requests",
    summary: "the standard school with requests for 25% of students (20% required), a pin per 15",
    defaultStudents: 300, defaultGrades: [3, 4, 5], method: .decaying,
    subjects: standard.subjects, letters: standard.letters, blocks: standard.blocks,
    targetsPerGrade: 6, perTeacher: 22, perInterventionist: 75, perSpecialist: 160,
    fixedStaff: nil, teacherSubjects: nil, teacherMinutes: standard.teacherMinutes,
    teacherGroup: 6...8, interventionistMinutes: standard.interventionistMinutes,
    specialistMinutes: standard.specialistMinutes,
    requestShare: 0.25, requiredShare: 0.2, highShare: 0.4, studentsPerPin: 15,
    newStudentShare: 0.01, unobservedShare: 0, tier3Below: -1.6, tier2Below: -0.95)

  /// The standard school with little evidence: many targets never observed, more newcomers.
  public static let sparse = SchoolProfile(
    name: "sparse",
    summary: "the standard school with sparse evidence (45% of targets unobserved, 8% newcomers), `mean`",
    defaultStudents: 300, defaultGrades: [3, 4, 5], method: .mean,
    subjects: standard.subjects, letters: standard.letters, blocks: standard.blocks,
    targetsPerGrade: 6, perTeacher: 22, perInterventionist: 75, perSpecialist: 160,
    fixedStaff: nil, teacherSubjects: nil, teacherMinutes: standard.teacherMinutes,
    teacherGroup: 6...8, interventionistMinutes: standard.interventionistMinutes,
    specialistMinutes: standard.specialistMinutes,
    requestShare: 0.06, requiredShare: 0.1, highShare: 0.35, studentsPerPin: 80,
    newStudentShare: 0.08, unobservedShare: 0.45, tier3Below: -1.6, tier2Below: -0.95)

  /// The standard school with many tier-2 and tier-3 students.
  public static let tiers = SchoolProfile(
    name: "tiers",
    summary: "the standard school with about 25% tier 2 and 15% tier 3, status `recent`",
    defaultStudents: 300, defaultGrades: [3, 4, 5], method: .recent,
    subjects: standard.subjects, letters: standard.letters, blocks: standard.blocks,
    targetsPerGrade: 6, perTeacher: 22, perInterventionist: 75, perSpecialist: 160,
    fixedStaff: nil, teacherSubjects: nil, teacherMinutes: standard.teacherMinutes,
    teacherGroup: 6...8, interventionistMinutes: standard.interventionistMinutes,
    specialistMinutes: standard.specialistMinutes,
    requestShare: 0.06, requiredShare: 0.1, highShare: 0.35, studentsPerPin: 80,
    newStudentShare: 0.01, unobservedShare: 0, tier3Below: -1.15, tier2Below: -0.45)
}
