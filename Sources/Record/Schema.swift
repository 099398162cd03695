import GRDB

/// The record's tables, one migration per schema version; versions only move forward.
///
/// - `meta`: key/value facts (the last import's time and folder).
/// - `policy`, `student`, `target`, `staff`, `block`, `unavailable`, `pin`: replaced by each import.
/// - `evidence`: a multiset, keyed by the row's content and its occurrence among identical rows of one file.
/// - `history`: sessions that took place, keyed by content (from `history.csv` or published plans).
/// - `request`, `request_outcome`: teachers' requests and what each published plan did with them.
/// - `plan`, `plan_audit`: the published plan of each day, and every version it replaced.
/// - `access`: personal sign-in links (only a SHA-256 hash of each token), issued and revoked.
/// - `session_note`: a staff member's notes on one of their sessions (date, block).
/// - v3: `target.prerequisites` (`;`-separated ids) and `policy.not_ready` (spec §11).
/// - v4: `oneroster_header`, `oneroster_row`: the OneRoster rows as last imported (`regroup import --oneroster`).
/// - v5: `absence` (spec §12; `block_id` '' is the whole day; rows from `absences.csv` are
///   replaced by each import, rows added by `regroup absence add` stay), and the policy's
///   `[dosage]` (spec §14; `has_dosage` 0 = no `[dosage]` table) and `move`/`dosage` weights.
enum Schema {
  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1") { db in
      try db.execute(
        sql: """
          CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
          CREATE TABLE policy (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            name TEXT NOT NULL, date TEXT, method TEXT NOT NULL, decay REAL NOT NULL,
            proficient REAL NOT NULL, min_size INTEGER NOT NULL,
            gap REAL NOT NULL, wait REAL NOT NULL, wait_cap INTEGER NOT NULL,
            tier2 REAL NOT NULL, tier3 REAL NOT NULL, request_high REAL NOT NULL,
            request_normal REAL NOT NULL, session REAL NOT NULL);
          CREATE TABLE student (
            id TEXT PRIMARY KEY NOT NULL, given_name TEXT NOT NULL, family_name TEXT NOT NULL,
            grade TEXT NOT NULL, tier INTEGER NOT NULL, flags TEXT NOT NULL, line INTEGER NOT NULL);
          CREATE TABLE target (
            id TEXT PRIMARY KEY NOT NULL, subject TEXT NOT NULL, title TEXT NOT NULL,
            grade TEXT NOT NULL, sequence INTEGER, line INTEGER NOT NULL);
          CREATE TABLE staff (
            id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL, subjects TEXT NOT NULL,
            max_group_size INTEGER NOT NULL, max_minutes INTEGER NOT NULL, line INTEGER NOT NULL);
          CREATE TABLE block (
            id TEXT PRIMARY KEY NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
            subjects TEXT NOT NULL, line INTEGER NOT NULL);
          CREATE TABLE unavailable (
            staff_id TEXT NOT NULL, block_id TEXT NOT NULL, line INTEGER NOT NULL);
          CREATE TABLE pin (
            student_id TEXT NOT NULL, block_id TEXT NOT NULL, staff_id TEXT NOT NULL,
            line INTEGER NOT NULL);
          CREATE TABLE evidence (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            student_id TEXT NOT NULL, target_id TEXT NOT NULL, date TEXT NOT NULL,
            level REAL NOT NULL, occurrence INTEGER NOT NULL,
            UNIQUE (student_id, target_id, date, level, occurrence));
          CREATE TABLE history (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            date TEXT NOT NULL, block_id TEXT NOT NULL, student_id TEXT NOT NULL,
            staff_id TEXT NOT NULL, target_id TEXT NOT NULL,
            source TEXT NOT NULL CHECK (source IN ('import', 'plan')),
            UNIQUE (date, block_id, student_id, staff_id, target_id));
          CREATE INDEX history_student ON history (student_id, date);
          CREATE TABLE request (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE, staff_id TEXT NOT NULL, student_id TEXT NOT NULL,
            block_id TEXT, priority TEXT NOT NULL, date TEXT, note TEXT NOT NULL,
            made_by TEXT NOT NULL, made_at TEXT NOT NULL,
            source TEXT NOT NULL CHECK (source IN ('import', 'command')),
            state TEXT NOT NULL CHECK (state IN ('open', 'closed', 'withdrawn')),
            closed_on TEXT, withdrawn_at TEXT, withdrawn_by TEXT);
          CREATE INDEX request_staff ON request (staff_id);
          CREATE TABLE request_outcome (
            date TEXT NOT NULL, request_id TEXT NOT NULL, honored INTEGER NOT NULL, reason TEXT,
            PRIMARY KEY (date, request_id));
          CREATE TABLE plan (
            date TEXT PRIMARY KEY NOT NULL, version INTEGER NOT NULL, status TEXT NOT NULL,
            objective REAL, bound REAL, body TEXT NOT NULL,
            published_at TEXT NOT NULL, published_by TEXT NOT NULL);
          CREATE TABLE plan_audit (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            date TEXT NOT NULL, version INTEGER NOT NULL, status TEXT NOT NULL,
            objective REAL, bound REAL, body TEXT NOT NULL,
            published_at TEXT NOT NULL, published_by TEXT NOT NULL,
            replaced_at TEXT NOT NULL, replaced_by TEXT NOT NULL);
          CREATE TABLE import_log (
            seq INTEGER PRIMARY KEY AUTOINCREMENT, at REAL NOT NULL, folder TEXT NOT NULL,
            evidence_added INTEGER NOT NULL, history_added INTEGER NOT NULL,
            requests_added INTEGER NOT NULL);
          """)
    }
    migrator.registerMigration("v2") { db in
      try db.execute(
        sql: """
          CREATE TABLE access (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            token_hash TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL CHECK (role IN ('staff', 'scheduler', 'principal')),
            staff_id TEXT, name TEXT NOT NULL,
            issued_at TEXT NOT NULL, issued_by TEXT NOT NULL,
            revoked_at TEXT, revoked_by TEXT);
          CREATE INDEX access_person ON access (role, staff_id, name);
          CREATE TABLE session_note (
            date TEXT NOT NULL, block_id TEXT NOT NULL, staff_id TEXT NOT NULL,
            note TEXT NOT NULL, updated_at TEXT NOT NULL,
            PRIMARY KEY (date, block_id, staff_id));
          """)
    }
    migrator.registerMigration("v3-prerequisites") { db in
      try db.execute(
        sql: """
          ALTER TABLE target ADD COLUMN prerequisites TEXT NOT NULL DEFAULT '';
          ALTER TABLE policy ADD COLUMN not_ready REAL NOT NULL DEFAULT 0.25;
          """)
    }
    // A OneRoster set's rows as last imported (bulk replaces a file's rows, delta updates
    // them), so a delta set can be applied and the whole set mapped again.
    migrator.registerMigration("v4-oneroster-rows") { db in
      try db.execute(
        sql: """
          CREATE TABLE oneroster_header (
            id INTEGER PRIMARY KEY AUTOINCREMENT, origin TEXT NOT NULL, columns TEXT NOT NULL,
            UNIQUE (origin, columns));
          CREATE TABLE oneroster_row (
            file TEXT NOT NULL, key TEXT NOT NULL, line INTEGER NOT NULL, header INTEGER NOT NULL,
            cells TEXT NOT NULL, UNIQUE (file, key));
          """)
    }
    migrator.registerMigration("v5-week") { db in
      try db.execute(
        sql: """
          CREATE TABLE absence (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            date TEXT NOT NULL, person_id TEXT NOT NULL, block_id TEXT NOT NULL DEFAULT '',
            line INTEGER NOT NULL DEFAULT 0,
            source TEXT NOT NULL CHECK (source IN ('import', 'command')),
            made_by TEXT NOT NULL, made_at TEXT NOT NULL,
            UNIQUE (date, person_id, block_id));
          CREATE INDEX absence_date ON absence (date);
          ALTER TABLE policy ADD COLUMN move REAL NOT NULL DEFAULT 5.0;
          ALTER TABLE policy ADD COLUMN dosage REAL NOT NULL DEFAULT 20.0;
          ALTER TABLE policy ADD COLUMN has_dosage INTEGER NOT NULL DEFAULT 0;
          ALTER TABLE policy ADD COLUMN dosage_tier1 INTEGER NOT NULL DEFAULT 0;
          ALTER TABLE policy ADD COLUMN dosage_tier2 INTEGER NOT NULL DEFAULT 2;
          ALTER TABLE policy ADD COLUMN dosage_tier3 INTEGER NOT NULL DEFAULT 4;
          ALTER TABLE policy ADD COLUMN keep_staff INTEGER NOT NULL DEFAULT 0;
          """)
    }
    return migrator
  }
}
