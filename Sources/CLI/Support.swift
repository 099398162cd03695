import ArgumentParser
import Foundation
import LearnerStatus

extension Day: ExpressibleByArgument {
  public init?(argument: String) { self.init(argument) }
}

/// Writes text to standard error.
func printError(_ text: String) {
  FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
}

/// Prints diagnostics (errors and warnings) to stderr, compiler-style, one per line.
func report(_ diagnostics: [Diagnostic]) {
  guard !diagnostics.isEmpty else { return }
  printError(diagnostics.map(\.description).joined(separator: "\n"))
}

/// Writes the command's output to `--output FILE`, or stdout.
func emit(_ text: String, to path: String?) throws {
  let data = Data(text.utf8)
  if let path {
    do {
      try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      printError("\(path): error: cannot write: \(error.localizedDescription)")
      throw ExitCode(1)
    }
  } else {
    FileHandle.standardOutput.write(data)
  }
}

/// Loads a school folder, printing warnings; on bad input prints every diagnostic and exits 1.
func loadSchool(_ folder: String, date: Day?) throws -> LoadedSchool {
  do {
    let loaded = try SchoolFolder.load(URL(fileURLWithPath: folder), date: date)
    report(loaded.warnings)
    return loaded
  } catch let error as InputError {
    report(error.diagnostics)
    throw ExitCode(1)
  }
}
