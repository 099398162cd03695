import Foundation

/// Where the school's record is (spec §8).
public enum RecordLocation {
  /// The record's file name beside the school's files.
  public static let fileName = "regroup.db"

  /// `--db PATH` when given; else `FOLDER/regroup.db` for a command that takes a folder; else `$REGROUP_DB`, else `./regroup.db`.
  public static func resolve(
    db: String?, folder: String?,
    environment: [String: String] = ProcessInfo.processInfo.environment,
    currentDirectory: String = FileManager.default.currentDirectoryPath
  ) -> URL {
    if let db, !db.isEmpty { return absolute(db, currentDirectory).standardizedFileURL }
    if let folder, !folder.isEmpty {
      return absolute(folder, currentDirectory).appendingPathComponent(fileName).standardizedFileURL
    }
    if let env = environment["REGROUP_DB"], !env.isEmpty {
      return absolute(env, currentDirectory).standardizedFileURL
    }
    return URL(fileURLWithPath: currentDirectory).appendingPathComponent(fileName)
  }

  /// For `plan`, `status` and `check`: the record to read, or nil when the folder has none and no `--db` was given (read the CSV files then).
  ///
  /// - Throws: `SchoolRecordError.notFound` when `--db` names a file that does not exist.
  public static func existing(db: String?, folder: String?) throws -> URL? {
    let url = resolve(db: db, folder: folder ?? ".")
    let exists = FileManager.default.fileExists(atPath: url.path)
    if db != nil, !exists { throw SchoolRecordError.notFound(url.path) }
    return exists ? url : nil
  }

  static func absolute(_ path: String, _ base: String) -> URL {
    path.hasPrefix("/")
      ? URL(fileURLWithPath: path)
      : URL(fileURLWithPath: base).appendingPathComponent(path)
  }
}
