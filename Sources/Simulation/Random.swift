/// SplitMix64: the simulation's own pseudo-random numbers, never the system RNG.
///
/// Every draw is keyed by what it is for (seed, day, student, target), through a stable
/// string hash, so no dictionary or thread order can change a result, and every scenario
/// sees the same draw for the same session (common random numbers: differences between
/// scenarios come from the plans, not from luck).
struct SplitMix64 {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// Uniform in [0, 1), from the top 53 bits.
  mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

  /// Uniform in [low, high).
  mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }

  /// A generator for one keyed draw: the seed mixed with each part of the key in turn.
  init(seed: UInt64, key: [String], day: Int) {
    var mixer = SplitMix64(seed: seed ^ UInt64(bitPattern: Int64(day)) &* 0xD1B5_4A32_D192_ED03)
    var h = mixer.next()
    for part in key {
      h ^= StableHash.fnv1a(part)
      mixer = SplitMix64(seed: h)
      h = mixer.next()
    }
    self.init(seed: h)
  }
}

/// FNV-1a over UTF-8: the same on every run and machine (unlike `Hasher`).
enum StableHash {
  static func fnv1a(_ text: String) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in text.utf8 {
      h ^= UInt64(b)
      h = h &* 0x0000_0100_0000_01B3
    }
    return h
  }
}
