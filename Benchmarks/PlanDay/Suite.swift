// PlanDay --suite: many kinds of school (the generator's profiles × seeds) at each size, each at
// its size's time limits, reported as the worst and the median per size and limit, beside HiGHS
// on the straightforward model and the greedy plan. See Benchmarks/README.md.

import Foundation
import SchoolGenerator

/// One saved line of a suite run: a Regroup run or a HiGHS run, as JSON.
struct SavedLine: Codable {
  var regroup: RunResult?
  var highs: HiGHSRecord?
}

/// HiGHS's result on one school, with the school it was for.
struct HiGHSRecord: Codable {
  var students: Int
  var profile: String
  var seed: UInt64
  var timeLimit: Double
  var status: String
  var seconds: Double
  var objective: Double?
  var bound: Double?
  var gap: Double?
}

/// The profiles a suite size runs: the chosen ones, or every profile that fits the size (a
/// two-person rural school only up to 200 students).
func suiteProfiles(_ o: Options, students: Int) -> [String] {
  if let chosen = o.suiteProfiles { return chosen }
  return SchoolProfile.all.map(\.name).filter { $0 != "rural" || students <= 200 }
}

func append(_ line: SavedLine, to path: String?) {
  guard let path else { return }
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.sortedKeys]
  guard let data = try? encoder.encode(line) else { return }
  let url = URL(fileURLWithPath: path)
  if !FileManager.default.fileExists(atPath: path) {
    _ = FileManager.default.createFile(atPath: path, contents: nil)
  }
  guard let handle = try? FileHandle(forWritingTo: url) else {
    note("cannot write \(path)")
    return
  }
  handle.seekToEndOfFile()
  handle.write(data + Data("\n".utf8))
  try? handle.close()
}

func loadSaved(_ paths: [String]) -> [SavedLine] {
  var lines: [SavedLine] = []
  for path in paths {
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      fail("--report: cannot read \(path)")
    }
    for (i, line) in text.split(separator: "\n").enumerated() where !line.isEmpty {
      guard let saved = try? JSONDecoder().decode(SavedLine.self, from: Data(line.utf8)) else {
        fail("\(path):\(i + 1): not a saved PlanDay line")
      }
      lines.append(saved)
    }
  }
  return lines
}

func runSuite(_ o: Options) {
  let me = selfExecutable()
  var lines: [SavedLine] = []
  for students in o.suiteSizes {
    guard let limits = o.suiteLimits[students] else {
      fail("--suite-sizes: no time limit for \(students) students (give --limits \(students):S)")
    }
    let profiles = suiteProfiles(o, students: students)
    for limit in limits {
      for profile in profiles {
        for seed in o.suiteSeeds {
          note("\(students) students, \(profile) seed \(seed), limit \(f(limit, 0)) s…")
          let args = [
            "--one", "\(students)", "--seed", "\(seed)", "--time-limit", "\(limit)", "--gap",
            "\(o.gap)", "--profile", profile,
          ]
          var result: RunResult?
          do {
            let out = try run(me, args)
            let last = out.stdout.split(separator: "\n").last.map(String.init) ?? ""
            if out.status == 0 {
              result = try? JSONDecoder().decode(RunResult.self, from: Data(last.utf8))
            }
            if result == nil { note("  failed: exit \(out.status)") }
          } catch {
            note("  failed: \(error)")
          }
          let r =
            result
            ?? RunResult(
              students: students, profile: profile, seed: seed, timeLimit: limit, seconds: 0,
              buildSeconds: 0, columns: 0, rows: 0, status: "failed", peakMiB: 0, schoolMiB: 0,
              violations: 0, sessions: 0)
          if let result {
            note(
              "  \(f(result.seconds, 2)) s, \(result.status), score \(result.objective.map { f($0, 3) } ?? "—"), "
                + "bound \(result.bound.map { f($0, 3) } ?? "—"), gap \(percent(result.gap)), "
                + "to 0.5% \(result.secondsToHalfPercent.map { f($0, 1) } ?? "—") s, "
                + "peak \(f(result.peakMiB)) MiB, \(result.columns) × \(result.rows)")
          }
          let line = SavedLine(regroup: r, highs: nil)
          lines.append(line)
          append(line, to: o.save)
        }
      }
    }
    // HiGHS once per school, on the sizes it fits.
    let highsSizes = o.highsSizes ?? [200]
    guard highsSizes.isEmpty || highsSizes.contains(students), !o.noHiGHS else { continue }
    for profile in profiles {
      for seed in o.suiteSeeds {
        note("\(students) students, \(profile) seed \(seed), HiGHS on the straightforward model…")
        var one = o
        one.profile = profile
        one.seed = seed
        let limit = o.highsTimeLimit ?? 60
        one.highsTimeLimit = limit
        guard let h = runHiGHS(students: students, options: one) else { continue }
        note(
          "  \(f(h.seconds)) s, \(h.status), objective \(h.objective.map { f($0, 3) } ?? "—"), "
            + "bound \(h.bound.map { f($0, 3) } ?? "—")")
        let line = SavedLine(
          regroup: nil,
          highs: HiGHSRecord(
            students: students, profile: profile, seed: seed, timeLimit: limit, status: h.status,
            seconds: h.seconds, objective: h.objective, bound: h.bound, gap: h.gap))
        lines.append(line)
        append(line, to: o.save)
      }
    }
  }
  printSuite(lines, options: o)
}

/// The gap of a run, +∞ for a run without a plan (so it counts as the worst).
func gapOrWorst(_ r: RunResult) -> Double { r.gap ?? .infinity }

func school(_ r: RunResult) -> String { "\(r.profile ?? "standard")/\(r.seed ?? 0)" }

func printSuite(_ lines: [SavedLine], options o: Options) {
  let runs = lines.compactMap(\.regroup)
  let highs = lines.compactMap(\.highs)
  func highsFor(_ r: RunResult) -> HiGHSRecord? {
    highs.first { $0.students == r.students && $0.profile == r.profile && $0.seed == r.seed }
  }
  var keys: [(Int, Double)] = []
  for r in runs where !keys.contains(where: { $0 == (r.students, r.timeLimit ?? 0) }) {
    keys.append((r.students, r.timeLimit ?? 0))
  }
  keys.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
  let info = ProcessInfo.processInfo
  var planner = git(["log", "-1", "--format=%h", "--", "Sources/Planning"]) ?? "unknown"
  if let dirty = git(["status", "--porcelain", "--", "Sources/Planning", "Sources/Solver"]),
    !dirty.isEmpty
  {
    planner += " + uncommitted changes"
  }
  print(
    """
    Suite: \(runs.count) Regroup runs, \(highs.count) HiGHS runs. Planner commit \(planner) \
    (of the printing binary); \(info.activeProcessorCount) cores, \
    \(f(Double(info.physicalMemory) / 1_073_741_824)) GiB.

    | students | limit s | schools | worst gap (school) | median gap | optimal | to 0.5%: worst / median s | peak MiB (worst) | model columns × rows (largest) | greedy % of Regroup (worst / median) | HiGHS straightforward: worst / median gap |
    |---:|---:|---:|---|---:|---:|---|---:|---|---|---|
    """)
  var notes: [String] = []
  for (students, limit) in keys {
    let group = runs.filter { $0.students == students && ($0.timeLimit ?? 0) == limit }
    guard !group.isEmpty else { continue }
    let worst = group.max { gapOrWorst($0) < gapOrWorst($1) }!
    let gaps = group.map(gapOrWorst)
    let optimal = group.filter { $0.status == "optimal" }
    let proof =
      optimal.count == group.count && !group.isEmpty
      ? " (all; slowest \(f(optimal.map(\.seconds).max()!, 1)) s)" : ""
    let reached = group.compactMap(\.secondsToHalfPercent)
    let never = group.count - reached.count
    let reach =
      never > 0
      ? "never on \(never) (\(group.filter { $0.secondsToHalfPercent == nil }.map(school).joined(separator: ", ")))"
        + (reached.isEmpty ? "" : "; others \(f(reached.max()!)) / \(f(median(reached)))")
      : "\(f(reached.max()!)) / \(f(median(reached)))"
    let largest = group.max { $0.columns < $1.columns }!
    let ratios = group.compactMap { r -> Double? in
      guard let g = r.greedyScore, let obj = r.objective, obj > 0 else { return nil }
      return g / obj * 100
    }
    let greedy =
      ratios.isEmpty
      ? "—" : String(format: "%.1f%% / %.1f%%", ratios.min()!, median(ratios))
    let hs = group.compactMap(highsFor)
    // A school HiGHS found no plan for has no gap: counted apart, never printed as "inf%".
    let withPlan = hs.compactMap(\.gap)
    let noPlan = hs.count - withPlan.count
    let highsCell =
      hs.isEmpty
      ? "not run"
      : (withPlan.isEmpty ? "no plan" : "\(percent(withPlan.max()!)) / \(percent(median(withPlan)))")
        + (noPlan > 0 ? ", no plan on \(noPlan)" : "") + " (\(hs.count) schools, \(f(hs[0].timeLimit, 0)) s)"
    print(
      "| \(students) | \(f(limit, 0)) | \(group.count) | \(percent(worst.gap)) (\(school(worst))) | "
        + "\(percent(median(gaps))) | \(optimal.count)\(proof) | \(reach) | "
        + "\(f(group.map(\.peakMiB).max()!)) | \(largest.columns) × \(largest.rows) (\(school(largest))) | "
        + "\(greedy) | \(highsCell) |")
    for r in group where r.violations > 0 {
      notes.append("\(students) students, \(school(r)): Regroup's plan breaks \(r.violations) rules.")
    }
    for r in group where r.status == "failed" {
      notes.append("\(students) students, \(school(r)), \(f(limit, 0)) s: the run failed.")
    }
    for r in group {
      guard let h = highsFor(r) else { continue }
      if let hObj = h.objective, let bound = r.bound, hObj > bound + 1e-6 * max(1, abs(bound)) {
        notes.append(
          "\(students) students, \(school(r)): HiGHS's plan (\(hObj)) beats Regroup's bound (\(bound)).")
      }
      if let hBound = h.bound, let obj = r.objective, obj > hBound + 1e-6 * max(1, abs(hBound)) {
        notes.append(
          "\(students) students, \(school(r)): Regroup's plan (\(obj)) beats HiGHS's bound (\(hBound)).")
      }
    }
  }
  if !notes.isEmpty {
    print("")
    for n in notes { print("- \(n)") }
  }
  print(
    """

    Every school:

    | students | limit s | school (profile/seed) | columns × rows | build s | s | status | score | bound | gap | to 0.5% / 0.1% s | peak MiB | greedy % | HiGHS (s, gap, plan) |
    |---:|---:|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|
    """)
  for (students, limit) in keys {
    for r in runs where r.students == students && (r.timeLimit ?? 0) == limit {
      let greedy: String
      if let g = r.greedyScore, let obj = r.objective, obj > 0 {
        greedy = String(format: "%.1f%%", g / obj * 100)
      } else {
        greedy = "—"
      }
      let h = highsFor(r).map {
        "\(f($0.seconds)) s, \(percent($0.gap)), \($0.objective.map { f($0, 1) } ?? "no plan")"
      }
      let reach = [r.secondsToHalfPercent, r.secondsToTenthPercent].map { $0.map { f($0) } ?? "—" }
        .joined(separator: " / ")
      print(
        "| \(students) | \(f(limit, 0)) | \(school(r)) | \(r.columns) × \(r.rows) | \(f(r.buildSeconds, 2)) | "
          + "\(f(r.seconds, 2)) | \(r.status) | \(r.objective.map { f($0, 1) } ?? "—") | "
          + "\(r.bound.map { f($0, 1) } ?? "—") | \(percent(r.gap)) | \(reach) | \(f(r.peakMiB)) | "
          + "\(greedy) | \(h ?? "not run") |")
    }
  }
}
