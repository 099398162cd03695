/// Checks the targets' prerequisite links (spec §11): every id is a target, and no chain of
/// prerequisites leads back to where it started.
///
/// Shared by the folder reader (`targets.csv:LINE`) and any importer that builds targets
/// from another source (a CASE package's `precedes` associations), which reports each
/// problem at its own file and line.
public enum Prerequisites {
  /// One problem: the index (in `targets`) of the target whose row is at fault, and what is wrong.
  public struct Problem: Sendable, Equatable {
    public var target: Int
    public var message: String
  }

  /// Every unknown prerequisite id and every cycle, each reported once at the target that
  /// names the unknown id or closes the cycle (the first target, in file order, from which
  /// following prerequisites returns to a target already on the path).
  public static func problems(in targets: [Target]) -> [Problem] {
    var index: [String: Int] = [:]
    for (i, t) in targets.enumerated() where index[t.id] == nil { index[t.id] = i }
    var problems: [Problem] = []
    var edges: [[Int]] = Array(repeating: [], count: targets.count)
    for (i, t) in targets.enumerated() {
      for p in t.prerequisites {
        guard let j = index[p] else {
          var message = "unknown prerequisite \"\(p)\" of target \"\(t.id)\": it is not in targets.csv"
          if let guess = Suggestion.closest(to: p, in: index.keys.sorted()) {
            message += "; did you mean \"\(guess)\"?"
          }
          problems.append(Problem(target: i, message: message))
          continue
        }
        edges[i].append(j)
      }
    }
    // Depth-first search in file order; a link to a target on the current path closes a cycle.
    enum Mark { case new, onPath, done }
    var mark = Array(repeating: Mark.new, count: targets.count)
    var path: [Int] = []
    func visit(_ u: Int) {
      mark[u] = .onPath
      path.append(u)
      for v in edges[u] {
        switch mark[v] {
        case .new: visit(v)
        case .onPath:
          let start = path.lastIndex(of: v) ?? 0
          let cycle = path[start...].map { targets[$0].id } + [targets[v].id]
          let links = zip(cycle, cycle.dropFirst()).map { "\($0) needs \($1)" }
          problems.append(
            Problem(
              target: u,
              message:
                "prerequisites form a cycle (\(links.joined(separator: ", "))); "
                + "remove \"\(targets[v].id)\" from the prerequisites of \"\(targets[u].id)\" or break the chain elsewhere"
            ))
        case .done: break
        }
      }
      path.removeLast()
      mark[u] = .done
    }
    for u in targets.indices where mark[u] == .new { visit(u) }
    return problems
  }
}
