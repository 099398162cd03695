import Foundation
import LearnerStatus
import Planning

/// The plan as spec §5's JSON object, and the reverse for `regroup check`.
///
/// Keys come in a fixed order: `date`, `status`, `objective`, `bound`, `gap`, `seconds`,
/// `sessions`, `requests`, `dosage` (spec §14, only with `[dosage]`), `conflicts`. Numbers are byte-stable: `objective` and `bound`
/// are rounded to 6 decimal places, `gap` to 9, and printed in shortest form with a
/// decimal point (`866.0`, `702.804375`); `seconds` has exactly 3 decimals. Missing
/// values are `null`; `conflicts` is always present (`[]` when none).
public enum PlanJSON {
  /// Renders the plan, pretty-printed with 2-space indentation, one session, request or
  /// conflict per line, ending in a newline.
  public static func render(_ plan: Plan) -> String {
    var lines: [String] = ["{"]
    lines.append("  \"date\": \(JSONText.string(plan.date.description)),")
    lines.append("  \"status\": \(JSONText.string(plan.status.rawValue)),")
    lines.append("  \"objective\": \(JSONText.number(plan.objective)),")
    lines.append("  \"bound\": \(JSONText.number(plan.bound)),")
    lines.append("  \"gap\": \(JSONText.number(plan.gap, decimals: 9)),")
    lines.append("  \"seconds\": \(Number.fixed(plan.seconds, decimals: 3)),")

    if let changes = plan.changes {
      // Spec §13: a re-plan's changes come first.
      func seat(_ seat: Change.Seat?) -> String {
        guard let seat else { return "null" }
        return "{\"staff\": \(JSONText.string(seat.staff)), \"target\": \(JSONText.string(seat.target))}"
      }
      let rows = changes.map { c in
        "{\"student_id\": \(JSONText.string(c.studentID)), \"block\": \(JSONText.string(c.block)), "
          + "\"from\": \(seat(c.from)), \"to\": \(seat(c.to)), \"reason\": \(JSONText.string(c.reason))}"
      }
      lines += list("changes", rows, last: false)
    }

    let sessions = plan.sessions.map { session in
      "{\"block\": \(JSONText.string(session.block)), \"staff\": \(JSONText.string(session.staff)), "
        + "\"target\": \(JSONText.string(session.target)), "
        + "\"students\": \(JSONText.strings(session.students))}"
    }
    lines += list("sessions", sessions, last: false)

    let requests = plan.requests.map { outcome in
      var object =
        "{\"request_id\": \(JSONText.string(outcome.requestID)), "
        + "\"honored\": \(outcome.honored ? "true" : "false")"
      if !outcome.honored {
        object += ", \"reason\": \(JSONText.string(outcome.reason ?? "not honored"))"
      }
      return object + "}"
    }
    lines += list("requests", requests, last: false)

    if let dosage = plan.dosage {
      // Spec §14: only for a school with a [dosage] table.
      let rows = dosage.map { d in
        "{\"student_id\": \(JSONText.string(d.studentID)), \"tier\": \(d.tier), "
          + "\"per_week\": \(d.perWeek), \"before_today\": \(d.beforeToday), \"today\": \(d.today), "
          + "\"short_after_today\": \(d.shortAfterToday)}"
      }
      lines += list("dosage", rows, last: false)
    }

    let conflicts = plan.conflicts.map { conflict in
      "{\"rules\": \(JSONText.strings(conflict.rules)), \"items\": \(JSONText.strings(conflict.items)), "
        + "\"message\": \(JSONText.string(conflict.message))}"
    }
    lines += list("conflicts", conflicts, last: true)
    lines.append("}")
    return lines.joined(separator: "\n") + "\n"
  }

  /// `"key": [` … `]` with one element per line, or `"key": []`.
  static func list(_ key: String, _ elements: [String], last: Bool) -> [String] {
    let comma = last ? "" : ","
    guard !elements.isEmpty else { return ["  \(JSONText.string(key)): []\(comma)"] }
    var lines = ["  \(JSONText.string(key)): ["]
    for (index, element) in elements.enumerated() {
      lines.append("    " + element + (index == elements.count - 1 ? "" : ","))
    }
    lines.append("  ]\(comma)")
    return lines
  }
}

// MARK: - Reading a plan back

/// A plan as read from its JSON (spec §5), e.g. edited by hand, for `regroup check`.
///
/// Only `date` and `sessions` are required; the other fields are kept when present.
/// Unknown keys are ignored ("other fields may be added").
public struct DecodedPlan: Sendable, Equatable {
  public var date: Day
  public var status: Plan.Status?
  public var objective: Double?
  public var bound: Double?
  public var sessions: [Session]
  public var requests: [RequestOutcome]?

  public init(
    date: Day, status: Plan.Status? = nil, objective: Double? = nil, bound: Double? = nil,
    sessions: [Session], requests: [RequestOutcome]? = nil
  ) {
    self.date = date
    self.status = status
    self.objective = objective
    self.bound = bound
    self.sessions = sessions
    self.requests = requests
  }
}

/// A plan file that is not valid JSON of the plan's shape.
///
/// `description` is one sentence naming where the problem is, e.g.
/// `sessions[2].students[0]: expected a string, found a number`; the CLI prefixes the
/// file's name.
public struct PlanFileError: Error, Sendable, Equatable, CustomStringConvertible {
  public var message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

extension PlanJSON {
  /// Reads a plan written by ``render(_:)`` or by hand.
  ///
  /// - Throws: ``PlanFileError`` when the data is not JSON, or not an object with a
  ///   `date` (`YYYY-MM-DD`) and `sessions` (objects with string `block`, `staff`,
  ///   `target` and a list of string `students`).
  public static func decode(_ data: Data) throws -> DecodedPlan {
    let raw: RawPlan
    do {
      raw = try JSONDecoder().decode(RawPlan.self, from: data)
    } catch let error as DecodingError {
      throw PlanFileError(describe(error))
    } catch let error as PlanFileError {
      throw error
    } catch {
      throw PlanFileError("not valid JSON: \(error)")
    }
    guard let date = Day(raw.date) else {
      throw PlanFileError("date: expected a day as YYYY-MM-DD, found \(JSONText.string(raw.date))")
    }
    var status: Plan.Status?
    if let text = raw.status {
      guard let known = Plan.Status(rawValue: text) else {
        throw PlanFileError(
          "status: expected optimal, feasible, infeasible or timeout, found \(JSONText.string(text))")
      }
      status = known
    }
    let sessions = raw.sessions.map {
      Session(block: $0.block, staff: $0.staff, target: $0.target, students: $0.students)
    }
    let requests = raw.requests?.map {
      RequestOutcome(requestID: $0.request_id, honored: $0.honored, reason: $0.reason)
    }
    return DecodedPlan(
      date: date, status: status, objective: raw.objective, bound: raw.bound,
      sessions: sessions, requests: requests)
  }

  struct RawPlan: Decodable {
    var date: String
    var status: String?
    var objective: Double?
    var bound: Double?
    var sessions: [RawSession]
    var requests: [RawRequest]?
  }

  struct RawSession: Decodable {
    var block: String
    var staff: String
    var target: String
    var students: [String]
  }

  // Field names as in the JSON.
  // swiftlint:disable:next identifier_name
  struct RawRequest: Decodable {
    var request_id: String
    var honored: Bool
    var reason: String?
  }

  /// One plain sentence for a decoding error, with the path to the value.
  static func describe(_ error: DecodingError) -> String {
    func path(_ keys: [any CodingKey]) -> String {
      var text = ""
      for key in keys {
        if let index = key.intValue {
          text += "[\(index)]"
        } else {
          text += (text.isEmpty ? "" : ".") + key.stringValue
        }
      }
      return text
    }
    func kind(_ type: Any.Type) -> String {
      switch type {
      case is String.Type: return "a string"
      case is Bool.Type: return "true or false"
      case is Double.Type: return "a number"
      case is [String].Type: return "a list of strings"
      default:
        let name = String(describing: type)
        if name.hasPrefix("Array") || name.hasPrefix("[") { return "a list" }
        return "an object"
      }
    }
    switch error {
    case .typeMismatch(let type, let context):
      let at = path(context.codingPath)
      return (at.isEmpty ? "the plan" : at) + ": expected \(kind(type))"
    case .valueNotFound(let type, let context):
      let at = path(context.codingPath)
      return (at.isEmpty ? "the plan" : at) + ": expected \(kind(type)), found null"
    case .keyNotFound(let key, let context):
      let at = path(context.codingPath)
      return (at.isEmpty ? "" : at + ": ") + "missing \(JSONText.string(key.stringValue))"
    case .dataCorrupted(let context):
      let at = path(context.codingPath)
      if at.isEmpty {
        var detail = ""
        if let underlying = context.underlyingError {
          detail = ": " + describeUnderlying(underlying)
        }
        return "not valid JSON" + detail
      }
      return at + ": " + context.debugDescription
    @unknown default:
      return "not a plan: \(error)"
    }
  }

  /// The parser's own words for invalid JSON, without Foundation's boilerplate.
  static func describeUnderlying(_ error: any Error) -> String {
    let ns = error as NSError
    if let debug = ns.userInfo["NSDebugDescription"] as? String { return debug }
    return String(describing: error)
  }
}
