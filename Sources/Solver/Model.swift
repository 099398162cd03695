/// A mixed-integer linear program, built in memory and solved separately.
///
/// Columns and rows are 0-based here; the GLPK backend converts to 1-based in one place.
public struct Model: Sendable {
  /// Optimization direction.
  public enum Sense: String, Sendable { case minimize, maximize }

  /// Kind of a variable.
  public enum Kind: String, Sendable { case continuous, integer, binary }

  public struct VariableInfo: Sendable, Equatable {
    public var name: String
    public var lower: Double
    public var upper: Double
    public var kind: Kind
    public var objective: Double
  }

  public struct ConstraintInfo: Sendable, Equatable {
    public var name: String
    public var terms: [(index: Int, coefficient: Double)]
    public var lower: Double
    public var upper: Double

    public static func == (a: ConstraintInfo, b: ConstraintInfo) -> Bool {
      a.name == b.name && a.lower == b.lower && a.upper == b.upper
        && a.terms.elementsEqual(b.terms, by: { $0.index == $1.index && $0.coefficient == $1.coefficient })
    }
  }

  public var name: String
  public var sense: Sense
  /// A constant added to the objective (kept out of the solver, added back on decoding).
  public var objectiveConstant: Double = 0
  public private(set) var variables: [VariableInfo] = []
  public private(set) var constraints: [ConstraintInfo] = []

  public init(name: String = "model", sense: Sense = .minimize) {
    self.name = name
    self.sense = sense
  }

  /// Adds a variable; binaries get bounds [0, 1].
  @discardableResult
  public mutating func addVariable(
    _ name: String, lower: Double = 0, upper: Double = .infinity, kind: Kind = .continuous,
    objective: Double = 0
  ) -> Variable {
    let (lo, up) = kind == .binary ? (max(0, lower), min(1, upper)) : (lower, upper)
    variables.append(VariableInfo(name: name, lower: lo, upper: up, kind: kind, objective: objective))
    return Variable(index: variables.count - 1)
  }

  /// Adds `lower ≤ Σ terms ≤ upper` (use ±infinity for a one-sided row). Repeated variables are summed.
  @discardableResult
  public mutating func addConstraint(
    _ name: String, _ terms: [(Variable, Double)], lower: Double = -.infinity,
    upper: Double = .infinity
  ) -> Constraint {
    var merged: [Int: Double] = [:]
    var order: [Int] = []
    for (v, c) in terms {
      if merged[v.index] == nil { order.append(v.index) }
      merged[v.index, default: 0] += c
    }
    let row = order.compactMap { i -> (index: Int, coefficient: Double)? in
      let c = merged[i]!
      return c == 0 ? nil : (index: i, coefficient: c)
    }
    constraints.append(ConstraintInfo(name: name, terms: row, lower: lower, upper: upper))
    return Constraint(index: constraints.count - 1)
  }

  /// Adds `Σ terms ≤ rhs`.
  @discardableResult
  public mutating func addLessOrEqual(_ name: String, _ terms: [(Variable, Double)], _ rhs: Double)
    -> Constraint
  { addConstraint(name, terms, upper: rhs) }

  /// Adds `Σ terms ≥ rhs`.
  @discardableResult
  public mutating func addGreaterOrEqual(
    _ name: String, _ terms: [(Variable, Double)], _ rhs: Double
  ) -> Constraint { addConstraint(name, terms, lower: rhs) }

  /// Adds `Σ terms = rhs`.
  @discardableResult
  public mutating func addEqual(_ name: String, _ terms: [(Variable, Double)], _ rhs: Double)
    -> Constraint
  { addConstraint(name, terms, lower: rhs, upper: rhs) }

  /// Sets a variable's objective coefficient.
  public mutating func setObjective(_ variable: Variable, _ coefficient: Double) {
    variables[variable.index].objective = coefficient
  }

  /// Changes a variable's bounds (e.g. to fix it).
  public mutating func setBounds(_ variable: Variable, lower: Double, upper: Double) {
    variables[variable.index].lower = lower
    variables[variable.index].upper = upper
  }

  /// Changes a constraint's bounds.
  public mutating func setBounds(_ constraint: Constraint, lower: Double, upper: Double) {
    constraints[constraint.index].lower = lower
    constraints[constraint.index].upper = upper
  }

  /// The objective of a point, constant included.
  public func objectiveValue(of values: [Double]) -> Double {
    var total = objectiveConstant
    for (i, v) in variables.enumerated() where v.objective != 0 { total += v.objective * values[i] }
    return total
  }

  public var isMIP: Bool { variables.contains { $0.kind != .continuous } }
}

/// A column of a `Model`.
public struct Variable: Sendable, Hashable {
  public let index: Int
  public init(index: Int) { self.index = index }
}

/// A row of a `Model`.
public struct Constraint: Sendable, Hashable {
  public let index: Int
  public init(index: Int) { self.index = index }
}
