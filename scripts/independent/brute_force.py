"""Exhaustive optimum of a tiny school day (spec/day-model.md §3-§4), for cross-checking
solvers: at most 4 students, 2 staff, 2 blocks, 3 targets (larger folders are refused).

It enumerates, per block, every choice of one session or none for each staff member
(target, and any set of students that R6 allows, sized by R4), keeps the choices
whose students are distinct (R5), then every combination over the blocks, keeping
those that satisfy R3, R7, R8 and R9, and scores each by §4. The best plan found is
then re-verified with check_plan.py (zero violations, same score).

CLI: python3 brute_force.py FOLDER [--date D]  -> plan JSON like `regroup plan`;
exit 0 with a plan, 2 when no plan keeps the rules.
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from check_plan import check  # noqa: E402
from school import School, load_school  # noqa: E402

LIMITS = {"students": 4, "staff": 2, "blocks": 2, "targets": 3}


def staff_options(sc: School, b: str, k: str):
    """Every (target, students) k could lead in b, plus None (no session)."""
    opts = [None]
    if not sc.available(k, b):
        return opts
    G = sc.staff[k].max_group_size
    for t in sc.targets:
        if not sc.can_lead(k, b, t):
            continue
        allowed = [s for s in sc.students if sc.may_join(s, k, b, t)]
        for n in range(max(1, sc.min_size), min(G, len(allowed)) + 1):
            for grp in itertools.combinations(allowed, n):
                opts.append((t, frozenset(grp)))
    return opts


def block_plans(sc: School, b: str):
    """Every choice for block b: a tuple of (k, t, students) with distinct students (R5)."""
    per_staff = [[(k, o) for o in staff_options(sc, b, k)] for k in sc.staff]
    out = []
    for combo in itertools.product(*per_staff):
        used = set()
        ok = True
        sess = []
        for k, o in combo:
            if o is None:
                continue
            t, grp = o
            if used & grp:
                ok = False
                break
            used |= grp
            sess.append((k, t, grp))
        if ok:
            need = sum(sc.needs[(s, t)].weight for k, t, grp in sess for s in grp if (s, t) in sc.needs)
            out.append((need - sc.weights["session"] * len(sess), tuple(sess)))
    out.sort(key=lambda x: -x[0])
    return out


def solve(sc: School):
    for key, table in (("students", sc.students), ("staff", sc.staff), ("blocks", sc.blocks),
                       ("targets", sc.targets)):
        if len(table) > LIMITS[key]:
            raise ValueError(f"too large for brute force: {len(table)} {key} > {LIMITS[key]}")
    blocks = list(sc.blocks)
    plans = [block_plans(sc, b) for b in blocks]
    soft = [r for r in sc.requests if r.priority in ("high", "normal")]
    hard = [r for r in sc.requests if r.priority == "required"]
    max_bonus = sum(sc.request_weight(r) for r in soft)
    best = None  # (score, combination)
    count = 0

    def honored(r, placed):
        return any((r.student, r.staff, b) in placed
                   for b in (blocks if r.block is None else [r.block]))

    def evaluate(choice):
        nonlocal best, count
        minutes = {}
        seen_st = set()
        placed = set()
        base = 0.0
        for b, (val, sess) in zip(blocks, choice):
            base += val
            for k, t, grp in sess:
                minutes[k] = minutes.get(k, 0) + sc.blocks[b].minutes
                for s in grp:
                    if (s, t) in seen_st:
                        return                                   # R7
                    seen_st.add((s, t))
                    placed.add((s, k, b))
        for k, m in minutes.items():
            if m > sc.staff[k].max_minutes:
                return                                           # R3
        for (s, b, k) in sc.pins:
            if (s, k, b) not in placed:
                return                                           # R8
        for r in hard:
            if not honored(r, placed):
                return                                           # R9
        score = base + sum(sc.request_weight(r) for r in soft if honored(r, placed))
        count += 1
        if best is None or score > best[0] + 1e-9:
            best = (score, choice)

    def rec(i, acc, ub_rest):
        if i == len(blocks):
            evaluate(acc)
            return
        for item in plans[i]:
            # plans[i] is sorted by value: stop once even the best rest cannot win
            if best is not None:
                ub = sum(v for v, _ in acc) + item[0] + ub_rest[i + 1] + max_bonus
                if ub < best[0] - 1e-9:
                    break
            rec(i + 1, acc + [item], ub_rest)

    ub_rest = [0.0] * (len(blocks) + 1)
    for i in range(len(blocks) - 1, -1, -1):
        ub_rest[i] = ub_rest[i + 1] + (plans[i][0][0] if plans[i] else 0.0)
    rec(0, [], ub_rest)

    out = {"date": sc.date.isoformat(), "status": "infeasible", "objective": None, "bound": None,
           "sessions": [], "requests": []}
    if best is None:
        return out
    score, choice = best
    placed = set()
    for b, (val, sess) in zip(blocks, choice):
        for k, t, grp in sess:
            out["sessions"].append({"block": b, "staff": k, "target": t, "students": sorted(grp)})
            placed |= {(s, k, b) for s in grp}
    for r in sc.requests:
        e = {"request_id": r.id, "honored": honored(r, placed)}
        if not e["honored"]:
            e["reason"] = "not in the brute-force optimum"
        out["requests"].append(e)
    out.update(status="optimal", objective=score, bound=score, gap=0.0, plans_evaluated=count)
    # re-verify with the independent checker
    V, sc_score, notes = check(sc, out)
    assert not V, f"brute force produced a plan that breaks rules: {V}"
    assert abs(sc_score - score) <= 1e-6, (sc_score, score)
    return out


def compare(seed: int, workdir: str):
    """Brute force vs straightforward.py on tiny school SEED. Returns (ok, message)."""
    import straightforward
    import tiny_school
    folder = tiny_school.generate(seed, os.path.join(workdir, f"tiny-{seed}"))
    sc = load_school(folder)
    bf = solve(sc)
    sf = straightforward.solve(sc, time_limit=60)
    if bf["status"] != sf["status"]:
        return False, f"seed {seed}: brute force {bf['status']}, HiGHS {sf['status']} ({folder})"
    if bf["status"] == "optimal":
        if abs(bf["objective"] - sf["objective"]) > 1e-6 * max(1.0, abs(bf["objective"])):
            return False, f"seed {seed}: brute force {bf['objective']}, HiGHS {sf['objective']} ({folder})"
        V, s, _ = check(sc, sf)
        if V or abs(s - sf["objective"]) > 1e-6 * max(1.0, abs(s)):
            return False, f"seed {seed}: HiGHS plan fails the checker: {V} {s} ({folder})"
    return True, f"seed {seed}: {bf['status']} {bf['objective']}"


def main(argv=None):
    ap = argparse.ArgumentParser(description="Exhaustive optimum of a tiny school day.")
    ap.add_argument("folder", nargs="?")
    ap.add_argument("--date")
    ap.add_argument("--compare", nargs=2, type=int, metavar=("SEED", "COUNT"),
                    help="self-test: brute force vs straightforward.py on COUNT random tiny "
                         "schools from SEED (folders written under FOLDER or a temp dir)")
    a = ap.parse_args(argv)
    if a.compare:
        import tempfile
        work = a.folder or tempfile.mkdtemp(prefix="tiny-")
        seed0, n = a.compare
        bad = 0
        stats = {}
        for seed in range(seed0, seed0 + n):
            ok, msg = compare(seed, work)
            if not ok:
                bad += 1
                print(msg)
            st = msg.split(": ")[1].split()[0] if ok else "mismatch"
            stats[st] = stats.get(st, 0) + 1
        print(f"{n} tiny schools: {stats}; {bad} disagreements")
        return 1 if bad else 0
    res = solve(load_school(a.folder, a.date))
    print(json.dumps(res, indent=1))
    return 0 if res["status"] == "optimal" else 2


if __name__ == "__main__":
    sys.exit(main())
