import CGLPK
import CGLPKGuard

/// Owns one `glp_prob*`. Created, loaded, solved and freed on one thread inside one call.
/// If a GLPK fatal error freed this thread's environment meanwhile, the pointer is dangling
/// and is not deleted (the generation no longer matches).
final class GLPKProblem {
  let pointer: OpaquePointer
  let generation: UInt

  init() throws {
    var p: OpaquePointer?
    try GLPKProblem.check(rg_create(&p))
    pointer = p!
    generation = UInt(rg_generation())
  }

  deinit {
    if isAlive { _ = rg_delete(pointer) }
  }

  /// False once a fatal error freed the environment that owned the pointer.
  var isAlive: Bool { UInt(rg_generation()) == generation }

  /// Loads rows, columns, names and the matrix.
  func load(_ arrays: GLPKArrays) throws {
    try arrays.withCModel { m in try call { rg_load(pointer, m) } }
  }

  /// Runs a guarded C call on this problem; throws `fatal` when GLPK raised an error.
  func call(_ body: () -> Int32) throws {
    precondition(isAlive, "GLPK problem used after its environment was freed")
    try GLPKProblem.check(body())
  }

  static func check(_ rc: Int32) throws {
    if rc != 0 { throw SolverError(.fatal(lastOutput())) }
  }

  /// The last lines GLPK printed on this thread during the last guarded call.
  static func lastOutput() -> String {
    let text = String(cString: rg_last_output())
    let lines = text.split(separator: "\n").suffix(3)
    return lines.isEmpty ? "(no message)" : lines.joined(separator: " / ")
  }
}

extension GLPKProblem {
  /// Test hook: a real GLPK fatal error (`glp_set_col_bnds` on column 0) through the guard.
  func provokeFatalErrorForTesting() throws {
    try call { rg_test_fatal(pointer) }
  }
}

/// Test hooks over the C guard (the test target does not import CGLPKGuard).
func rg_generationForTesting() -> UInt { UInt(rg_generation()) }
func rg_setLogForTesting(_ on: Bool) { rg_set_log(on ? 1 : 0) }
