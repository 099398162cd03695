import GRDB
import LearnerStatus
import Planning

/// The school's record: one SQLite file (spec §8).
public struct SchoolRecord {}
