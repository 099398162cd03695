import LearnerStatus
import Planning

/// One staff member's day as an iCalendar file (RFC 5545, `regroup export --ics`).
///
/// One `VEVENT` per session the staff member leads, in the plan's order:
/// - `UID` `DATE-BLOCK-STAFF@regroup` (with `-TARGET` added when a hand-made plan gives
///   the staff member two sessions in one block), so a re-export updates the same events;
/// - `DTSTAMP` is the plan date at 00:00 UTC, so the same plan gives the same bytes;
/// - `DTSTART`/`DTEND` are floating local times (no time zone: the school's wall clock)
///   from the plan date and the block's times; a block the school does not define gives
///   an all-day event;
/// - `SUMMARY` is the target id and title with the student count; `DESCRIPTION` names the
///   target, block, staff member and every student (name and id), one per line.
///
/// Lines end in CRLF and are folded at 75 octets (continuation lines start with a space
/// and never split a UTF-8 character); text values are escaped (`\\`, `\;`, `\,`, `\n`).
/// A staff member without sessions gets a calendar with no events.
public enum ICalendar {
  public static func render(_ plan: Plan, school: School, staff: String) -> String {
    let names = DayDirectory(plan: plan, school: school)
    let sessions = plan.sessions.filter { $0.staff == staff }
    var perBlock: [String: Int] = [:]
    for session in sessions { perBlock[session.block, default: 0] += 1 }

    let date = plan.date
    var calendarName = "Regroup \(date): \(names.staffName(staff))"
    if !school.policy.name.isEmpty { calendarName += ", \(school.policy.name)" }
    var lines = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//Regroup//Regroup export//EN",
      "CALSCALE:GREGORIAN",
      "METHOD:PUBLISH",
      "X-WR-CALNAME:" + text(calendarName),
    ]
    for session in sessions {
      var uid = "\(date)-\(session.block)-\(session.staff)"
      if perBlock[session.block, default: 0] > 1 { uid += "-\(session.target)" }
      lines.append("BEGIN:VEVENT")
      lines.append("UID:" + text(uid + "@regroup"))
      lines.append("DTSTAMP:" + compact(date) + "T000000Z")
      if let block = names.block(session.block) {
        lines.append("DTSTART:" + dateTime(date, minutes: block.start))
        lines.append("DTEND:" + dateTime(date, minutes: max(block.end, block.start)))
      } else {
        lines.append("DTSTART;VALUE=DATE:" + compact(date))
        lines.append("DTEND;VALUE=DATE:" + compact(date.adding(days: 1)))
      }
      let count = session.students.count
      let students = "\(count) student\(count == 1 ? "" : "s")"
      lines.append("SUMMARY:" + text("\(names.targetLabel(session.target)) (\(students))"))
      let range = names.timeRange(session.block, dash: "-")
      var description = [
        "Target: \(names.targetLabel(session.target))",
        "Block: \(session.block)" + (range.isEmpty ? "" : " \(range)"),
        "Staff: \(names.staffName(session.staff))",
        "Students (\(count)):",
      ]
      description += session.students.map { "- " + names.studentLabel($0) }
      lines.append("DESCRIPTION:" + text(description.joined(separator: "\n")))
      lines.append("TRANSP:OPAQUE")
      lines.append("END:VEVENT")
    }
    lines.append("END:VCALENDAR")
    return lines.map(fold).joined()
  }

  /// A TEXT value escaped per RFC 5545 §3.3.11: `\` `;` `,` and line breaks; other
  /// control characters (except tab) become spaces, since the format does not allow them.
  public static func text(_ value: String) -> String {
    var out = ""
    out.unicodeScalars.reserveCapacity(value.unicodeScalars.count)
    var previousCR = false
    for scalar in value.unicodeScalars {
      defer { previousCR = scalar == "\r" }
      switch scalar {
      case "\\": out += "\\\\"
      case ";": out += "\\;"
      case ",": out += "\\,"
      case "\r": out += "\\n"
      case "\n": if !previousCR { out += "\\n" }
      case "\t": out.unicodeScalars.append(scalar)
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          out += " "
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out
  }

  /// One content line folded at 75 octets, each physical line ending in CRLF.
  ///
  /// Continuation lines start with one space (which counts toward their 75 octets); a
  /// break never falls inside a UTF-8 sequence.
  public static func fold(_ line: String) -> String {
    var out = ""
    var octets = 0
    for scalar in line.unicodeScalars {
      let width = UTF8.width(scalar)
      if octets + width > 75 {
        out += "\r\n "
        octets = 1
      }
      out.unicodeScalars.append(scalar)
      octets += width
    }
    return out + "\r\n"
  }

  /// `YYYYMMDD`.
  static func compact(_ day: Day) -> String {
    day.description.replacingOccurrences(of: "-", with: "")
  }

  /// `YYYYMMDDTHHMMSS` (floating) for minutes after midnight of `day`; 24:00 and later
  /// roll over to the next day.
  static func dateTime(_ day: Day, minutes: Int) -> String {
    let rolled = day.adding(days: minutes / 1440)
    let rest = minutes % 1440
    let clock = Block.clock(rest).replacingOccurrences(of: ":", with: "")
    return compact(rolled) + "T" + clock + "00"
  }
}
