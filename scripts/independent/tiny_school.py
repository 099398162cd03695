"""Random tiny valid school folders in the spec's format (spec/day-model.md §1), seeded.

At most 4 students, 2 staff, 2 blocks, 3 targets: small enough for brute_force.py.
They carry requests of every priority (with and without a block), pins,
unavailability, evidence after the plan date (ignored by §2), history, every status
method, non-default policy, and sometimes the file quirks §1/§6 allow (UTF-8 BOM,
CRLF, quoted cells, spaces around cells, blank lines, extra columns, shuffled
column order). Some are infeasible (e.g. a pin on an unavailable staff member).

CLI: python3 tiny_school.py OUTDIR --seed N [--count C]
     writes OUTDIR/tiny-N, OUTDIR/tiny-(N+1), ...
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random

PLAN_DATE = dt.date(2026, 11, 25)


def _cell(v: str, rng: random.Random, quirky: bool) -> str:
    if '"' in v or "," in v or "\n" in v:
        return '"' + v.replace('"', '""') + '"'
    if quirky and rng.random() < 0.15:
        return '"' + v + '"'
    if quirky and rng.random() < 0.15 and v:
        return " " + v + "  "
    return v


def write_csv(path: str, header: list, rows: list, rng: random.Random, quirky: bool):
    header = list(header)
    rows = [list(r) for r in rows]
    if quirky and rng.random() < 0.3:           # an unknown column, ignored by readers
        header.append("note")
        for r in rows:
            r.append(rng.choice(["", "x", "a, b", "two\nlines"]))
    if quirky and rng.random() < 0.4:           # column order is free
        order = list(range(len(header)))
        rng.shuffle(order)
        header = [header[i] for i in order]
        rows = [[r[i] for i in order] for r in rows]
    eol = "\r\n" if quirky and rng.random() < 0.5 else "\n"
    lines = [",".join(header)]
    for r in rows:
        if quirky and rng.random() < 0.1:
            lines.append("")                    # a blank line, skipped
        lines.append(",".join(_cell(str(c), rng, quirky) for c in r))
    text = eol.join(lines) + (eol if rng.random() < 0.8 else "")
    bom = "\ufeff" if quirky and rng.random() < 0.3 else ""
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(bom + text)


def generate(seed: int, folder: str, max_students: int = 4, max_staff: int = 2,
             max_blocks: int = 2, max_targets: int = 3) -> str:
    rng = random.Random(seed)
    quirky = rng.random() < 0.4
    os.makedirs(folder, exist_ok=True)
    ns = rng.choice([1] + [min(max_students, n) for n in (2, 3, 4, 4, 4)])
    nk = rng.randint(1, max_staff)
    nb = rng.randint(1, max_blocks)
    nt = rng.randint(1, max_targets)
    subjects = ["math", "reading"]

    students = [f"S{i + 1}" for i in range(ns)]
    tiers = {s: rng.choice([1, 1, 2, 3, None]) for s in students}
    write_csv(os.path.join(folder, "students.csv"),
              ["student_id", "given_name", "family_name", "grade", "tier", "flags"],
              [[s, rng.choice(["Ana", "Chloé", "O'Neil"]), rng.choice(["Ng", "Smith, Jr."]), 4,
                "" if tiers[s] is None else tiers[s], rng.choice(["", "iep", "iep;el"])]
               for s in students], rng, quirky)

    targets = [f"{'M' if i % 2 == 0 else 'R'}.{i + 1}" for i in range(nt)]
    tsubj = {t: rng.choice(subjects) for t in targets}
    write_csv(os.path.join(folder, "targets.csv"),
              ["target_id", "subject", "title", "grade", "sequence"],
              [[t, tsubj[t], f"target {t}", 4, i + 1] for i, t in enumerate(targets)], rng, quirky)

    staff = [f"T{i + 1}" for i in range(nk)]
    write_csv(os.path.join(folder, "staff.csv"),
              ["staff_id", "name", "subjects", "max_group_size", "max_minutes"],
              [[k, f"Teacher {k}", rng.choice(["*", "math", "reading", "math;reading", "*", "*"]),
                rng.choice([1, 2, 3, 3, 4, 4]), rng.choice([0, 30, 40, 60, 70, 90, 200, 200, 200, 200])]
               for k in staff], rng, quirky)

    blocks = [f"B{i + 1}" for i in range(nb)]
    brows = []
    for i, b in enumerate(blocks):
        start = 9 * 60 + 60 * i
        length = rng.choice([30, 40, 45])
        end = start + length
        brows.append([b, f"{start // 60:02d}:{start % 60:02d}", f"{end // 60:02d}:{end % 60:02d}",
                      rng.choice(["", "*", "math", "reading", "math;reading", "*", "*"])])
    write_csv(os.path.join(folder, "blocks.csv"), ["block_id", "start", "end", "subjects"],
              brows, rng, quirky)

    ev = []
    for s in students:
        for t in targets:
            if rng.random() < 0.75:
                for _ in range(rng.randint(1, 3)):
                    d = PLAN_DATE + dt.timedelta(days=rng.randint(-30, 2))
                    lvl = rng.choice([0, 1, 1.5, 2, 2, 2.5, 2.75, 3, 3.5, 4, round(rng.uniform(0, 4), 2)])
                    ev.append([s, t, d.isoformat(), lvl])
    rng.shuffle(ev)
    write_csv(os.path.join(folder, "evidence.csv"), ["student_id", "target_id", "date", "level"],
              ev, rng, quirky)

    if rng.random() < 0.8:
        un = [[k, b] for k in staff for b in blocks if rng.random() < 0.2]
        write_csv(os.path.join(folder, "unavailable.csv"), ["staff_id", "block_id"], un, rng, quirky)
    if rng.random() < 0.8:
        hist = []
        for _ in range(rng.randint(0, 5)):
            d = PLAN_DATE + dt.timedelta(days=rng.randint(-15, 1))
            hist.append([d.isoformat(), rng.choice(blocks), rng.choice(students),
                         rng.choice(staff), rng.choice(targets)])
        write_csv(os.path.join(folder, "history.csv"),
                  ["date", "block_id", "student_id", "staff_id", "target_id"], hist, rng, quirky)
    if rng.random() < 0.8:
        reqs = []
        for i in range(rng.randint(0, 3)):
            reqs.append([f"Q{i + 1}", rng.choice(staff), rng.choice(students),
                         rng.choice(["", ""] + blocks),
                         rng.choice(["high", "normal", "normal", "high", "normal", "required"])])
        write_csv(os.path.join(folder, "requests.csv"),
                  ["request_id", "staff_id", "student_id", "block_id", "priority"], reqs, rng, quirky)
    if rng.random() < 0.5:
        pins = []
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            pins.append([rng.choice(students), rng.choice(blocks), rng.choice(staff)])
        write_csv(os.path.join(folder, "pins.csv"), ["student_id", "block_id", "staff_id"],
                  pins, rng, quirky)

    toml = [f'name = "tiny {seed}"', f'date = "{PLAN_DATE.isoformat()}"', ""]
    method = rng.choice(["decaying", "recent", "mean", "highest"])
    st = []
    if method != "decaying" or rng.random() < 0.5:
        st.append(f'method = "{method}"')
    if rng.random() < 0.3:
        st.append(f"decay = {rng.choice([0.5, 0.65, 1, 0.3])}")
    if rng.random() < 0.3:
        st.append(f"proficient = {rng.choice([2.5, 3, 3.5, 4])}")
    if st:
        toml += ["[status]"] + st + [""]
    toml += ["[groups]", f"min_size = {rng.choice([1, 1, 2, 2, 2, 3])}", ""]
    if rng.random() < 0.5:
        toml += ["[weights]"]
        for key, choices in (("gap", [10.0, 5, 0]), ("wait", [1.0, 2.5, 0]), ("wait_cap", [10, 3, 0]),
                             ("tier2", [1.5, 1]), ("tier3", [2.0, 3]),
                             ("request_high", [30.0, 100, 0]), ("request_normal", [12.0, 1]),
                             ("session", [4.0, 0, 25, 4.0, 1.5])):
            if rng.random() < 0.5:
                toml.append(f"{key} = {rng.choice(choices)}")
    with open(os.path.join(folder, "school.toml"), "w", encoding="utf-8") as f:
        f.write("\n".join(toml) + "\n")
    return folder


def main(argv=None):
    ap = argparse.ArgumentParser(description="Write random tiny valid school folders.")
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=1)
    a = ap.parse_args(argv)
    for i in range(a.count):
        print(generate(a.seed + i, os.path.join(a.outdir, f"tiny-{a.seed + i}")))


if __name__ == "__main__":
    main()
