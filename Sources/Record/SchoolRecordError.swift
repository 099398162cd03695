import Foundation

/// A problem with the school's record that is the user's to fix: the CLI prints it and exits 1.
public struct SchoolRecordError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong, in plain words, with what to do next.
  public var message: String

  /// An error with this message.
  public init(_ message: String) { self.message = message }

  public var description: String { message }

  /// No record at `path`: says where it looked and how to make one.
  public static func notFound(_ path: String) -> SchoolRecordError {
    SchoolRecordError(
      "\(path): error: no record found: run `regroup import FOLDER` to make one "
        + "(or pass --db PATH, or set REGROUP_DB)")
  }
}
