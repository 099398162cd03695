// PlanDay: how fast and how well Regroup plans generated schools of growing size, beside a
// greedy "neediest first" plan and (with --highs) the straightforward model solved by HiGHS.
//
// The parent process runs each size and repeat in a fresh child (`--one N`), so that the
// child's peak resident memory (VmHWM) is that of one plan alone, then prints a Markdown
// table on stdout. Progress goes to stderr. Nothing here asserts a time: it reports.
// See Benchmarks/README.md.

import Foundation
import LearnerStatus
import Planning
import SchoolGenerator

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// MARK: - Options

struct Options {
  var sizes = [100, 300, 1_000, 2_500, 5_000]
  var seed: UInt64 = 1
  var timeLimit = 60.0
  var gap = 1e-6
  var repeats = 3
  /// Sizes HiGHS runs on: nil for none, empty for all.
  var highsSizes: Set<Int>?
  var highsTimeLimit: Double?
  var highsScript: String?
  var python = "python3"
  var one: Int?
  /// With --one: write that school's model as CPLEX LP to this path and stop (for checking bounds).
  var exportModel: String?
  /// The generator's profile (single-table mode and --one).
  var profile = "standard"
  /// --suite: every profile × seed at every suite size, each at its size's time limits.
  var suite = false
  var suiteSizes = [200, 1_000, 2_500, 5_000, 10_000]
  var suiteProfiles: [String]?
  var suiteSeeds: [UInt64] = [1]
  /// Time limits per size for --suite (each school runs once per limit).
  var suiteLimits: [Int: [Double]] = [200: [10], 1_000: [10, 60], 2_500: [30], 5_000: [60], 10_000: [120]]
  /// --suite: append each run's JSON line to this file (to combine parts with --report).
  var save: String?
  /// --report: print the suite's tables from saved runs, running nothing.
  var report: [String] = []
  /// --suite without HiGHS.
  var noHiGHS = false

  static let usage = """
    USAGE: PlanDay [--sizes 100,300,1000,2500,5000] [--seed 1] [--time-limit 60] [--gap 1e-6]
                   [--repeats 3] [--highs | --highs-sizes 100,300] [--highs-time-limit S]
                   [--highs-script PATH] [--python python3]

    Generates a school of each size (not timed), plans its day with Regroup in a fresh
    child process per repeat, and prints a Markdown table on stdout (progress on stderr).
      --sizes             student counts, comma-separated
      --seed              the generator's seed
      --time-limit        Regroup's time limit per plan, seconds
      --gap               Regroup's relative gap target (stop once reached)
      --repeats           plans per size; the table shows the median time
      --highs             also solve the straightforward model with HiGHS (highspy), once
      --highs-sizes       the same, for these sizes only (HiGHS is slow on large schools)
      --highs-time-limit  HiGHS's time limit, seconds (default: --time-limit)
      --highs-script      path of scripts/independent/straightforward.py
      --python            the Python interpreter that has highspy
      --export-model F    with --one N: write that school's model (CPLEX LP) to F and stop,
                          e.g. to check the LP bound with HiGHS
      --profile NAME      the generator's profile (regroup generate --help lists them)

    The suite: many kinds of school at each size, worst and median per size.
      PlanDay --suite [--suite-sizes 200,1000,2500,5000,10000] [--profiles a,b,…]
                      [--suite-seeds 1] [--limits 200:10,1000:10+60,2500:30,5000:60,10000:120]
                      [--highs-sizes 200 | --no-highs] [--highs-time-limit 60] [--save FILE]
      PlanDay --report FILE[,FILE…]   the suite's tables from saved runs (nothing is run)
      --suite-sizes       the sizes (each must have --limits)
      --profiles          the profiles at every size (default: every profile that fits the
                          size: rural only up to 200 students, the rest everywhere)
      --suite-seeds       seeds, comma-separated: each profile runs once per seed
      --limits            SIZE:LIMIT[+LIMIT…] pairs: each school of that size runs once per limit
      --save FILE         append every run's result (one JSON line) to FILE
    In the suite, HiGHS runs only on the sizes --highs-sizes lists (--highs: every size),
    on the straightforward model, with --highs-time-limit (default 60 s).
    """

  static func parse(_ args: [String]) -> Options {
    var o = Options()
    var i = 0
    func value(_ name: String) -> String {
      i += 1
      guard i < args.count else { fail("\(name) needs a value") }
      return args[i]
    }
    func number<T: LosslessStringConvertible>(_ name: String, _: T.Type) -> T {
      let text = value(name)
      guard let v = T(text) else { fail("\(name): not a number: \(text)") }
      return v
    }
    while i < args.count {
      switch args[i] {
      case "--sizes":
        let text = value("--sizes")
        let parts = text.split(separator: ",").map { Int($0.replacingOccurrences(of: "_", with: "")) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) >= 1 }) else {
          fail("--sizes: positive student counts separated by commas, found \(text)")
        }
        o.sizes = parts.map { $0! }
      case "--seed": o.seed = number("--seed", UInt64.self)
      case "--time-limit": o.timeLimit = number("--time-limit", Double.self)
      case "--gap": o.gap = number("--gap", Double.self)
      case "--repeats":
        o.repeats = number("--repeats", Int.self)
        if o.repeats < 1 { fail("--repeats must be at least 1") }
      case "--highs": o.highsSizes = []
      case "--highs-sizes":
        let text = value("--highs-sizes")
        let parts = text.split(separator: ",").map { Int($0.replacingOccurrences(of: "_", with: "")) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) >= 1 }) else {
          fail("--highs-sizes: positive student counts separated by commas, found \(text)")
        }
        o.highsSizes = Set(parts.map { $0! })
      case "--highs-time-limit": o.highsTimeLimit = number("--highs-time-limit", Double.self)
      case "--highs-script": o.highsScript = value("--highs-script")
      case "--python": o.python = value("--python")
      case "--one": o.one = number("--one", Int.self)
      case "--export-model": o.exportModel = value("--export-model")
      case "--profile":
        o.profile = value("--profile")
        guard SchoolProfile.named(o.profile) != nil else { fail("--profile: no profile \(o.profile)") }
      case "--suite": o.suite = true
      case "--suite-sizes":
        let text = value("--suite-sizes")
        let parts = text.split(separator: ",").map { Int($0.replacingOccurrences(of: "_", with: "")) }
        guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) >= 1 }) else {
          fail("--suite-sizes: positive student counts separated by commas, found \(text)")
        }
        o.suiteSizes = parts.map { $0! }
      case "--profiles":
        let names = value("--profiles").split(separator: ",").map(String.init)
        for n in names where SchoolProfile.named(n) == nil { fail("--profiles: no profile \(n)") }
        o.suiteProfiles = names
      case "--suite-seeds":
        let text = value("--suite-seeds")
        let parts = text.split(separator: ",").map { UInt64($0) }
        guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else {
          fail("--suite-seeds: seeds separated by commas, found \(text)")
        }
        o.suiteSeeds = parts.map { $0! }
      case "--limits":
        let text = value("--limits")
        var limits: [Int: [Double]] = [:]
        for pair in text.split(separator: ",") {
          let sides = pair.split(separator: ":")
          guard sides.count == 2, let size = Int(sides[0].replacingOccurrences(of: "_", with: "")) else {
            fail("--limits: SIZE:LIMIT[+LIMIT…] pairs separated by commas, found \(pair)")
          }
          let values = sides[1].split(separator: "+").map { Double($0) }
          guard !values.isEmpty, values.allSatisfy({ ($0 ?? 0) > 0 }) else {
            fail("--limits: positive seconds in \(pair)")
          }
          limits[size] = values.map { $0! }
        }
        o.suiteLimits = limits
      case "--save": o.save = value("--save")
      case "--no-highs": o.noHiGHS = true
      case "--report": o.report = value("--report").split(separator: ",").map(String.init)
      case "-h", "--help":
        print(usage)
        exit(0)
      default: fail("unknown argument \(args[i])\n\(usage)")
      }
      i += 1
    }
    return o
  }

  func runsHiGHS(_ students: Int) -> Bool {
    guard let highsSizes else { return false }
    return highsSizes.isEmpty || highsSizes.contains(students)
  }
}

func fail(_ message: String) -> Never {
  FileHandle.standardError.write(Data("PlanDay: error: \(message)\n".utf8))
  exit(64)
}

func note(_ message: String) {
  FileHandle.standardError.write(Data("PlanDay: \(message)\n".utf8))
}

// MARK: - One run (child process)

/// What one child reports, as one JSON line on stdout.
struct RunResult: Codable {
  var students: Int
  var profile: String?
  var seed: UInt64?
  var timeLimit: Double?
  /// Wall-clock seconds of `Planner.plan`: deriving needs, building the model, solving, decoding.
  var seconds: Double
  /// Wall-clock seconds of deriving the needs and building the model alone (`Planner.modelSize`,
  /// timed separately before the plan), and the model's size.
  var buildSeconds: Double
  var columns: Int
  var rows: Int
  var status: String
  var objective: Double?
  var bound: Double?
  var gap: Double?
  /// Seconds (from the start of `plan`) at which the search first reported gap ≤ 0.5% / 0.1%.
  var secondsToHalfPercent: Double?
  var secondsToTenthPercent: Double?
  /// Peak resident memory of the child in MiB, read right after `plan` returns.
  var peakMiB: Double
  /// Resident memory once the school was generated, before planning.
  var schoolMiB: Double
  var greedyScore: Double?
  /// Broken rules in Regroup's plan, by `PlanChecker` (should be 0).
  var violations: Int
  var sessions: Int
}

/// The first times the search's reported gap fell to the thresholds.
final class GapWatch: @unchecked Sendable {
  private let lock = NSLock()
  private let start: Double
  private var halfPercent: Double?
  private var tenthPercent: Double?

  init(start: Double) { self.start = start }

  func record(gap: Double?) {
    guard let gap else { return }
    let now = Date().timeIntervalSince1970 - start
    lock.lock()
    defer { lock.unlock() }
    if gap <= 0.005, halfPercent == nil { halfPercent = now }
    if gap <= 0.001, tenthPercent == nil { tenthPercent = now }
  }

  var times: (Double?, Double?) {
    lock.lock()
    defer { lock.unlock() }
    return (halfPercent, tenthPercent)
  }
}

/// A line of /proc/self/status in MiB (Linux); elsewhere the peak from getrusage.
func memoryMiB(_ field: String) -> Double {
  if let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) {
    for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
      let kB = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first
      if let kB, let v = Double(kB) { return v / 1024 }
    }
  }
  var usage = rusage()
  #if canImport(Darwin)
    getrusage(RUSAGE_SELF, &usage)
    return Double(usage.ru_maxrss) / 1_048_576  // bytes
  #else
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024  // KiB
  #endif
}

func runOne(students: Int, options o: Options) throws -> RunResult {
  let profile = SchoolProfile.named(o.profile) ?? .standard
  let school = SchoolGenerator(students: students, seed: o.seed, profile: profile).school()  // not timed
  guard let date = school.policy.date else { fail("the generated school has no date") }
  if let path = o.exportModel {
    try Planner().exportModel(school, date: date, to: path)
    exit(0)
  }
  let schoolMiB = memoryMiB("VmRSS")

  let buildStart = Date().timeIntervalSince1970
  let size = Planner().modelSize(school, date: date)
  let buildSeconds = Date().timeIntervalSince1970 - buildStart

  let start = Date().timeIntervalSince1970
  let watch = GapWatch(start: start)
  let planner = Planner(
    options: PlanOptions(
      timeLimit: o.timeLimit, relativeGap: o.gap, start: start,
      progress: { watch.record(gap: $0.gap) }))
  let plan = try planner.plan(school, date: date)
  let seconds = Date().timeIntervalSince1970 - start
  let peakMiB = memoryMiB("VmHWM")

  // Not timed: the baseline and the checks.
  let checker = PlanChecker(school: school, date: date)
  let greedy = planner.greedyPlan(school, date: date)
  var (half, tenth) = watch.times
  // A search that met the threshold without reporting progress: it was met by the end.
  if let g = plan.gap {
    if g <= 0.005, half == nil { half = seconds }
    if g <= 0.001, tenth == nil { tenth = seconds }
  }
  return RunResult(
    students: students, profile: profile.name, seed: o.seed, timeLimit: o.timeLimit, seconds: seconds,
    buildSeconds: buildSeconds, columns: size.columns, rows: size.rows,
    status: plan.status.rawValue,
    objective: plan.objective, bound: plan.bound, gap: plan.gap,
    secondsToHalfPercent: half, secondsToTenthPercent: tenth,
    peakMiB: peakMiB, schoolMiB: schoolMiB,
    greedyScore: greedy.map { checker.score(of: $0) },
    violations: plan.objective == nil
      ? 0 : checker.violations(of: plan.sessions, requests: plan.requests).count,
    sessions: plan.sessions.count)
}

// MARK: - The parent: children, HiGHS, the table

struct Captured {
  var status: Int32
  var stdout: String
}

/// Runs a program, passing its stderr through, and returns its exit status and stdout.
func run(_ executable: String, _ arguments: [String]) throws -> Captured {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: executable)
  process.arguments = arguments
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = FileHandle.standardError
  try process.run()
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return Captured(status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self))
}

func selfExecutable() -> String {
  if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
    return path
  }
  return Bundle.main.executablePath ?? CommandLine.arguments[0]
}

/// The first executable named `name` on PATH (or `name` itself when it has a slash).
func which(_ name: String) -> String? {
  if name.contains("/") { return name }
  let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
  for dir in path.split(separator: ":") {
    let candidate = "\(dir)/\(name)"
    if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
  }
  return nil
}

/// The package root: the working directory when it holds the package, else found from this file.
func packageRoot() -> String {
  let cwd = FileManager.default.currentDirectoryPath
  if FileManager.default.fileExists(atPath: cwd + "/Benchmarks/PlanDay") { return cwd }
  return URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path
}

struct HiGHSResult {
  var status: String
  var seconds: Double
  var objective: Double?
  var bound: Double?
  var gap: Double?
}

func runHiGHS(students: Int, options o: Options) -> HiGHSResult? {
  let script = o.highsScript ?? packageRoot() + "/scripts/independent/straightforward.py"
  guard FileManager.default.fileExists(atPath: script) else {
    note("HiGHS: no script at \(script) (use --highs-script)")
    return nil
  }
  guard let python = which(o.python) else {
    note("HiGHS: \(o.python) is not on PATH (use --python)")
    return nil
  }
  let folder = FileManager.default.temporaryDirectory
    .appendingPathComponent("planday-\(students)-\(o.seed)-\(UUID().uuidString)")
  defer { try? FileManager.default.removeItem(at: folder) }
  do {
    let profile = SchoolProfile.named(o.profile) ?? .standard
    try SchoolGenerator(students: students, seed: o.seed, profile: profile).write(to: folder)
    let limit = o.highsTimeLimit ?? o.timeLimit
    let wall = Date().timeIntervalSince1970
    let out = try run(python, [script, folder.path, "--time-limit", "\(limit)"])
    let wallSeconds = Date().timeIntervalSince1970 - wall
    guard let data = out.stdout.data(using: .utf8),
      let json = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    else {
      note("HiGHS: exit \(out.status), no JSON on stdout")
      return HiGHSResult(status: "failed", seconds: wallSeconds)
    }
    return HiGHSResult(
      status: json["status"] as? String ?? "unknown",
      // The script's own clock: building its model and solving, not Python's start-up.
      seconds: json["seconds"] as? Double ?? wallSeconds,
      objective: json["objective"] as? Double, bound: json["bound"] as? Double,
      gap: json["gap"] as? Double)
  } catch {
    note("HiGHS: \(error)")
    return nil
  }
}

func median(_ values: [Double]) -> Double {
  let s = values.sorted()
  return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func f(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }

func percent(_ gap: Double?) -> String {
  guard let gap else { return "—" }
  if gap < 5e-10 { return "0" }  // rounding noise: the CLI prints the gap to 9 decimals
  let p = gap * 100
  return p >= 0.01 ? String(format: "%.2f%%", p) : String(format: "%.1e%%", p)
}

func git(_ arguments: [String]) -> String? {
  guard let gitPath = which("git"),
    let out = try? run(gitPath, ["-C", packageRoot()] + arguments), out.status == 0
  else { return nil }
  return out.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
}

func runAll(_ o: Options) {
  let me = selfExecutable()
  var rows: [String] = []
  var notes: [String] = []
  for students in o.sizes {
    var results: [RunResult] = []
    var failures: [String] = []
    for r in 1...o.repeats {
      note("\(students) students, run \(r) of \(o.repeats)…")
      let args =
        [
          "--one", "\(students)", "--seed", "\(o.seed)", "--time-limit", "\(o.timeLimit)", "--gap",
          "\(o.gap)", "--profile", o.profile,
        ]
      do {
        let out = try run(me, args)
        let line = out.stdout.split(separator: "\n").last.map(String.init) ?? ""
        if out.status == 0, let result = try? JSONDecoder().decode(RunResult.self, from: Data(line.utf8)) {
          results.append(result)
          note(
            "  \(f(result.seconds, 2)) s, \(result.status), score \(result.objective.map { f($0, 3) } ?? "—"), "
              + "bound \(result.bound.map { f($0, 3) } ?? "—"), gap \(percent(result.gap)), "
              + "greedy \(result.greedyScore.map { f($0, 3) } ?? "—"), "
              + "peak \(f(result.peakMiB)) MiB (school \(f(result.schoolMiB)) MiB)")
        } else {
          failures.append("exit \(out.status)")
          note("  failed: exit \(out.status)")
        }
      } catch {
        failures.append("\(error)")
        note("  failed: \(error)")
      }
    }
    var highsCell = o.runsHiGHS(students) ? "—" : "not run"
    var highsRun: HiGHSResult?
    if o.runsHiGHS(students) {
      note("\(students) students, HiGHS on the straightforward model…")
      highsRun = runHiGHS(students: students, options: o)
      if let h = highsRun {
        highsCell =
          h.gap == nil
          ? "\(f(h.seconds)) s, no plan (\(h.status))" : "\(f(h.seconds)) s, \(percent(h.gap))"
        note(
          "  \(highsCell): \(h.status), objective \(h.objective.map { f($0, 3) } ?? "—"), "
            + "bound \(h.bound.map { f($0, 3) } ?? "—")")
      }
    }
    guard !results.isEmpty else {
      rows.append(
        "| \(students) | | | failed (\(failures.joined(separator: ", "))) | | | | | | \(highsCell) |")
      continue
    }
    // The run with the median time (the lower middle one for an even count) gives the
    // status, gap and greedy ratio; peak memory is the largest of the runs.
    let byTime = results.sorted { $0.seconds < $1.seconds }
    let mid = byTime[(byTime.count - 1) / 2]
    let statuses = Set(results.map(\.status))
    let status = statuses.count == 1 ? mid.status : results.map(\.status).joined(separator: "/")
    let greedy: String
    if let g = mid.greedyScore, let obj = mid.objective, obj > 0 {
      greedy = String(format: "%.1f%%", g / obj * 100)
    } else {
      greedy = "—"
    }
    let reach = [mid.secondsToHalfPercent, mid.secondsToTenthPercent]
      .map { $0.map { f($0) } ?? "—" }.joined(separator: " / ")
    rows.append(
      "| \(students) | \(mid.columns) × \(mid.rows) | \(f(median(results.map(\.buildSeconds)), 2)) | "
        + "\(f(median(results.map(\.seconds)), 2)) | \(status) | \(percent(mid.gap)) | "
        + "\(reach) | \(f(results.map(\.peakMiB).max()!)) | \(greedy) | \(highsCell) |")
    if !failures.isEmpty {
      notes.append("\(students) students: \(failures.count) of \(o.repeats) runs failed.")
    }
    for r in results where r.violations > 0 {
      notes.append("\(students) students: Regroup's plan breaks \(r.violations) rules (PlanChecker).")
    }
    // Cross-check: neither solver may beat the other's proven bound.
    if let h = highsRun, let hObj = h.objective, let bound = mid.bound,
      hObj > bound + 1e-6 * max(1, abs(bound))
    {
      notes.append("\(students) students: HiGHS's plan (\(hObj)) beats Regroup's bound (\(bound)).")
    }
    if let h = highsRun, let hBound = h.bound, let obj = mid.objective,
      obj > hBound + 1e-6 * max(1, abs(hBound))
    {
      notes.append("\(students) students: Regroup's plan (\(obj)) beats HiGHS's bound (\(hBound)).")
    }
  }

  let info = ProcessInfo.processInfo
  var planner = git(["log", "-1", "--format=%h", "--", "Sources/Planning"]) ?? "unknown"
  if let dirty = git(["status", "--porcelain", "--", "Sources/Planning", "Sources/Solver"]), !dirty.isEmpty {
    planner += " + uncommitted changes"
  }
  let highsLimit = o.highsTimeLimit ?? o.timeLimit
  print(
    """
    Profile \(o.profile), seed \(o.seed); Regroup time limit \(f(o.timeLimit, 0)) s, gap target \(o.gap); \
    \(o.repeats) run(s) per size\(o.highsSizes != nil ? "; HiGHS time limit \(f(highsLimit, 0)) s, one run" : "").
    Planner commit \(planner); \(info.activeProcessorCount) cores, \
    \(f(Double(info.physicalMemory) / 1_073_741_824)) GiB.

    | students | model (columns × rows) | build s (median) | build+solve s (median) | status | gap | to 0.5% / 0.1% s | peak MiB | greedy % of Regroup | HiGHS straightforward (s, gap) |
    |---:|---:|---:|---:|---|---:|---:|---:|---:|---|
    """)
  for row in rows { print(row) }
  if !notes.isEmpty {
    print("")
    for n in notes { print("- \(n)") }
  }
}

// MARK: - Entry

let options = Options.parse(Array(CommandLine.arguments.dropFirst()))
if !options.report.isEmpty {
  printSuite(loadSaved(options.report), options: options)
} else if options.suite {
  runSuite(options)
} else if let students = options.one {
  do {
    let result = try runOne(students: students, options: options)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    print(String(decoding: try encoder.encode(result), as: UTF8.self))
  } catch {
    fail("planning \(students) students: \(error)")
  }
} else {
  runAll(options)
}
