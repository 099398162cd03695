// Import benchmark: generates a district's OneRoster 1.2 export (5,000 students, 2 million
// per-objective result rows by default) and a CASE package, then imports them into a fresh
// record as `regroup import --oneroster` does, reporting seconds and peak RSS.
//
//   swift build -c release --product ImportDistrict
//   .build/release/ImportDistrict [--students N] [--rows N] [--zip] [--keep DIR]
//
// Not a timed test: figures go in Benchmarks/README.md with the command and conditions.
import Foundation
import Interchange
import LearnerStatus
import Record

#if canImport(Glibc)
  import Glibc
#endif

struct Options {
  var students = 5_000
  var rows = 2_000_000
  var zip = false
  var keep: String?

  init(_ arguments: [String]) {
    var i = 1
    while i < arguments.count {
      let value = i + 1 < arguments.count ? arguments[i + 1] : ""
      switch arguments[i] {
      case "--students": students = Int(value) ?? students; i += 1
      case "--rows": rows = Int(value) ?? rows; i += 1
      case "--zip": zip = true
      case "--keep": keep = value; i += 1
      default: break
      }
      i += 1
    }
  }
}

/// Peak resident set size of this process, in MiB.
func peakRSS() -> Double {
  var usage = rusage()
  getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
  return Double(usage.ru_maxrss) / 1024
}

/// Buffered writing of a large text file, so generating never holds a file whole.
final class Writer {
  let handle: FileHandle
  var buffer = Data()
  init(_ url: URL) throws {
    FileManager.default.createFile(atPath: url.path, contents: nil)
    handle = try FileHandle(forWritingTo: url)
  }
  func line(_ text: String) throws {
    buffer.append(contentsOf: text.utf8)
    buffer.append(0x0D)
    buffer.append(0x0A)
    if buffer.count > 1 << 20 { try flush() }
  }
  func flush() throws {
    try handle.write(contentsOf: buffer)
    buffer.removeAll(keepingCapacity: true)
  }
  func close() throws {
    try flush()
    try handle.close()
  }
}

/// A small deterministic generator (SplitMix64).
struct Random {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

func uuid(_ kind: UInt64, _ n: Int) -> String {
  let hex = String(UInt64(n) &* 0x9E37_79B9 ^ kind, radix: 16)
  let padded = String(repeating: "0", count: max(0, 12 - hex.count)) + hex
  return "6f1c1c3e-5d0a-4a59-\(String(format: "%04x", Int(kind & 0xFFFF)))-\(padded.suffix(12))"
}

func generate(_ options: Options, in folder: URL) throws -> (roster: URL, framework: URL, mapping: URL) {
  let roster = folder.appendingPathComponent("roster")
  let school = folder.appendingPathComponent("school")
  try FileManager.default.createDirectory(at: roster, withIntermediateDirectories: true)
  try FileManager.default.createDirectory(at: school, withIntermediateDirectories: true)
  var random = Random(state: 17)

  // CASE: 6 grades × 2 subjects × 30 targets, each preceded by the one before it.
  let targetsPerSubject = 30
  var items: [[String: Any]] = []
  var associations: [[String: Any]] = []
  var ids: [String] = []
  for grade in 3...8 {
    for subject in ["M", "R"] {
      for k in 1...targetsPerSubject {
        let n = ids.count
        let id = uuid(1, n)
        ids.append(id)
        items.append([
          "identifier": id, "uri": "https://case.example.org/\(id)",
          "fullStatement": "\(subject)\(grade).\(k)",
          "humanCodingScheme": "\(subject)\(grade).\(k)", "CFItemType": "Standard",
          "educationLevel": [String(format: "%02d", grade)], "listEnumeration": String(k),
          "lastChangeDateTime": "2026-08-01T12:00:00+00:00",
        ])
        if k > 1 {
          associations.append([
            "identifier": uuid(2, n), "associationType": "precedes",
            "originNodeURI": ["identifier": ids[n - 1], "uri": "x", "title": ""],
            "destinationNodeURI": ["identifier": id, "uri": "x", "title": ""],
          ])
        }
      }
    }
  }
  let framework = folder.appendingPathComponent("framework.json")
  let package: [String: Any] = [
    "CFDocument": ["identifier": uuid(3, 0), "title": "District framework", "subject": ["math"]],
    "CFItems": items, "CFAssociations": associations,
  ]
  try JSONSerialization.data(withJSONObject: package).write(to: framework)

  // Users and roles.
  let staffCount = max(10, options.students / 25)
  let users = try Writer(roster.appendingPathComponent("users.csv"))
  let roles = try Writer(roster.appendingPathComponent("roles.csv"))
  try users.line(
    "sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns,metadata.tier"
  )
  try roles.line(
    "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId"
  )
  var studentGrade: [Int] = []
  for s in 0..<options.students {
    let grade = 3 + s % 6
    studentGrade.append(grade)
    try users.line(
      "stu-\(s),active,2026-11-24T16:00:00.000Z,TRUE,s\(s),,Given\(s),Family\(s),,\(s),,,,,\(String(format: "%02d", grade)),,,,,,org-1,,\(1 + random.below(3))"
    )
    try roles.line("r-stu-\(s),active,2026-11-24,stu-\(s),primary,student,2026-08-20,,org-1,")
  }
  for k in 0..<staffCount {
    try users.line("tch-\(k),active,2026-11-24T16:00:00Z,true,t\(k),,Teacher\(k),Staff,,,,,,,,,,,,,org-1,,")
    try roles.line("r-tch-\(k),active,2026-11-24,tch-\(k),primary,teacher,2026-08-20,,org-1,")
  }
  try users.close()
  try roles.close()

  // Line items (one per grade, subject and week, assessing 5 targets), results and objective rows.
  let perResult = 5
  let resultsPerStudent = max(1, options.rows / perResult / options.students)
  let lineItems = try Writer(roster.appendingPathComponent("lineItems.csv"))
  let results = try Writer(roster.appendingPathComponent("results.csv"))
  let objectives = try Writer(roster.appendingPathComponent("resultLearningObjectiveIds.csv"))
  try lineItems.line(
    "sourcedId,status,dateLastModified,title,description,assignDate,dueDate,classSourcedId,categorySourcedId,academicSessionSourcedId,resultValueMin,resultValueMax,schoolSourcedId"
  )
  try results.line(
    "sourcedId,status,dateLastModified,lineItemSourcedId,studentSourcedId,scoreStatus,score,scoreDate,comment,textScore,classSourcedId,inProgress,incomplete,late,missing"
  )
  try objectives.line(
    "sourcedId,status,dateLastModified,resultSourcedId,source,learningObjectiveId,score,textScore")
  for grade in 3...8 {
    for j in 0..<resultsPerStudent {
      try lineItems.line(
        "li-\(grade)-\(j),active,,Check \(j),,2026-09-01,2026-09-02,cls-\(grade),,,1,4,org-1")
    }
  }
  try lineItems.close()
  let start = Day("2026-09-01")!
  var rowCount = 0
  var resultCount = 0
  for s in 0..<options.students {
    let grade = studentGrade[s]
    for j in 0..<resultsPerStudent {
      let day = start.adding(days: j * 80 / resultsPerStudent)
      let rid = "res-\(s)-\(j)"
      try results.line(
        "\(rid),active,\(day)T20:00:00.000Z,li-\(grade)-\(j),stu-\(s),fully graded,,\(day)T15:00:00.000Z,,,cls-\(grade),false,false,false,false"
      )
      resultCount += 1
      let subject = j % 2
      let base = ((grade - 3) * 2 + subject) * targetsPerSubject
      for o in 0..<perResult {
        let target = base + (j / 2 * perResult + o) % targetsPerSubject
        try objectives.line(
          "rlo-\(s)-\(j)-\(o),active,\(day),\(rid),case,urn:uuid:\(ids[target]),\(1 + random.below(4)),")
        rowCount += 1
      }
    }
  }
  try results.close()
  try objectives.close()
  try """
  propertyName,value
  manifest.version,1.0
  oneroster.version,1.2
  file.users,bulk
  file.roles,bulk
  file.lineItems,bulk
  file.results,bulk
  file.resultLearningObjectiveIds,bulk

  """.write(to: roster.appendingPathComponent("manifest.csv"), atomically: true, encoding: .utf8)

  try "name = \"District\"\ndate = \"2026-11-25\"\n".write(
    to: school.appendingPathComponent("school.toml"), atomically: true, encoding: .utf8)
  try "block_id,start,end,subjects\nB1,09:00,09:40,math\nB2,10:00,10:40,reading\n".write(
    to: school.appendingPathComponent("blocks.csv"), atomically: true, encoding: .utf8)
  let mapping = folder.appendingPathComponent("oneroster.toml")
  try """
  [files]
  roster = "\(options.zip ? "roster.zip" : "roster")"
  case = "framework.json"
  school = "school"
  [levels]
  score_min = 1
  score_max = 4
  [students]
  tier = "metadata.tier"
  [staff]
  roles = ["teacher"]
  [targets.subjects]
  "M" = "math"
  "R" = "reading"

  """.write(to: mapping, atomically: true, encoding: .utf8)
  print(
    "generated \(options.students) students, \(staffCount) staff, \(ids.count) targets, \(resultCount) results, \(rowCount) per-objective rows"
  )
  var rosterURL = roster
  if options.zip {
    rosterURL = folder.appendingPathComponent("roster.zip")
    let zip = Process()
    zip.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    zip.arguments = [
      "python3", "-c", "import shutil,sys; shutil.make_archive(sys.argv[1], 'zip', sys.argv[2])",
      rosterURL.deletingPathExtension().path, roster.path,
    ]
    try zip.run()
    zip.waitUntilExit()
  }
  return (rosterURL, framework, mapping)
}

let options = Options(CommandLine.arguments)
let folder =
  options.keep.map { URL(fileURLWithPath: $0) }
  ?? FileManager.default.temporaryDirectory.appendingPathComponent("regroup-district-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
let generatedAt = Date()
let (rosterURL, frameworkURL, mappingURL) = try generate(options, in: folder)
let sizes = (try? FileManager.default.attributesOfItem(atPath: rosterURL.path)[.size] as? Int) ?? 0
print(
  String(
    format: "generation: %.1f s, peak RSS so far %.0f MiB%@", Date().timeIntervalSince(generatedAt),
    peakRSS(),
    options.zip ? ", zip \(sizes / 1_048_576) MiB" : ""))

let started = Date()
do {
  let mapping = try OneRosterMapping.load(mappingURL)
  var files: [String: String] = [:]
  for (name, text) in try SchoolRecord.readFiles(in: folder.appendingPathComponent("school")) {
    files[name] = text
  }
  let request = OneRosterImport(
    mapping: mapping, source: try RosterSource(rosterURL), package: try CASEPackage.load(frameworkURL),
    schoolFiles: files, label: mappingURL.path)
  let record = try SchoolRecord.open(at: folder.appendingPathComponent("regroup.db"), create: true)
  let summary = try record.importOneRoster(request)
  let seconds = Date().timeIntervalSince(started)
  print(
    String(
      format: "import: %.1f s, peak RSS %.0f MiB; %d students, %d targets, %d evidence rows", seconds,
      peakRSS(),
      summary.school.students, summary.school.targets, summary.school.evidenceTotal))
} catch let error as InputError {
  print(error.description)
  exit(1)
}
if options.keep == nil { try? FileManager.default.removeItem(at: folder) }
