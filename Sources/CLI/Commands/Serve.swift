import ArgumentParser
import Foundation
import Hummingbird
import Record
import Web

/// `regroup serve`: the school's web app over the record, for people who never open a terminal.
struct Serve: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Serve the school's web app: teachers, the scheduler and the principal sign in by link.",
    discussion: """
      Serves pages from the record (--db PATH, else $REGROUP_DB, else ./regroup.db) on
      http://HOST:PORT. Give each person their link with `regroup access issue`. Nothing is
      fetched from or sent to anywhere else. Stop it with Ctrl-C.

      EXIT STATUS
        0   stopped
        1   no record, or the address is in use
      """)

  @Option(help: "The address to listen on (default: this machine only).")
  var host: String = "127.0.0.1"

  @Option(help: "The port to listen on.")
  var port: Int = 8080

  @Option(
    help: ArgumentHelp(
      "A folder of scenario files (*.toml) the principal can choose from (default: ./scenarios when there is one).",
      valueName: "DIR"))
  var scenarios: String?

  @Option(help: ArgumentHelp("Seconds a plan made on the web page may take.", valueName: "S"))
  var timeLimit: Double = 60

  @OptionGroup var record: RecordOption

  func validate() throws {
    guard (1...65_535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
    guard timeLimit > 0 else { throw ValidationError("--time-limit must be positive") }
  }

  func run() async throws {
    let url = record.url
    _ = try openRecord(url)  // says where it looked and how to make one when missing
    var folder: URL? = scenarios.map { URL(fileURLWithPath: $0) }
    if folder == nil {
      let candidate = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        .appendingPathComponent("scenarios")
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory),
        isDirectory.boolValue
      {
        folder = candidate
      }
    }
    let state: WebState
    do {
      state = try WebState(
        WebConfiguration(record: url, host: host, port: port, scenarios: folder, planTimeLimit: timeLimit))
    } catch let error as SchoolRecordError {
      printError(error.description)
      throw ExitCode(1)
    }
    printError("serving \(url.lastPathComponent) on http://\(host):\(port)/ (Ctrl-C stops)")
    do {
      try await WebApp.application(state).runService()
    } catch {
      printError("error: cannot serve on \(host):\(port): \(error)")
      throw ExitCode(1)
    }
  }
}
