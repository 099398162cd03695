import Foundation
import Testing

@testable import Solver

@Suite struct ExportTests {}

/// Runs a program; fails the test with a clear message when it is not installed.
private func run(_ executable: String, _ arguments: [String]) throws -> String {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
  process.arguments = [executable] + arguments
  let out = Pipe()
  process.standardOutput = out
  process.standardError = out
  try process.run()
  let data = out.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  let text = String(decoding: data, as: UTF8.self)
  if process.terminationStatus == 127 {
    Issue.record(
      "\(executable) is not installed; install glpk-utils (glpsol) and `pip install highspy` to run the export checks."
    )
  }
  return text
}

private func glpsolObjective(_ flag: String, _ path: String) throws -> Double? {
  let out = path + ".sol"
  _ = try run("glpsol", [flag, path, "-o", out])
  let text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
  // "Objective:  objective = 123 (MAXimum)"
  guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Objective:") }),
    let eq = line.firstIndex(of: "=")
  else { Issue.record("glpsol gave no objective for \(path)"); return nil }
  return Double(line[line.index(after: eq)...].split(separator: " ").first ?? "")
}

private func highsObjective(_ path: String) throws -> Double? {
  let script = """
    import sys, highspy
    h = highspy.Highs(); h.setOptionValue("output_flag", False)
    h.readModel(sys.argv[1]); h.run()
    print("OBJ", h.getInfo().objective_function_value)
    """
  let text = try run("python3", ["-c", script, path])
  if text.contains("ModuleNotFoundError") {
    Issue.record("highspy is not installed for python3: run `pip install highspy`.")
  }
  guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("OBJ ") }) else {
    Issue.record("HiGHS gave no objective for \(path): \(text)")
    return nil
  }
  return Double(line.dropFirst(4))
}

extension ExportTests {
  /// A maximization with a constant and names GLPK's LP writer would rewrite.
  static func awkwardModel() -> Model {
    var model = Model(name: "export test", sense: .maximize)
    let x = (0..<6).map { model.addVariable("x[\($0)]", kind: .binary, objective: Double(3 + $0 * 2)) }
    let y = model.addVariable("2nd-stage y", upper: 2.5, objective: 1.5)
    let z = model.addVariable("e1", lower: -3, upper: 4, kind: .integer, objective: -1)
    model.addLessOrEqual("capacity, total", x.enumerated().map { ($1, Double(2 + $0)) } + [(y, 1)], 11)
    model.addGreaterOrEqual("z floor", [(z, 1), (x[0], 1)], -2)
    model.addConstraint("pair-limit", [(x[1], 1), (x[2], 1)], lower: 0, upper: 1)
    model.objectiveConstant = 10
    return model
  }

  @Test func exportedFilesSolveToTheSameOptimumElsewhere() throws {
    let model = Self.awkwardModel()
    let ours = try #require(try GLPKSolver().solve(model).objectiveValue)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "regroup-export-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let lp = dir.appendingPathComponent("m.lp").path
    let mps = dir.appendingPathComponent("m.mps").path
    try GLPKSolver.writeLP(model, to: lp)
    try GLPKSolver.writeMPS(model, to: mps)

    let lpText = try String(contentsOfFile: lp, encoding: .utf8)
    for name in ["x_3_", "_2nd_stage_y", "_e1", "capacity__total", "pair_limit", "objective_constant"] {
      #expect(lpText.contains(name), "\(name) missing from LP file")
    }
    #expect(!lpText.contains("r_1") && !lpText.contains("x_1 "))  // GLPK's fallback names never needed

    let tolerance = 1e-6
    if let v = try glpsolObjective("--lp", lp) {
      #expect(abs(v - ours) < tolerance, "glpsol LP \(v) vs \(ours)")
    }
    if let v = try glpsolObjective("--freemps", mps) {
      #expect(abs(-v - ours) < tolerance, "glpsol MPS \(v) vs \(ours)")
    }
    if let v = try highsObjective(lp) { #expect(abs(v - ours) < tolerance, "HiGHS LP \(v) vs \(ours)") }
    if let v = try highsObjective(mps) { #expect(abs(-v - ours) < tolerance, "HiGHS MPS \(v) vs \(ours)") }
  }

  @Test func writingToAMissingFolderThrows() {
    #expect(throws: SolverError.self) {
      try GLPKSolver.writeLP(Self.awkwardModel(), to: "/nonexistent-folder/m.lp")
    }
  }
}
