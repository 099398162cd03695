import Foundation

/// One problem found in the input, compiler-style.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
  /// Whether the problem stops the run (`error`) or is only reported (`warning`).
  public enum Severity: String, Sendable { case error, warning }
  /// Error or warning.
  public var severity: Severity
  /// The file's name within the folder (`students.csv`), or the folder's path.
  public var file: String
  /// The physical line where the record starts; nil when no line applies.
  public var line: Int?
  /// What is wrong, in plain words.
  public var message: String
  /// A diagnostic.
  public init(_ severity: Severity, file: String, line: Int? = nil, _ message: String) {
    self.severity = severity; self.file = file; self.line = line; self.message = message
  }
  /// `FILE:LINE: error: MESSAGE`, or `FILE: error: MESSAGE` without a line.
  public var description: String {
    "\(file)\(line.map { ":\($0)" } ?? ""): \(severity.rawValue): \(message)"
  }
}

/// Bad input: every diagnostic found (errors and warnings).
public struct InputError: Error, Sendable, CustomStringConvertible {
  /// Every diagnostic, in file-then-line order; at least one is an error.
  public var diagnostics: [Diagnostic]
  public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
  public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// A school read from its folder, with the day being planned.
public struct LoadedSchool: Sendable {
  /// The validated school.
  public var school: School
  /// The day being planned: `--date`, else `school.toml`'s `date`.
  public var date: Day
  /// Warnings found while loading (print them; they do not stop the run).
  public var warnings: [Diagnostic]
  public init(school: School, date: Day, warnings: [Diagnostic]) {
    self.school = school; self.date = date; self.warnings = warnings
  }
}

/// One (student, target) need (spec §2).
public struct Need: Sendable, Equatable, Codable {
  /// The student id.
  public var student: String
  /// The target id.
  public var target: String
  /// The level L(s,t), below `proficient`.
  public var level: Double
  /// The wait W(s,t) in days, at most `wait_cap`.
  public var wait: Int
  /// The need weight n(s,t), times `not_ready` when the need is not ready (spec §11).
  public var weight: Double
  /// The prerequisites of the target that the student still needs, in `targets.csv` order;
  /// empty when the need is ready (spec §11).
  public var missingPrerequisites: [String]
  /// Whether every prerequisite of the target is mastered or has no evidence (spec §11).
  public var isReady: Bool { missingPrerequisites.isEmpty }
  public init(
    student: String, target: String, level: Double, wait: Int, weight: Double,
    missingPrerequisites: [String] = []
  ) {
    self.student = student; self.target = target; self.level = level; self.wait = wait; self.weight = weight
    self.missingPrerequisites = missingPrerequisites
  }
}
