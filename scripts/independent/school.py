"""Read a school folder and derive what a plan uses (spec/day-model.md §1-§2).

Written only from the product contract, never from the Swift sources, so that it
catches misreadings. Only valid folders need support: a bad folder raises
SchoolError with a short message, without the full diagnostics of §6.

    from school import load_school
    sc = load_school("path/to/folder", date="2026-11-25")   # date: overrides school.toml
    sc.needs   # {(student, target): Need(level, wait, weight)}
"""
from __future__ import annotations

import csv
import datetime as _dt
import os
import sys
import tomllib
from dataclasses import dataclass, field

DEFAULTS = {
    "name": "",
    "status": {"method": "decaying", "decay": 0.65, "proficient": 3.0},
    "groups": {"min_size": 2},
    "weights": {
        "gap": 10.0, "wait": 1.0, "wait_cap": 10, "tier2": 1.5, "tier3": 2.0,
        "request_high": 30.0, "request_normal": 12.0, "session": 4.0, "not_ready": 0.25,
        "move": 5.0, "dosage": 20.0,
    },
}
METHODS = ("decaying", "recent", "mean", "highest")


class SchoolError(Exception):
    pass


@dataclass
class Staff:
    id: str
    subjects: list          # ["*"] means any
    max_group_size: int
    max_minutes: int

    def teaches(self, subject: str) -> bool:
        return "*" in self.subjects or subject in self.subjects


@dataclass
class Block:
    id: str
    start: str
    end: str
    subjects: list
    minutes: int

    def allows(self, subject: str) -> bool:
        return "*" in self.subjects or subject in self.subjects


@dataclass
class Request:
    id: str
    staff: str
    student: str
    block: str | None       # None: any block
    priority: str           # required | high | normal


@dataclass
class Need:
    level: float
    wait: int
    weight: float


@dataclass
class School:
    folder: str
    date: _dt.date
    name: str
    method: str
    decay: float
    proficient: float
    min_size: int
    weights: dict
    students: dict = field(default_factory=dict)   # id -> tier (int)
    targets: dict = field(default_factory=dict)    # id -> subject
    prerequisites: dict = field(default_factory=dict)  # target id -> [target ids] (spec §11)
    staff: dict = field(default_factory=dict)      # id -> Staff
    blocks: dict = field(default_factory=dict)     # id -> Block
    unavailable: set = field(default_factory=set)  # {(staff, block)}
    requests: list = field(default_factory=list)   # [Request]
    pins: list = field(default_factory=list)       # [(student, block, staff)], file order, duplicates dropped
    absent: set = field(default_factory=set)       # {(id, block)} on the plan date (spec §12), whole days expanded
    dosage: dict | None = None                     # [dosage] (spec §14), None without the table
    short: dict = field(default_factory=dict)      # student -> sessions still owed this week (> 0 only)
    dropped: list = field(default_factory=list)    # pins / request ids an absence made impossible
    levels: dict = field(default_factory=dict)     # (s,t) -> level
    needs: dict = field(default_factory=dict)      # (s,t) -> Need

    # ---- helpers shared by the formulations and the checker ----
    def tier_multiplier(self, s: str) -> float:
        tier = self.students[s]
        return {1: 1.0, 2: self.weights["tier2"], 3: self.weights["tier3"]}[tier]

    def request_weight(self, r: Request) -> float:
        return {"high": self.weights["request_high"],
                "normal": self.weights["request_normal"]}.get(r.priority, 0.0)

    def available(self, k: str, b: str) -> bool:
        return (k, b) not in self.unavailable

    def can_lead(self, k: str, b: str, t: str) -> bool:
        """R1 availability + R2 subjects for a session (b, k, t)."""
        subj = self.targets[t]
        return self.available(k, b) and self.staff[k].teaches(subj) and self.blocks[b].allows(subj)

    def may_join(self, s: str, k: str, b: str, t: str) -> bool:
        """R6: s needs t, or a request (k, s) with block b or empty, or a pin (s, b, k)."""
        if (s, t) in self.needs:
            return True
        for r in self.requests:
            if r.staff == k and r.student == s and (r.block is None or r.block == b):
                return True
        return (s, b, k) in self.pin_set

    @property
    def pin_set(self):
        return set(self.pins)


# ---------------------------------------------------------------- CSV reading
def read_csv(path: str, required_cols: list, optional: bool = False):
    """RFC 4180 via the csv module: BOM ignored, CRLF or LF, quoted cells (may span
    lines), spaces around cells trimmed, blank lines skipped, short rows padded
    with empty cells. Returns a list of dicts (header names trimmed)."""
    if not os.path.exists(path):
        if optional:
            return []
        raise SchoolError(f"{os.path.basename(path)}: error: required file is missing")
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, strict=True))
    if not rows:
        raise SchoolError(f"{os.path.basename(path)}: error: empty file, no header")
    header = [h.strip() for h in rows[0]]
    for c in required_cols:
        if c not in header:
            raise SchoolError(f"{os.path.basename(path)}:1: error: missing column {c}")
    out = []
    for row in rows[1:]:
        cells = [c.strip() for c in row]
        if not any(cells):
            continue  # blank line
        if len(cells) > len(header):
            raise SchoolError(f"{os.path.basename(path)}: error: row with more cells than the header")
        cells += [""] * (len(header) - len(cells))
        out.append(dict(zip(header, cells)))
    return out


def split_list(cell: str) -> list:
    return [p.strip() for p in cell.split(";") if p.strip()]


def parse_minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 60 + int(m)


def parse_date(s: str) -> _dt.date:
    return _dt.date.fromisoformat(s.strip())


def _merge(defaults: dict, given: dict) -> dict:
    out = {}
    for k, v in defaults.items():
        if isinstance(v, dict):
            out[k] = {**v, **given.get(k, {})}
        else:
            out[k] = given.get(k, v)
    for k, v in given.items():
        out.setdefault(k, v)
    return out


# ------------------------------------------------------------------ loading
def load_school(folder: str, date: str | None = None, method: str | None = None) -> School:
    """Load FOLDER for the day DATE (overrides school.toml's date).
    METHOD, when given, overrides [status].method (used by tests of the four methods)."""
    p = lambda name: os.path.join(folder, name)
    tpath = p("school.toml")
    if not os.path.exists(tpath):
        raise SchoolError("school.toml: error: required file is missing")
    with open(tpath, "rb") as f:
        raw = f.read()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    cfg = _merge(DEFAULTS, tomllib.loads(raw.decode("utf-8")))
    day = date if date is not None else cfg.get("date")
    if day is None:
        raise SchoolError("school.toml: error: no date: give --date or date in school.toml")
    if isinstance(day, _dt.date):
        day = day.isoformat()
    st = cfg["status"]
    sc = School(
        folder=folder,
        date=parse_date(str(day)),
        name=cfg.get("name", ""),
        method=method or st["method"],
        decay=float(st["decay"]),
        proficient=float(st["proficient"]),
        min_size=int(cfg["groups"]["min_size"]),
        weights={k: float(v) for k, v in cfg["weights"].items()},
    )
    sc.weights["wait_cap"] = int(cfg["weights"]["wait_cap"])
    if sc.method not in METHODS:
        raise SchoolError(f"school.toml: error: unknown method {sc.method!r}")

    for r in read_csv(p("students.csv"), ["student_id"]):
        sc.students[r["student_id"]] = int(r.get("tier") or 1)
    for r in read_csv(p("targets.csv"), ["target_id", "subject"]):
        sc.targets[r["target_id"]] = r["subject"]
        sc.prerequisites[r["target_id"]] = split_list(r.get("prerequisites", ""))
    for r in read_csv(p("staff.csv"), ["staff_id", "subjects", "max_group_size", "max_minutes"]):
        sc.staff[r["staff_id"]] = Staff(r["staff_id"], split_list(r["subjects"]),
                                        int(r["max_group_size"]), int(r["max_minutes"]))
    for r in read_csv(p("blocks.csv"), ["block_id", "start", "end"]):
        subj = split_list(r.get("subjects", "")) or ["*"]
        sc.blocks[r["block_id"]] = Block(r["block_id"], r["start"], r["end"], subj,
                                         parse_minutes(r["end"]) - parse_minutes(r["start"]))
    evidence = read_csv(p("evidence.csv"), ["student_id", "target_id", "date", "level"])
    for r in read_csv(p("unavailable.csv"), ["staff_id", "block_id"], optional=True):
        sc.unavailable.add((r["staff_id"], r["block_id"]))
    history = read_csv(p("history.csv"), ["date", "block_id", "student_id", "staff_id", "target_id"],
                       optional=True)
    for r in read_csv(p("requests.csv"), ["request_id", "staff_id", "student_id", "priority"],
                      optional=True):
        sc.requests.append(Request(r["request_id"], r["staff_id"], r["student_id"],
                                   r.get("block_id") or None, r["priority"]))
    seen = set()
    for r in read_csv(p("pins.csv"), ["student_id", "block_id", "staff_id"], optional=True):
        key = (r["student_id"], r["block_id"], r["staff_id"])
        if key not in seen:
            seen.add(key)
            sc.pins.append(key)

    # §12 absences of the plan date; pins and requests they make impossible do not bind
    for r in read_csv(p("absences.csv"), ["date", "id"], optional=True):
        if parse_date(r["date"]) != sc.date:
            continue
        for b in ([r["block_id"]] if r.get("block_id") else list(sc.blocks)):
            sc.absent.add((r["id"], b))
    if sc.absent:
        def out(ids, b):
            return any((i, b) in sc.absent for i in ids)
        kept = []
        for (s, b, k) in sc.pins:
            (sc.dropped if out((s, k), b) else kept).append((s, b, k))
        sc.pins = [x for x in kept]
        left = []
        for r in sc.requests:
            blocks = [r.block] if r.block else list(sc.blocks)
            if blocks and all(out((r.student, r.staff), b) for b in blocks):
                sc.dropped.append(r.id)
            else:
                left.append(r)
        sc.requests = left
    # §14 dosage: the week is Monday to Friday of the plan date; history before the plan date
    if isinstance(cfg.get("dosage"), dict):
        d = {"tier1": 0, "tier2": 2, "tier3": 4, "keep_staff": False, **cfg["dosage"]}
        sc.dosage = d
        monday = sc.date - _dt.timedelta(days=sc.date.weekday())
        seen, count, staff_count = set(), {}, {}
        starts = {b: parse_minutes(blk.start) for b, blk in sc.blocks.items()}
        for r in history:
            day = parse_date(r["date"])
            if not (monday <= day < sc.date):
                continue
            key = (r["student_id"], day, r["block_id"])
            if key in seen:
                continue
            seen.add(key)
            count[r["student_id"]] = count.get(r["student_id"], 0) + 1
            when = (day, starts.get(r["block_id"], 0))
            n, first = staff_count.get((r["student_id"], r["staff_id"]), (0, when))
            staff_count[(r["student_id"], r["staff_id"])] = (n + 1, min(first, when))
        for s, tier in sc.students.items():
            owed = int(d[f"tier{tier}"]) - count.get(s, 0)
            if owed > 0:
                sc.short[s] = owed
        if d["keep_staff"]:
            ids = {r.id for r in sc.requests}
            for s, tier in sc.students.items():
                mine = [(-n, first, k) for (st, k), (n, first) in staff_count.items() if st == s]
                if tier != 3 or not mine or f"keep-{s}" in ids:
                    continue
                k = min(mine)[2]
                if k in sc.staff and not all((x, b) in sc.absent for x in (s,) for b in sc.blocks) \
                        and not all((k, b) in sc.absent for b in sc.blocks):
                    sc.requests.append(Request(f"keep-{s}", k, s, None, "normal"))

    # §2 levels: rows dated on or before the plan date, oldest first, ties in file order
    series: dict = {}
    for i, r in enumerate(evidence):
        d = parse_date(r["date"])
        if d > sc.date:
            continue
        series.setdefault((r["student_id"], r["target_id"]), []).append((d, i, float(r["level"])))
    for key, obs in series.items():
        obs.sort(key=lambda x: (x[0], x[1]))
        vals = [v for _, _, v in obs]
        sc.levels[key] = fold(vals, sc.method, sc.decay)

    # waits: latest history date for (s,t) strictly before the plan date
    last: dict = {}
    for r in history:
        d = parse_date(r["date"])
        if d >= sc.date:
            continue
        key = (r["student_id"], r["target_id"])
        if key not in last or d > last[key]:
            last[key] = d
    cap = sc.weights["wait_cap"]
    w = sc.weights
    for key, L in sc.levels.items():
        if not L < sc.proficient:
            continue
        s, t = key
        if s not in sc.students or t not in sc.targets:
            continue  # references are validated by §6; ignore here
        wait = min(cap, (sc.date - last[key]).days) if key in last else cap
        weight = sc.tier_multiplier(s) * (w["gap"] * (sc.proficient - L) + w["wait"] * wait)
        # §11: not ready when a prerequisite is itself a need (no evidence: does not count)
        if any(sc.levels.get((s, q), sc.proficient) < sc.proficient
               for q in sc.prerequisites.get(t, [])):
            weight *= w["not_ready"]
        sc.needs[key] = Need(L, wait, weight)
    return sc


def fold(vals: list, method: str, decay: float) -> float:
    if method == "recent":
        return vals[-1]
    if method == "mean":
        return sum(vals) / len(vals)
    if method == "highest":
        return max(vals)
    L = vals[0]
    for v in vals[1:]:
        L = decay * v + (1 - decay) * L
    return L


def main(argv=None):
    import argparse
    import json
    ap = argparse.ArgumentParser(description="Print the needs of a school folder (spec §2) as JSON.")
    ap.add_argument("folder")
    ap.add_argument("--date")
    ap.add_argument("--method", choices=METHODS)
    a = ap.parse_args(argv)
    try:
        sc = load_school(a.folder, a.date, a.method)
    except SchoolError as e:
        print(e, file=sys.stderr)
        return 1
    needs = sorted(sc.needs.items(), key=lambda kv: (-kv[1].weight, kv[0]))
    print(json.dumps({"date": sc.date.isoformat(), "needs": [
        {"student": s, "target": t, "level": n.level, "wait": n.wait, "weight": n.weight}
        for (s, t), n in needs]}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
