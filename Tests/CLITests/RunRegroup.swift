import Foundation
import TestSupport
import Testing

/// Runs the built `regroup` executable, as a user would.
///
/// The binary is found, in order: `$REGROUP_BINARY`; beside the test bundle (the products
/// folder of whatever `--scratch-path` built the tests); beside the test process's
/// executable; else the newest `.build*/**/debug/regroup` under the repository.
enum RunRegroup {
  /// What a run printed and how it ended.
  struct Result: Sendable {
    var status: Int32
    var stdout: String
    var stderr: String
    /// stderr split into lines, without the final empty one.
    var stderrLines: [String] {
      stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init).filter { !$0.isEmpty }
    }
  }

  /// The executable, or nil when none is built.
  static let binary: URL? = {
    let fm = FileManager.default
    func executable(_ url: URL) -> URL? { fm.isExecutableFile(atPath: url.path) ? url : nil }
    if let path = ProcessInfo.processInfo.environment["REGROUP_BINARY"], !path.isEmpty {
      return URL(fileURLWithPath: path)
    }
    var folders: [URL] = []
    #if os(macOS)
      for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
        folders.append(bundle.bundleURL.deletingLastPathComponent())
      }
    #endif
    folders.append(Bundle.main.bundleURL)
    folders.append(Bundle.main.bundleURL.deletingLastPathComponent())
    if let first = CommandLine.arguments.first {
      folders.append(URL(fileURLWithPath: first).deletingLastPathComponent())
    }
    for folder in folders {
      if let url = executable(folder.appendingPathComponent("regroup")) { return url }
    }
    // Fallback: the newest debug build under the repository.
    var best: (URL, Date)?
    let root = Fixtures.repositoryRoot
    let scratch = (try? fm.contentsOfDirectory(atPath: root.path))?.filter { $0.hasPrefix(".build") } ?? []
    for name in scratch {
      let base = root.appendingPathComponent(name)
      let triples = (try? fm.contentsOfDirectory(atPath: base.path)) ?? []
      for candidate in [base.appendingPathComponent("debug/regroup")]
        + triples.map({ base.appendingPathComponent("\($0)/debug/regroup") })
      {
        guard executable(candidate) != nil,
          let date = (try? fm.attributesOfItem(atPath: candidate.path))?[.modificationDate] as? Date
        else { continue }
        if best == nil || date > best!.1 { best = (candidate, date) }
      }
    }
    return best?.0
  }()

  /// Runs `regroup ARGUMENTS…` and waits for it.
  static func run(
    _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> Result {
    let binary = try #require(
      RunRegroup.binary, "no built regroup binary found", sourceLocation: sourceLocation)
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("regroup-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let out = folder.appendingPathComponent("stdout")
    let err = folder.appendingPathComponent("stderr")
    FileManager.default.createFile(atPath: out.path, contents: nil)
    FileManager.default.createFile(atPath: err.path, contents: nil)
    let outHandle = try FileHandle(forWritingTo: out)
    let errHandle = try FileHandle(forWritingTo: err)
    process.standardOutput = outHandle
    process.standardError = errHandle
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    try outHandle.close()
    try errHandle.close()
    return Result(
      status: process.terminationStatus,
      stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
      stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
  }
}
