import ArgumentParser

// Placeholder while the command is being written; replaced by its owner.
struct Check: ParsableCommand {
  static let configuration = CommandConfiguration(abstract: "(in progress)")
  func run() throws { throw ExitCode(70) }
}
