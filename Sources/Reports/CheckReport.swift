import Planning

/// What `regroup check` prints: every broken rule and the plan's score (spec §5).
public enum CheckReport {
  /// One `R5: …` line per violation, then `score: 702.804375`, ending in a newline.
  public static func renderText(_ violations: [Violation], score: Double) -> String {
    var lines = violations.map { "\($0.rule): \($0.message)" }
    lines.append("score: \(Number.format(score))")
    return lines.joined(separator: "\n") + "\n"
  }

  /// `{"violations": [{"rule", "items", "message"}], "score": x}`, one violation per line.
  public static func renderJSON(_ violations: [Violation], score: Double) -> String {
    let objects = violations.map { violation in
      "{\"rule\": \(JSONText.string(violation.rule)), \"items\": \(JSONText.strings(violation.items)), "
        + "\"message\": \(JSONText.string(violation.message))}"
    }
    var lines = ["{"]
    lines += PlanJSON.list("violations", objects, last: false)
    lines.append("  \"score\": \(JSONText.number(score))")
    lines.append("}")
    return lines.joined(separator: "\n") + "\n"
  }
}
