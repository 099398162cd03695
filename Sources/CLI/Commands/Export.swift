import ArgumentParser
import Foundation
import Interchange
import LearnerStatus
import Planning
import Record
import Reports

/// `regroup export`: each teacher's roster, calendar and printable page for a day (issue 7).
struct Export: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Export the day's plan for teachers: roster CSV, iCalendar, printable HTML.",
    discussion: """
      THE PLAN, in this order: --plan PLAN.json (as `regroup plan --format json`
      prints it); else the plan published for the day in the school's record;
      else a fresh plan, made as `regroup plan` would (a note on stderr says so;
      it is not published). The day is --date, else the plan file's date, else
      school.toml's. A --date that disagrees with --plan's date is an error.

      THE SCHOOL (names, titles, block times) comes from the record when there
      is one (--db PATH, else FOLDER/regroup.db), else from FOLDER's CSV files.
      Without FOLDER the record is --db, else $REGROUP_DB, else ./regroup.db,
      and it must exist.

      FORMATS (give one or more):
        --roster  CSV, one row per student placed with the staff member: date,
                  block, start, end, target, target_title, student_id,
                  given_name, family_name. RFC 4180 quoting, LF line ends; a
                  cell starting with = + - @ tab or CR gets a leading ' so a
                  spreadsheet never runs it as a formula.
        --ics     iCalendar (RFC 5545): one event per session, in the school's
                  local (floating) time, UID DATE-BLOCK-STAFF@regroup, the
                  target and the students in the description. A staff member
                  without sessions gets a calendar with no events.
        --html    A printable, self-contained day sheet: the groups block by
                  block, then one printed page per staff member who leads a
                  session (staff members without one are listed, no page).

        --oneroster DIR
                  The day's sessions as a OneRoster 1.2 CSV set in DIR (made
                  if missing): classes.csv (each session a scheduled class,
                  sourcedId regroup-DATE-BLOCK-STAFF, subjects the target's
                  subject), enrollments.csv (its staff member as primary
                  teacher, its students; beginDate the day, endDate the next,
                  exclusive) and manifest.csv. --school-sourced-id names the
                  school's org in the SIS (default: regroup).

      OUTPUT. Without -o the export goes to stdout: one format only, and
      --roster or --ics only with --staff. With -o, OUT is a directory (made
      if missing), except with --staff and one format when OUT is neither an
      existing directory nor ends in /: then OUT is the file. A directory
      gets ID.csv and ID.ics for every staff member of the school (or only
      --staff's), and day.html (ID.html with --staff); characters of an id
      other than letters, digits, . _ and - become _ in file names. Existing
      files are replaced.

      --staff ID restricts the export to one staff member: one of the
      school's, or one the plan file names. The HTML is then that staff
      member's page alone.

      EXIT STATUS
        0   exported
        1   bad input: unknown staff id, unreadable plan or school, no record
        2   no plan: a fresh plan is infeasible, or ran out of time first
        64  a malformed command line
      """)

  @Argument(help: "The school folder (optional with --db or $REGROUP_DB).")
  var folder: String?

  @Option(help: ArgumentHelp("The school's record (default: FOLDER/regroup.db).", valueName: "PATH"))
  var db: String?

  @Option(
    help: ArgumentHelp(
      "The day (default: the plan file's date, else school.toml's).", valueName: "YYYY-MM-DD"))
  var date: Day?

  @Flag(help: "Per-staff roster CSV.")
  var roster = false

  @Flag(help: "Per-staff iCalendar (.ics).")
  var ics = false

  @Flag(help: "Printable HTML day sheet.")
  var html = false

  @Option(help: ArgumentHelp("Write the day's sessions as a OneRoster 1.2 set here.", valueName: "DIR"))
  var oneroster: String?

  @Option(help: ArgumentHelp("The schoolSourcedId for --oneroster.", valueName: "ID"))
  var schoolSourcedId = "regroup"

  @Option(help: ArgumentHelp("Only this staff member.", valueName: "ID"))
  var staff: String?

  @Option(
    help: ArgumentHelp(
      "Export this plan file instead of the published or a fresh plan.", valueName: "PLAN.json"))
  var plan: String?

  @Option(
    name: .shortAndLong,
    help: ArgumentHelp("Write to this directory (or file; see OUTPUT).", valueName: "OUT")
  )
  var output: String?

  @Option(help: "Seconds for a fresh plan, when one is needed.")
  var timeLimit: Double = 60

  enum Format: String, CaseIterable {
    case roster, ics, html
  }

  var formats: [Format] {
    var list: [Format] = []
    if roster { list.append(.roster) }
    if ics { list.append(.ics) }
    if html { list.append(.html) }
    return list
  }

  func validate() throws {
    guard !formats.isEmpty || oneroster != nil else {
      throw ValidationError("give at least one of --roster, --ics, --html, --oneroster DIR")
    }
    guard timeLimit > 0, timeLimit.isFinite else {
      throw ValidationError("--time-limit must be a number of seconds > 0")
    }
    if output == nil, !formats.isEmpty {
      guard formats.count == 1 else {
        throw ValidationError("more than one format needs -o DIR (stdout takes one)")
      }
      if staff == nil, formats != [.html] {
        throw ValidationError(
          "--\(formats[0].rawValue) for every staff member needs -o DIR (or give --staff ID)")
      }
    }
  }

  func run() throws {
    let (plan, school) = try loadPlanAndSchool()
    if let oneroster { try writeOneRoster(plan, school, to: oneroster) }
    if formats.isEmpty { return }
    let names = DayDirectory(plan: plan, school: school)

    func render(_ format: Format, _ staffID: String) -> String {
      switch format {
      case .roster: return RosterCSV.render(plan, school: school, staff: staffID)
      case .ics: return ICalendar.render(plan, school: school, staff: staffID)
      case .html: return DaySheetHTML.render(plan, school: school, staff: staffID)
      }
    }

    guard let output else {
      // validate() allows stdout only for one format, with --staff or for --html.
      let format = formats[0]
      let text = staff.map { render(format, $0) } ?? DaySheetHTML.render(plan, school: school)
      try emit(text, to: nil)
      return
    }

    var isDirectory: ObjCBool = false
    let exists = FileManager.default.fileExists(atPath: output, isDirectory: &isDirectory)
    if let staff, formats.count == 1, !(exists && isDirectory.boolValue), !output.hasSuffix("/") {
      try emit(render(formats[0], staff), to: output)
      return
    }

    do {
      try FileManager.default.createDirectory(
        at: URL(fileURLWithPath: output), withIntermediateDirectories: true)
    } catch {
      printError("\(output): error: cannot make the directory: \(error.localizedDescription)")
      throw ExitCode(1)
    }
    let people = staff.map { [$0] } ?? names.staffOrder
    var files: [(name: String, text: String)] = []
    for format in formats {
      switch format {
      case .roster, .ics:
        let ext = format == .roster ? "csv" : "ics"
        files += people.map { (Self.fileName($0) + "." + ext, render(format, $0)) }
      case .html:
        files.append(
          staff.map { (Self.fileName($0) + ".html", render(.html, $0)) }
            ?? ("day.html", DaySheetHTML.render(plan, school: school)))
      }
    }
    var seen: [String: String] = [:]
    for (id, name) in people.map({ ($0, Self.fileName($0)) }) {
      if let other = seen[name] {
        printError("error: staff ids \(other) and \(id) would share the file name \(name)")
        throw ExitCode(1)
      }
      seen[name] = id
    }
    for file in files {
      try emit(file.text, to: URL(fileURLWithPath: output).appendingPathComponent(file.name).path)
    }
  }

  /// `--oneroster DIR`: classes.csv, enrollments.csv and manifest.csv of the day's sessions.
  func writeOneRoster(_ plan: Planning.Plan, _ school: School, to directory: String) throws {
    let blocks = Dictionary(school.blocks.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let targets = Dictionary(school.targets.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let staff = Dictionary(school.staff.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    let sessions = plan.sessions.map { s in
      ExportedSession(
        block: s.block, staff: s.staff, target: s.target, students: s.students,
        start: blocks[s.block]?.start ?? 0, end: blocks[s.block]?.end ?? 0,
        subject: targets[s.target]?.subject ?? "", targetTitle: targets[s.target]?.title ?? "",
        staffName: staff[s.staff]?.name ?? "")
    }
    let now = Date().timeIntervalSince1970
    let day = Day(ordinal: Int((now / 86_400).rounded(.down)))
    let seconds = Int(now) - day.ordinal * 86_400
    func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
    let modified = "\(day)T\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60)).000Z"
    let files = OneRosterExport.files(
      date: plan.date, sessions: sessions, school: schoolSourcedId, modified: modified)
    do {
      try FileManager.default.createDirectory(
        at: URL(fileURLWithPath: directory), withIntermediateDirectories: true)
    } catch {
      printError("\(directory): error: cannot make the directory: \(error.localizedDescription)")
      throw ExitCode(1)
    }
    for (name, text) in files.sorted(by: { $0.key < $1.key }) {
      try emit(text, to: URL(fileURLWithPath: directory).appendingPathComponent(name).path)
    }
  }

  /// A staff id as a file name: letters, digits, `.`, `_` and `-` kept, the rest `_`; never hidden.
  static func fileName(_ id: String) -> String {
    var name = String(
      id.unicodeScalars.map { scalar -> Character in
        let v = scalar.value
        let keep =
          (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
          || scalar == "." || scalar == "_" || scalar == "-"
        return keep ? Character(scalar) : "_"
      })
    if name.isEmpty || name.hasPrefix(".") { name = "_" + name }
    return name
  }

  /// The plan to export and the school it is read against (see the discussion).
  func loadPlanAndSchool() throws -> (Planning.Plan, School) {
    var fromFile: Planning.Plan?
    if let path = plan {
      let decoded: DecodedPlan
      do {
        decoded = try PlanJSON.decode(try Data(contentsOf: URL(fileURLWithPath: path)))
      } catch {
        printError("\(path): error: \(error is PlanFileError ? "\(error)" : "cannot read the file")")
        throw ExitCode(1)
      }
      if let date, date != decoded.date {
        printError("\(path): error: the plan is for \(decoded.date), not --date \(date)")
        throw ExitCode(1)
      }
      fromFile = Planning.Plan(
        date: decoded.date, status: decoded.status ?? .feasible, objective: decoded.objective,
        bound: decoded.bound, sessions: decoded.sessions, requests: decoded.requests ?? [])
    }
    let day = fromFile?.date ?? date

    // The school: the record when there is one, else the folder's files.
    let recordURL: URL?
    if let folder {
      do {
        recordURL = try RecordLocation.existing(db: db, folder: folder)
      } catch let error as SchoolRecordError {
        printError(error.description)
        throw ExitCode(1)
      }
    } else {
      recordURL = RecordLocation.resolve(db: db, folder: nil)
    }
    let loaded: LoadedSchool
    var record: SchoolRecord?
    if let recordURL {
      let store = try openRecord(recordURL)
      loaded = try recordStep { try store.load(date: day) }
      report(loaded.warnings)
      if let folder { report(store.staleFileWarnings(in: URL(fileURLWithPath: folder))) }
      record = store
    } else {
      loaded = try loadSchool(folder ?? ".", date: day)
    }
    // An unknown --staff fails before any planning.
    if let staff, !loaded.school.staff.contains(where: { $0.id == staff }),
      !(fromFile?.sessions.contains { $0.staff == staff } ?? false)
    {
      printError(
        "error: unknown staff id \(staff): not in the school\(fromFile == nil ? "" : " or the plan")")
      throw ExitCode(1)
    }
    if let fromFile { return (fromFile, loaded.school) }

    if let record, let published = try recordStep({ try record.publishedPlan(on: loaded.date) }) {
      return (published, loaded.school)
    }
    printError(
      record == nil
        ? "note: exporting a fresh plan for \(loaded.date) (the folder has no record to publish to)"
        : "note: no plan published for \(loaded.date): exporting a fresh plan (not published; "
          + "`regroup plan --publish` stores one)")
    let fresh: Planning.Plan
    do {
      fresh = try Planner(options: PlanOptions(timeLimit: timeLimit)).plan(loaded.school, date: loaded.date)
    } catch {
      printError("error: planning failed: \(error)")
      throw ExitCode(1)
    }
    if fresh.status == .infeasible || fresh.status == .timeout {
      printError(
        "error: no plan for \(loaded.date): "
          + (fresh.status == .infeasible
            ? "the day is infeasible (see `regroup plan`)" : "the time limit ran out before any plan"))
      throw ExitCode(2)
    }
    return (fresh, loaded.school)
  }
}
