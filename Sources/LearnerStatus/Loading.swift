import Foundation


/// One problem found in the input, compiler-style.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
  /// Whether the problem stops the run (`error`) or is only reported (`warning`).
  public enum Severity: String, Sendable { case error, warning }
  public var severity: Severity
  public var file: String
  public var line: Int?
  public var message: String
  public init(_ severity: Severity, file: String, line: Int? = nil, _ message: String) {
    self.severity = severity; self.file = file; self.line = line; self.message = message
  }
  public var description: String {
    "\(file)\(line.map { ":\($0)" } ?? ""): \(severity.rawValue): \(message)"
  }
}

/// Bad input: every diagnostic found (errors and warnings).
public struct InputError: Error, Sendable, CustomStringConvertible {
  public var diagnostics: [Diagnostic]
  public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
  public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// A school read from its folder, with the day being planned.
public struct LoadedSchool: Sendable {
  public var school: School
  public var date: Day
  public var warnings: [Diagnostic]
  public init(school: School, date: Day, warnings: [Diagnostic]) {
    self.school = school; self.date = date; self.warnings = warnings
  }
}

/// One (student, target) need (spec §2).
public struct Need: Sendable, Equatable, Codable {
  public var student: String
  public var target: String
  public var level: Double
  public var wait: Int
  public var weight: Double
  public init(student: String, target: String, level: Double, wait: Int, weight: Double) {
    self.student = student; self.target = target; self.level = level; self.wait = wait; self.weight = weight
  }
}
