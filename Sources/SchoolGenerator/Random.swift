/// The generator's own pseudo-random numbers: xoshiro256** seeded through SplitMix64.
///
/// Never the system RNG, and only integer arithmetic and exact floating-point operations
/// (no `log`, `cos`, ...), so the same seed gives the same school on every machine.
struct Xoshiro256 {
  private var s0: UInt64
  private var s1: UInt64
  private var s2: UInt64
  private var s3: UInt64

  init(seed: UInt64) {
    var sm = seed
    func splitMix() -> UInt64 {
      sm &+= 0x9E37_79B9_7F4A_7C15
      var z = sm
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    s0 = splitMix()
    s1 = splitMix()
    s2 = splitMix()
    s3 = splitMix()
  }

  /// An independent stream for one part of the school (students, staff, history...), so that
  /// changing how one part draws numbers does not reshuffle every other part.
  init(seed: UInt64, stream: UInt64) {
    self.init(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
  }

  @inline(__always)
  private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  mutating func next() -> UInt64 {
    let result = Xoshiro256.rotl(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = Xoshiro256.rotl(s3, 45)
    return result
  }

  /// Uniform in [0, 1).
  mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

  /// Uniform in 0..<n (n ≥ 1); Lemire's multiply-shift, unbiased enough for a generator.
  mutating func below(_ n: Int) -> Int {
    precondition(n > 0)
    return Int(next().multipliedFullWidth(by: UInt64(n)).high)
  }

  /// Uniform in the closed range.
  mutating func int(_ range: ClosedRange<Int>) -> Int {
    range.lowerBound + below(range.upperBound - range.lowerBound + 1)
  }

  /// True with probability p.
  mutating func chance(_ p: Double) -> Bool { unit() < p }

  /// Approximately standard normal (Irwin–Hall of four uniforms, scaled to variance 1).
  mutating func normal() -> Double {
    (unit() + unit() + unit() + unit() - 2.0) * 1.7320508075688772
  }

  /// An element chosen uniformly.
  mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

  /// An index chosen with the given non-negative weights.
  mutating func weighted(_ weights: [Double]) -> Int {
    let total = weights.reduce(0, +)
    var x = unit() * total
    for (i, w) in weights.enumerated() {
      if x < w { return i }
      x -= w
    }
    return weights.count - 1
  }

  /// Fisher–Yates shuffle in place.
  mutating func shuffle<T>(_ items: inout [T]) {
    guard items.count > 1 else { return }
    for i in stride(from: items.count - 1, to: 0, by: -1) {
      items.swapAt(i, below(i + 1))
    }
  }
}
