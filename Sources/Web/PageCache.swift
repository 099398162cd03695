import Foundation

/// The data of a few expensive pages, kept until the record changes (keys include the record's
/// change count), so fifty people opening the morning status do not each recompute it.
final class PageCache: @unchecked Sendable {
  private let lock = NSLock()
  private var entries: [String: Any] = [:]
  /// At most this many entries; the cache is emptied when it would grow past it.
  private let capacity = 16

  /// The value stored under `key`, or `compute()`'s (stored when it does not throw).
  func value<T>(_ key: String, compute: () throws -> T) rethrows -> T {
    if let hit = lock.withLock({ entries[key] as? T }) { return hit }
    let value = try compute()
    lock.withLock {
      if entries.count >= capacity { entries.removeAll() }
      entries[key] = value
    }
    return value
  }
}
