import Foundation
import Hummingbird
import LearnerStatus
import Planning
import Reports

/// What a finished job produced.
public enum JobResult: Sendable {
  /// A plan made from the web page (not yet published), for its day.
  case plan(Plan)
  /// A re-plan of a published day (spec §13), made from version `base` of its published plan.
  case replan(Plan, base: Int)
  /// A simulation's comparison report: the self-contained HTML page and its JSON.
  case report(html: String, json: String)
}

extension JobResult {
  /// The plan of a plan or re-plan job, with the published version a re-plan started from.
  var planned: (plan: Plan, base: Int?)? {
    switch self {
    case .plan(let plan): return (plan, nil)
    case .replan(let plan, let base): return (plan, base)
    case .report: return nil
    }
  }
}

/// A long-running job's state as a page shows it.
public struct JobSnapshot: Sendable {
  public enum State: Sendable, Equatable { case running, done, failed(String) }
  public var id: String
  public var kind: String
  /// The grant that started it; only that person's role may look at it.
  public var owner: Int64
  /// What the job does, in words, for its pages ("10 days, seed 1: base, One more …").
  public var what: String
  public var startedAt: Date
  /// The latest progress line ("best 29,170 · bound 29,501 · gap 1.1 % · 12 s").
  public var line: String
  public var state: State
  public var result: JobResult?
}

/// Plans and simulations running in the background, on their own threads (never on the
/// server's event loops), with their latest progress line and result.
///
/// ```swift
/// let id = await state.jobs.start(kind: "plan", owner: person.grant.id) { progress in
///   progress("reading the record")
///   return .plan(try Planner(options: options).plan(school, date: day))
/// }
/// ```
public actor JobBoard {
  private var jobs: [String: JobSnapshot] = [:]
  private var order: [String] = []
  /// Finished jobs kept for their pages; older ones are forgotten.
  private let keep = 20

  public init() {}

  /// Starts `work` on a new thread; returns the job's unguessable id at once.
  public func start(
    kind: String, owner: Int64, what: String = "",
    work: @escaping @Sendable (_ progress: @escaping @Sendable (String) -> Void) throws -> JobResult
  ) -> String {
    let id = randomNonce()
    jobs[id] = JobSnapshot(
      id: id, kind: kind, owner: owner, what: what, startedAt: Date(), line: "starting", state: .running,
      result: nil)
    order.append(id)
    forgetOld()
    let board = self
    let thread = Thread {
      let progress: @Sendable (String) -> Void = { line in
        Task { await board.update(id, line: line) }
      }
      do {
        let result = try work(progress)
        Task { await board.finish(id, .done, result) }
      } catch {
        Task { await board.finish(id, .failed(JobBoard.describe(error)), nil) }
      }
    }
    thread.stackSize = 16 << 20
    thread.start()
    return id
  }

  /// Starts `work` unless a job of `kind` is running already, checked and started in one step
  /// (two forms sent at once start one job): the id of the job that runs, and whether it is new.
  public func startUnlessRunning(
    kind: String, owner: Int64, what: String = "",
    work: @escaping @Sendable (_ progress: @escaping @Sendable (String) -> Void) throws -> JobResult
  ) -> (id: String, started: Bool) {
    if let job = running(kind: kind) { return (job.id, false) }
    return (start(kind: kind, owner: owner, what: what, work: work), true)
  }

  /// The job's current state, or nil when there is no such job (or it was forgotten).
  public func snapshot(_ id: String) -> JobSnapshot? { jobs[id] }

  /// The newest job of `kind` still running, if any (one plan at a time, for example).
  public func running(kind: String) -> JobSnapshot? {
    order.reversed().compactMap { jobs[$0] }.first { $0.kind == kind && $0.state == .running }
  }

  /// The newest jobs of `kind`, newest first.
  public func recent(kind: String) -> [JobSnapshot] {
    order.reversed().compactMap { jobs[$0] }.filter { $0.kind == kind }
  }

  private func update(_ id: String, line: String) {
    guard jobs[id]?.state == .running else { return }
    jobs[id]?.line = line
  }

  private func finish(_ id: String, _ state: JobSnapshot.State, _ result: JobResult?) {
    jobs[id]?.state = state
    jobs[id]?.result = result
  }

  private func forgetOld() {
    while order.count > keep, let oldest = order.first(where: { jobs[$0]?.state != .running }) {
      order.removeAll { $0 == oldest }
      jobs[oldest] = nil
    }
  }

  /// A failure in plain words for the page (input errors list their diagnostics).
  static func describe(_ error: any Error) -> String {
    if let error = error as? InputError {
      return error.diagnostics.map(\.description).joined(separator: "\n")
    }
    return "\(error)"
  }
}

/// A progress page's poll answer: `{"done": …, "line": …}` (see `StaticFiles.script`).
func progressJSON(_ job: JobSnapshot) -> Response {
  json("{\"done\":\(job.state != .running),\"line\":\(JSONText.string(job.line))}")
}
