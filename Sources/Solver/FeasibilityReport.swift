/// Checks a point against a `Model` (bounds, integrality, rows) in pure Swift.
public struct FeasibilityReport: Sendable, CustomStringConvertible {
  /// One violated requirement.
  public struct Violation: Sendable, Equatable, CustomStringConvertible {
    /// What is violated.
    public enum Kind: String, Sendable { case bound, integrality, row, length }
    /// The kind of requirement.
    public var kind: Kind
    /// Column or row index (0-based).
    public var index: Int
    /// The variable's or constraint's name.
    public var name: String
    /// By how much the requirement is missed.
    public var amount: Double
    /// One printable line.
    public var description: String { "\(kind.rawValue) \(name) (#\(index)) violated by \(amount)" }
  }

  /// Every violation found, columns first, then rows.
  public var violations: [Violation]
  /// True when nothing is violated.
  public var isFeasible: Bool { violations.isEmpty }
  /// Names of the violated constraints.
  public var violatedRows: [String] { violations.filter { $0.kind == .row }.map(\.name) }

  /// Checks `values` with tolerance `tolerance · max(1, |limit|)`.
  public init(model: Model, values: [Double], tolerance: Double = 1e-6) {
    violations = []
    guard values.count == model.variables.count else {
      violations = [
        Violation(
          kind: .length, index: values.count, name: "values",
          amount: Double(abs(values.count - model.variables.count)))
      ]
      return
    }
    func excess(_ x: Double, _ lo: Double, _ up: Double) -> Double {
      if x.isNaN { return .infinity }
      if x < lo - tolerance * max(1, abs(lo)) { return lo - x }
      if x > up + tolerance * max(1, abs(up)) { return x - up }
      return 0
    }
    for (j, v) in model.variables.enumerated() {
      let x = values[j]
      let e = excess(x, v.lower, v.upper)
      if e > 0 { violations.append(Violation(kind: .bound, index: j, name: v.name, amount: e)) }
      if v.kind != .continuous, x.isFinite, abs(x - x.rounded()) > tolerance {
        violations.append(Violation(kind: .integrality, index: j, name: v.name, amount: abs(x - x.rounded())))
      }
    }
    for (i, c) in model.constraints.enumerated() {
      var activity = 0.0
      for t in c.terms where values.indices.contains(t.index) { activity += t.coefficient * values[t.index] }
      let e = excess(activity, c.lower, c.upper)
      if e > 0 { violations.append(Violation(kind: .row, index: i, name: c.name, amount: e)) }
    }
  }

  /// "feasible" or the violations, one per line.
  public var description: String {
    isFeasible ? "feasible" : violations.map(\.description).joined(separator: "\n")
  }
}
