import CGLPK

/// Maps what a GLPK routine returned (return code + solution status) to a result, in one table.
enum GLPKStatus {
  enum Routine: String, Sendable { case simplex = "glp_simplex", intopt = "glp_intopt" }

  struct Outcome: Sendable, Equatable {
    var termination: TerminationReason
    var primal: PrimalStatus
  }

  /// One row: `status == nil` matches any status; `outcome == nil` means the call failed (thrown).
  struct Row: Sendable {
    var routine: Routine
    var code: Int32
    var status: Int32?
    var outcome: Outcome?
  }

  private static func row(
    _ r: Routine, _ code: Int32, _ status: Int32?, _ t: TerminationReason?, _ p: PrimalStatus = .noSolution
  ) -> Row {
    Row(routine: r, code: code, status: status, outcome: t.map { Outcome(termination: $0, primal: p) })
  }

  /// First matching row wins. Codes not listed are failures of the call.
  static let table: [Row] = [
    // glp_intopt: return code, then glp_mip_status.
    row(.intopt, 0, GLP_OPT, .optimal, .feasible),
    row(.intopt, 0, GLP_NOFEAS, .infeasible),
    row(.intopt, 0, nil, .other),
    row(.intopt, GLP_ETMLIM, GLP_FEAS, .timeLimit, .feasible),
    row(.intopt, GLP_ETMLIM, nil, .timeLimit),
    row(.intopt, GLP_EMIPGAP, GLP_FEAS, .gapLimit, .feasible),
    row(.intopt, GLP_EMIPGAP, nil, .gapLimit),
    row(.intopt, GLP_ESTOP, GLP_FEAS, .interrupted, .feasible),
    row(.intopt, GLP_ESTOP, nil, .interrupted),
    row(.intopt, GLP_ENOPFS, nil, .infeasible),  // presolver: no primal feasible solution
    row(.intopt, GLP_ENODFS, nil, .unbounded),  // presolver: LP relaxation unbounded
    row(.intopt, GLP_EROOT, nil, nil),
    row(.intopt, GLP_EBOUND, nil, nil),
    row(.intopt, GLP_EFAIL, nil, nil),
    // glp_simplex: return code, then glp_get_status.
    row(.simplex, 0, GLP_OPT, .optimal, .feasible),
    row(.simplex, 0, GLP_NOFEAS, .infeasible),
    row(.simplex, 0, GLP_UNBND, .unbounded),
    row(.simplex, 0, nil, .other),
    row(.simplex, GLP_ETMLIM, GLP_FEAS, .timeLimit, .feasible),
    row(.simplex, GLP_ETMLIM, nil, .timeLimit),
    row(.simplex, GLP_ENOPFS, nil, .infeasible),
    row(.simplex, GLP_ENODFS, nil, .unbounded),
    row(.simplex, GLP_EBOUND, nil, nil),
    row(.simplex, GLP_EFAIL, nil, nil),
  ]

  /// The outcome for a routine's return code and status; throws when the call itself failed.
  static func outcome(_ routine: Routine, code: Int32, status: Int32) throws -> Outcome {
    let match = table.first {
      $0.routine == routine && $0.code == code && ($0.status == nil || $0.status == status)
    }
    guard let match, let outcome = match.outcome else {
      throw SolverError(.glpk(routine: routine.rawValue, code: code))
    }
    return outcome
  }

  /// GLPK's symbolic name for a return code.
  static func codeName(_ code: Int32) -> String {
    let names: [Int32: String] = [
      GLP_EBADB: "GLP_EBADB (invalid basis)", GLP_ESING: "GLP_ESING (singular matrix)",
      GLP_ECOND: "GLP_ECOND (ill-conditioned matrix)", GLP_EBOUND: "GLP_EBOUND (invalid bounds)",
      GLP_EFAIL: "GLP_EFAIL (solver failed)", GLP_EOBJLL: "GLP_EOBJLL", GLP_EOBJUL: "GLP_EOBJUL",
      GLP_EITLIM: "GLP_EITLIM (iteration limit)", GLP_ETMLIM: "GLP_ETMLIM (time limit)",
      GLP_ENOPFS: "GLP_ENOPFS (no primal feasible solution)",
      GLP_ENODFS: "GLP_ENODFS (no dual feasible solution)",
      GLP_EROOT: "GLP_EROOT (no optimal LP basis to start from)", GLP_ESTOP: "GLP_ESTOP (stopped)",
      GLP_EMIPGAP: "GLP_EMIPGAP (gap reached)", GLP_EDATA: "GLP_EDATA (invalid data)",
    ]
    return names[code] ?? "code \(code)"
  }
}
