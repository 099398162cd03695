import Foundation
import Hummingbird
import Logging
import Record

/// How `regroup serve` runs: which record, where it listens, where scenario files are.
public struct WebConfiguration: Sendable {
  /// The school's record (spec §8).
  public var record: URL
  public var host: String
  public var port: Int
  /// A folder of scenario files (`*.toml`, spec §9) the principal can choose from; nil: none.
  public var scenarios: URL?
  /// Seconds a plan made from the web page may take (as `regroup plan --time-limit`).
  public var planTimeLimit: Double

  public init(
    record: URL, host: String = "127.0.0.1", port: Int = 8080, scenarios: URL? = nil,
    planTimeLimit: Double = 60
  ) {
    self.record = record
    self.host = host
    self.port = port
    self.scenarios = scenarios
    self.planTimeLimit = planTimeLimit
  }
}

/// What every request handler shares: the record, the signing key, the templates, running jobs.
public final class WebState: Sendable {
  public let configuration: WebConfiguration
  public let record: SchoolRecord
  /// Signs session cookies and derives CSRF tokens; kept in the record so restarts keep sessions.
  let signer: Signer
  let templates: Templates
  let jobs = JobBoard()
  /// Expensive pages' data until the record changes.
  let cache = PageCache()

  /// Opens the record (which must exist) and prepares the templates.
  public init(_ configuration: WebConfiguration) throws {
    self.configuration = configuration
    self.record = try SchoolRecord.open(at: configuration.record)
    self.signer = Signer(key: try record.secret(named: "web-session"))
    self.templates = try Templates()
  }
}

/// The web app: routes, middleware and the Hummingbird application around them.
public enum WebApp {
  /// The router with every page (used by `application` and by the HTTP tests).
  public static func router(_ state: WebState) -> Router<AppContext> {
    let router = Router(context: AppContext.self)
    // Outer: errors of the session check itself (401, a bad CSRF token); inner: the pages'
    // errors, rendered with the signed-in person's navigation.
    router.add(middleware: ErrorPages(state: state))
    router.add(middleware: SessionMiddleware(state: state))
    router.add(middleware: ErrorPages(state: state))
    StaticFiles.addRoutes(to: router)
    SignInPages.addRoutes(to: router, state: state)
    TeacherPages.addRoutes(to: router, state: state)
    SchedulerPages.addRoutes(to: router, state: state)
    PrincipalPages.addRoutes(to: router, state: state)
    return router
  }

  /// The application `regroup serve` runs; it logs only its own start (never request details).
  public static func application(_ state: WebState) -> some ApplicationProtocol {
    var logger = Logger(label: "regroup.serve")
    logger.logLevel = .notice
    return Application(
      router: router(state),
      configuration: .init(
        address: .hostname(state.configuration.host, port: state.configuration.port),
        serverName: "regroup"),
      logger: logger)
  }
}
