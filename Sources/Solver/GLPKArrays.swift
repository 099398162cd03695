import CGLPK
import CGLPKGuard

/// A `Model` in GLPK's layout: every array is 1-based (element 0 unused). Built by `init`, the
/// only place where 0-based model indices become 1-based GLPK indices.
struct GLPKArrays {
  /// How the arrays will be used; exports carry the objective constant on a fixed column.
  enum Purpose { case solve, exportLP, exportMPS }

  var direction: Int32
  var problemName: String
  var objectiveName: String
  var columnType: [Int32], columnKind: [Int32]
  var columnLower: [Double], columnUpper: [Double], columnObjective: [Double]
  var rowType: [Int32], rowLower: [Double], rowUpper: [Double]
  /// 0-based, LP-safe and unique; empty for `.solve`, which GLPK solves without names (making
  /// every name LP-safe and unique took a quarter of a simulation's time).
  var columnNames: [String], rowNames: [String]
  var ia: [Int32], ja: [Int32], ar: [Double]

  var rowCount: Int { rowType.count - 1 }
  var columnCount: Int { columnType.count - 1 }
  var nonZeroCount: Int { ar.count - 1 }

  /// Name of the fixed column that carries `objectiveConstant` in exported files.
  static let constantColumnName = "objective_constant"

  /// Converts a validated model. For `.exportMPS` a maximization is written as the
  /// minimization of the negated objective (free MPS has no objective sense).
  init(_ model: Model, purpose: Purpose = .solve) {
    let negate = purpose == .exportMPS && model.sense == .maximize
    let sign: Double = negate ? -1 : 1
    direction = model.sense == .maximize && !negate ? GLP_MAX : GLP_MIN
    problemName = LPName.sanitize(model.name, fallback: "model")
    objectiveName = negate ? "minus_objective" : "objective"

    columnType = [0]; columnKind = [0]; columnLower = [0]; columnUpper = [0]; columnObjective = [0]
    for v in model.variables {
      columnType.append(Self.boundType(lower: v.lower, upper: v.upper))
      // Not GLP_BV: it would reset the bounds to [0, 1].
      columnKind.append(v.kind == .continuous ? GLP_CV : GLP_IV)
      columnLower.append(v.lower.isFinite ? v.lower : 0)
      columnUpper.append(v.upper.isFinite ? v.upper : 0)
      columnObjective.append(sign * v.objective)
    }
    var rawColumnNames = model.variables.map(\.name)
    if purpose != .solve && model.objectiveConstant != 0 {
      columnType.append(GLP_FX); columnKind.append(GLP_CV)
      columnLower.append(1); columnUpper.append(1)
      columnObjective.append(sign * model.objectiveConstant)
      rawColumnNames.append(Self.constantColumnName)
    }
    columnNames = purpose == .solve ? [] : LPName.unique(rawColumnNames, fallbackPrefix: "x")

    rowType = [0]; rowLower = [0]; rowUpper = [0]
    ia = [0]; ja = [0]; ar = [0]
    for (i, c) in model.constraints.enumerated() {
      rowType.append(Self.boundType(lower: c.lower, upper: c.upper))
      rowLower.append(c.lower.isFinite ? c.lower : 0)
      rowUpper.append(c.upper.isFinite ? c.upper : 0)
      for t in c.terms {
        ia.append(Int32(i + 1))
        ja.append(Int32(t.index + 1))
        ar.append(t.coefficient)
      }
    }
    rowNames =
      purpose == .solve ? [] : LPName.unique(model.constraints.map(\.name), fallbackPrefix: "r")
  }

  /// GLPK bound type for a (validated) interval.
  static func boundType(lower: Double, upper: Double) -> Int32 {
    switch (lower.isFinite, upper.isFinite) {
    case (false, false): return GLP_FR
    case (true, false): return GLP_LO
    case (false, true): return GLP_UP
    case (true, true): return lower == upper ? GLP_FX : GLP_DB
    }
  }

  /// Calls `body` with an `rg_model` pointing into these arrays (valid only during the call).
  func withCModel<R>(_ body: (UnsafePointer<rg_model>) throws -> R) rethrows -> R {
    // All names back to back, NUL-terminated; offsets are 1-based like everything else.
    // Without names (`.solve`) every offset points at one empty name.
    var names: [CChar] = [0]
    func add(_ s: String) -> Int32 {
      let offset = Int32(names.count)
      names.append(contentsOf: s.utf8.map { CChar(bitPattern: $0) })
      names.append(0)
      return offset
    }
    let columnOffsets: [Int32] =
      columnNames.isEmpty
      ? [Int32](repeating: 0, count: columnCount + 1) : [0] + columnNames.map(add)
    let rowOffsets: [Int32] =
      rowNames.isEmpty ? [Int32](repeating: 0, count: rowCount + 1) : [0] + rowNames.map(add)
    return try problemName.withCString { pname in
      try objectiveName.withCString { oname in
        var m = rg_model()
        m.dir = direction
        m.m = Int32(rowCount); m.n = Int32(columnCount); m.ne = Int32(nonZeroCount)
        m.prob_name = pname; m.obj_name = oname
        return try columnType.withUnsafeBufferPointer { ct in
          try columnKind.withUnsafeBufferPointer { ck in
            try columnLower.withUnsafeBufferPointer { cl in
              try columnUpper.withUnsafeBufferPointer { cu in
                try columnObjective.withUnsafeBufferPointer { co in
                  try rowType.withUnsafeBufferPointer { rt in
                    try rowLower.withUnsafeBufferPointer { rl in
                      try rowUpper.withUnsafeBufferPointer { ru in
                        try names.withUnsafeBufferPointer { nm in
                          try columnOffsets.withUnsafeBufferPointer { cn in
                            try rowOffsets.withUnsafeBufferPointer { rn in
                              try ia.withUnsafeBufferPointer { pia in
                                try ja.withUnsafeBufferPointer { pja in
                                  try ar.withUnsafeBufferPointer { par in
                                    m.col_type = ct.baseAddress; m.col_kind = ck.baseAddress
                                    m.col_lo = cl.baseAddress; m.col_up = cu.baseAddress
                                    m.col_obj = co.baseAddress
                                    m.row_type = rt.baseAddress; m.row_lo = rl.baseAddress
                                    m.row_up = ru.baseAddress
                                    m.names = nm.baseAddress
                                    m.col_name_off = cn.baseAddress; m.row_name_off = rn.baseAddress
                                    m.ia = pia.baseAddress; m.ja = pja.baseAddress; m.ar = par.baseAddress
                                    return try withUnsafePointer(to: m) { try body($0) }
                                  }
                                }
                              }
                            }
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
}

/// Names that survive CPLEX LP and MPS unchanged: GLPK's LP writer rewrites or replaces
/// names with other characters, which makes exported rows hard to find.
public enum LPName {
  /// Keeps `[A-Za-z0-9_]` and inner `.`, turns every other character into `_`, and prefixes
  /// `_` when the name would read as a number (leading digit, `.`, or `e`/`E` + digit).
  public static func sanitize(_ name: String, fallback: String) -> String {
    var out = String(
      name.unicodeScalars.enumerated().map { i, s -> Character in
        let ok =
          (s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s))) || s == "_"
          || (s == "." && i > 0)
        return ok ? Character(s) : "_"
      })
    if out.isEmpty { return fallback }
    let chars = Array(out.utf8)
    let first = chars[0]
    let startsNumeric =
      (first >= 48 && first <= 57) || first == 46
      || ((first == 101 || first == 69) && chars.count > 1
        && ((chars[1] >= 48 && chars[1] <= 57) || chars[1] == 101 || chars[1] == 69))
    if startsNumeric { out = "_" + out }
    return String(out.prefix(255))
  }

  /// Sanitizes every name (empty ones become `prefix<k>`, k 1-based) and makes them unique
  /// by appending `_2`, `_3`, … to later duplicates.
  public static func unique(_ names: [String], fallbackPrefix prefix: String) -> [String] {
    var seen = Set<String>()
    var result: [String] = []
    result.reserveCapacity(names.count)
    for (k, raw) in names.enumerated() {
      let base = sanitize(raw, fallback: "\(prefix)\(k + 1)")
      var name = base
      var n = 2
      while seen.contains(name) {
        let suffix = "_\(n)"
        name = String(base.prefix(255 - suffix.count)) + suffix
        n += 1
      }
      seen.insert(name)
      result.append(name)
    }
    return result
  }
}
