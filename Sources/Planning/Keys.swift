/// A group of interchangeable staff members: same subjects, group size, minutes and
/// blocks, and no request or pin naming any of them. A member named by a request or a
/// pin is a class of one.
struct StaffClass: Sendable {
  /// Staff indices, in file order.
  let members: [Int]
  /// The blocks the class may lead in, ascending.
  let blocks: [Int]
  /// teachable[b]: targets the class may teach in block b (R2).
  let teachable: [Int: [Int]]
  let capacity: Int
  let maxMinutes: Int
  /// Maximal sets of blocks whose minutes fit in `maxMinutes` (R3), each ascending.
  let patterns: [[Int]]
  /// True for a class of one whose member a request or pin names.
  let isNamed: Bool

  var size: Int { members.count }
}

/// (class, block, target): the sessions one staff class runs on a target in a block.
struct SessionKey: Hashable, Comparable {
  let staffClass: Int
  let block: Int
  let target: Int
  static func < (a: SessionKey, b: SessionKey) -> Bool {
    (a.block, a.target, a.staffClass) < (b.block, b.target, b.staffClass)
  }
}

/// (block, target): where a student can be placed on a target.
struct SlotKey: Hashable, Comparable {
  let block: Int
  let target: Int
  static func < (a: SlotKey, b: SlotKey) -> Bool { (a.block, a.target) < (b.block, b.target) }
}

/// (student, block, target): a student placed on a target they need in a block.
struct PlacementKey: Hashable, Comparable {
  let student: Int
  let block: Int
  let target: Int
  static func < (a: PlacementKey, b: PlacementKey) -> Bool {
    (a.student, a.block, a.target) < (b.student, b.block, b.target)
  }
}

/// (student, block, staff, target): a student placed with a particular staff member
/// because a request or pin ties the two.
struct NamedPlacementKey: Hashable, Comparable {
  let student: Int
  let block: Int
  let staff: Int
  let target: Int
  static func < (a: NamedPlacementKey, b: NamedPlacementKey) -> Bool {
    (a.student, a.block, a.staff, a.target) < (b.student, b.block, b.staff, b.target)
  }
}

/// Makes a name safe for LP files: letters, digits and `_ . -` only.
func lpName(_ parts: String...) -> String {
  // Built as bytes: every character of the result is ASCII, so 250 bytes are 250 characters
  // (models have a name per column and row, and simulations build many models).
  var out: [UInt8] = []
  out.reserveCapacity(64)
  for (i, part) in parts.enumerated() {
    if i > 0 { out.append(UInt8(ascii: "_")) }
    for scalar in part.unicodeScalars {
      if scalar.isASCII,
        CharacterSetLite.isAlnum(scalar) || scalar == "." || scalar == "-" || scalar == "_"
      {
        out.append(UInt8(scalar.value))
      } else {
        out.append(UInt8(ascii: "x"))
        out.append(contentsOf: String(scalar.value, radix: 16).utf8)
      }
    }
  }
  if out.count > 250 { out.removeLast(out.count - 250) }
  return String(decoding: out, as: UTF8.self)
}

enum CharacterSetLite {
  static func isAlnum(_ s: Unicode.Scalar) -> Bool {
    (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9")
  }
}
