import Foundation
import LearnerStatus

/// A planned session as the OneRoster export needs it.
public struct ExportedSession: Sendable, Equatable {
  public var block: String
  public var staff: String
  public var target: String
  public var students: [String]
  /// Minutes after midnight.
  public var start: Int
  public var end: Int
  public var subject: String
  public var targetTitle: String
  public var staffName: String

  public init(
    block: String, staff: String, target: String, students: [String], start: Int, end: Int,
    subject: String, targetTitle: String, staffName: String
  ) {
    self.block = block
    self.staff = staff
    self.target = target
    self.students = students
    self.start = start
    self.end = end
    self.subject = subject
    self.targetTitle = targetTitle
    self.staffName = staffName
  }
}

/// The day's sessions as a OneRoster 1.2 CSV set: `classes.csv`, `enrollments.csv`, `manifest.csv` (spec §15).
///
/// Each session is a `scheduled` class (sourcedId `regroup-DATE-BLOCK-STAFF`) whose staff
/// member is its primary teacher and whose students are enrolled for that day alone
/// (`endDate` is exclusive, so it is the next day). Files are RFC 4180 with CRLF line ends.
public enum OneRosterExport {
  public static let classesHeader = [
    "sourcedId", "status", "dateLastModified", "title", "grades", "courseSourcedId", "classCode",
    "classType", "location", "schoolSourcedId", "termSourcedIds", "subjects", "subjectCodes", "periods",
  ]
  public static let enrollmentsHeader = [
    "sourcedId", "status", "dateLastModified", "classSourcedId", "schoolSourcedId", "userSourcedId",
    "role", "primary", "beginDate", "endDate",
  ]

  /// The set's files by name; `school` is the schoolSourcedId the SIS knows the school by.
  public static func files(date: Day, sessions: [ExportedSession], school: String, modified: String)
    -> [String: String]
  {
    var classes: [[String]] = []
    var enrollments: [[String]] = []
    let next = date.adding(days: 1).description
    for s in sessions {
      let id = "regroup-\(date)-\(s.block)-\(s.staff)"
      let title =
        "\(s.target) \(s.targetTitle.isEmpty ? "" : "(\(s.targetTitle)) ")with "
        + "\(s.staffName.isEmpty ? s.staff : s.staffName), \(s.block) \(Block.clock(s.start))–\(Block.clock(s.end))"
      classes.append([
        id, "active", modified, title, "", "regroup-target-\(s.target)", s.block, "scheduled", "",
        school, "regroup-day-\(date)", s.subject, "", s.block,
      ])
      enrollments.append([
        "\(id)-\(s.staff)", "active", modified, id, school, s.staff, "teacher", "true",
        date.description, next,
      ])
      for student in s.students {
        enrollments.append([
          "\(id)-\(student)", "active", modified, id, school, student, "student", "false",
          date.description, next,
        ])
      }
    }
    let manifest = [
      ["manifest.version", "1.0"], ["oneroster.version", "1.2"], ["file.academicSessions", "absent"],
      ["file.categories", "absent"], ["file.classes", "bulk"], ["file.classResources", "absent"],
      ["file.courses", "absent"], ["file.demographics", "absent"], ["file.enrollments", "bulk"],
      ["file.lineItems", "absent"], ["file.orgs", "absent"], ["file.resources", "absent"],
      ["file.results", "absent"], ["file.users", "absent"], ["source.systemName", "Regroup"],
    ]
    return [
      "manifest.csv": csv(["propertyName", "value"], manifest),
      "classes.csv": csv(classesHeader, classes),
      "enrollments.csv": csv(enrollmentsHeader, enrollments),
    ]
  }

  /// RFC 4180 text with CRLF line ends; a cell is quoted when it holds a comma, quote or line break.
  static func csv(_ header: [String], _ rows: [[String]]) -> String {
    func field(_ s: String) -> String {
      s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
        ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
    var out = header.map(field).joined(separator: ",") + "\r\n"
    for row in rows { out += row.map(field).joined(separator: ",") + "\r\n" }
    return out
  }
}
