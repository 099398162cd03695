import Foundation
import LearnerStatus
import TestSupport
import Testing

/// The shared conformance cases: needs of every `c*` folder, bad input of every `bad-*` folder.
@Suite struct ConformanceTests {}

extension ConformanceTests {
  static var expected: [String: Any] {
    let url = Fixtures.conformance.appendingPathComponent("expected.json")
    guard let data = try? Data(contentsOf: url),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return [:] }
    return object
  }

  static var planCases: [String] {
    ((expected["plans"] as? [String: Any])?.keys.sorted()) ?? []
  }

  static var badCases: [String] {
    ((expected["bad_input"] as? [String: Any])?.keys.sorted()) ?? []
  }

  @Test func casesArePresent() {
    #expect(Self.planCases.count >= 6)
    #expect(Self.badCases.count >= 6)
  }

  @Test(arguments: planCases)
  func needsMatchExpected(_ name: String) throws {
    let plan = try #require((Self.expected["plans"] as? [String: Any])?[name] as? [String: Any])
    let rows = try #require(plan["needs"] as? [[Any]])
    var expected: [String: Double] = [:]
    for row in rows {
      let s = try #require(row[0] as? String)
      let t = try #require(row[1] as? String)
      let w = try #require((row[2] as? NSNumber)?.doubleValue)
      expected["\(s)|\(t)"] = w
    }
    let loaded = try SchoolFolder.load(Fixtures.conformance.appendingPathComponent(name))
    let needs = Derivation.needs(in: loaded.school, on: loaded.date)
    var actual: [String: Double] = [:]
    for need in needs { actual["\(need.student)|\(need.target)"] = need.weight }
    #expect(Set(actual.keys) == Set(expected.keys))
    for (key, weight) in expected {
      if let got = actual[key] {
        #expect(abs(got - weight) <= 1e-6, "\(name) \(key): \(got) vs \(weight)")
      }
    }
    // Heaviest first.
    #expect(needs == needs.sorted(by: Derivation.heavierFirst))
  }

  @Test(arguments: badCases)
  func badInputIsReported(_ name: String) throws {
    let case_ = try #require((Self.expected["bad_input"] as? [String: Any])?[name] as? [String: Any])
    let fragment = try #require(case_["stderr_contains"] as? String)
    let error = try #require(throws: InputError.self) {
      try SchoolFolder.load(Fixtures.conformance.appendingPathComponent(name))
    }
    #expect(
      error.diagnostics.contains { $0.severity == .error && $0.description.contains(fragment) },
      "\(name): \(error)")
  }
}
