import ArgumentParser
import Foundation
import LearnerStatus
import SchoolGenerator

/// `regroup generate OUT [--profile P] --students N --seed S`: writes a synthetic school folder.
struct Generate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Write a realistic synthetic school folder (same seed, same bytes).",
    discussion: """
      The school has mastery evidence correlated with each student's ability and each \
      target's difficulty, classroom teachers, interventionists and specialists, a \
      fortnight of history, requests and a few pins, always feasible together. Its shape \
      comes from --profile (default standard: about one classroom teacher per 22 students, \
      three blocks (math, reading, a school-wide WIN block), requests for about 6% of \
      students). Profiles (and the size each is typical of):

      \(SchoolProfile.all.map { "  \($0.name) (~\($0.defaultStudents)): \($0.summary)" }.joined(separator: "\n"))
      """)

  @Argument(help: "The folder to write (created when missing; must be empty unless --force).")
  var out: String

  @Option(help: "The school's shape: \(SchoolProfile.all.map(\.name).joined(separator: ", ")).")
  var profile: String = "standard"

  @Option(help: "Number of students (at least 1).")
  var students: Int

  @Option(help: "Seed of the generator: the same seed gives the same folder, byte for byte.")
  var seed: UInt64

  @Option(help: "Grades, comma-separated, each 1–12 (default: the profile's; standard 3,4,5).")
  var grades: String?

  @Option(
    help: "Status method written to school.toml: decaying, recent, mean or highest (default: the profile's)."
  )
  var method: String?

  @Option(help: "The day to plan, YYYY-MM-DD (written to school.toml).")
  var date: Day = Day("2026-11-25")!

  @Flag(help: "Write into a non-empty folder, replacing the school's files.")
  var force = false

  /// The profile, with --method applied.
  func chosenProfile() throws -> SchoolProfile {
    guard var chosen = SchoolProfile.named(profile) else {
      let names = SchoolProfile.all.map(\.name).joined(separator: ", ")
      throw ValidationError("--profile must be one of \(names), found \"\(profile)\"")
    }
    if let method {
      guard let m = StatusMethod(rawValue: method) else {
        throw ValidationError(
          "--method must be decaying, recent, mean or highest, found \"\(method)\"")
      }
      chosen = chosen.with(method: m)
    }
    return chosen
  }

  func parsedGrades() throws -> [Int] {
    guard let grades else { return try chosenProfile().defaultGrades }
    var out: [Int] = []
    for part in grades.split(separator: ",", omittingEmptySubsequences: false) {
      let text = part.trimmingCharacters(in: .whitespaces)
      guard let g = Int(text) else {
        throw ValidationError("--grades must be comma-separated integers, found \"\(grades)\"")
      }
      out.append(g)
    }
    return out
  }

  func validate() throws {
    let problems = SchoolGenerator.problems(
      students: students, grades: try parsedGrades(), date: date.description)
    if let first = problems.first { throw ValidationError(first) }
  }

  func run() throws {
    let profile = try chosenProfile()
    let folder = URL(fileURLWithPath: out)
    let fm = FileManager.default
    var isDirectory: ObjCBool = false
    if fm.fileExists(atPath: folder.path, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else {
        printError("\(out): error: exists and is not a folder")
        throw ExitCode(1)
      }
      let contents = (try? fm.contentsOfDirectory(atPath: folder.path)) ?? []
      if !contents.isEmpty && !force {
        printError("\(out): error: folder is not empty (use --force to write into it)")
        throw ExitCode(1)
      }
    }
    let generator = SchoolGenerator(
      students: students, seed: seed, grades: try parsedGrades(), date: date.description,
      profile: profile)
    do {
      try generator.write(to: folder)
    } catch {
      printError("\(out): error: cannot write: \(error.localizedDescription)")
      throw ExitCode(1)
    }
    if force, fm.fileExists(atPath: folder.appendingPathComponent("regroup.db").path) {
      printError(
        "\(out): warning: regroup.db was left as it was; run `regroup import \(out)` to refresh it")
    }
    let gradeList = generator.grades.map(String.init).joined(separator: ",")
    let shape = profile == .standard ? "" : "profile \(profile.name), method \(profile.method), "
    print(
      "wrote \(students) students to \(out) (\(shape)seed \(seed), grades \(gradeList), date \(date))")
  }
}
