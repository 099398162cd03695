#!/usr/bin/env python3
"""Writes fixtures/oneroster/: OneRoster 1.1/1.2 CSV sets and CASE 1.0 packages that look
like real exports (BOM, CRLF, TRUE, extra metadata.* columns, a manifest typo, a delta set),
bad-input sets, and the bundled sample school (fixtures/sample) as a OneRoster 1.2 + CASE set.

Deterministic: the same run writes the same bytes (zip entries carry a fixed date).
Run from the repository root: python3 scripts/oneroster_fixtures.py
"""
import csv
import io
import json
import os
import shutil
import uuid
import zipfile

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "fixtures", "oneroster")
NS = uuid.UUID("6f1c1c3e-5d0a-4a59-9a52-0f2d7e2d9a10")
BOM = "\ufeff"

USERS_12 = ("sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,"
            "middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,"
            "userMasterIdentifier,preferredGivenName,preferredMiddleName,preferredFamilyName,"
            "primaryOrgSourcedId,pronouns").split(",")
USERS_11 = ("sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,userIds,"
            "givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,"
            "password").split(",")
ROLES = "sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId".split(",")
ENROLLMENTS = "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate".split(",")
CLASSES = "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods".split(",")
ORGS = "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId".split(",")
LINEITEMS_12 = "sourcedId,status,dateLastModified,title,description,assignDate,dueDate,classSourcedId,categorySourcedId,academicSessionSourcedId,resultValueMin,resultValueMax,schoolSourcedId".split(",")
LINEITEMS_11 = "sourcedId,status,dateLastModified,title,description,assignDate,dueDate,classSourcedId,categorySourcedId,gradingPeriodSourcedId,resultValueMin,resultValueMax".split(",")
RESULTS_12 = "sourcedId,status,dateLastModified,lineItemSourcedId,studentSourcedId,scoreStatus,score,scoreDate,comment,textScore,classSourcedId,inProgress,incomplete,late,missing".split(",")
RESULTS_11 = "sourcedId,status,dateLastModified,lineItemSourcedId,studentSourcedId,scoreStatus,score,scoreDate,comment".split(",")
RLO = "sourcedId,status,dateLastModified,resultSourcedId,source,learningObjectiveId,score,textScore".split(",")
SCALES = "sourcedId,status,dateLastModified,title,type,orgSourcedId,courseSourcedId,classSourcedId,scoreScaleValue".split(",")
LI_SCALES = "sourcedId,status,dateLastModified,title,lineItemSourcedId,scoreScaleSourcedId".split(",")
USERFLAGS = ["userSourcedId", "flag"]


def uid(*parts):
    return str(uuid.uuid5(NS, "/".join(parts)))


def csv_text(header, rows, crlf=True, bom=False):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n" if crlf else "\n")
    w.writerow(header)
    for r in rows:
        w.writerow([r.get(h, "") for h in header] if isinstance(r, dict) else r)
    return (BOM if bom else "") + buf.getvalue()


def manifest(version, files, typo=False, crlf=True, bom=True):
    rows = [["mainfest.version" if typo else "manifest.version", "1.0"], ["oneroster.version", version]]
    rows += [["file." + name, mode] for name, mode in files]
    rows += [["source.systemName", "Example SIS"], ["source.systemCode", "ESIS-7"]]
    return csv_text(["propertyName", "value"], rows, crlf=crlf, bom=bom)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def write_set(path, files, as_zip=False):
    """files: name -> text. A folder, or a zip whose entries carry a fixed date."""
    if as_zip:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name in sorted(files):
                info = zipfile.ZipInfo(name, date_time=(2026, 11, 24, 17, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                z.writestr(info, files[name].encode("utf-8"))
    else:
        for name, text in files.items():
            write(os.path.join(path, name), text)


def case_package(title, subjects, items, children, precedes):
    """items: list of dicts with code, statement, grade, seq, (type); children: (child, parent, seq)."""
    doc_id = uid("doc", title)
    uri = "https://case.example.org/uri/"
    by_code = {i["code"]: uid("item", title, i["code"]) for i in items}
    cf_items = []
    for i in items:
        cf_items.append({
            "identifier": by_code[i["code"]],
            "uri": uri + by_code[i["code"]],
            "fullStatement": i["statement"],
            "humanCodingScheme": i["code"],
            "CFItemType": i.get("type", "Standard"),
            "educationLevel": [i["grade"]] if i.get("grade") else [],
            **({"listEnumeration": str(i["seq"])} if i.get("seq") is not None else {}),
            "lastChangeDateTime": "2026-08-01T12:00:00+00:00",
        })
    assoc = []

    def node(code):
        ident = by_code.get(code, doc_id)
        return {"title": code, "identifier": ident, "uri": uri + ident}

    for child, parent, seq in children:
        a = {"identifier": uid("assoc", title, "child", child, parent), "associationType": "isChildOf",
             "originNodeURI": node(child), "destinationNodeURI": node(parent),
             "uri": uri + uid("assoc", title, "child", child, parent),
             "lastChangeDateTime": "2026-08-01T12:00:00+00:00"}
        if seq is not None:
            a["sequenceNumber"] = seq
        assoc.append(a)
    for before, after in precedes:
        ident = uid("assoc", title, "precedes", before, after)
        assoc.append({"identifier": ident, "associationType": "precedes",
                      "originNodeURI": node(before), "destinationNodeURI": node(after),
                      "uri": uri + ident, "lastChangeDateTime": "2026-08-01T12:00:00+00:00"})
    pkg = {
        "CFDocument": {"identifier": doc_id, "uri": uri + doc_id, "creator": "Example District",
                       "title": title, "lastChangeDateTime": "2026-08-01T12:00:00+00:00",
                       "subject": subjects, "adoptionStatus": "Adopted", "language": "en"},
        "CFItems": cf_items,
        "CFAssociations": assoc,
        "CFDefinitions": {"CFItemTypes": [], "CFSubjects": []},
        "CFRubrics": [],
    }
    return json.dumps(pkg, indent=2, ensure_ascii=False) + "\n", by_code


SCHOOL_TOML = """name = "Maple Grove Elementary"
date = "2026-11-25"

[status]
method = "decaying"
"""

BLOCKS = "block_id,start,end,subjects\nB1,09:00,09:40,math\nB2,10:00,10:40,reading\n"


# ---------------------------------------------------------------- the 1.2 set
V12_ITEMS = [
    {"code": "5.NF", "statement": "Number and Operations—Fractions", "grade": "05", "type": "Domain"},
    {"code": "5.NF.A", "statement": "Use equivalent fractions as a strategy to add and subtract fractions.", "grade": "05", "type": "Cluster"},
    {"code": "5.NF.A.1", "statement": "Add and subtract fractions with unlike denominators.", "grade": "05", "seq": 1},
    {"code": "5.NF.A.2", "statement": "Solve word problems involving addition and subtraction of fractions.", "grade": "05", "seq": 2},
    {"code": "5.NF.B.3", "statement": "Interpret a fraction as division of the numerator by the denominator.", "grade": "05", "seq": 3},
    {"code": "RL.5.1", "statement": "Quote accurately from a text when explaining what the text says explicitly.", "grade": "05", "seq": 1},
    {"code": "RL.5.2", "statement": "Determine a theme of a story, drama, or poem from details in the text.", "grade": "05", "seq": 2},
]
V12_CHILDREN = [("5.NF.A", "5.NF", 1), ("5.NF.A.1", "5.NF.A", 1), ("5.NF.A.2", "5.NF.A", 2),
                ("5.NF.B.3", "5.NF", 2), ("5.NF", None, None), ("RL.5.1", None, None), ("RL.5.2", None, None)]
V12_PRECEDES = [("5.NF.A.1", "5.NF.A.2"), ("5.NF.A.2", "5.NF.B.3"), ("RL.5.1", "RL.5.2")]

STUDENTS = [  # id, given, family, grade, tier, iep, ell
    ("stu-1001", "Amara", "Okafor", "05", "2", "TRUE", ""),
    ("stu-1002", "Bo", "Lindqvist", "05", "", "", "true"),
    ("stu-1003", "Carmen", "Ruiz", "05", "3", "", ""),
    ("stu-1004", "Dev", "Patel", "5", "", "FALSE", ""),
    ("stu-1005", "Elif", "Yılmaz", "05", "1", "", ""),
    ("stu-1006", "Finn", "O'Brien", "05", "", "", ""),
]
STAFF = [  # id, given, family, role, subjects, minutes
    ("tch-201", "Grace", "Hopper", "teacher", "", ""),
    ("tch-202", "Hal", "Abelson", "teacher", "reading", ""),
    ("aid-301", "Ida", "Wells", "aide", "", "80"),
]


def v12_files(by_code, results_rows, rlo_rows, typo=True):
    users = []
    header = USERS_12 + ["metadata.tier", "metadata.iep", "metadata.ell", "metadata.subjects",
                         "metadata.maxMinutes", "metadata.sisColor", "prefferedGivenName", ""]
    for sid, given, family, grade, tier, iep, ell in STUDENTS:
        users.append({"sourcedId": sid, "status": "active", "dateLastModified": "2026-11-24T16:02:11.000Z",
                      "enabledUser": "TRUE", "username": sid.replace("stu-", "s"), "userIds": "{district:%s}" % sid[4:],
                      "givenName": given, "familyName": family, "identifier": sid[4:], "grades": grade,
                      "primaryOrgSourcedId": "org-maple", "metadata.tier": tier, "metadata.iep": iep,
                      "metadata.ell": ell, "metadata.sisColor": "blue"})
    for sid, given, family, role, subjects, minutes in STAFF:
        users.append({"sourcedId": sid, "status": "active", "dateLastModified": "2026-11-24T16:02:11Z",
                      "enabledUser": "true", "username": sid, "givenName": given, "familyName": family,
                      "email": sid + "@maple.example.org", "primaryOrgSourcedId": "org-maple",
                      "metadata.subjects": subjects, "metadata.maxMinutes": minutes})
    users.append({"sourcedId": "stu-1099", "status": "active", "enabledUser": "FALSE", "givenName": "Left",
                  "familyName": "School", "grades": "05"})
    roles = [{"sourcedId": "role-" + u["sourcedId"], "status": "active", "dateLastModified": "2026-11-24",
              "userSourcedId": u["sourcedId"], "roleType": "primary",
              "role": "student" if u["sourcedId"].startswith("stu") else
              ("aide" if u["sourcedId"].startswith("aid") else "teacher"),
              "beginDate": "2026-08-20", "orgSourcedId": "org-maple"} for u in users]
    classes = [{"sourcedId": "cls-math5", "status": "active", "title": "Math 5", "grades": "05",
                "courseSourcedId": "crs-math5", "classCode": "M5", "classType": "scheduled",
                "schoolSourcedId": "org-maple", "termSourcedIds": "term-2026", "subjects": "Mathematics"},
               {"sourcedId": "cls-ela5", "status": "active", "title": "ELA 5", "grades": "05",
                "courseSourcedId": "crs-ela5", "classCode": "E5", "classType": "scheduled",
                "schoolSourcedId": "org-maple", "termSourcedIds": "term-2026", "subjects": "English Language Arts"}]
    enrollments = []
    for cls in ("cls-math5", "cls-ela5"):
        for u in users:
            role = "student" if u["sourcedId"].startswith("stu") else "teacher"
            enrollments.append({"sourcedId": "enr-%s-%s" % (cls, u["sourcedId"]), "status": "active",
                                "classSourcedId": cls, "schoolSourcedId": "org-maple",
                                "userSourcedId": u["sourcedId"], "role": role,
                                "primary": "TRUE" if role == "teacher" else "FALSE", "beginDate": "2026-08-20"})
    line_items = [
        {"sourcedId": "li-frac-check-1", "status": "active", "title": "Fractions check-in 1",
         "assignDate": "2026-11-10", "dueDate": "2026-11-12", "classSourcedId": "cls-math5",
         "categorySourcedId": "cat-formative", "academicSessionSourcedId": "term-2026",
         "resultValueMin": "1", "resultValueMax": "4", "schoolSourcedId": "org-maple"},
        {"sourcedId": "li-read-check-1", "status": "active", "title": "Reading conference",
         "assignDate": "2026-11-13", "dueDate": "2026-11-17", "classSourcedId": "cls-ela5",
         "categorySourcedId": "cat-formative", "academicSessionSourcedId": "term-2026",
         "schoolSourcedId": "org-maple"},
    ]
    scales = [{"sourcedId": "scale-4pt", "status": "active", "title": "Four-point proficiency",
               "type": "proficiency", "orgSourcedId": "org-maple",
               "scoreScaleValue": "{Beginning:1},{Developing:2},{Proficient:3},{Exceeding:4}"}]
    li_scales = [{"sourcedId": "liss-1", "status": "active", "lineItemSourcedId": "li-read-check-1",
                  "scoreScaleSourcedId": "scale-4pt"}]
    orgs = [{"sourcedId": "org-maple", "status": "active", "name": "Maple Grove Elementary", "type": "school",
             "identifier": "0417"}]
    files = {
        "manifest.csv": manifest("1.2", [("academicSessions", "absent"), ("categories", "absent"),
                                         ("classes", "bulk"), ("classResources", "absent"), ("courses", "absent"),
                                         ("demographics", "absent"), ("enrollments", "bulk"),
                                         ("lineItems", "bulk"), ("orgs", "bulk"), ("resources", "absent"),
                                         ("results", "bulk"), ("roles", "bulk"), ("users", "bulk"),
                                         ("scoreScales", "bulk"), ("lineItemScoreScales", "bulk"),
                                         ("resultLearningObjectiveIds", "bulk")], typo=typo),
        "users.csv": csv_text(header, users, bom=True),
        "roles.csv": csv_text(ROLES, roles, bom=True),
        "orgs.csv": csv_text(ORGS, orgs, bom=True),
        "classes.csv": csv_text(CLASSES, classes, bom=True),
        "enrollments.csv": csv_text(ENROLLMENTS, enrollments, bom=True),
        "lineItems.csv": csv_text(LINEITEMS_12 + ["metadata.gradebookColumn"], line_items, bom=True),
        "results.csv": csv_text(RESULTS_12, results_rows, bom=True),
        "resultLearningObjectiveIds.csv": csv_text(RLO, rlo_rows, bom=True),
        "scoreScales.csv": csv_text(SCALES, scales, bom=True),
        "lineItemScoreScales.csv": csv_text(LI_SCALES, li_scales, bom=True),
    }
    return files


def v12_results(by_code):
    """Results and per-objective rows: math scores on 1–4, reading textScores on the scale."""
    results, rlo = [], []
    math = {  # student -> (5.NF.A.1, 5.NF.A.2, 5.NF.B.3)
        "stu-1001": (2, 1, 1), "stu-1002": (4, 3, 2), "stu-1003": (1, 1, ""),
        "stu-1004": (4, 4, 4), "stu-1005": (3, 2, 2), "stu-1006": (2.5, "", 1)}
    reading = {"stu-1001": ("Proficient", "Developing"), "stu-1002": ("Beginning", "Beginning"),
               "stu-1003": ("Exceeding", "Proficient"), "stu-1004": ("Developing", "Not Yet"),
               "stu-1005": ("Proficient", "Exceeding"), "stu-1006": ("Proficient", "Proficient")}
    for sid, scores in math.items():
        rid = "res-frac1-" + sid
        results.append({"sourcedId": rid, "status": "active", "dateLastModified": "2026-11-12T20:15:00.000Z",
                        "lineItemSourcedId": "li-frac-check-1", "studentSourcedId": sid,
                        "scoreStatus": "fully graded", "score": "", "scoreDate": "2026-11-12T14:30:00.000Z",
                        "classSourcedId": "cls-math5", "inProgress": "false", "incomplete": "false",
                        "late": "false", "missing": "false"})
        for code, score in zip(("5.NF.A.1", "5.NF.A.2", "5.NF.B.3"), scores):
            rlo.append({"sourcedId": "rlo-%s-%s" % (rid, code), "status": "active",
                        "dateLastModified": "2026-11-12T20:15:00.000Z", "resultSourcedId": rid,
                        "source": "case", "learningObjectiveId": ("urn:uuid:" + by_code[code]).upper()
                        if code == "5.NF.A.1" else by_code[code], "score": str(score), "textScore": ""})
    for sid, texts in reading.items():
        rid = "res-read1-" + sid
        results.append({"sourcedId": rid, "status": "active", "dateLastModified": "2026-11-17",
                        "lineItemSourcedId": "li-read-check-1", "studentSourcedId": sid,
                        "scoreStatus": "exempt" if sid == "stu-1006" else "fully graded",
                        "scoreDate": "2026-11-17", "classSourcedId": "cls-ela5"})
        for code, text in zip(("RL.5.1", "RL.5.2"), texts):
            rlo.append({"sourcedId": "rlo-%s-%s" % (rid, code), "status": "active",
                        "dateLastModified": "2026-11-17", "resultSourcedId": rid, "source": "case",
                        "learningObjectiveId": by_code[code], "score": "", "textScore": text})
    return results, rlo


V12_MAPPING = """# oneroster.toml: how Maple Grove's OneRoster 1.2 export and CASE framework become its record.
# Paths are relative to this file.

[files]
roster = "roster"              # a folder with manifest.csv, or a .zip
case = "framework.json"        # a CASE 1.0 package
school = "school"              # Regroup's own files: school.toml, blocks.csv (+ unavailable, requests, pins, history)

[levels]
# A numeric score maps linearly: score_min is level 0, score_max is level 4.
score_min = 1
score_max = 4
# A textScore found in a result's or line item's score scale takes that scale's score.
use_score_scales = true

[levels.text]
# A textScore found here gets this level directly (0–4); it wins over any scale.
"Not Yet" = 0

[students]
tier = "metadata.tier"                    # 1, 2 or 3; empty means 1
flags = ["metadata.iep", "metadata.ell"]  # TRUE/true/1/yes adds the flag "iep" / "ell"
flags_file = true                         # also read userFlags.csv (userSourcedId,flag) when present

[staff]
roles = ["teacher", "aide"]      # users with these roles (roles.csv in 1.2) lead sessions
subjects = "*"                   # defaults for every staff member …
max_minutes = 120
max_group_size = 6
subjects_column = "metadata.subjects"        # … unless their users.csv row says otherwise
max_minutes_column = "metadata.maxMinutes"

[staff.role.aide]
max_group_size = 4

[targets]
id = "humanCodingScheme"         # or "identifier" (the CFItem's UUID)
sequence = "listEnumeration"     # or "sequenceNumber", "document", "none"
item_types = []                  # empty: every CFItem without children is a target

[targets.subjects]               # by humanCodingScheme prefix; the longest match wins
"5.NF" = "math"
"RL." = "reading"
"""


# ---------------------------------------------------------------- the 1.1 set
V11_MAPPING = """# oneroster.toml for a OneRoster 1.1 gradebook: no per-standard scores, so each line item
# is tagged to one target, by a metadata column or by a title like "[5.NF.A.1] Exit ticket".

[files]
roster = "roster.zip"
case = "../v12/framework.json"
school = "school"

[levels]
score_min = 0        # percent scores: 0 % is level 0, 100 % is level 4
score_max = 100

[students]
tier = "metadata.rti_tier"

[staff]
roles = ["teacher"]
max_minutes = 90
max_group_size = 6

[targets]
id = "humanCodingScheme"

[targets.subjects]
"5.NF" = "math"
"RL." = "reading"

[line_items]
target_column = "metadata.targetId"
title_pattern = "^\\\\[([^\\\\]]+)\\\\]"
"""


def v11_files():
    users = []
    for sid, given, family, grade, tier, _, _ in STUDENTS:
        users.append({"sourcedId": sid, "enabledUser": "TRUE", "orgSourcedIds": "org-maple", "role": "student",
                      "username": sid, "userIds": "{Local:%s}" % sid[4:], "givenName": given, "familyName": family,
                      "identifier": sid[4:], "grades": grade, "metadata.rti_tier": tier})
    for sid, given, family, role, _, _ in STAFF[:2]:
        users.append({"sourcedId": sid, "enabledUser": "true", "orgSourcedIds": "org-maple", "role": "teacher",
                      "username": sid, "givenName": given, "familyName": family, "email": sid + "@maple.example.org"})
    line_items = [
        {"sourcedId": "gb-101", "title": "Exit ticket: adding fractions", "assignDate": "2026-11-09",
         "dueDate": "2026-11-10", "classSourcedId": "cls-math5", "categorySourcedId": "cat-1",
         "gradingPeriodSourcedId": "gp-2", "resultValueMin": "0", "resultValueMax": "100",
         "metadata.targetId": "5.NF.A.1"},
        {"sourcedId": "gb-102", "title": "[5.NF.A.2] Word problems quiz", "assignDate": "2026-11-16",
         "dueDate": "2026-11-18", "classSourcedId": "cls-math5", "categorySourcedId": "cat-1",
         "gradingPeriodSourcedId": "gp-2", "resultValueMin": "0", "resultValueMax": "100"},
        {"sourcedId": "gb-103", "title": "Homework 12 (not a standard)", "assignDate": "2026-11-16",
         "dueDate": "2026-11-18", "classSourcedId": "cls-math5", "categorySourcedId": "cat-2",
         "gradingPeriodSourcedId": "gp-2"},
    ]
    scores = {"stu-1001": (40, 20, 90), "stu-1002": (100, 75, 80), "stu-1003": (25, 25, 60),
              "stu-1004": (100, 100, 100), "stu-1005": (75, 50, 95), "stu-1006": (50, 62.5, 70)}
    results = []
    for sid, (a, b, hw) in scores.items():
        for li, score, day in (("gb-101", a, "2026-11-10"), ("gb-102", b, "2026-11-18"), ("gb-103", hw, "2026-11-18")):
            results.append({"sourcedId": "r-%s-%s" % (li, sid), "lineItemSourcedId": li, "studentSourcedId": sid,
                            "scoreStatus": "fully graded", "score": str(score), "scoreDate": day})
    return {
        "manifest.csv": manifest("1.1", [("academicSessions", "absent"), ("categories", "absent"),
                                         ("classes", "absent"), ("enrollments", "absent"),
                                         ("lineItems", "bulk"), ("orgs", "absent"), ("results", "bulk"),
                                         ("users", "bulk")], typo=True),
        "users.csv": csv_text(USERS_11 + ["metadata.rti_tier"], users, bom=True),
        "lineItems.csv": csv_text(LINEITEMS_11 + ["metadata.targetId"], line_items, bom=True),
        "results.csv": csv_text(RESULTS_11, results, bom=True),
    }


# ---------------------------------------------------------------- the sample school
def read_csv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


SAMPLE_MAPPING = """# oneroster.toml: the bundled sample school (fixtures/sample) as a OneRoster 1.2 + CASE set.
# Written by scripts/oneroster_fixtures.py; imported, it plans exactly as the folder does.

[files]
roster = "roster.zip"
case = "framework.json"
school = "school"

[levels]
score_min = 0        # the gradebook already scores mastery 0–4
score_max = 4

[students]
tier = "metadata.tier"
flags_file = true    # userFlags.csv

[staff]
roles = ["teacher", "aide"]
subjects_column = "metadata.subjects"
max_minutes_column = "metadata.maxMinutes"
max_group_size_column = "metadata.maxGroupSize"

[targets]
id = "humanCodingScheme"
sequence = "listEnumeration"

[targets.subjects]
"M" = "math"
"R" = "reading"
"""


def sample():
    src = os.path.join(ROOT, "fixtures", "sample")
    students = read_csv(os.path.join(src, "students.csv"))
    staff = read_csv(os.path.join(src, "staff.csv"))
    targets = read_csv(os.path.join(src, "targets.csv"))
    evidence = read_csv(os.path.join(src, "evidence.csv"))
    subjects = sorted({t["subject"] for t in targets})
    for t in targets:
        assert t["target_id"][0] == t["subject"][0].upper(), t
    items = [{"code": t["target_id"], "statement": t["title"], "grade": t["grade"].zfill(2),
              "seq": t["sequence"] or None} for t in targets]
    framework, by_code = case_package("Sample school targets", subjects, items, [], [])
    users, roles, flags = [], [], []
    header = USERS_12 + ["metadata.tier", "metadata.subjects", "metadata.maxMinutes", "metadata.maxGroupSize"]
    for s in students:
        users.append({"sourcedId": s["student_id"], "enabledUser": "true", "givenName": s["given_name"],
                      "familyName": s["family_name"], "grades": s["grade"], "metadata.tier": s["tier"]})
        roles.append({"sourcedId": "r-" + s["student_id"], "userSourcedId": s["student_id"],
                      "roleType": "primary", "role": "student"})
        for flag in [f for f in s["flags"].split(";") if f]:
            flags.append([s["student_id"], flag])
    for k in staff:
        given, _, family = k["name"].partition(" ")
        users.append({"sourcedId": k["staff_id"], "enabledUser": "true", "givenName": given, "familyName": family,
                      "metadata.subjects": k["subjects"], "metadata.maxMinutes": k["max_minutes"],
                      "metadata.maxGroupSize": k["max_group_size"]})
        roles.append({"sourcedId": "r-" + k["staff_id"], "userSourcedId": k["staff_id"], "roleType": "primary",
                      "role": "teacher" if k["staff_id"].startswith("T") else "aide"})
    line_items, results, rlo = {}, [], []
    for n, e in enumerate(evidence, 1):
        li = "li-%s-%s" % (e["target_id"], e["date"])
        line_items.setdefault(li, {"sourcedId": li, "title": "%s check %s" % (e["target_id"], e["date"]),
                                   "assignDate": e["date"], "dueDate": e["date"]})
        rid = "res-%05d" % n
        results.append({"sourcedId": rid, "lineItemSourcedId": li, "studentSourcedId": e["student_id"],
                        "scoreStatus": "fully graded", "scoreDate": e["date"] + "T15:00:00.000Z"})
        rlo.append({"sourcedId": "rlo-%05d" % n, "resultSourcedId": rid, "source": "case",
                    "learningObjectiveId": by_code[e["target_id"]], "score": e["level"]})
    files = {
        "manifest.csv": manifest("1.2", [("users", "bulk"), ("roles", "bulk"), ("lineItems", "bulk"),
                                         ("results", "bulk"), ("resultLearningObjectiveIds", "bulk")],
                                 typo=False, crlf=False, bom=False),
        "users.csv": csv_text(header, users, crlf=False),
        "roles.csv": csv_text(ROLES, roles, crlf=False),
        "userFlags.csv": csv_text(USERFLAGS, flags, crlf=False),
        "lineItems.csv": csv_text(LINEITEMS_12, list(line_items.values()), crlf=False),
        "results.csv": csv_text(RESULTS_12, results, crlf=False),
        "resultLearningObjectiveIds.csv": csv_text(RLO, rlo, crlf=False),
    }
    base = os.path.join(OUT, "sample")
    write_set(os.path.join(base, "roster.zip"), files, as_zip=True)
    write(os.path.join(base, "framework.json"), framework)
    write(os.path.join(base, "oneroster.toml"), SAMPLE_MAPPING)
    os.makedirs(os.path.join(base, "school"), exist_ok=True)
    for name in ("school.toml", "blocks.csv", "unavailable.csv", "history.csv", "requests.csv", "pins.csv"):
        shutil.copyfile(os.path.join(src, name), os.path.join(base, "school", name))


def main():
    if os.path.isdir(OUT):
        for name in ("v12", "v11", "sample", "invalid"):
            shutil.rmtree(os.path.join(OUT, name), ignore_errors=True)
    # 1.2
    framework, by_code = case_package("Maple Grove Grade 5", ["Mathematics", "English Language Arts"],
                                      V12_ITEMS, [c for c in V12_CHILDREN if c[1]], V12_PRECEDES)
    base = os.path.join(OUT, "v12")
    write(os.path.join(base, "framework.json"), framework)
    write(os.path.join(base, "oneroster.toml"), V12_MAPPING)
    write(os.path.join(base, "school", "school.toml"), SCHOOL_TOML)
    write(os.path.join(base, "school", "blocks.csv"), BLOCKS)
    write(os.path.join(base, "school", "requests.csv"),
          "request_id,staff_id,student_id,block_id,priority\nQ1,aid-301,stu-1003,B1,high\n")
    results, rlo = v12_results(by_code)
    write_set(os.path.join(base, "roster"), v12_files(by_code, results, rlo))
    # The delta set: a new student with a result, one objective score corrected, one removed.
    delta_users = [{"sourcedId": "stu-1007", "status": "active", "dateLastModified": "2026-11-25T07:00:00.000Z",
                    "enabledUser": "TRUE", "givenName": "Gus", "familyName": "Grissom", "grades": "05",
                    "metadata.tier": "2"}]
    delta_roles = [{"sourcedId": "role-stu-1007", "status": "active", "dateLastModified": "2026-11-25T07:00:00Z",
                    "userSourcedId": "stu-1007", "roleType": "primary", "role": "student"}]
    delta_results = [{"sourcedId": "res-frac1-stu-1007", "status": "active",
                      "dateLastModified": "2026-11-25T07:00:00.000Z", "lineItemSourcedId": "li-frac-check-1",
                      "studentSourcedId": "stu-1007", "scoreStatus": "fully graded",
                      "scoreDate": "2026-11-24T14:00:00.000Z"}]
    delta_rlo = [
        {"sourcedId": "rlo-res-frac1-stu-1007-5.NF.A.1", "status": "active",
         "dateLastModified": "2026-11-25T07:00:00.000Z", "resultSourcedId": "res-frac1-stu-1007",
         "source": "case", "learningObjectiveId": by_code["5.NF.A.1"], "score": "1"},
        {"sourcedId": "rlo-res-frac1-stu-1002-5.NF.B.3", "status": "active",
         "dateLastModified": "2026-11-25T07:00:00.000Z", "resultSourcedId": "res-frac1-stu-1002",
         "source": "case", "learningObjectiveId": by_code["5.NF.B.3"], "score": "4"},
        {"sourcedId": "rlo-res-frac1-stu-1001-5.NF.A.1", "status": "tobedeleted",
         "dateLastModified": "2026-11-25T07:00:00.000Z", "resultSourcedId": "res-frac1-stu-1001",
         "source": "case", "learningObjectiveId": by_code["5.NF.A.1"], "score": "2"},
    ]
    write_set(os.path.join(base, "delta"), {
        "manifest.csv": manifest("1.2", [("users", "delta"), ("roles", "delta"), ("results", "delta"),
                                         ("resultLearningObjectiveIds", "delta"), ("lineItems", "absent")]),
        "users.csv": csv_text(USERS_12 + ["metadata.tier"], delta_users, bom=True),
        "roles.csv": csv_text(ROLES, delta_roles, bom=True),
        "results.csv": csv_text(RESULTS_12, delta_results, bom=True),
        "resultLearningObjectiveIds.csv": csv_text(RLO, delta_rlo, bom=True),
    })
    # 1.1
    base = os.path.join(OUT, "v11")
    write(os.path.join(base, "oneroster.toml"), V11_MAPPING)
    write_set(os.path.join(base, "roster.zip"), v11_files(), as_zip=True)
    write(os.path.join(base, "school", "school.toml"), SCHOOL_TOML)
    write(os.path.join(base, "school", "blocks.csv"), BLOCKS)

    # Bad input: each a small change to the 1.2 set (see Tests/InterchangeTests for the messages).
    def bad(name, files, as_zip=False, framework_path="../../v12/framework.json"):
        b = os.path.join(OUT, "invalid", name)
        mapping = V12_MAPPING.replace('roster = "roster"', 'roster = "%s"' % ("roster.zip" if as_zip else "roster"))
        mapping = mapping.replace('case = "framework.json"', 'case = "%s"' % framework_path)
        mapping = mapping.replace('school = "school"', 'school = "../../v12/school"')
        write(os.path.join(b, "oneroster.toml"), mapping)
        write_set(os.path.join(b, "roster.zip" if as_zip else "roster"), files, as_zip=as_zip)
        return b

    r, l = v12_results(by_code)
    l[7]["learningObjectiveId"] = "urn:uuid:00000000-0000-0000-0000-00000000beef"
    bad("unknown-objective", v12_files(by_code, r, l))
    r, l = v12_results(by_code)
    l[4]["score"] = "7"
    bad("score-out-of-scale", v12_files(by_code, r, l), as_zip=True)
    r, l = v12_results(by_code)
    r[3]["studentSourcedId"] = "STU-1004"  # sourcedIds are case-sensitive
    bad("unknown-student", v12_files(by_code, r, l))
    r, l = v12_results(by_code)
    files = v12_files(by_code, r, l)
    files["results.csv"] = files["results.csv"].replace(",scoreDate,", ",scoreDat,", 1)
    bad("missing-column", files)
    r, l = v12_results(by_code)
    files = v12_files(by_code, r, l)
    del files["manifest.csv"]
    bad("zip-without-manifest", files, as_zip=True)
    cyclic, cyc_codes = case_package("Maple Grove Grade 5", ["Mathematics", "English Language Arts"], V12_ITEMS,
                                     [c for c in V12_CHILDREN if c[1]], V12_PRECEDES + [("5.NF.B.3", "5.NF.A.1")])
    r, l = v12_results(by_code)
    b = bad("precedes-cycle", v12_files(by_code, r, l), framework_path="framework.json")
    write(os.path.join(b, "framework.json"), cyclic)

    sample()


if __name__ == "__main__":
    main()
