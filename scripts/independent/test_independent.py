"""The independent route: Regroup's plans judged from the product contract alone
(spec/day-model.md), by Python written without reading the Swift sources.

    python3 -m pytest scripts/independent -q                  # everything
    python3 -m pytest scripts/independent -q -k "not regroup" # only the independent tools
    python3 -m pytest scripts/independent -q -k regroup       # only the tests of the binary

Tests whose name contains `regroup` run the real binary: REGROUP_BIN (default
`.build/debug/regroup`, relative to the repository root). A missing binary, or one
that prints nothing, FAILS those tests on purpose: they are never skipped silently.

Environment: REGROUP_CONFORMANCE (default fixtures/conformance in the repository),
INDEPENDENT_SLOW=1 also solves c3 with the straightforward model (minutes).
"""
from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import brute_force  # noqa: E402
import check_plan  # noqa: E402
import straightforward  # noqa: E402
import tiny_school  # noqa: E402
from school import load_school  # noqa: E402

REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
CONF = os.environ.get("REGROUP_CONFORMANCE", os.path.join(REPO, "fixtures", "conformance"))
EXPECTED = json.load(open(os.path.join(CONF, "expected.json")))
PLANS = EXPECTED["plans"]
BAD = EXPECTED["bad_input"]
FEASIBLE = sorted(k for k, v in PLANS.items() if v["status"] == "optimal")
INFEASIBLE = sorted(k for k, v in PLANS.items() if v["status"] == "infeasible")
SLOW = os.environ.get("INDEPENDENT_SLOW") == "1"

TINY_SEEDS_BF = list(range(7000, 7050))    # brute force vs straightforward
TINY_SEEDS_REGROUP = list(range(8000, 8030))  # brute force vs regroup
TINY_SEEDS_EXPORT = list(range(8000, 8010))
PLAN_TIMEOUT = 150  # seconds per regroup run (its default --time-limit is 60)
EXPORT_RUN_LIMIT = 15  # --time-limit for the runs that only export the model


def close(a, b, rel=1e-6):
    return abs(a - b) <= rel * max(1.0, abs(a), abs(b))


# ------------------------------------------------------------------ fixtures
@pytest.fixture(scope="session")
def workdir(tmp_path_factory):
    """Private copies of the conformance folders (so no regroup.db lands in the shared
    folders and none already there changes what is read) and the tiny schools."""
    root = tmp_path_factory.mktemp("independent")
    for name in list(PLANS) + list(BAD):
        shutil.copytree(os.path.join(CONF, name), root / name)
        db = root / name / "regroup.db"
        if db.exists():
            db.unlink()
    for seed in sorted(set(TINY_SEEDS_REGROUP + TINY_SEEDS_EXPORT)):
        tiny_school.generate(seed, str(root / f"tiny-{seed}"))
    return root


def regroup_bin():
    path = os.environ.get("REGROUP_BIN", ".build/debug/regroup")
    if not os.path.isabs(path):
        path = os.path.join(REPO, path)
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        pytest.fail(f"regroup binary not found at {path} (build it, or set REGROUP_BIN); "
                    "tests of the binary fail rather than skip")
    return path


def run_regroup(*args, timeout=PLAN_TIMEOUT):
    env = {k: v for k, v in os.environ.items() if k != "REGROUP_DB"}
    try:
        return subprocess.run([regroup_bin(), *map(str, args)], capture_output=True, text=True,
                              timeout=timeout, env=env, cwd=REPO)
    except subprocess.TimeoutExpired:
        pytest.fail(f"regroup {' '.join(map(str, args))} ran more than {timeout} s")


_plan_cache = {}


def regroup_plan(folder):
    """`regroup plan FOLDER --format json`, once per folder: (process, parsed JSON)."""
    key = str(folder)
    if key not in _plan_cache:
        p = run_regroup("plan", folder, "--format", "json")
        try:
            doc = json.loads(p.stdout)
        except ValueError:
            doc = None
        _plan_cache[key] = (p, doc)
    p, doc = _plan_cache[key]
    assert doc is not None, (f"regroup plan printed no JSON (exit {p.returncode}); "
                             f"stdout {p.stdout[:300]!r}; stderr {p.stderr[:500]!r}")
    return p, doc


def assert_valid_plan(folder, p, doc, optimum=None):
    """The §5 shape, R1-R10 by check_plan, the objective recomputed, and the optimum."""
    assert p.returncode == 0, f"exit {p.returncode}, stderr {p.stderr[:500]!r}"
    for key in ("date", "status", "objective", "bound", "sessions", "requests", "gap", "seconds"):
        assert key in doc, f"plan JSON lacks {key!r}"
    assert doc["status"] in ("optimal", "feasible"), doc["status"]
    sc = load_school(str(folder), date=doc["date"])
    V, score, notes = check_plan.check(sc, doc)
    assert not V, "rules broken:\n" + "\n".join(f"{r}: {m}" for r, _, m in V)
    assert close(score, doc["objective"]), f"recomputed score {score} != objective {doc['objective']}"
    assert not notes, "plan claims do not hold:\n" + "\n".join(notes)
    assert doc["bound"] is not None and doc["bound"] >= doc["objective"] - 1e-6 * max(1, abs(doc["objective"]))
    gap = (doc["bound"] - doc["objective"]) / max(1.0, abs(doc["bound"]))
    assert abs(doc["gap"] - gap) <= 1e-9 + 1e-6 * abs(gap), f"gap {doc['gap']} != {gap}"
    if optimum is not None:
        assert doc["status"] == "optimal", f"status {doc['status']} (optimum {optimum})"
        assert close(doc["objective"], optimum), f"objective {doc['objective']} != optimum {optimum}"
        assert doc["bound"] >= optimum - 1e-6 * max(1, abs(optimum)), \
            f"bound {doc['bound']} below the optimum {optimum}"
    return score


def assert_infeasible(p, doc):
    assert p.returncode == 2, f"exit {p.returncode} for an infeasible day (stderr {p.stderr[:300]!r})"
    assert doc["status"] == "infeasible", doc["status"]
    assert doc["sessions"] == []
    assert doc.get("objective") is None
    conflicts = doc.get("conflicts")
    assert isinstance(conflicts, list) and conflicts, "infeasible without conflicts"
    for c in conflicts:
        assert isinstance(c.get("rules"), list) and c["rules"], c
        assert all(re.fullmatch(r"R\d+", r) for r in c["rules"]), c
        assert isinstance(c.get("items"), list)
        assert isinstance(c.get("message"), str) and c["message"].strip(), c
    return conflicts


# ------------------------------------------------- (a) needs of §2 vs expected
@pytest.mark.parametrize("name", sorted(PLANS))
def test_needs_match_expected(name):
    sc = load_school(os.path.join(CONF, name))
    got = {k: n.weight for k, n in sc.needs.items()}
    exp = {(s, t): w for s, t, w in PLANS[name]["needs"]}
    assert set(got) == set(exp), (sorted(set(got) - set(exp))[:5], sorted(set(exp) - set(got))[:5])
    bad = [(k, got[k], exp[k]) for k in exp if abs(got[k] - exp[k]) > 1e-6]
    assert not bad, bad[:5]


def test_four_methods_fold_as_spec_says():
    from school import fold
    vals = [1.0, 3.0, 2.0]
    assert fold(vals, "recent", 0.65) == 2.0
    assert fold(vals, "mean", 0.65) == 2.0
    assert fold(vals, "highest", 0.65) == 3.0
    L = 1.0
    L = 0.65 * 3.0 + 0.35 * L
    L = 0.65 * 2.0 + 0.35 * L
    assert math.isclose(fold(vals, "decaying", 0.65), L)


def test_messy_folder_reads_like_clean_one():
    a = load_school(os.path.join(CONF, "c1-s12"))
    b = load_school(os.path.join(CONF, "c6-messy"))
    assert a.students == b.students and a.staff == b.staff and a.blocks == b.blocks
    assert {k: n.weight for k, n in a.needs.items()} == pytest.approx(
        {k: n.weight for k, n in b.needs.items()})


# ------------------------------------- (b) straightforward model vs expected
SF_CASES = ["c1-s12", "c2-s30-highest", "c6-messy", "c4-s80"] + (["c3-s60-recent"] if SLOW else [])


@pytest.mark.parametrize("name", SF_CASES)
def test_straightforward_reaches_expected_optimum(name):
    sc = load_school(os.path.join(CONF, name))
    res = straightforward.solve(sc, time_limit=600)
    assert res["status"] == "optimal"
    assert close(res["objective"], PLANS[name]["objective"]), (res["objective"], PLANS[name]["objective"])
    V, score, notes = check_plan.check(sc, res)
    assert not V and close(score, res["objective"]) and not notes, (V, score, notes)


@pytest.mark.parametrize("name", INFEASIBLE)
def test_straightforward_says_infeasible(name):
    res = straightforward.solve(load_school(os.path.join(CONF, name)), time_limit=120)
    assert res["status"] == "infeasible"


# ---------------------------------------- (c) brute force vs straightforward
@pytest.mark.parametrize("seed", TINY_SEEDS_BF)
def test_brute_force_agrees_with_straightforward(seed, tmp_path):
    ok, msg = brute_force.compare(seed, str(tmp_path))
    assert ok, msg


def test_checker_catches_broken_plan():
    folder = os.path.join(CONF, "c1-s12")
    sc = load_school(folder)
    res = straightforward.solve(sc)
    plan = json.loads(json.dumps(res))
    s0 = plan["sessions"][0]
    other = next(s for s in plan["sessions"][1:] if s["block"] == s0["block"])
    s0["students"].append(other["students"][0])
    s0["students"].append("NOPE")
    V, score, notes = check_plan.check(sc, plan)
    rules = {r for r, _, _ in V}
    assert {"R5", "R10"} <= rules, V


# ------------------------------------------------ (d) the real regroup binary
# c3 is small but hard (the README of the conformance cases): Regroup does not yet prove
# its optimum within the default time limit (issue 6). Strict: once it does, this fails
# and the mark must go.
HARD = {"c3-s60-recent"}


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(
        strict=True, reason="not yet proven optimal within 60 s (performance issue)"))
    if n in HARD else n
    for n in FEASIBLE])
def test_regroup_plan_conformance(name, workdir):
    folder = workdir / name
    p, doc = regroup_plan(folder)
    assert doc["date"] == "2026-11-25"
    assert_valid_plan(folder, p, doc, optimum=PLANS[name]["objective"])


@pytest.mark.parametrize("name", sorted(HARD))
def test_regroup_plan_hard_conformance_is_valid_and_bounded(name, workdir):
    """Without the proof, what is printed must still be true: a valid plan scoring at
    most the optimum, and a bound at least the optimum."""
    folder = workdir / name
    p, doc = regroup_plan(folder)
    assert_valid_plan(folder, p, doc)
    optimum = PLANS[name]["objective"]
    assert doc["objective"] <= optimum * (1 + 1e-9)
    assert doc["bound"] >= optimum - 1e-6 * max(1, abs(optimum))


@pytest.mark.parametrize("name", INFEASIBLE)
def test_regroup_plan_infeasible(name, workdir):
    p, doc = regroup_plan(workdir / name)
    conflicts = assert_infeasible(p, doc)
    if name == "c5-infeasible":  # README: conflicts naming both pins
        text = json.dumps(conflicts)
        for item in ("S00003", "T001", "T002"):
            assert item in text, f"conflicts do not name {item}: {text}"


@pytest.mark.parametrize("name", FEASIBLE)
def test_regroup_check_accepts_its_plan(name, workdir, tmp_path):
    folder = workdir / name
    p, doc = regroup_plan(folder)
    assert p.returncode == 0
    path = tmp_path / "plan.json"
    path.write_text(p.stdout)
    c = run_regroup("check", folder, path)
    assert c.returncode == 0, f"exit {c.returncode}: {c.stdout[:500]!r} {c.stderr[:300]!r}"
    m = re.search(r"^score:\s*(\S+)\s*$", c.stdout, re.M)
    assert m, f"no `score: X` line in {c.stdout[:500]!r}"
    assert close(float(m.group(1)), doc["objective"]), (m.group(1), doc["objective"])
    cj = run_regroup("check", folder, path, "--format", "json")
    assert cj.returncode == 0, cj.stderr[:300]
    dj = json.loads(cj.stdout)
    assert dj["violations"] == [] and close(dj["score"], doc["objective"]), dj


def test_regroup_check_flags_broken_plan(workdir, tmp_path):
    """A plan edited by hand: R5 (a student twice in one block) and R10 (unknown id)."""
    folder = workdir / "c1-s12"
    sc = load_school(str(folder))
    plan = straightforward.solve(sc)
    s0 = plan["sessions"][0]
    other = next(s for s in plan["sessions"][1:] if s["block"] == s0["block"])
    s0["students"].append(other["students"][0])
    s0["students"].append("NOPE")
    V, score, _ = check_plan.check(sc, plan)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(plan))
    c = run_regroup("check", folder, path)
    assert c.returncode == 2, f"exit {c.returncode}: {c.stdout[:500]!r} {c.stderr[:300]!r}"
    lines = c.stdout.splitlines()
    assert any(l.startswith("R5:") for l in lines), c.stdout
    assert any(l.startswith("R10:") for l in lines), c.stdout
    m = re.search(r"^score:\s*(\S+)\s*$", c.stdout, re.M)
    assert m and close(float(m.group(1)), score), (c.stdout[-200:], score)


def test_regroup_deterministic_c1(workdir):
    folder = workdir / "c1-s12"
    strip = lambda s: re.sub(r'"seconds"\s*:\s*[-+0-9.eE]+', '"seconds":0', s)
    a = run_regroup("plan", folder, "--format", "json")
    b = run_regroup("plan", folder, "--format", "json")
    assert a.returncode == 0 and a.stdout.strip(), a.stderr[:300]
    assert strip(a.stdout) == strip(b.stdout), "two runs on c1-s12 print different plans"


@pytest.mark.parametrize("name", sorted(PLANS))
def test_regroup_status_needs(name, workdir):
    p = run_regroup("status", workdir / name, "--format", "json")
    assert p.returncode == 0, f"exit {p.returncode}: {p.stderr[:300]!r}"
    doc = json.loads(p.stdout)
    got = {(n["student"], n["target"]): n["weight"] for n in doc["needs"]}
    exp = {(s, t): w for s, t, w in PLANS[name]["needs"]}
    assert set(got) == set(exp)
    assert all(abs(got[k] - exp[k]) <= 1e-6 for k in exp)
    weights = [n["weight"] for n in doc["needs"]]
    assert weights == sorted(weights, reverse=True), "needs are not heaviest first"


@pytest.mark.parametrize("name", sorted(BAD))
def test_regroup_bad_input(name, workdir):
    p = run_regroup("plan", workdir / name, "--format", "json")
    assert p.returncode == BAD[name]["exit"], (p.returncode, p.stderr[:300])
    assert p.stdout == "", p.stdout[:300]
    assert BAD[name]["stderr_contains"] in p.stderr, p.stderr[:500]


def lp_objective_constant(path):
    """The constant the LP file leaves out of its objective: Regroup's documented
    `\\ objective constant: C` comment when present, else GLPK's own
    `\\* constant term = C *\\` comment, else 0."""
    text = open(path, encoding="utf-8", errors="replace").read()
    m = re.search(r"^\\\*?\s*objective constant:\s*([-+0-9.eE]+)", text, re.M | re.I)
    if m:
        return float(m.group(1)), text
    m = re.search(r"^\\\*\s*constant term\s*=\s*([-+0-9.eE]+)", text, re.M | re.I)
    return (float(m.group(1)) if m else 0.0), text


def solve_lp_file(path, time_limit):
    import highspy
    with straightforward.StdoutToStderr():
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("time_limit", float(time_limit))
        h.setOptionValue("mip_rel_gap", 1e-9)
        h.setOptionValue("mip_abs_gap", 1e-7)
        assert h.readModel(str(path)) == highspy.HighsStatus.kOk, "HiGHS cannot read the export"
        h.run()
        info = h.getInfo()
        maximize = h.getLp().sense_ == highspy.ObjSense.kMaximize
        return (h.modelStatusToString(h.getModelStatus()), info.objective_function_value,
                info.mip_dual_bound, info.primal_solution_status == 2, maximize)


def check_export(folder, tmp_path, optimum, time_limit=60):
    lp = tmp_path / "model.lp"
    # the export is judged by HiGHS's optimum of the file, not by Regroup's run: a
    # short --time-limit keeps the suite fast when Regroup cannot prove the optimum
    p = run_regroup("plan", folder, "--format", "json", "--export-model", lp,
                    "--time-limit", EXPORT_RUN_LIMIT)
    assert p.returncode in (0, 2), f"exit {p.returncode}: {p.stderr[:300]!r}"
    if optimum is None:           # infeasible day: if a model was written, it has no solution
        if lp.exists():
            status, obj, bound, has_sol, _ = solve_lp_file(lp, time_limit)
            assert not has_sol, f"HiGHS finds a solution ({obj}) of an infeasible day's model"
        return
    assert lp.exists() and lp.stat().st_size > 0, "--export-model wrote no file"
    const, _ = lp_objective_constant(lp)
    status, obj, bound, has_sol, maximize = solve_lp_file(lp, time_limit)
    # a maximization: value + C; a minimization of the negated score: -(value) + C or -(value + C)
    conv = (lambda v: v + const) if maximize else (lambda v: -v + const)
    alt = (lambda v: v + const) if maximize else (lambda v: -(v + const))
    if status == "Empty":         # no columns: the objective is the constant alone
        status, obj = "Optimal", 0.0
    if status == "Optimal":
        assert close(conv(obj), optimum) or close(alt(obj), optimum), \
            f"HiGHS optimum of the export {obj} (constant {const}, max={maximize}) != {optimum}"
    else:  # time limit: the incumbent may not beat the optimum, the bound may not undercut it
        assert status == "Time limit reached", status
        if has_sol:
            assert min(conv(obj), alt(obj)) <= optimum + 1e-6 * max(1, abs(optimum))
        assert max(conv(bound), alt(bound)) >= optimum - 1e-6 * max(1, abs(optimum))


@pytest.mark.parametrize("name", FEASIBLE + INFEASIBLE)
def test_regroup_export_model(name, workdir, tmp_path):
    limit = 30 if name == "c3-s60-recent" else 60
    check_export(workdir / name, tmp_path, PLANS[name].get("objective"), time_limit=limit)


_bf_cache = {}


def tiny_optimum(folder):
    if folder not in _bf_cache:
        _bf_cache[folder] = brute_force.solve(load_school(folder))
    return _bf_cache[folder]


@pytest.mark.parametrize("seed", TINY_SEEDS_REGROUP)
def test_regroup_tiny_vs_brute_force(seed, workdir, tmp_path):
    folder = workdir / f"tiny-{seed}"
    bf = tiny_optimum(str(folder))
    p, doc = regroup_plan(folder)
    if bf["status"] == "infeasible":
        assert_infeasible(p, doc)
        return
    assert_valid_plan(folder, p, doc, optimum=bf["objective"])
    path = tmp_path / "plan.json"
    path.write_text(p.stdout)
    c = run_regroup("check", folder, path)
    assert c.returncode == 0, c.stdout[:500]
    m = re.search(r"^score:\s*(\S+)\s*$", c.stdout, re.M)
    assert m and close(float(m.group(1)), doc["objective"]), c.stdout[-200:]


@pytest.mark.parametrize("seed", TINY_SEEDS_EXPORT)
def test_regroup_tiny_export_model(seed, workdir, tmp_path):
    folder = workdir / f"tiny-{seed}"
    bf = tiny_optimum(str(folder))
    check_export(folder, tmp_path, bf["objective"] if bf["status"] == "optimal" else None)


# --------------------------------------------- (e) prerequisites (spec §11)
PREREQ = os.path.join(REPO, "fixtures", "prerequisites", "p1-s12")


@pytest.fixture(scope="module")
def prereq_folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("prerequisites") / "p1-s12"
    shutil.copytree(PREREQ, root)
    return root


def test_prerequisites_lower_not_ready_needs_by_the_policy_factor():
    with_pre = load_school(PREREQ)
    without = load_school(os.path.join(CONF, "c1-s12"))  # the same school, no prerequisites
    assert set(with_pre.needs) == set(without.needs)
    changed = 0
    for (s, t), need in with_pre.needs.items():
        waiting = any((s, q) in with_pre.needs for q in with_pre.prerequisites[t])
        factor = with_pre.weights["not_ready"] if waiting else 1.0
        assert math.isclose(need.weight, without.needs[(s, t)].weight * factor), (s, t)
        changed += waiting
    assert changed > 0, "the fixture has no not-ready need: it tests nothing"


def test_regroup_status_weighs_prerequisites_as_the_spec(prereq_folder):
    p = run_regroup("status", prereq_folder, "--format", "json")
    assert p.returncode == 0, p.stderr[:300]
    doc = json.loads(p.stdout)
    sc = load_school(str(prereq_folder))
    got = {(n["student"], n["target"]): n for n in doc["needs"]}
    assert set(got) == set(sc.needs)
    for key, need in sc.needs.items():
        assert abs(got[key]["weight"] - need.weight) <= 1e-6, key
        missing = [q for q in sc.prerequisites[key[1]] if (key[0], q) in sc.needs]
        assert got[key]["missing_prerequisites"] == missing, key
        assert got[key]["ready"] == (not missing), key


def test_regroup_plan_with_prerequisites_is_the_highs_optimum(prereq_folder, tmp_path):
    sc = load_school(str(prereq_folder))
    optimum = straightforward.solve(sc, time_limit=300)
    assert optimum["status"] == "optimal"
    p, doc = regroup_plan(prereq_folder)
    assert_valid_plan(prereq_folder, p, doc, optimum=optimum["objective"])
    check_export(prereq_folder, tmp_path, optimum["objective"])


# ---------------------------------------------------------------- the week (spec §12, §14)

WEEK = os.path.join(REPO, "fixtures", "week", "w1-s12")


def test_week_fixture_derives_absences_dosage_and_keep_staff():
    sc = load_school(WEEK)
    assert ("T002", "B1") in sc.absent and ("T002", "WIN") in sc.absent
    assert ("S00003", "B1") in sc.absent and ("S00003", "B2") not in sc.absent
    assert ("T001", "B1") not in sc.absent  # absent on another day
    assert ("S00004", "B2", "T002") in sc.dropped and "Q1" in sc.dropped
    assert sc.short == {"S00002": 1, "S00010": 2}
    assert [(r.id, r.staff) for r in sc.requests if r.id.startswith("keep-")] == [("keep-S00010", "P001")]


def test_week_checker_breaks_and_keeps_r11_and_scores_dosage():
    sc = load_school(WEEK)
    keeps = {"date": "2026-11-25", "sessions": [
        {"block": "WIN", "staff": "P001", "target": "R4.01", "students": ["S00010", "S00004"]}]}
    V, score, _ = check_plan.check(sc, keeps)
    assert not [v for v in V if v[0] == "R11"]
    with_dosage = score
    sc.dosage = None
    _, without, _ = check_plan.check(sc, keeps)
    assert with_dosage - without == pytest.approx(20.0)
    sc = load_school(WEEK)
    breaks = {"date": "2026-11-25", "sessions": [
        {"block": "B1", "staff": "T002", "target": "M4.01", "students": ["S00003", "S00004"]}]}
    V, _, _ = check_plan.check(sc, breaks)
    r11 = [v for v in V if v[0] == "R11"]
    assert [v[1][0] for v in r11] == ["T002", "S00003"]


def test_regroup_plan_week_fixture_is_valid_and_scored_alike(workdir):
    folder = workdir / "w1-s12"
    if not folder.exists():
        shutil.copytree(WEEK, folder)
    out = os.path.join(str(workdir), "w1.json")
    proc = run_regroup("plan", folder, "--format", "json", "-o", out)
    assert proc.returncode == 0, proc.stderr
    plan = json.load(open(out))
    V, score, notes = check_plan.check(load_school(str(folder)), plan)
    assert V == [] and notes == []
    assert plan["objective"] == pytest.approx(score, abs=1e-6)
    assert [d["student_id"] for d in plan["dosage"]] == ["S00002", "S00010"]
