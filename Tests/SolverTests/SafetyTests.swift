import Foundation
import Testing

@testable import Solver

@Suite struct SafetyTests {}

/// Runs `body` with file descriptor 1 redirected to a temporary file; returns what was written.
private func capturingStdout(_ body: () throws -> Void) rethrows -> String {
  let path = FileManager.default.temporaryDirectory.appendingPathComponent("stdout-\(UUID().uuidString)").path
  fflush(nil)
  let saved = dup(1)
  let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
  dup2(fd, 1)
  close(fd)
  defer {
    fflush(nil)
    dup2(saved, 1)
    close(saved)
  }
  try body()
  fflush(nil)
  let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? "<unreadable>"
  try? FileManager.default.removeItem(atPath: path)
  return text
}

extension SafetyTests {
  @Test func fatalErrorIsContainedAndLaterSolvesWork() throws {
    let problem = try GLPKProblem()
    let before = problem.generation
    do {
      try problem.provokeFatalErrorForTesting()
      Issue.record("expected a fatal error")
    } catch let error as SolverError {
      guard case .fatal = error.kind else { Issue.record("not a fatal error: \(error)"); return }
      #expect(error.description.contains("glp_set_col_bnds"), "\(error)")
      #expect(error.description.contains("out of range"), "\(error)")
    }
    // glp_free_env freed the problem: it must not be deleted again when released.
    #expect(!problem.isAlive)
    #expect(UInt(rg_generationForTesting()) == before + 1)
    let model = Models.knapsack(values: [10, 13, 7, 8, 5], weights: [5, 6, 3, 4, 2], capacity: 10)
    for _ in 0..<3 {
      let r = try GLPKSolver().solve(model)
      #expect(r.objectiveValue == 22)
    }
    withExtendedLifetime(problem) {}
  }

  @Test func glpkNeverWritesToStdout() throws {
    let model = Models.multiKnapsack(items: 25, constraints: 3, seed: 7)
    var objective: Double?
    var fatal = ""
    let text = try capturingStdout {
      // A logged solve (GLPK prints a lot at GLP_MSG_ON) and a logged fatal error.
      let r = try GLPKSolver().solve(model, options: .init(cuts: [.gomory], log: true))
      objective = r.objectiveValue
      let problem = try GLPKProblem()
      rg_setLogForTesting(true)
      do { try problem.provokeFatalErrorForTesting() } catch { fatal = "\(error)" }
      rg_setLogForTesting(false)
    }
    #expect(text.isEmpty, "GLPK wrote to stdout: \(text.prefix(500))")
    #expect(objective != nil)
    #expect(fatal.contains("column number out of range"))  // the message went through the hook
  }

  @Test func fourThreadsSolveDifferentKnapsacksAtOnce() throws {
    let cases = (0..<4).map { Models.randomKnapsack(items: 16, seed: 100 + UInt64($0)) }
    let results = Recorder<(Int, Double?)>()
    let group = DispatchGroup()
    for (k, (model, _)) in cases.enumerated() {
      group.enter()
      let thread = Thread {
        for _ in 0..<5 {
          let r = try? GLPKSolver().solve(model, options: .init(presolve: k % 2 == 0))
          results.append((k, r?.objectiveValue))
        }
        group.leave()
      }
      thread.start()
    }
    group.wait()
    #expect(results.all.count == 20)
    for (k, objective) in results.all {
      #expect(objective == cases[k].optimum, "thread \(k)")
    }
  }
}
