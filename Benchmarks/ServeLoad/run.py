#!/usr/bin/env python3
"""Load on `regroup serve`: a generated school, 50 signed-in staff members on loopback.

Generates a school (`regroup generate`), imports it into a fresh record, issues sign-in
links for the first CLIENTS staff members and the scheduler, starts `regroup serve`,
signs every link in (session cookie and CSRF token, as a browser would), then runs wrk
with one connection per staff member (load.lua) mixing My day, My requests, the morning
status and request submissions. Afterwards it stops the server by its process id and
counts the record's new request rows against the submissions answered 303.

Prints a Markdown table: latency percentiles, requests per second, each kind of request
sent and answered, and whether every answered submission is stored exactly once.
It measures; it asserts nothing about times (exit status 1 only when a submission
answered 303 is missing or stored twice, or the run could not be made).

    Benchmarks/ServeLoad/run.py --regroup .build-web-release/release/regroup
"""

import argparse
import http.client
import os
import platform
import re
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from datetime import datetime, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))


def run(cmd, **kwargs):
    """Runs a command, failing loudly with its stderr."""
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.exit(f"error: {' '.join(cmd)} exited {result.returncode}:\n{result.stderr}")
    return result.stdout


def wait_for_port(port, process, seconds=60):
    """Waits until the server accepts connections on 127.0.0.1:port."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if process.poll() is not None:
            sys.exit(f"error: regroup serve exited {process.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"error: regroup serve did not listen on port {port} within {seconds} s")


def get(port, path, cookie=None):
    """A GET on loopback without following redirects: (status, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": f"regroup_session={cookie}"} if cookie else {}
    connection.request("GET", path, headers=headers)
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    result = (response.status, response.getheaders(), body)
    connection.close()
    return result


def sign_in(port, token):
    """Opens a sign-in link; returns the session cookie's value."""
    status, headers, _ = get(port, f"/signin/{token}")
    for name, value in headers:
        if name.lower() == "set-cookie" and value.startswith("regroup_session="):
            return value.split(";", 1)[0].split("=", 1)[1]
    sys.exit(f"error: the sign-in link answered {status} without a session cookie")


def csrf_token(port, cookie):
    """The CSRF token of a staff member's session, from their My requests page."""
    status, _, body = get(port, "/requests", cookie)
    match = re.search(r'name="_csrf" value="([^"]+)"', body)
    if status != 200 or not match:
        sys.exit(f"error: /requests answered {status} without a CSRF token")
    return match.group(1)


def post(port, path, cookie, fields):
    """A form POST on loopback without following redirects: its status."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    body = urllib.parse.urlencode(fields)
    connection.request("POST", path, body=body, headers={
        "Cookie": f"regroup_session={cookie}", "Content-Type": "application/x-www-form-urlencoded"})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status


def probe(port, staff_cookie, csrf, scheduler_cookie, students, times=20):
    """Each kind of request alone, one at a time: median milliseconds by kind (before the load)."""
    kinds = {
        "day": lambda i: get(port, "/day", staff_cookie)[0] == 200,
        "requests": lambda i: get(port, "/requests", staff_cookie)[0] == 200,
        "status": lambda i: get(port, "/status", scheduler_cookie)[0] == 200,
        "post": lambda i: post(port, "/requests", staff_cookie, {
            "_csrf": csrf, "student": students[i % len(students)], "block": "", "priority": "normal",
            "date": "", "note": f"probe-{i}"}) == 303,
    }
    medians = {}
    for kind, send in kinds.items():
        times_ms = []
        for i in range(times):
            start = time.perf_counter()
            if not send(i):
                sys.exit(f"error: the probe of {kind} did not get its expected answer")
            times_ms.append((time.perf_counter() - start) * 1000)
        medians[kind] = statistics.median(times_ms)
    return medians


def request_notes(db):
    """The load run's request rows: how many times each note is stored."""
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT note FROM request WHERE note LIKE 'load-c%'").fetchall()
        total = connection.execute("SELECT COUNT(*) FROM request").fetchone()[0]
    return Counter(note for (note,) in rows), total


def parse_result(path):
    """load.lua's result file: counts, latency, in-flight notes, notes answered 303."""
    values, inflight, notes = {}, [], []
    with open(path) as f:
        in_notes = False
        for line in f:
            line = line.rstrip("\n")
            if in_notes:
                if line:
                    notes.append(line)
            elif line == "notes":
                in_notes = True
            elif line.startswith("inflight "):
                inflight.append(line.split(" ", 1)[1])
            elif line:
                key, value = line.split(" ", 1)
                values[key] = float(value)
    return values, inflight, notes


def source_commit():
    """The working tree's commit, `+ changes` when its sources differ from it."""
    git = ["git", "-C", ROOT]
    head = subprocess.run(git + ["rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(git + ["status", "--porcelain", "--", "Sources", "Package.swift"],
                           capture_output=True, text=True).stdout.strip()
    return (head or "?") + (" + uncommitted changes" if dirty else "")


def machine():
    """`2 CPUs (model), 7.8 GiB, Linux 6.1`: where the run was made."""
    model = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            kib = int(f.readline().split()[1])
        memory = f"{kib / 1048576:.1f} GiB"
    except OSError:
        memory = "?"
    return f"{os.cpu_count()} CPUs ({model}), {memory}, {platform.system()} {platform.release()}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--regroup", default=os.path.join(ROOT, ".build-web-release/release/regroup"),
                        help="the regroup binary (a release build)")
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients, one staff member each")
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--port", type=int, default=18080)
    parser.add_argument("--commit", help="the commit the binary was built from (default: the working tree's)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (record, server log)")
    args = parser.parse_args()
    args.regroup = os.path.abspath(args.regroup)
    if not os.access(args.regroup, os.X_OK):
        sys.exit(f"error: no regroup binary at {args.regroup}; build one with "
                 "swift build -c release --product regroup --scratch-path .build-web-release")
    if shutil.which("wrk") is None:
        sys.exit("error: wrk is not installed (apt-get install -y wrk)")

    work = tempfile.mkdtemp(prefix="regroup-serve-load-")
    school = os.path.join(work, "school")
    db = os.path.join(work, "regroup.db")
    print(f"work folder {work}", file=sys.stderr)
    run([args.regroup, "generate", school, "--students", str(args.students), "--seed", str(args.seed)])
    run([args.regroup, "import", school, "--db", db])
    with open(os.path.join(school, "staff.csv")) as f:
        staff = [line.split(",", 1)[0] for line in f.read().splitlines()[1:] if line]
    with open(os.path.join(school, "students.csv")) as f:
        students = [line.split(",", 1)[0] for line in f.read().splitlines()[1:] if line]
    if len(staff) < args.clients:
        sys.exit(f"error: the school has {len(staff)} staff members, fewer than {args.clients} clients")
    base = f"http://127.0.0.1:{args.port}"

    def link(*who):
        line = run([args.regroup, "access", "issue", *who, "--db", db, "--base-url", base]).strip()
        return line.rsplit("/", 1)[1]

    tokens = [(id, link("--staff", id)) for id in staff[: args.clients]]
    scheduler_token = link("--role", "scheduler", "--name", "Load Scheduler")

    log = open(os.path.join(work, "serve.log"), "w")
    server = subprocess.Popen([args.regroup, "serve", "--db", db, "--port", str(args.port)],
                              stdout=log, stderr=subprocess.STDOUT, cwd=work)
    try:
        wait_for_port(args.port, server)
        sessions = [f"scheduler {sign_in(args.port, scheduler_token)} -"]
        for id, token in tokens:
            cookie = sign_in(args.port, token)
            sessions.append(f"{id} {cookie} {csrf_token(args.port, cookie)}")
        sessions_path = os.path.join(work, "sessions.txt")
        students_path = os.path.join(work, "students.txt")
        result_path = os.path.join(work, "result.txt")
        with open(sessions_path, "w") as f:
            f.write("\n".join(sessions) + "\n")
        with open(students_path, "w") as f:
            f.write("\n".join(students) + "\n")
        first = sessions[1].split(" ")
        alone = probe(args.port, first[1], first[2], sessions[0].split(" ")[1], students)
        before_notes, before_total = request_notes(db)

        load_before = os.getloadavg()[0]
        print(f"{args.clients} clients for {args.duration} s on {base} ...", file=sys.stderr)
        env = dict(os.environ, SESSIONS=sessions_path, STUDENTS=students_path, RESULT=result_path)
        wrk = subprocess.run(
            ["wrk", f"-t{args.clients}", f"-c{args.clients}", f"-d{args.duration}s", "--timeout", "30s",
             "-s", os.path.join(HERE, "load.lua"), base],
            capture_output=True, text=True, env=env)
        print(wrk.stdout, file=sys.stderr)
        if wrk.returncode != 0:
            sys.exit(f"error: wrk exited {wrk.returncode}:\n{wrk.stderr}")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()

    values, inflight, answered = parse_result(result_path)
    stored, after_total = request_notes(db)
    new_rows = after_total - before_total
    answered_set = set(answered)
    missing = [n for n in answered_set if stored[n] == 0]
    twice = [n for n, k in stored.items() if k > 1]
    unanswered = [n for n in stored if n not in answered_set]
    unexplained = [n for n in unanswered if n not in set(inflight)]
    exactly_once = (not missing and not twice and not unexplained and len(answered) == len(answered_set)
                    and new_rows == sum(stored.values()) and not before_notes)

    seconds = values["duration_us"] / 1e6
    ms = lambda key: f"{values[key] / 1000:.1f}"
    errors = sum(values[k] for k in values if k.startswith("errors_") and k != "errors_status")
    commit = args.commit or source_commit()
    print(f"One run, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, commit {commit}, {machine()}.")
    print(f"Load average (1 min) just before the run: {load_before:.2f} (other work on the machine).")
    print(f"School: {args.students} students (seed {args.seed}), {len(staff)} staff; "
          f"{args.clients} clients (one connection and one staff member each) for {args.duration} s on loopback.")
    print()
    print("| measure | value |")
    print("|---|---|")
    print(f"| requests answered | {int(values['requests']):,} in {seconds:.1f} s |")
    print(f"| requests per second | {values['requests'] / seconds:,.0f} |")
    print(f"| latency median / p90 / p99 / max (ms) | {ms('latency_p50_us')} / {ms('latency_p90_us')} / "
          f"{ms('latency_p99_us')} / {ms('latency_max_us')} |")
    for kind, label in [("day", "GET /day (My day)"), ("requests", "GET /requests (My requests)"),
                        ("status", "GET /status (morning status)"), ("post", "POST /requests (new request)")]:
        expected = "303" if kind == "post" else "200"
        print(f"| {label}: answered {expected} / other; median ms alone | {int(values['ok_' + kind]):,} / "
              f"{int(values['bad_' + kind]):,}; {alone[kind]:.1f} |")
    print(f"| socket errors and timeouts | {int(errors)} |")
    print(f"| submissions answered 303 | {len(answered):,} ({len(answered_set):,} distinct notes) |")
    print(f"| new rows in the record's request table | {new_rows:,} |")
    print(f"| answered 303 and stored exactly once | {sum(1 for n in answered_set if stored[n] == 1):,} |")
    print(f"| answered 303 but not stored / stored twice or more | {len(missing)} / {len(twice)} |")
    print(f"| stored but unanswered (in flight when the run stopped) | {len(unanswered)} "
          f"(of {len(inflight)} in flight) |")
    print(f"| every answered submission stored exactly once | {'yes' if exactly_once else 'NO'} |")
    if args.keep:
        print(f"\n(work folder kept: {work})", file=sys.stderr)
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if exactly_once else 1


if __name__ == "__main__":
    sys.exit(main())
