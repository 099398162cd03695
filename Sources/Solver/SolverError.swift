/// A failure of a solver call (not a status: infeasible or time-limited solves are results).
public struct SolverError: Error, CustomStringConvertible, Sendable {
  enum Kind: Sendable, Equatable {
    /// A GLPK routine returned a failure code.
    case glpk(routine: String, code: Int32)
    /// GLPK raised a fatal error; its environment on this thread was freed.
    case fatal(String)
    /// The model or options were rejected before any GLPK call.
    case invalidModel(String)
  }

  let kind: Kind
  /// What GLPK printed, when it explains the failure.
  let detail: String?

  init(_ kind: Kind, detail: String? = nil) {
    self.kind = kind
    self.detail = detail
  }

  /// What went wrong and what to do next.
  public var description: String {
    switch kind {
    case .glpk(let routine, let code):
      let said = detail.map { " GLPK said: \($0)" } ?? " Run with log enabled to see GLPK's own explanation."
      return "\(routine) failed with \(GLPKStatus.codeName(code)) (\(code)).\(said)"
    case .fatal(let message):
      return "GLPK raised a fatal error and was reset; later solves are unaffected. GLPK said: \(message)"
    case .invalidModel(let message):
      return "The model was rejected before solving: \(message)"
    }
  }
}
