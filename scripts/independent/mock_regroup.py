#!/usr/bin/env python3
"""A stand-in for the `regroup` binary built from the independent tools, used only to
test the tests: `REGROUP_BIN=scripts/independent/mock_regroup.py pytest -k regroup`
should pass everything except what the mock does not try to do (§6 diagnostics of
bad input, c3 within the time limit). It is not a product and not a reference for
Regroup's behaviour beyond the spec's shapes.

    mock_regroup.py plan FOLDER [--date D] [--format json] [--time-limit S] [--export-model PATH]
    mock_regroup.py check FOLDER PLAN.json [--format json]
    mock_regroup.py status FOLDER [--date D] [--format json]
"""
import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_plan  # noqa: E402
import straightforward  # noqa: E402
from school import SchoolError, load_school  # noqa: E402


def plan(a):
    sc = load_school(a.folder, a.date)
    export = None
    if a.export_model:
        import highspy
        orig = highspy.Highs.run

        def run_and_export(self):
            self.writeModel(a.export_model)
            return orig(self)
        highspy.Highs.run = run_and_export
    res = straightforward.solve(sc, time_limit=a.time_limit)
    for k in ("columns", "rows"):
        res.pop(k, None)
    if res["status"] == "infeasible":
        items = []
        for (s, b, k) in sc.pins:
            items += [s, b, k]
        for r in sc.requests:
            if r.priority == "required":
                items += [r.id, r.student, r.staff]
        res["conflicts"] = [{"rules": ["R8", "R9"], "items": items,
                             "message": "the pins and required requests cannot all hold"}]
    print(json.dumps(res, indent=1))
    return 0 if res["status"] in ("optimal", "feasible") else 2


def check(a):
    with open(a.plan) as f:
        p = json.load(f)
    V, score, _ = check_plan.check(load_school(a.folder, p.get("date")), p)
    if a.format == "json":
        print(json.dumps({"violations": [{"rule": r, "items": it, "message": m} for r, it, m in V],
                          "score": score}))
    else:
        for r, _, m in V:
            print(f"{r}: {m}")
        print(f"score: {score}")
    return 2 if V else 0


def status(a):
    sc = load_school(a.folder, a.date)
    needs = sorted(sc.needs.items(), key=lambda kv: (-kv[1].weight, kv[0]))
    print(json.dumps({"date": sc.date.isoformat(), "needs": [
        {"student": s, "target": t, "level": n.level, "wait": n.wait, "weight": n.weight}
        for (s, t), n in needs], "targets": []}))
    return 0


def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("plan")
    p.add_argument("folder")
    p.add_argument("--date")
    p.add_argument("--format", default="json")
    p.add_argument("--time-limit", type=float, default=60)
    p.add_argument("--export-model")
    c = sub.add_parser("check")
    c.add_argument("folder")
    c.add_argument("plan")
    c.add_argument("--format", default="text")
    s = sub.add_parser("status")
    s.add_argument("folder")
    s.add_argument("--date")
    s.add_argument("--format", default="json")
    a = ap.parse_args()
    try:
        return {"plan": plan, "check": check, "status": status}[a.cmd](a)
    except (SchoolError, ValueError, KeyError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
