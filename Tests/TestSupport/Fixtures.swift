import Foundation

/// Locates the repository's top-level folders from this file's path.
public enum Fixtures {
  /// The repository root.
  public static let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  /// `fixtures/`.
  public static let root = repositoryRoot.appendingPathComponent("fixtures")
  /// `fixtures/conformance/`: the contract's worked answers, kept in the repository.
  public static let conformance = root.appendingPathComponent("conformance")
}
