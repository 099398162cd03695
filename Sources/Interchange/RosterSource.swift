import Foundation
import LearnerStatus
import ZIPFoundation

/// A OneRoster CSV set on disk: a folder holding `manifest.csv`, or a `.zip` with the files at its root.
///
/// Members are read in chunks and parsed as they stream (`CSVStreamParser`), so a file of
/// any size is never held whole. Inside a zip, `__MACOSX/` and anything not at the root is
/// ignored. Diagnostics name a member as `roster.zip/results.csv` (a zip) or
/// `results.csv` (a folder).
public final class RosterSource {
  /// The set's path as given.
  public let url: URL
  /// The name diagnostics use for the set: the zip's file name, or nil for a folder.
  public let zipName: String?
  let archive: Archive?
  /// Member file names at the set's root (e.g. `users.csv`), as spelled in the set.
  public let members: [String]

  /// Opens a folder or a zip.
  ///
  /// - Throws: `InputError` when the path is missing or the zip cannot be read.
  public init(_ url: URL) throws {
    self.url = url
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
      throw InputError([
        Diagnostic(.error, file: url.path, "no such OneRoster set (a folder with manifest.csv, or a .zip)")
      ])
    }
    if isDirectory.boolValue {
      zipName = nil
      archive = nil
      let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
      members = names.filter { $0.lowercased().hasSuffix(".csv") }.sorted()
    } else {
      zipName = url.lastPathComponent
      let opened: Archive
      do {
        opened = try Archive(url: url, accessMode: .read)
      } catch {
        throw InputError([
          Diagnostic(.error, file: url.lastPathComponent, "cannot read the file as a zip archive (\(error))")
        ])
      }
      archive = opened
      var names: [String] = []
      for entry in opened where entry.type == .file {
        let path = entry.path
        if path.hasPrefix("__MACOSX/") || path.contains("/") { continue }
        names.append(path)
      }
      members = names.sorted()
    }
  }

  /// The name of `member` in diagnostics: `roster.zip/results.csv`, or `results.csv` in a folder.
  public func origin(_ member: String) -> String {
    zipName.map { "\($0)/\(member)" } ?? member
  }

  /// The member spelled `name` in the set, matched exactly, else ignoring case.
  public func member(named name: String) -> String? {
    if members.contains(name) { return name }
    return members.first { $0.lowercased() == name.lowercased() }
  }

  /// Streams the bytes of `member` in chunks to `body`.
  func bytes(of member: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws {
    if let archive {
      guard let entry = archive[member] else {
        throw InputError([Diagnostic(.error, file: origin(member), "no such file in the zip")])
      }
      // What the consumer throws (bad input, a database error) passes through as it is;
      // anything else is the archive's own problem.
      var consumerError: (any Error)?
      do {
        _ = try archive.extract(entry, bufferSize: 1 << 20, skipCRC32: false) { data in
          do {
            try data.withUnsafeBytes { try body($0) }
          } catch {
            consumerError = error
            throw error
          }
        }
      } catch {
        if let consumerError { throw consumerError }
        throw InputError([
          Diagnostic(.error, file: origin(member), "cannot unpack the file from the zip (\(error))")
        ])
      }
      return
    }
    let path = url.appendingPathComponent(member).path
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw InputError([Diagnostic(.error, file: origin(member), "cannot read the file")])
    }
    defer { try? handle.close() }
    while true {
      let chunk: Data
      do {
        chunk = try handle.read(upToCount: 1 << 20) ?? Data()
      } catch {
        throw InputError([Diagnostic(.error, file: origin(member), "cannot read the file (\(error))")])
      }
      if chunk.isEmpty { break }
      try chunk.withUnsafeBytes { try body($0) }
    }
  }

  /// Streams the records of `member`: the header first (line 1), then each row.
  ///
  /// - Throws: `InputError` at the first malformed-file problem (an unterminated quote, text
  ///   after a closing quote), naming its line; whatever `body` throws.
  public func records(of member: String, _ body: (CSVStreamParser.Record) throws -> Void) throws {
    var parser = CSVStreamParser()
    let origin = origin(member)
    func check(_ parser: CSVStreamParser) throws {
      if let p = parser.problems.first {
        throw InputError([Diagnostic(.error, file: origin, line: p.line, p.message)])
      }
    }
    try bytes(of: member) { chunk in
      try parser.feed(chunk, body)
      try check(parser)
    }
    try parser.finish(body)
    try check(parser)
  }

  /// Streams the rows of `member` as `RosterRow`s after checking its header for `required` columns.
  ///
  /// - Throws: `InputError` for a missing required column (`member:1`), a row with more
  ///   non-empty cells than the header, a malformed file; whatever `body` throws.
  public func rows(
    of member: String, required: [String], _ body: (RosterRow) throws -> Void
  ) throws {
    let origin = origin(member)
    var header: RosterHeader?
    try records(of: member) { record in
      guard let h = header else {
        let made = RosterHeader(record.cells)
        var problems: [Diagnostic] = []
        for column in required where made.index(column) == nil {
          var message = "missing required column \"\(column)\""
          if let near = made.nearest(to: column) {
            message += " (the header has \"\(near)\": fix its spelling)"
          }
          problems.append(Diagnostic(.error, file: origin, line: record.line, message))
        }
        if !problems.isEmpty { throw InputError(problems) }
        header = made
        return
      }
      var cells = record.cells
      if cells.count > h.count {
        if cells[h.count...].contains(where: { !$0.isEmpty }) {
          throw InputError([
            Diagnostic(
              .error, file: origin, line: record.line,
              "row has \(cells.count) cells but the header has \(h.count)")
          ])
        }
        cells.removeLast(cells.count - h.count)
      } else if cells.count < h.count {
        cells += Array(repeating: "", count: h.count - cells.count)
      }
      try body(RosterRow(origin: origin, line: record.line, header: h, cells: cells))
    }
    if header == nil {
      throw InputError([
        Diagnostic(.error, file: origin, line: 1, "the file is empty; its first line must be a header")
      ])
    }
  }

  /// Reads `manifest.csv`.
  ///
  /// - Throws: `InputError` when there is none, or when it names no known OneRoster version.
  public func manifest() throws -> Manifest {
    guard let name = member(named: "manifest.csv") else {
      throw InputError([
        Diagnostic(
          .error, file: zipName ?? url.path,
          "no manifest.csv at the root of the set: a OneRoster export has one "
            + "(propertyName,value rows with oneroster.version and a file.NAME row per file); "
            + "export the set again with its manifest, or add one")
      ])
    }
    var properties: [String: (value: String, line: Int)] = [:]
    try rows(of: name, required: ["propertyName", "value"]) { row in
      var key = row["propertyName"]
      // One vendor writes "mainfest.version": tolerate it.
      if key == "mainfest.version" { key = "manifest.version" }
      properties[key] = (row["value"], row.line)
    }
    let origin = origin(name)
    guard let version = properties["oneroster.version"] else {
      throw InputError([
        Diagnostic(.error, file: origin, "no oneroster.version row: add oneroster.version,1.1 or 1.2")
      ])
    }
    let detected: Manifest.Version
    switch version.value {
    case "1.1", "1.1.0": detected = .v1_1
    case "1.2", "1.2.0", "1.2.1": detected = .v1_2
    default:
      throw InputError([
        Diagnostic(
          .error, file: origin, line: version.line,
          "oneroster.version must be 1.1 or 1.2, found \"\(version.value)\"")
      ])
    }
    var files: [String: Manifest.Mode] = [:]
    var lines: [String: Int] = [:]
    for (key, entry) in properties where key.hasPrefix("file.") {
      let file = String(key.dropFirst(5))
      guard let mode = Manifest.Mode(rawValue: entry.value.lowercased()) else {
        throw InputError([
          Diagnostic(
            .error, file: origin, line: entry.line,
            "\(key) must be absent, bulk or delta, found \"\(entry.value)\"")
        ])
      }
      files[file] = mode
      lines[file] = entry.line
    }
    return Manifest(version: detected, files: files, lines: lines, origin: origin)
  }
}

/// `manifest.csv`: the set's OneRoster version and how each file is given.
public struct Manifest: Sendable {
  /// OneRoster 1.1 or 1.2.
  public enum Version: String, Sendable { case v1_1 = "1.1", v1_2 = "1.2" }
  /// `file.NAME`: absent, the whole file (bulk), or changes (delta).
  public enum Mode: String, Sendable { case absent, bulk, delta }
  public var version: Version
  /// `file.users` → `users`: its mode.
  public var files: [String: Mode]
  /// The manifest line of each `file.NAME` row.
  public var lines: [String: Int]
  /// The manifest's name in diagnostics.
  public var origin: String

  /// The mode of `name` (`users`); absent when the manifest does not list it.
  public func mode(_ name: String) -> Mode { files[name] ?? .absent }
}

/// A CSV header, with columns found by name: exactly, else ignoring case and spaces.
public final class RosterHeader: Sendable {
  public let names: [String]
  let exact: [String: Int]
  let folded: [String: Int]

  /// A header of `names`, in file order.
  public init(_ names: [String]) {
    self.names = names
    var exact: [String: Int] = [:]
    var folded: [String: Int] = [:]
    for (i, name) in names.enumerated() where !name.isEmpty {
      if exact[name] == nil { exact[name] = i }
      let key = name.lowercased().trimmingCharacters(in: .whitespaces)
      if folded[key] == nil { folded[key] = i }
    }
    self.exact = exact
    self.folded = folded
  }

  /// Columns in the header.
  public var count: Int { names.count }

  /// The index of column `name`.
  public func index(_ name: String) -> Int? {
    exact[name] ?? folded[name.lowercased()]
  }

  /// A header name one or two edits from `name` (a typo), if any.
  func nearest(to name: String) -> String? {
    let target = Array(name.lowercased())
    var best: (String, Int)?
    for candidate in names where !candidate.isEmpty {
      let d = editDistance(target, Array(candidate.lowercased()))
      if d <= 2, best == nil || d < best!.1 { best = (candidate, d) }
    }
    return best?.0
  }
}

/// Levenshtein distance between two character arrays.
func editDistance(_ a: [Character], _ b: [Character]) -> Int {
  if a.isEmpty { return b.count }
  if b.isEmpty { return a.count }
  var previous = Array(0...b.count)
  var current = previous
  for i in 1...a.count {
    current[0] = i
    for j in 1...b.count {
      current[j] = min(
        previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
    }
    swap(&previous, &current)
  }
  return previous[b.count]
}

/// One data row of a OneRoster file, with where it came from.
public struct RosterRow: Sendable {
  /// The member in diagnostics (`roster.zip/results.csv`).
  public var origin: String
  /// The physical line the row starts on.
  public var line: Int
  public var header: RosterHeader
  public var cells: [String]

  public init(origin: String, line: Int, header: RosterHeader, cells: [String]) {
    self.origin = origin
    self.line = line
    self.header = header
    self.cells = cells
  }

  /// The cell of `column`, or "" when the file has no such column.
  public subscript(_ column: String) -> String {
    guard let i = header.index(column), i < cells.count else { return "" }
    return cells[i]
  }

  /// An error at this row.
  public func error(_ message: String) -> Diagnostic {
    Diagnostic(.error, file: origin, line: line, message)
  }
}

/// `true`/`TRUE`/`True`/`1`/`yes` as true (real exports write all of them).
public func isTrue(_ cell: String) -> Bool {
  switch cell.lowercased() {
  case "true", "1", "yes", "y", "t": return true
  default: return false
  }
}
