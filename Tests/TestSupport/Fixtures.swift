import Foundation

/// Locates the repository's top-level folders from this file's path.
public enum Fixtures {
  /// The repository root.
  public static let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  /// `fixtures/`.
  public static let root = repositoryRoot.appendingPathComponent("fixtures")
  /// `../shared/conformance/` beside the repository (present on developer machines and in CI).
  public static let conformance = repositoryRoot.deletingLastPathComponent()
    .appendingPathComponent("shared/conformance")
}
