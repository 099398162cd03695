"""The straightforward formulation of the day model (spec/day-model.md §3-§4), solved
by HiGHS through highspy: the model a user would reach for instead of Regroup.

Variables
  x[s,k,b,t]  binary: student s in staff k's session on target t in block b; created
              only where R1 (k available in b), R2 (subjects) and R6 (s needs t, or a
              request (k,s) with block b or empty, or a pin (s,b,k)) allow it.
  o[b,k,t]    binary: the session (b,k,t) is open.
  h[r]        binary: high/normal request r is honored.
Constraints
  x <= o;  min_size*o <= sum_s x <= max_group_size*o            (R4, linking)
  sum_t o[b,k,t] <= 1                                            (R1)
  sum_b minutes_b * sum_t o[b,k,t] <= max_minutes_k              (R3)
  sum_{k,t} x[s,k,b,t] <= 1                                      (R5)
  sum_{k,b} x[s,k,b,t] <= 1                                      (R7)
  sum_t x[s,k,b,t] = 1 for each pin (s,b,k)                      (R8)
  sum x over (k,s,b or any b) >= 1 for each required request     (R9)
  h[r] <= sum x over (k,s,b or any b)                            (honored)
Objective (maximize, §4)
  sum n(s,t) x[s,k,b,t] (t needed by s) + sum w(r) h[r] - session * sum o

CLI: python3 straightforward.py FOLDER [--date D] [--time-limit S] [--json]
prints {status, objective, bound, gap, seconds, sessions:[...], requests:[...]}.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from school import School, SchoolError, load_school  # noqa: E402

INF = float("inf")


class Builder:
    """Collects columns and rows, then hands HiGHS one HighsLp."""

    def __init__(self):
        self.cost, self.lb, self.ub = [], [], []
        self.rows = []  # (lo, hi, [idx], [val])

    def var(self, cost: float, lb: float = 0.0, ub: float = 1.0) -> int:
        self.cost.append(cost)
        self.lb.append(lb)
        self.ub.append(ub)
        return len(self.cost) - 1

    def row(self, idx, val, lo=-INF, hi=INF):
        self.rows.append((lo, hi, list(idx), list(val)))

    def to_highs(self, highspy):
        lp = highspy.HighsLp()
        n = len(self.cost)
        lp.num_col_ = n
        lp.num_row_ = len(self.rows)
        lp.col_cost_ = np.array(self.cost, dtype=np.double)
        lp.col_lower_ = np.array(self.lb, dtype=np.double)
        lp.col_upper_ = np.array(self.ub, dtype=np.double)
        lp.row_lower_ = np.array([r[0] for r in self.rows], dtype=np.double)
        lp.row_upper_ = np.array([r[1] for r in self.rows], dtype=np.double)
        start, index, value = [0], [], []
        for r in self.rows:
            index += r[2]
            value += r[3]
            start.append(len(index))
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.array(start, dtype=np.int32)
        lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
        lp.a_matrix_.value_ = np.array(value, dtype=np.double)
        lp.a_matrix_.num_col_ = n
        lp.a_matrix_.num_row_ = len(self.rows)
        lp.sense_ = highspy.ObjSense.kMaximize
        lp.integrality_ = [highspy.HighsVarType.kInteger] * n
        return lp


def build(sc: School):
    B = Builder()
    x = {}       # (s,k,b,t) -> col
    o = {}       # (b,k,t) -> col
    for b in sc.blocks:
        for k in sc.staff:
            for t in sc.targets:
                if not sc.can_lead(k, b, t):
                    continue
                members = [s for s in sc.students if sc.may_join(s, k, b, t)]
                if len(members) < sc.min_size:
                    continue  # the session can never reach min_size (R4)
                o[(b, k, t)] = B.var(-sc.weights["session"])
                for s in members:
                    need = sc.needs.get((s, t))
                    x[(s, k, b, t)] = B.var(need.weight if need else 0.0)
    # linking and R4
    by_session = {}
    for (s, k, b, t), j in x.items():
        by_session.setdefault((b, k, t), []).append(j)
    for key, oj in o.items():
        cols = by_session.get(key, [])
        for j in cols:
            B.row([j, oj], [1, -1], hi=0)
        B.row(cols + [oj], [1] * len(cols) + [-sc.min_size], lo=0)
        B.row(cols + [oj], [1] * len(cols) + [-sc.staff[key[1]].max_group_size], hi=0)
    # R1 and R3
    lead = {}
    for (b, k, t), oj in o.items():
        lead.setdefault((k, b), []).append(oj)
    for cols in lead.values():
        B.row(cols, [1] * len(cols), hi=1)
    for k, st in sc.staff.items():
        idx, val = [], []
        for b, blk in sc.blocks.items():
            for oj in lead.get((k, b), []):
                idx.append(oj)
                val.append(blk.minutes)
        if idx and sum(val) > st.max_minutes:
            B.row(idx, val, hi=st.max_minutes)
    # R5, R7
    r5, r7 = {}, {}
    for (s, k, b, t), j in x.items():
        r5.setdefault((s, b), []).append(j)
        r7.setdefault((s, t), []).append(j)
    for grp in (r5, r7):
        for cols in grp.values():
            if len(cols) > 1:
                B.row(cols, [1] * len(cols), hi=1)
    # R8 pins
    for (s, b, k) in sc.pins:
        cols = [j for (s2, k2, b2, t), j in x.items() if s2 == s and k2 == k and b2 == b]
        B.row(cols, [1] * len(cols), lo=1, hi=1)   # empty row with lo=1: infeasible, as it should be
    # R9 and honored requests
    h = {}
    for r in sc.requests:
        cols = [j for (s2, k2, b2, t), j in x.items()
                if s2 == r.student and k2 == r.staff and (r.block is None or b2 == r.block)]
        if r.priority == "required":
            B.row(cols, [1] * len(cols), lo=1)
        else:
            hj = B.var(sc.request_weight(r))
            h[r.id] = hj
            B.row(cols + [hj], [1] * len(cols) + [-1], lo=0)
    return B, x, o, h


class StdoutToStderr:
    """HiGHS writes its banner and log to the C stdout: route fd 1 to fd 2 meanwhile,
    so that stdout carries only our JSON."""

    def __enter__(self):
        sys.stdout.flush()
        self.saved = os.dup(1)
        os.dup2(2, 1)

    def __exit__(self, *exc):
        sys.stdout.flush()
        os.dup2(self.saved, 1)
        os.close(self.saved)


def solve(sc: School, time_limit: float = 600.0, threads: int | None = None, verbose: bool = False):
    with StdoutToStderr():
        return _solve(sc, time_limit, threads, verbose)


def _solve(sc, time_limit, threads, verbose):
    import highspy
    t0 = time.time()
    B, x, o, h = build(sc)
    hs = highspy.Highs()
    hs.setOptionValue("output_flag", bool(verbose))
    hs.setOptionValue("time_limit", float(time_limit))
    hs.setOptionValue("mip_rel_gap", 1e-9)
    hs.setOptionValue("mip_abs_gap", 1e-7)
    hs.setOptionValue("random_seed", 0)
    if threads:
        hs.setOptionValue("threads", int(threads))
    if not B.cost:   # nothing can be opened: the empty plan, unless a rule demands something
        B.var(0.0, 0.0, 0.0)
    hs.passModel(B.to_highs(highspy))
    run_status = hs.run()
    if run_status == highspy.HighsStatus.kError:
        # e.g. `threads` differing from HiGHS's global scheduler, set once per process
        raise RuntimeError("HiGHS run failed: " + hs.modelStatusToString(hs.getModelStatus()))
    ms = hs.getModelStatus()
    info = hs.getInfo()
    has_sol = info.primal_solution_status == 2  # kSolutionStatusFeasible
    if ms == highspy.HighsModelStatus.kOptimal:
        status = "optimal"
    elif ms == highspy.HighsModelStatus.kInfeasible:
        status = "infeasible"
    elif has_sol:
        status = "feasible"
    elif ms == highspy.HighsModelStatus.kTimeLimit:
        status = "timeout"
    else:
        status = "unknown:" + hs.modelStatusToString(ms)
    out = {"date": sc.date.isoformat(), "status": status, "objective": None, "bound": None,
           "gap": None, "sessions": [], "requests": []}
    if status in ("optimal", "feasible"):
        val = list(hs.getSolution().col_value)
        obj = info.objective_function_value
        bound = info.mip_dual_bound if status == "feasible" else max(obj, info.mip_dual_bound)
        out["objective"] = obj
        out["bound"] = bound
        out["gap"] = (bound - obj) / max(1.0, abs(bound))
        members = {}
        for (s, k, b, t), j in x.items():
            if val[j] > 0.5:
                members.setdefault((b, k, t), []).append(s)
        for (b, k, t), oj in o.items():
            if val[oj] > 0.5:
                out["sessions"].append({"block": b, "staff": k, "target": t,
                                        "students": sorted(members.get((b, k, t), []))})
        placed = {(s, k, b) for (b, k, t), ss in members.items() for s in ss}
        for r in sc.requests:
            ok = any((r.student, r.staff, b) in placed
                     for b in (sc.blocks if r.block is None else [r.block]))
            e = {"request_id": r.id, "honored": ok}
            if not ok:
                e["reason"] = "not in the optimal plan"
            out["requests"].append(e)
    elif status == "timeout":
        b = info.mip_dual_bound
        out["bound"] = b if b == b and abs(b) < 1e300 else None
    out["seconds"] = round(time.time() - t0, 3)
    out["columns"] = len(B.cost)
    out["rows"] = len(B.rows)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder")
    ap.add_argument("--date")
    ap.add_argument("--time-limit", type=float, default=600.0)
    ap.add_argument("--threads", type=int, help="HiGHS threads (fixed once per process)")
    ap.add_argument("--json", action="store_true", help="pretty-print the JSON (default: one line)")
    ap.add_argument("--verbose", action="store_true", help="show the HiGHS log on stderr")
    a = ap.parse_args(argv)
    try:
        sc = load_school(a.folder, a.date)
    except (SchoolError, OSError, ValueError, KeyError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    res = solve(sc, a.time_limit, a.threads, a.verbose)
    print(json.dumps(res, indent=1 if a.json else None))
    return 0 if res["status"] in ("optimal", "feasible") else 2


if __name__ == "__main__":
    sys.exit(main())
