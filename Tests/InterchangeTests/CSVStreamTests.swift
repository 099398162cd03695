import LearnerStatus
import Testing

@Suite struct CSVStreamTests {
  /// Feeds `text` one byte at a time: records and lines must not depend on where chunks end.
  static func records(_ text: String, chunk: Int) -> [CSVStreamParser.Record] {
    var parser = CSVStreamParser()
    var out: [CSVStreamParser.Record] = []
    let bytes = Array(text.utf8)
    var i = 0
    while i < bytes.count {
      parser.feed(Array(bytes[i..<min(bytes.count, i + chunk)])) { out.append($0) }
      i += chunk
    }
    parser.finish { out.append($0) }
    return out
  }

  @Test func chunkBoundariesDoNotChangeRecords() {
    let text = "\u{FEFF}a,b\r\n\"x\r\ny\",  z \r\n\r\n\"q\"\"r\",TRUE\rlast,\n"
    let whole = Self.records(text, chunk: 1 << 20)
    #expect(whole.map(\.cells) == [["a", "b"], ["x\r\ny", "z"], ["q\"r", "TRUE"], ["last", ""]])
    #expect(whole.map(\.line) == [1, 2, 5, 6])
    for size in 1...7 { #expect(Self.records(text, chunk: size) == whole) }
  }

  @Test func unterminatedQuoteIsAProblemAtItsLine() {
    var parser = CSVStreamParser()
    var out: [CSVStreamParser.Record] = []
    parser.feed(Array("a,b\n1,\"open\n2,3\n".utf8)) { out.append($0) }
    parser.finish { out.append($0) }
    #expect(parser.problems.map(\.line) == [2])
    #expect(out.count == 2)
  }
}
