import Testing

@testable import LearnerStatus

/// The RFC 4180 reader: the RFC's examples, and the spec's line numbering and leniencies.
@Suite struct CSVReaderTests {}

extension CSVReaderTests {
  func cells(_ text: String) -> [[String]] { CSVReader.records(in: text).records.map(\.cells) }
  func lines(_ text: String) -> [Int] { CSVReader.records(in: text).records.map(\.line) }

  @Test func rfcExample1And2CRLFAndLastLineWithOrWithoutBreak() {
    #expect(cells("aaa,bbb,ccc\r\nzzz,yyy,xxx\r\n") == [["aaa", "bbb", "ccc"], ["zzz", "yyy", "xxx"]])
    #expect(cells("aaa,bbb,ccc\r\nzzz,yyy,xxx") == [["aaa", "bbb", "ccc"], ["zzz", "yyy", "xxx"]])
  }

  @Test func rfcExample5QuotedFields() {
    #expect(
      cells("\"aaa\",\"bbb\",\"ccc\"\r\nzzz,yyy,xxx") == [["aaa", "bbb", "ccc"], ["zzz", "yyy", "xxx"]])
  }

  @Test func rfcExample6LineBreakInsideQuotes() {
    let records = CSVReader.records(in: "\"aaa\",\"b\r\nbb\",\"ccc\"\r\nzzz,yyy,xxx").records
    #expect(records.map(\.cells) == [["aaa", "b\r\nbb", "ccc"], ["zzz", "yyy", "xxx"]])
    #expect(records.map(\.line) == [1, 3])
  }

  @Test func rfcExample7DoubledQuotes() {
    #expect(cells("\"aaa\",\"b\"\"bb\",\"ccc\"") == [["aaa", "b\"bb", "ccc"]])
  }

  @Test func byteOrderMarkIsIgnored() {
    #expect(cells("\u{FEFF}student_id,tier\nS1,2\n") == [["student_id", "tier"], ["S1", "2"]])
  }

  @Test func blankLinesAreSkippedButCounted() {
    #expect(lines("a,b\n\n1,2\n   \r\n3,4\n") == [1, 3, 5])
    #expect(cells("a,b\n\n1,2\n   \r\n3,4\n") == [["a", "b"], ["1", "2"], ["3", "4"]])
  }

  @Test func spacesAroundUnquotedCellsAreTrimmedNotInsideQuotes() {
    #expect(cells(" B1 , 09:00 ,\t* \n") == [["B1", "09:00", "*"]])
    #expect(cells(" \" x \" ,y\n") == [[" x ", "y"]])
  }

  @Test func emptyCellsAndTrailingSeparator() {
    #expect(cells("a,,c,\n") == [["a", "", "c", ""]])
    #expect(cells("\"\",b\n") == [["", "b"]])
  }

  @Test func quoteInsideAnUnquotedCellIsKept() {
    #expect(cells("O'Neil,5\" ruler\n") == [["O'Neil", "5\" ruler"]])
  }

  @Test func loneCarriageReturnEndsALine() {
    #expect(lines("a\rb\rc") == [1, 2, 3])
  }

  @Test func unterminatedQuoteIsAProblemAtItsStartLine() {
    let result = CSVReader.records(in: "a,b\n1,2\n3,\"x\ny,z\n")
    #expect(
      result.problems == [
        CSVProblem(line: 3, message: "a quoted cell starting on this line has no closing quote")
      ])
  }

  @Test func textAfterAClosingQuoteIsAProblem() {
    let result = CSVReader.records(in: "a,b\n\"x\"y,2\n")
    #expect(result.problems.map(\.line) == [2])
  }

  @Test func tablePadsShortRowsAndRejectsLongOnes() {
    let table = CSVTable(text: "a,b,c\n1\n1,2,3,4\n5,6,7\n")
    #expect(table.header == ["a", "b", "c"])
    #expect(table.rows.map(\.cells) == [["1", "", ""], ["5", "6", "7"]])
    #expect(table.rows.map(\.line) == [2, 4])
    #expect(table.problems == [CSVProblem(line: 3, message: "row has 4 cells but the header has 3")])
  }

  @Test func lineOfARecordAfterAMultilineCellIsPhysical() {
    let table = CSVTable(text: "id,name,tier\r\nS1,\"A\r\nB\r\nC\",1\r\nS2,D,4\r\n")
    #expect(table.rows.map(\.line) == [2, 5])
  }
}
