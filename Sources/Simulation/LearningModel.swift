import LearnerStatus

/// How simulated sessions turn into new evidence (documented in the README; every
/// parameter is settable from `regroup simulate`).
///
/// - A student in a session on target t on day d gets one new evidence row for (s, t)
///   dated d: `min(4, L + gain)`, where L is their level that morning and
///   `gain = U(gainMin, gainMax) · (1 + gap) / 2` per session that day, with
///   `gap = max(0, proficient − L)`: the further below proficient, the bigger the step.
/// - Drift: every `driftEvery` school days, each (student, target) with a level and no
///   session in those days gets a row `max(0, L − U(0, driftMax))`.
/// - Draws are keyed by (seed, day, student, target), so the same seed gives the same
///   evidence, whatever order things are computed in.
public struct LearningModel: Sendable, Equatable, Codable {
  public var seed: UInt64
  public var gainMin: Double
  public var gainMax: Double
  public var driftMax: Double
  public var driftEvery: Int

  public init(
    seed: UInt64 = 1, gainMin: Double = 0.3, gainMax: Double = 0.9, driftMax: Double = 0.05,
    driftEvery: Int = 5
  ) {
    self.seed = seed
    self.gainMin = gainMin
    self.gainMax = gainMax
    self.driftMax = driftMax
    self.driftEvery = driftEvery
  }

  enum CodingKeys: String, CodingKey {
    case seed
    case gainMin = "gain_min"
    case gainMax = "gain_max"
    case driftMax = "drift_max"
    case driftEvery = "drift_every"
  }

  /// A problem with the parameters, in words; nil when they are usable.
  public var problem: String? {
    if !(gainMin.isFinite && gainMax.isFinite && gainMin >= 0 && gainMax >= gainMin) {
      return "the gain must satisfy 0 ≤ gain-min ≤ gain-max"
    }
    if !(driftMax.isFinite && driftMax >= 0) { return "drift-max must be a number ≥ 0" }
    if driftEvery < 1 { return "drift-every must be an integer ≥ 1" }
    return nil
  }

  /// The evidence level after `sessions` sessions on (student, target) on `day`, from level L.
  public func afterSessions(
    level: Double, sessions: Int, student: String, target: String, day: Day, proficient: Double
  ) -> Double {
    var rng = SplitMix64(seed: seed, key: ["gain", student, target], day: day.ordinal)
    let gap = max(0, proficient - level)
    var gain = 0.0
    for _ in 0..<max(1, sessions) { gain += rng.uniform(gainMin, gainMax) * (1 + gap) / 2 }
    return min(4, level + gain)
  }

  /// The evidence level after drift on `day`, from level L.
  public func afterDrift(level: Double, student: String, target: String, day: Day) -> Double {
    var rng = SplitMix64(seed: seed, key: ["drift", student, target], day: day.ordinal)
    return max(0, level - rng.uniform(0, driftMax))
  }
}
