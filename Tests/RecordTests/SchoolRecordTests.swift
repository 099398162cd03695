import Record
import TestSupport
import Testing

@Suite struct SchoolRecordTests {}
