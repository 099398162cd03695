import Foundation
import LearnerStatus

/// A CASE 1.0 package (`{CFDocument, CFItems, CFAssociations, …}`), decoded with Foundation's Codable.
public struct CASEPackage: Sendable {
  /// One CFItem: a standard, a cluster, a domain …
  public struct Item: Sendable, Decodable {
    public var identifier: String
    public var fullStatement: String
    public var abbreviatedStatement: String?
    public var humanCodingScheme: String?
    public var itemType: String?
    public var listEnumeration: String?
    public var educationLevel: [String]

    enum CodingKeys: String, CodingKey {
      case identifier, fullStatement, abbreviatedStatement, humanCodingScheme, listEnumeration,
        educationLevel
      case itemType = "CFItemType"
    }

    public init(from decoder: Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      identifier = try c.decode(String.self, forKey: .identifier)
      fullStatement = try c.decodeIfPresent(String.self, forKey: .fullStatement) ?? ""
      abbreviatedStatement = try c.decodeIfPresent(String.self, forKey: .abbreviatedStatement)
      humanCodingScheme = try c.decodeIfPresent(String.self, forKey: .humanCodingScheme)
      itemType = try c.decodeIfPresent(String.self, forKey: .itemType)
      listEnumeration = try c.decodeIfPresent(String.self, forKey: .listEnumeration)
      // educationLevel is an array in the spec and a plain string in some files.
      if let list = try? c.decodeIfPresent([String].self, forKey: .educationLevel) {
        educationLevel = list
      } else if let one = try? c.decodeIfPresent(String.self, forKey: .educationLevel) {
        educationLevel = one.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
      } else {
        educationLevel = []
      }
    }
  }

  /// A node reference of an association.
  public struct Node: Sendable, Decodable {
    public var identifier: String
    public var title: String?
    public var uri: String?
  }

  /// One CFAssociation, read origin → destination (`A precedes B`, `A isChildOf B`).
  public struct Association: Sendable, Decodable {
    public var identifier: String
    public var associationType: String
    public var originNodeURI: Node
    public var destinationNodeURI: Node
    public var sequenceNumber: Int?
  }

  struct Document: Sendable, Decodable {
    var identifier: String?
    var title: String?
    var subject: [String]?
  }

  struct Root: Decodable {
    var CFDocument: Document?
    var CFItems: [Item]?
    var CFAssociations: [Association]?
  }

  /// The package's file name in diagnostics.
  public var origin: String
  public var title: String
  public var subjects: [String]
  public var items: [Item]
  public var associations: [Association]
  /// The first line of each JSON string of the package, to give an item's or association's line.
  let lines: [String: Int]

  /// Reads the package at `url`.
  ///
  /// - Throws: `InputError` naming the file when it is missing, not JSON, or not a CASE package.
  public static func load(_ url: URL) throws -> CASEPackage {
    let origin = url.lastPathComponent
    guard let data = FileManager.default.contents(atPath: url.path) else {
      throw InputError([Diagnostic(.error, file: url.path, "cannot read the CASE package")])
    }
    return try decode(data, origin: origin)
  }

  /// Decodes a package from its JSON bytes.
  public static func decode(_ data: Data, origin: String) throws -> CASEPackage {
    let root: Root
    do {
      root = try JSONDecoder().decode(Root.self, from: data)
    } catch let DecodingError.dataCorrupted(context) {
      throw InputError([
        Diagnostic(
          .error, file: origin,
          "not valid JSON: \(context.underlyingError.map { "\($0)" } ?? context.debugDescription)")
      ])
    } catch let DecodingError.keyNotFound(key, context) {
      throw InputError([
        Diagnostic(
          .error, file: origin,
          "a CASE package needs \(key.stringValue) at \(path(context.codingPath)); add it")
      ])
    } catch let DecodingError.typeMismatch(_, context) {
      throw InputError([
        Diagnostic(
          .error, file: origin, "\(path(context.codingPath)) has the wrong type: \(context.debugDescription)")
      ])
    } catch {
      throw InputError([Diagnostic(.error, file: origin, "not a CASE package: \(error)")])
    }
    guard let items = root.CFItems, root.CFDocument != nil else {
      throw InputError([
        Diagnostic(
          .error, file: origin,
          "not a CASE 1.0 package: it needs CFDocument and CFItems (a pre-1.0 lsDoc/lsItems file "
            + "must be converted first)")
      ])
    }
    return CASEPackage(
      origin: origin, title: root.CFDocument?.title ?? "", subjects: root.CFDocument?.subject ?? [],
      items: items, associations: root.CFAssociations ?? [],
      lines: stringLines(String(decoding: data, as: UTF8.self)))
  }

  /// A UUID in one comparable form: lower case, without `urn:uuid:`.
  public static func normalized(_ identifier: String) -> String {
    var id = identifier.trimmingCharacters(in: .whitespaces)
    if id.lowercased().hasPrefix("urn:uuid:") { id.removeFirst(9) }
    return id.lowercased()
  }

  /// The line of the package on which `identifier` first appears as a JSON string (for messages).
  public func line(of identifier: String) -> Int? { lines[identifier] }

  /// The first line of every JSON string of the package, found in one pass over its bytes.
  static func stringLines(_ text: String) -> [String: Int] {
    var out: [String: Int] = [:]
    var line = 1
    var current: [UInt8] = []
    var inString = false
    var escaped = false
    var start = 1
    for b in text.utf8 {
      if inString {
        if escaped {
          escaped = false
          current.append(b)
        } else if b == UInt8(ascii: "\\") {
          escaped = true
          current.append(b)
        } else if b == UInt8(ascii: "\"") {
          inString = false
          let s = String(decoding: current, as: UTF8.self)
          if out[s] == nil { out[s] = start }
        } else {
          current.append(b)
        }
      } else if b == UInt8(ascii: "\"") {
        inString = true
        current.removeAll(keepingCapacity: true)
        start = line
      }
      if b == UInt8(ascii: "\n") { line += 1 }
    }
    return out
  }

  static func path(_ codingPath: [CodingKey]) -> String {
    codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
      .trimmingCharacters(in: CharacterSet(charactersIn: "."))
  }
}
