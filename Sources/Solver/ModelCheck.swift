/// Checks a model (and options) before any GLPK call: GLPK reports bad arguments by
/// aborting, not by a return code. All problems are collected into one error.
enum ModelCheck {
  static let maxListed = 20

  static func problems(_ model: Model, options: SolverOptions? = nil) -> [String] {
    var out: [String] = []
    func name(_ kind: String, _ index: Int, _ raw: String) {
      // ASCII exactly when every UTF-8 byte is below 128 (bytes, not characters: fast).
      if !raw.utf8.allSatisfy({ $0 < 128 }) {
        out.append("\(kind) \(index) name \"\(raw)\" is not ASCII; use ASCII letters, digits and _.")
      }
      if raw.utf8.count > 255 {
        out.append("\(kind) \(index) name has \(raw.utf8.count) characters; GLPK allows at most 255.")
      }
    }
    func interval(_ what: String, _ lo: Double, _ up: Double) {
      if lo.isNaN || up.isNaN {
        out.append("\(what) has a NaN bound.")
      } else if lo == .infinity || up == -.infinity {
        out.append("\(what) has bounds [\(lo), \(up)] that no finite value satisfies.")
      } else if lo > up {
        out.append("\(what) has lower bound \(lo) above its upper bound \(up).")
      }
    }
    let n = model.variables.count
    if n >= Int(Int32.max) || model.constraints.count >= Int(Int32.max) {
      out.append("The model has more rows or columns than GLPK can index.")
    }
    name("Model", 0, model.name)
    if !model.objectiveConstant.isFinite { out.append("The objective constant is not finite.") }
    for (j, v) in model.variables.enumerated() {
      name("Variable", j, v.name)
      interval("Variable \(j) (\(v.name))", v.lower, v.upper)
      if !v.objective.isFinite {
        out.append("Variable \(j) (\(v.name)) has objective coefficient \(v.objective); it must be finite.")
      }
    }
    var nonZeros = 0
    // lastRow[j]: the last constraint that listed column j (a repeat within one row is an error).
    var lastRow = [Int](repeating: -1, count: n)
    for (i, c) in model.constraints.enumerated() {
      name("Constraint", i, c.name)
      interval("Constraint \(i) (\(c.name))", c.lower, c.upper)
      for t in c.terms {
        nonZeros += 1
        if t.index < 0 || t.index >= n {
          out.append(
            "Constraint \(i) (\(c.name)) refers to column \(t.index), but the model has \(n) columns.")
        } else if lastRow[t.index] == i {
          out.append("Constraint \(i) (\(c.name)) lists column \(t.index) twice; merge the terms.")
        } else {
          lastRow[t.index] = i
        }
        if !t.coefficient.isFinite {
          out.append(
            "Constraint \(i) (\(c.name)) has coefficient \(t.coefficient) on column \(t.index); it must be finite."
          )
        }
      }
    }
    if nonZeros >= Int(Int32.max) { out.append("The model has more non-zeros than GLPK can index.") }
    if let options {
      if let t = options.timeLimit, !(t >= 0 && t.isFinite) {
        out.append("timeLimit is \(t); give a finite number of seconds ≥ 0 or nil.")
      }
      if !(options.relativeGap >= 0 && options.relativeGap.isFinite) {
        out.append("relativeGap is \(options.relativeGap); give a finite value ≥ 0.")
      }
      if let s = options.startValues {
        if s.count != n {
          out.append("startValues has \(s.count) values but the model has \(n) columns; give one per column.")
        } else if let j = s.firstIndex(where: { !$0.isFinite }) {
          out.append("startValues[\(j)] is \(s[j]); every value must be finite.")
        }
      }
    }
    return out
  }

  /// Throws `invalidModel` listing every problem found.
  static func validate(_ model: Model, options: SolverOptions? = nil) throws {
    let found = problems(model, options: options)
    guard !found.isEmpty else { return }
    var text = found.prefix(maxListed).joined(separator: "\n")
    if found.count > maxListed { text += "\n… and \(found.count - maxListed) more." }
    throw SolverError(.invalidModel(text))
  }
}
