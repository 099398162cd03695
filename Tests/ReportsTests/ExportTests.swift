import Foundation
import LearnerStatus
import Planning
import Testing

@testable import Reports

/// The teachers' exports: iCalendar folding and escaping, roster CSV, the printable day sheet.
@Suite struct ExportTests {
  static let day = Day("2026-11-25")!

  static let school = School(
    policy: {
      var policy = Policy()
      policy.name = "Hill & Dale School"
      return policy
    }(),
    students: [
      Student(id: "S1", givenName: "Léna", familyName: "Rossi"),
      Student(id: "S2", givenName: "Theo", familyName: "Johnson, Jr."),
      Student(id: "S3", givenName: "=HYPERLINK(\"http://x\")", familyName: "-1+1"),
      Student(id: "S4", givenName: "<script>alert(1)</script>", familyName: "O'Neil \"Bo\""),
      Student(id: "S5", givenName: "@home", familyName: "\tTab"),
    ],
    targets: [
      Target(id: "M1", subject: "math", title: "Fractions; halves, thirds"),
      Target(id: "R1", subject: "reading", title: "Main idea\\details"),
    ],
    staff: [
      StaffMember(id: "T1", name: "Ms. Ñúñez", maxGroupSize: 6, maxMinutes: 200),
      StaffMember(id: "T2", name: "Mr. <b>Bold</b>", maxGroupSize: 6, maxMinutes: 200),
      StaffMember(id: "T3", name: "Idle Teacher", maxGroupSize: 6, maxMinutes: 200),
    ],
    blocks: [
      Block(id: "B1", start: 540, end: 570), Block(id: "B2", start: 615, end: 645),
      Block(id: "WIN", start: 780, end: 820),
    ])

  static let plan = Plan(
    date: day, status: .optimal, objective: 10, bound: 10,
    sessions: [
      Session(block: "B1", staff: "T1", target: "M1", students: ["S1", "S2", "S3"]),
      Session(block: "B1", staff: "T2", target: "R1", students: ["S4"]),
      Session(block: "B2", staff: "T1", target: "R1", students: ["S4", "S5"]),
      Session(block: "WIN", staff: "T2", target: "M1", students: ["S1", "S5"]),
    ],
    requests: [])

  /// The physical lines of an iCalendar text, split on CRLF (the last, empty, dropped).
  static func physicalLines(_ text: String) -> [[UInt8]] {
    var lines: [[UInt8]] = [[]]
    let bytes = Array(text.utf8)
    var i = 0
    while i < bytes.count {
      if bytes[i] == 13, i + 1 < bytes.count, bytes[i + 1] == 10 {
        lines.append([])
        i += 2
      } else {
        lines[lines.count - 1].append(bytes[i])
        i += 1
      }
    }
    if lines.last?.isEmpty == true { lines.removeLast() }
    return lines
  }

  /// RFC 5545 §3.1 unfolding: every CRLF followed by one space or tab goes.
  static func unfold(_ text: String) -> String {
    text.replacingOccurrences(of: "\r\n ", with: "").replacingOccurrences(of: "\r\n\t", with: "")
  }

  /// The reverse of `ICalendar.text`.
  static func unescape(_ value: String) -> String {
    var out = ""
    var escaped = false
    for c in value {
      if escaped {
        out.append(c == "n" || c == "N" ? "\n" : c)
        escaped = false
      } else if c == "\\" {
        escaped = true
      } else {
        out.append(c)
      }
    }
    return out
  }

  /// Every line ends in CRLF, none is longer than 75 octets, and each is whole UTF-8.
  static func expectWellFormed(_ text: String) {
    #expect(text.hasSuffix("\r\n"))
    let bytes = Array(text.utf8)
    for (i, b) in bytes.enumerated() where b == 10 {
      #expect(i > 0 && bytes[i - 1] == 13, "bare LF at byte \(i)")
    }
    for (i, b) in bytes.enumerated() where b == 13 {
      #expect(i + 1 < bytes.count && bytes[i + 1] == 10, "bare CR at byte \(i)")
    }
    for line in physicalLines(text) {
      #expect(line.count <= 75, "line of \(line.count) octets")
      #expect(String(bytes: line, encoding: .utf8) != nil, "a line splits a UTF-8 character")
    }
  }
}

// MARK: - iCalendar

extension ExportTests {
  @Test func foldsLongAccentedTextAtSeventyFiveOctetsAndUnfoldsExactly() {
    // 200 characters of 1-, 2-, 3- and 4-octet UTF-8, so that naive 75-octet cuts land inside characters.
    let pieces = ["é", "a", "–", "ü", "🙂", "Ñ", "b", "漢"]
    let value = String((0..<200).map { Character(pieces[($0 * 7 + $0 / 3) % pieces.count]) })
    #expect(value.count == 200)
    let line = "DESCRIPTION:" + ICalendar.text(value)
    let folded = ICalendar.fold(line)
    Self.expectWellFormed(folded)
    #expect(Self.physicalLines(folded).count > 3)
    #expect(Self.physicalLines(folded).dropFirst().allSatisfy { $0.first == 32 })
    let unfolded = Self.unfold(folded)
    #expect(unfolded == line + "\r\n")
    // "\r\n" is one Character, so one dropLast() removes the line end.
    #expect(Self.unescape(String(unfolded.dropFirst("DESCRIPTION:".count).dropLast())) == value)

    // Every length up to a few lines: a short line stays whole; a long one fills each line.
    for n in 0..<300 {
      let text = String(repeating: "x", count: n)
      let out = ICalendar.fold(text)
      Self.expectWellFormed(out)
      #expect(Self.unfold(out) == text + "\r\n")
      let lines = Self.physicalLines(out)
      #expect(lines.dropLast().allSatisfy { $0.count == 75 })
    }
  }

  @Test func escapesTextValues() {
    #expect(ICalendar.text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne")
    #expect(ICalendar.text("one\r\ntwo\rthree") == "one\\ntwo\\nthree")
    #expect(ICalendar.text("tab\there\u{07}bell") == "tab\there bell")
    #expect(Self.unescape(ICalendar.text("x,;\\\n,y")) == "x,;\\\n,y")
  }

  @Test func oneEventPerSessionWithStableUIDsAndTimes() {
    let ics = ICalendar.render(Self.plan, school: Self.school, staff: "T1")
    Self.expectWellFormed(ics)
    let text = Self.unfold(ics)
    let lines = text.components(separatedBy: "\r\n")
    #expect(lines.first == "BEGIN:VCALENDAR")
    #expect(lines.contains("VERSION:2.0"))
    #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == 2)
    #expect(lines.filter { $0 == "END:VEVENT" }.count == 2)
    #expect(lines.contains("UID:2026-11-25-B1-T1@regroup"))
    #expect(lines.contains("UID:2026-11-25-B2-T1@regroup"))
    #expect(lines.filter { $0 == "DTSTAMP:20261125T000000Z" }.count == 2)
    #expect(lines.contains("DTSTART:20261125T090000"))
    #expect(lines.contains("DTEND:20261125T093000"))
    #expect(lines.contains("DTSTART:20261125T101500"))
    #expect(lines.contains("DTEND:20261125T104500"))
    #expect(lines.contains("SUMMARY:M1 Fractions\\; halves\\, thirds (3 students)"))
    let description = lines.first { $0.hasPrefix("DESCRIPTION:Target: M1") }.map {
      Self.unescape(String($0.dropFirst("DESCRIPTION:".count)))
    }
    #expect(
      description
        == """
        Target: M1 Fractions; halves, thirds
        Block: B1 09:00-09:30
        Staff: Ms. Ñúñez (T1)
        Students (3):
        - Léna Rossi (S1)
        - Theo Johnson, Jr. (S2)
        - =HYPERLINK("http://x") -1+1 (S3)
        """)
    // The same plan gives the same bytes.
    #expect(ICalendar.render(Self.plan, school: Self.school, staff: "T1") == ics)

    let idle = ICalendar.render(Self.plan, school: Self.school, staff: "T3")
    #expect(!idle.contains("BEGIN:VEVENT"))
    #expect(idle.hasPrefix("BEGIN:VCALENDAR\r\n") && idle.hasSuffix("END:VCALENDAR\r\n"))
  }

  @Test func oddPlansStillGiveValidEvents() {
    // Two sessions of one staff member in one block (a hand-made plan) and a block the school lacks.
    let plan = Plan(
      date: Self.day, status: .feasible, objective: nil, bound: nil,
      sessions: [
        Session(block: "B1", staff: "T1", target: "M1", students: ["S1"]),
        Session(block: "B1", staff: "T1", target: "R1", students: ["S2"]),
        Session(block: "LATE", staff: "T1", target: "M1", students: ["S3"]),
      ], requests: [])
    let lines = Self.unfold(ICalendar.render(plan, school: Self.school, staff: "T1"))
      .components(separatedBy: "\r\n")
    let uids = lines.filter { $0.hasPrefix("UID:") }
    #expect(uids.count == 3 && Set(uids).count == 3)
    #expect(lines.contains("DTSTART;VALUE=DATE:20261125"))
    #expect(lines.contains("DTEND;VALUE=DATE:20261126"))
    #expect(ICalendar.dateTime(Self.day, minutes: 1440) == "20261126T000000")
    #expect(ICalendar.dateTime(Day("2026-12-31")!, minutes: 1500) == "20270101T010000")
  }
}

// MARK: - Roster CSV

extension ExportTests {
  @Test func rosterQuotesNamesAndDisarmsFormulas() {
    let csv = RosterCSV.render(Self.plan, school: Self.school, staff: "T1")
    let expected = [
      "date,block,start,end,target,target_title,student_id,given_name,family_name",
      #"2026-11-25,B1,09:00,09:30,M1,"Fractions; halves, thirds",S1,Léna,Rossi"#,
      #"2026-11-25,B1,09:00,09:30,M1,"Fractions; halves, thirds",S2,Theo,"Johnson, Jr.""#,
      #"2026-11-25,B1,09:00,09:30,M1,"Fractions; halves, thirds",S3,"'=HYPERLINK(""http://x"")",'-1+1"#,
      #"2026-11-25,B2,10:15,10:45,R1,Main idea\details,S4,<script>alert(1)</script>,"O'Neil ""Bo""""#,
      "2026-11-25,B2,10:15,10:45,R1,Main idea\\details,S5,'@home,'\tTab",
    ]
    #expect(csv == expected.joined(separator: "\n") + "\n")
    #expect(RosterCSV.render(Self.plan, school: Self.school, staff: "T3") == RosterCSV.header + "\n")
  }
}

// MARK: - HTML day sheet

extension ExportTests {
  @Test func daySheetEscapesNamesAndHoldsEverySession() {
    let html = DaySheetHTML.render(Self.plan, school: Self.school)
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(!html.contains("<script"))
    #expect(!html.contains("<b>Bold"))
    #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    #expect(html.contains("O&#39;Neil &quot;Bo&quot;"))
    #expect(html.contains("Mr. &lt;b&gt;Bold&lt;/b&gt; (T2)"))
    #expect(html.contains("Hill &amp; Dale School"))
    // Self-contained: nothing to fetch, nothing to run.
    for marker in ["src=", "href=", "@import", "url(", "<link", "<iframe"] {
      #expect(!html.contains(marker), "\(marker)")
    }
    #expect(html.contains("@media print"))
    #expect(html.contains("break-before: page"))

    // Every session, in the block overview and on its staff member's page.
    let overview = html.components(separatedBy: "<section class=\"staff-page\">")
    #expect(overview.count == 3, "one page per staff member with sessions (T3 has none)")
    for session in Self.plan.sessions {
      let row = overview[0].components(separatedBy: "<tr>").first {
        $0.contains("(\(session.staff))</td>") && $0.contains(">\(session.target)</span>")
      }
      #expect(row != nil, "no overview row for \(session)")
      for student in session.students {
        #expect(row?.contains(">\(student)</span>") == true, "\(student) missing from \(session)")
      }
      let page = overview.dropFirst().first { $0.contains("(\(session.staff))</h1>") }
      #expect(page?.contains("<span class=\"block-id\">\(session.block)</span>") == true)
      for student in session.students {
        #expect(page?.contains("<td class=\"id\">\(student)</td>") == true)
      }
    }
    #expect(html.contains("No session today: Idle Teacher (T3)."))
    #expect(DaySheetHTML.render(Self.plan, school: Self.school) == html)
  }

  @Test func daySheetForOneStaffMember() {
    let html = DaySheetHTML.render(Self.plan, school: Self.school, staff: "T2")
    #expect(html.components(separatedBy: "<section class=\"staff-page\">").count == 2)
    #expect(!html.contains("class=\"overview\""))
    #expect(html.contains("<td class=\"id\">S4</td>"))
    #expect(!html.contains("<td class=\"id\">S2</td>"))
  }

  @Test func htmlEscape() {
    #expect(DaySheetHTML.escape("a<b>&\"c'") == "a&lt;b&gt;&amp;&quot;c&#39;")
  }
}
