"""Check a plan against the rules R1-R11 (R12: the dosage score) and recompute its score (spec/day-model.md
§3-§5), independently of Regroup.

CLI: python3 check_plan.py FOLDER PLAN.json [--json]
Prints one line per broken rule (`R5: ...`), notes on the plan's own claims that do
not match (objective, requests' honored flags; these do not change the exit status),
and `score: X`. Exit 0 when every rule holds, 2 when one is broken, 1 for bad input.
The day is the plan's `date` (as `regroup check` reads it).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from school import School, SchoolError, load_school  # noqa: E402


def check(sc: School, plan: dict):
    """Return (violations, score, notes). violations: [(rule, items, message)]."""
    V = []
    notes = []
    sessions = plan.get("sessions") or []
    known = []   # sessions whose block, staff and target exist, with known students only

    # R10: every id exists
    for i, ses in enumerate(sessions):
        b, k, t = ses.get("block"), ses.get("staff"), ses.get("target")
        ok = True
        for kind, val, table in (("block", b, sc.blocks), ("staff", k, sc.staff),
                                 ("target", t, sc.targets)):
            if val not in table:
                V.append(("R10", [str(val)], f"session {i + 1}: unknown {kind} {val!r}"))
                ok = False
        studs = []
        for s in ses.get("students") or []:
            if s not in sc.students:
                V.append(("R10", [str(s)], f"session {i + 1}: unknown student {s!r}"))
            else:
                studs.append(s)
        if ok:
            known.append((b, k, t, studs))
    req_ids = {r.id for r in sc.requests} | {x for x in sc.dropped if isinstance(x, str)}
    for e in plan.get("requests") or []:
        if e.get("request_id") not in req_ids:
            V.append(("R10", [str(e.get("request_id"))], f"unknown request {e.get('request_id')!r}"))

    # R1: one session per staff per block; none where unavailable
    per_kb = defaultdict(list)
    for b, k, t, studs in known:
        per_kb[(k, b)].append(t)
    for (k, b), ts in per_kb.items():
        if len(ts) > 1:
            V.append(("R1", [k, b] + ts, f"{k} leads {len(ts)} sessions in block {b} ({', '.join(ts)})"))
        if not sc.available(k, b):
            V.append(("R1", [k, b], f"{k} is unavailable in block {b} but leads a session there"))
    # R2: subjects
    for b, k, t, studs in known:
        subj = sc.targets[t]
        if not sc.staff[k].teaches(subj):
            V.append(("R2", [k, t], f"{k} does not teach {subj} ({t}) [block {b}]"))
        if not sc.blocks[b].allows(subj):
            V.append(("R2", [b, t], f"block {b} does not allow {subj} ({t}) [staff {k}]"))
    # R3: minutes
    for k in sorted({k for (k, b) in per_kb}):
        mins = sum(sc.blocks[b].minutes for (k2, b) in per_kb if k2 == k)
        if mins > sc.staff[k].max_minutes:
            V.append(("R3", [k], f"{k} leads {mins} minutes, more than max_minutes {sc.staff[k].max_minutes}"))
    # R4: sizes
    for b, k, t, studs in known:
        n = len(studs)
        if n < sc.min_size:
            V.append(("R4", [b, k, t], f"session ({b}, {k}, {t}) has {n} students, fewer than min_size {sc.min_size}"))
        if n > sc.staff[k].max_group_size:
            V.append(("R4", [b, k, t], f"session ({b}, {k}, {t}) has {n} students, more than {k}'s max_group_size {sc.staff[k].max_group_size}"))
    # R5: one session per student per block (a student listed twice in one session counts twice)
    per_sb = defaultdict(list)
    for b, k, t, studs in known:
        for s in studs:
            per_sb[(s, b)].append(k)
    for (s, b), ks in per_sb.items():
        if len(ks) > 1:
            V.append(("R5", [s, b] + ks, f"{s} is in {len(ks)} sessions in block {b} ({', '.join(ks)})"))
    # R6: need, request or pin
    for b, k, t, studs in known:
        for s in studs:
            if not sc.may_join(s, k, b, t):
                V.append(("R6", [s, b, k, t], f"{s} is in ({b}, {k}, {t}) without a need, request or pin"))
    # R7: one session per target per student
    per_st = defaultdict(list)
    for b, k, t, studs in known:
        for s in studs:
            per_st[(s, t)].append(b)
    for (s, t), bs in per_st.items():
        if len(bs) > 1:
            V.append(("R7", [s, t] + bs, f"{s} is in {len(bs)} sessions on {t} ({', '.join(bs)})"))
    # R8 pins, R9 required requests
    placed = {(s, k, b) for b, k, t, studs in known for s in studs}

    def honored(r):
        return any((r.student, r.staff, b) in placed
                   for b in (sc.blocks if r.block is None else [r.block]))

    for (s, b, k) in sc.pins:
        if (s, k, b) not in placed:
            V.append(("R8", [s, b, k], f"{s} is pinned to {k} in block {b} but not in that session"))
    for r in sc.requests:
        if r.priority == "required" and not honored(r):
            where = f"block {r.block}" if r.block else "any block"
            V.append(("R9", [r.id, r.student, r.staff] + ([r.block] if r.block else []),
                      f"required request {r.id}: {r.student} is not in {r.staff}'s session ({where})"))

    # R11 (§12): absent staff lead nothing, absent students sit nowhere, in the absent blocks
    for b, k, t, studs in known:
        if (k, b) in sc.absent:
            V.append(("R11", [k, b, t], f"{k} is absent but leads a session on {t} in block {b}"))
        for s in studs:
            if (s, b) in sc.absent:
                V.append(("R11", [s, b, k, t], f"{s} is absent but is placed in {k}'s session on {t} in block {b}"))

    # §4 score, over the sessions as given (unknown ids contribute nothing)
    score = 0.0
    for b, k, t, studs in known:
        for s in studs:
            need = sc.needs.get((s, t))
            if need:
                score += need.weight
    for r in sc.requests:
        if r.priority in ("high", "normal") and honored(r):
            score += sc.request_weight(r)
    score -= sc.weights["session"] * len(sessions)
    # R12 (§14): dosage · min(short(s), sessions of s today)
    if sc.dosage is not None and sc.short:
        today = {}
        for b, k, t, studs in known:
            for s in studs:
                today[s] = today.get(s, 0) + 1
        score += sc.weights["dosage"] * sum(min(sc.short.get(s, 0), n) for s, n in today.items())

    # the plan's own claims (§5): not rules, reported as notes
    obj = plan.get("objective")
    if isinstance(obj, (int, float)) and abs(obj - score) > 1e-6 * max(1.0, abs(score)):
        notes.append(f"objective {obj} differs from the recomputed score {score}")
    bound = plan.get("bound")
    if isinstance(bound, (int, float)) and bound < score - 1e-6 * max(1.0, abs(score)):
        notes.append(f"bound {bound} is below the plan's own score {score}")
    claims = {e.get("request_id"): e for e in plan.get("requests") or []}
    for r in sc.requests:
        if r.id.startswith("keep-"):
            continue  # keep_staff's implicit requests (§14) are not listed
        e = claims.get(r.id)
        if e is None:
            notes.append(f"request {r.id} is missing from requests")
        elif bool(e.get("honored")) != honored(r):
            notes.append(f"request {r.id} says honored={e.get('honored')} but it is {honored(r)}")
        elif not e.get("honored") and not e.get("reason"):
            notes.append(f"request {r.id} is not honored and gives no reason")
    return V, score, notes


def check_files(folder: str, plan_path: str | None = None, plan: dict | None = None):
    if plan is None:
        with open(plan_path, encoding="utf-8") as f:
            plan = json.load(f)
    sc = load_school(folder, date=plan.get("date"))
    return check(sc, plan)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Check a plan against R1-R10 and recompute its score.")
    ap.add_argument("folder")
    ap.add_argument("plan")
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args(argv)
    try:
        V, score, notes = check_files(a.folder, a.plan)
    except (SchoolError, OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    if a.json:
        print(json.dumps({"violations": [{"rule": r, "items": it, "message": m} for r, it, m in V],
                          "notes": notes, "score": score}, indent=1))
    else:
        for r, it, m in V:
            print(f"{r}: {m}")
        for n in notes:
            print(f"note: {n}")
        print(f"score: {score:.6f}".rstrip("0").rstrip("."))
    return 2 if V else 0


if __name__ == "__main__":
    sys.exit(main())
