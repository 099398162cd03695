"""`regroup import --oneroster` and `regroup export --oneroster` judged from outside.

    python3 -m pytest -q scripts/oneroster_tests

Runs the built binary (REGROUP_BIN, default `.build/debug/regroup`) on
fixtures/oneroster/v12: imports the OneRoster 1.2 set and CASE package into a fresh
record, plans and publishes the day, exports it as OneRoster, and reads the export with
Python's own csv module, written from the OneRoster 1.2 CSV binding (not from Regroup's
code): the manifest, the exact headers, one scheduled class per session with its staff
member as the primary teacher, every student of the session enrolled, the day's dates
(endDate exclusive), and nobody in two classes of one block. It also reads the fixture
itself with csv, json and tomllib and derives the evidence the mapping says (one row per
resultLearningObjectiveIds row, levels from the linear range, the text table and the score
scale), and compares it with the record's evidence table read through sqlite3.
"""
from __future__ import annotations

import csv
import json
import os
import subprocess

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
FIXTURE = os.path.join(REPO, "fixtures", "oneroster", "v12")
TIMEOUT = 180

CLASSES = ("sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,"
           "location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods").split(",")
ENROLLMENTS = ("sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,"
               "role,primary,beginDate,endDate").split(",")


def regroup_bin():
    path = os.environ.get("REGROUP_BIN", ".build/debug/regroup")
    if not os.path.isabs(path):
        path = os.path.join(REPO, path)
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.fail(f"regroup binary not found at {path} (build it, or set REGROUP_BIN)")
    return path


def run(*args, check=True):
    env = {k: v for k, v in os.environ.items() if k != "REGROUP_DB"}
    proc = subprocess.run([regroup_bin(), *map(str, args)], capture_output=True, timeout=TIMEOUT,
                          env=env, cwd=REPO)
    if check and proc.returncode != 0:
        pytest.fail(f"regroup {' '.join(map(str, args))} exited {proc.returncode}:\n"
                    + proc.stderr.decode(errors="replace"))
    return proc


def read(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    return rows[0], [dict(zip(rows[0], r)) for r in rows[1:]]


@pytest.fixture(scope="module")
def day(tmp_path_factory):
    base = tmp_path_factory.mktemp("oneroster")
    db = base / "school.db"
    run("import", "--oneroster", os.path.join(FIXTURE, "oneroster.toml"), "--db", db)
    run("plan", "--db", db, "--publish", "--format", "json", "-o", base / "plan.json")
    plan = json.loads((base / "plan.json").read_text())
    out = base / "export"
    run("export", "--db", db, "--oneroster", out, "--school-sourced-id", "org-maple")
    return dict(plan=plan, out=out)


def test_manifest_names_a_12_set_with_classes_and_enrollments(day):
    header, rows = read(day["out"] / "manifest.csv")
    assert header == ["propertyName", "value"]
    props = {r["propertyName"]: r["value"] for r in rows}
    assert props["oneroster.version"] == "1.2"
    assert props["file.classes"] == "bulk" and props["file.enrollments"] == "bulk"
    assert props["file.users"] == "absent"


def test_each_session_is_a_scheduled_class_led_by_its_staff_member(day):
    sessions = day["plan"]["sessions"]
    assert sessions, "the fixture's day has sessions"
    header, classes = read(day["out"] / "classes.csv")
    assert header == CLASSES
    eheader, enrollments = read(day["out"] / "enrollments.csv")
    assert eheader == ENROLLMENTS
    raw = (day["out"] / "enrollments.csv").read_bytes()
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert len(classes) == len(sessions)
    by_id = {c["sourcedId"]: c for c in classes}
    assert len(by_id) == len(classes), "class sourcedIds are unique"
    date = day["plan"]["date"]
    for s in sessions:
        cid = f"regroup-{date}-{s['block']}-{s['staff']}"
        c = by_id[cid]
        assert c["classType"] == "scheduled" and c["status"] == "active"
        assert c["periods"] == s["block"] and c["schoolSourcedId"] == "org-maple"
        assert s["target"] in c["title"]
        mine = [e for e in enrollments if e["classSourcedId"] == cid]
        teachers = [e for e in mine if e["role"] == "teacher"]
        assert [t["userSourcedId"] for t in teachers] == [s["staff"]]
        assert teachers[0]["primary"] == "true"
        assert sorted(e["userSourcedId"] for e in mine if e["role"] == "student") == sorted(s["students"])
    y, m, d = map(int, date.split("-"))
    import datetime
    nxt = (datetime.date(y, m, d) + datetime.timedelta(days=1)).isoformat()
    assert all(e["beginDate"] == date and e["endDate"] == nxt for e in enrollments)
    assert len({e["sourcedId"] for e in enrollments}) == len(enrollments)


def test_nobody_is_in_two_classes_of_one_block(day):
    _, classes = read(day["out"] / "classes.csv")
    _, enrollments = read(day["out"] / "enrollments.csv")
    block = {c["sourcedId"]: c["periods"] for c in classes}
    seen = set()
    for e in enrollments:
        key = (block[e["classSourcedId"]], e["userSourcedId"])
        assert key not in seen, key
        seen.add(key)


def test_a_bad_set_exits_1_with_member_and_line(tmp_path):
    db = tmp_path / "school.db"
    proc = run("import", "--oneroster",
               os.path.join(REPO, "fixtures", "oneroster", "invalid", "unknown-student", "oneroster.toml"),
               "--db", db, check=False)
    assert proc.returncode == 1
    assert proc.stderr.decode().startswith("results.csv:5: error: result \"res-frac1-stu-1004\"")
    assert not db.exists(), "a rejected first import leaves no record"


def test_the_imported_evidence_is_what_the_set_and_mapping_say(tmp_path):
    """An independent reading of fixtures/oneroster/v12 with Python's csv, json and tomllib:
    one observation per resultLearningObjectiveIds row, level from the mapping, compared with
    the record's evidence table read through sqlite3."""
    import sqlite3
    import tomllib

    with open(os.path.join(FIXTURE, "oneroster.toml"), "rb") as f:
        mapping = tomllib.load(f)
    lo, hi = mapping["levels"]["score_min"], mapping["levels"]["score_max"]
    text_levels = mapping["levels"].get("text", {})
    with open(os.path.join(FIXTURE, "framework.json"), encoding="utf-8-sig") as f:
        package = json.load(f)
    parents = {a["destinationNodeURI"]["identifier"].lower() for a in package["CFAssociations"]
               if a["associationType"] == "isChildOf"}
    target_of = {i["identifier"].lower(): i["humanCodingScheme"] for i in package["CFItems"]
                 if i["identifier"].lower() not in parents}
    roster = os.path.join(FIXTURE, "roster")
    _, users = read(os.path.join(roster, "users.csv"))
    enabled = {u["sourcedId"] for u in users if u["enabledUser"].lower() != "false"}
    _, results = read(os.path.join(roster, "results.csv"))
    by_result = {r["sourcedId"]: r for r in results}
    _, scales = read(os.path.join(roster, "scoreScales.csv"))
    scale_values = {}
    for s in scales:
        for part in s["scoreScaleValue"].strip("{}").split("},{"):
            label, value = part.rsplit(":", 1)
            scale_values.setdefault(s["sourcedId"], {})[label] = float(value)
    _, li_scales = read(os.path.join(roster, "lineItemScoreScales.csv"))
    line_item_scale = {r["lineItemSourcedId"]: r["scoreScaleSourcedId"] for r in li_scales}
    _, objectives = read(os.path.join(roster, "resultLearningObjectiveIds.csv"))
    expected = []
    for o in objectives:
        r = by_result[o["resultSourcedId"]]
        if r["studentSourcedId"] not in enabled or r["scoreStatus"] in ("exempt", "not submitted"):
            continue
        ident = o["learningObjectiveId"].lower().removeprefix("urn:uuid:")
        target = target_of[ident]
        if o["score"]:
            level = (float(o["score"]) - lo) * 4 / (hi - lo)
        elif o["textScore"] in text_levels:
            level = float(text_levels[o["textScore"]])
        elif o["textScore"]:
            value = scale_values[line_item_scale[r["lineItemSourcedId"]]][o["textScore"]]
            level = (value - lo) * 4 / (hi - lo)
        else:
            continue
        expected.append((r["studentSourcedId"], target, r["scoreDate"][:10], round(level, 9)))

    db = tmp_path / "school.db"
    run("import", "--oneroster", os.path.join(FIXTURE, "oneroster.toml"), "--db", db)
    con = sqlite3.connect(db)
    stored = [(s, t, d, round(v, 9)) for s, t, d, v in
              con.execute("SELECT student_id, target_id, date, level FROM evidence")]
    con.close()
    assert expected, "the fixture has per-objective scores"
    assert sorted(stored) == sorted(expected)
