// Replan: how well a re-plan (spec §13) recovers a generated school's published day after
// staff absences, beside a plan from scratch. Prints a Markdown table on stdout; progress on
// stderr. Nothing here asserts a time: it reports. See Benchmarks/README.md.

import Foundation
import LearnerStatus
import Planning
import SchoolGenerator

/// The options: `--students 1000 --seed 1 --profile standard --absent 3 --time-limit 10 --publish-limit 60`.
struct Options {
  var students = 1_000
  var seed: UInt64 = 1
  var profile = SchoolProfile.standard
  var absent = 3
  var timeLimit = 10.0
  var publishLimit = 60.0
}

func parse() -> Options {
  var o = Options()
  var args = CommandLine.arguments.dropFirst().makeIterator()
  while let flag = args.next() {
    guard let value = args.next() else {
      FileHandle.standardError.write(Data("error: \(flag) needs a value\n".utf8))
      exit(1)
    }
    switch flag {
    case "--students": o.students = Int(value) ?? o.students
    case "--seed": o.seed = UInt64(value) ?? o.seed
    case "--profile":
      guard let profile = SchoolProfile.named(value) else {
        FileHandle.standardError.write(
          Data("error: no profile named \(value) (regroup generate --help)\n".utf8))
        exit(1)
      }
      o.profile = profile
    case "--absent": o.absent = Int(value) ?? o.absent
    case "--time-limit": o.timeLimit = Double(value) ?? o.timeLimit
    case "--publish-limit": o.publishLimit = Double(value) ?? o.publishLimit
    default:
      FileHandle.standardError.write(Data("error: unknown option \(flag)\n".utf8))
      exit(1)
    }
  }
  return o
}

/// Placements (student, block) whose staff or target differ between two plans, added and dropped included.
func changed(_ a: [Session], _ b: [Session]) -> Int {
  func seats(_ list: [Session]) -> [String: String] {
    var result: [String: String] = [:]
    for s in list { for id in s.students { result[id + " " + s.block] = s.staff + " " + s.target } }
    return result
  }
  let pa = seats(a)
  let pb = seats(b)
  return Set(pa.keys).union(pb.keys).filter { pa[$0] != pb[$0] }.count
}

func log(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }

let o = parse()
var school = SchoolGenerator(students: o.students, seed: o.seed, profile: o.profile).school()
guard let date = school.policy.date else {
  log("error: the generated school has no date")
  exit(1)
}
log("planning the published day (\(o.publishLimit) s)")
let published = try Planner(options: PlanOptions(timeLimit: o.publishLimit)).plan(school, date: date)
// The staff members with the most students in the published plan are out (ties: by id).
var load: [String: Int] = [:]
for s in published.sessions { load[s.staff, default: 0] += s.students.count }
let out = load.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(o.absent)
  .map(\.key)
school.absences = out.map { Absence(date: date, id: $0) }
let lost = published.sessions.filter { out.contains($0.staff) }.reduce(0) { $0 + $1.students.count }
log("absent: \(out.joined(separator: ", ")) (\(lost) placements); re-planning (\(o.timeLimit) s)")
let re = try Planner(options: PlanOptions(timeLimit: o.timeLimit)).replan(
  school, date: date, published: published.sessions)
log("planning from scratch (\(o.timeLimit) s)")
let scratch = try Planner(options: PlanOptions(timeLimit: o.timeLimit)).plan(school, date: date)
let reChanges = changed(published.sessions, re.sessions)
let scratchChanges = changed(published.sessions, scratch.sessions)
func number(_ x: Double?) -> String { x.map { String(format: "%.2f", $0) } ?? "none" }
func percent(_ x: Double?) -> String { x.map { String(format: "%.3f %%", 100 * $0) } ?? "none" }
print(
  "| profile | seed | students | absent | placements lost | published placements | re-plan score | bound | gap | seconds | changes | from scratch: changes | factor |"
)
print("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
let placements = published.sessions.reduce(0) { $0 + $1.students.count }
print(
  "| \(o.profile.name) | \(o.seed) | \(o.students) | \(out.joined(separator: ", ")) | \(lost) | \(placements) | \(number(re.objective)) | "
    + "\(number(re.bound)) | \(percent(re.gap)) | \(String(format: "%.1f", re.seconds)) | \(reChanges) | "
    + "\(scratchChanges) | \(String(format: "%.1f", Double(scratchChanges) / Double(max(1, reChanges)))) |")
