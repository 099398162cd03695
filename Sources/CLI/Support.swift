import ArgumentParser
import Foundation
import LearnerStatus
import Record

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

/// Loads the school for `plan`, `status` or `check` (spec §8): from the record when there is
/// one (`--db PATH`, else `FOLDER/regroup.db`), else from the folder's CSV files.
///
/// Prints the warnings (and, for a record, one per CSV file of FOLDER edited since the last
/// import); on bad input or a record problem prints it and exits 1. Returns the record read,
/// or nil when the school came from the CSV files.
func loadSchool(_ folder: String?, db: String?, date: Day?) throws -> (LoadedSchool, SchoolRecord?) {
  let url: URL?
  do {
    url = try RecordLocation.existing(db: db, folder: folder)
  } catch let error as SchoolRecordError {
    printError(error.description)
    throw ExitCode(1)
  }
  guard let url else {
    guard let folder else {
      // Unreachable after validate(): FOLDER or --db is required.
      printError(SchoolRecordError.notFound(RecordLocation.resolve(db: db, folder: nil).path).description)
      throw ExitCode(1)
    }
    return (try loadSchool(folder, date: date), nil)
  }
  do {
    let record = try SchoolRecord.open(at: url)
    let loaded = try record.load(date: date)
    if let folder { report(record.staleFileWarnings(in: URL(fileURLWithPath: folder))) }
    report(loaded.warnings)
    return (loaded, record)
  } catch let error as SchoolRecordError {
    printError(error.description)
    throw ExitCode(1)
  } catch let error as InputError {
    report(error.diagnostics)
    throw ExitCode(1)
  }
}

/// The `--db PATH` help shared by `plan`, `status` and `check`.
let folderRecordHelp = ArgumentHelp(
  "The school's record (default: FOLDER/regroup.db when there is one, else the CSV files).",
  valueName: "PATH")

/// Usage check for commands whose FOLDER may be left out when `--db` is given.
func requireFolderOrRecord(_ folder: String?, db: String?) throws {
  if folder == nil, db == nil {
    throw ValidationError("Missing expected argument '<folder>' (or pass --db PATH)")
  }
}
