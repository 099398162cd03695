import Testing

@testable import LearnerStatus

/// `regroup status` renderers (spec §7), without a process.
@Suite struct StatusReportTests {}

extension StatusReportTests {
  static func school() -> School {
    var s = School()
    s.students = [Student(id: "S1"), Student(id: "S2", tier: 2)]
    s.targets = [Target(id: "M1", subject: "math"), Target(id: "R1", subject: "reading")]
    s.staff = [StaffMember(id: "T1", subjects: .only(["math"]), maxGroupSize: 4, maxMinutes: 60)]
    s.blocks = [Block(id: "B1", start: 540, end: 570), Block(id: "WIN", start: 780, end: 820)]
    let d = Day("2026-11-20")!
    s.evidence = [
      Evidence(studentID: "S1", targetID: "M1", date: d, level: 1.8),
      Evidence(studentID: "S2", targetID: "M1", date: d, level: 2.5),
      Evidence(studentID: "S2", targetID: "R1", date: d, level: 1),
    ]
    return s
  }

  static let date = Day("2026-11-25")!

  @Test func jsonIsTheSpecShape() throws {
    let report = try StatusReport(school: Self.school(), date: Self.date)
    #expect(
      report.json() == """
        {
          "date": "2026-11-25",
          "needs": [
            {"student": "S2", "target": "R1", "level": 1.0, "wait": 10, "weight": 45.0},
            {"student": "S2", "target": "M1", "level": 2.5, "wait": 10, "weight": 22.5},
            {"student": "S1", "target": "M1", "level": 1.8, "wait": 10, "weight": 22.0}
          ],
          "targets": [
            {"target": "R1", "subject": "reading", "students": 1, "staff": []},
            {"target": "M1", "subject": "math", "students": 2, "staff": [{"staff": "T1", "blocks": ["B1", "WIN"]}]}
          ]
        }

        """)
  }

  @Test func csvIsTheNeedsTable() throws {
    let report = try StatusReport(school: Self.school(), date: Self.date, student: "S2")
    #expect(
      report.csv() == """
        student,target,level,wait,weight
        S2,R1,1.0,10,45.0
        S2,M1,2.5,10,22.5

        """)
  }

  @Test func filtersRestrictNeedsAndTargets() throws {
    let byStudent = try StatusReport(school: Self.school(), date: Self.date, student: "S1")
    #expect(byStudent.needs.map(\.target) == ["M1"])
    #expect(byStudent.targets.map(\.target) == ["M1"])
    #expect(byStudent.targets.first?.students == 2, "demand counts the whole school")
    let byTarget = try StatusReport(school: Self.school(), date: Self.date, target: "R1")
    #expect(byTarget.needs.map(\.student) == ["S2"])
    #expect(byTarget.targets.map(\.target) == ["R1"])
    let none = try StatusReport(school: Self.school(), date: Self.date, student: "S1", target: "R1")
    #expect(none.needs.isEmpty)
    #expect(none.targets.map(\.students) == [1])
    #expect(none.json().contains("\"needs\": [],"))
  }

  @Test func unknownFilterIdsThrow() {
    #expect(throws: StatusReport.UnknownID.self) {
      try StatusReport(school: Self.school(), date: Self.date, student: "S9")
    }
    do {
      _ = try StatusReport(school: Self.school(), date: Self.date, target: "m1")
    } catch let error as StatusReport.UnknownID {
      #expect(
        error.description == "error: --target \"m1\" is not a target_id in targets.csv; did you mean \"M1\"?")
    } catch {
      Issue.record(error)
    }
  }

  @Test func textIsAlignedTables() throws {
    let text = try StatusReport(school: Self.school(), date: Self.date).text()
    #expect(
      text == """
        Status on 2026-11-25: 3 needs of 2 students on 2 targets

        Targets, heaviest demand first
          TARGET  SUBJECT  STUDENTS  MEAN LEVEL  MEAN WAIT  TOTAL WEIGHT  STAFF (BLOCKS)
          R1      reading         1        1.00       10.0         45.00  nobody can teach it
          M1      math            2        2.15       10.0         44.50  T1 (B1 WIN)

        Needs by student, heaviest first
          STUDENT  TARGET  LEVEL  WAIT  WEIGHT
          S1       M1       1.80    10   22.00
          S2       R1       1.00    10   45.00
                   M1       2.50    10   22.50

        """)
  }

  @Test func numbersPrintStably() {
    #expect(NumberFormat.plain(22) == "22.0")
    #expect(NumberFormat.plain(12.3625) == "12.3625")
    #expect(NumberFormat.plain(0.1 + 0.2) == "0.3")
    #expect(NumberFormat.plain(1.25, decimals: 1) == "1.2" || NumberFormat.plain(1.25, decimals: 1) == "1.3")
    #expect(NumberFormat.plain(-0.0000001) == "0.0")
  }
}
