import ArgumentParser
import Foundation
import Record

/// `regroup access issue|revoke|list`: personal sign-in links for the web app (spec §10).
struct AccessCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "access",
    abstract: "Issue, revoke or list the personal sign-in links of `regroup serve`.",
    discussion: """
      Each staff member, the scheduler and the principal get a personal link. Only a hash
      of each link's token is stored; issuing a new link for a person revokes their
      earlier ones. The record is --db PATH, else $REGROUP_DB, else ./regroup.db.
      """,
    subcommands: [IssueAccess.self, RevokeAccess.self, ListAccess.self])
}

/// Who a link is for: `--staff ID`, or `--role scheduler|principal --name N`.
struct AccessPerson: ParsableArguments {
  @Option(help: ArgumentHelp("A staff member (teacher, interventionist, specialist).", valueName: "ID"))
  var staff: String?

  @Option(help: ArgumentHelp("scheduler or principal (with --name).", valueName: "ROLE"))
  var role: AccessRole?

  @Option(help: ArgumentHelp("The scheduler's or principal's name.", valueName: "NAME"))
  var name: String?

  func validate() throws {
    switch (staff, role, name) {
    case (.some, nil, nil): return
    case (nil, .some(let role), .some) where role != .staff: return
    case (nil, .some(.staff), _): throw ValidationError("a staff member's link is given with --staff ID")
    case (nil, .some, nil): throw ValidationError("--role needs --name NAME")
    case (nil, nil, .some): throw ValidationError("--name needs --role scheduler|principal")
    case (nil, nil, nil):
      throw ValidationError("say who: --staff ID, or --role scheduler|principal --name NAME")
    default: throw ValidationError("give either --staff ID or --role ROLE --name NAME, not both")
    }
  }
}

extension AccessRole: ExpressibleByArgument {}

struct IssueAccess: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "issue",
    abstract: "Print a person's new sign-in link (their earlier links stop working).",
    discussion: """
      Prints one line, http://127.0.0.1:8080/signin/TOKEN (or --base-url's). Hand the link
      to its person only: it signs them in. Run `regroup access revoke` when it is lost.

      EXIT STATUS
        0   the link on stdout
        1   an unknown staff id, or no record; nothing changed
      """)

  @OptionGroup var person: AccessPerson

  @Option(
    help: ArgumentHelp(
      "Where `regroup serve` is reached (default: http://127.0.0.1:8080).", valueName: "URL"))
  var baseURL: String = "http://127.0.0.1:8080"

  @OptionGroup var record: RecordOption

  func run() throws {
    let store = try openRecord(record.url)
    let (_, token) = try recordStep {
      if let staff = person.staff { return try store.issueAccess(staff: staff) }
      return try store.issueAccess(role: person.role!, name: person.name!)
    }
    var base = baseURL
    while base.hasSuffix("/") { base.removeLast() }
    try emit("\(base)/signin/\(token)\n", to: nil)
  }
}

struct RevokeAccess: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "revoke",
    abstract: "Revoke a person's sign-in links; their open sessions end at once.",
    discussion: """
      EXIT STATUS
        0   revoked
        1   the person has no active link, or no record
      """)

  @OptionGroup var person: AccessPerson
  @OptionGroup var record: RecordOption

  func run() throws {
    let store = try openRecord(record.url)
    let count = try recordStep {
      if let staff = person.staff { return try store.revokeAccess(staff: staff) }
      return try store.revokeAccess(role: person.role!, name: person.name!)
    }
    printError("revoked \(count) link\(count == 1 ? "" : "s")")
  }
}

struct ListAccess: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the links issued: who, when, revoked or not (never the tokens).")

  @OptionGroup var record: RecordOption

  func run() throws {
    let store = try openRecord(record.url)
    let grants = try recordStep { try store.accessGrants() }
    let rows = grants.map { g in
      [g.role.rawValue, g.staffID ?? "", g.name, g.issuedAt, g.revokedAt.map { "revoked \($0)" } ?? "active"]
    }
    try emit(textTable(["role", "staff", "name", "issued", "state"], rows), to: nil)
  }
}
