"""`regroup serve` driven end to end in a real browser (headless Chromium through selenium).

    python3 -m pytest -q scripts/browser_tests

Builds nothing: runs the built binary REGROUP_BIN (default `.build/debug/regroup`, relative
to the repository root). Copies `fixtures/sample` to a temporary folder, imports it, issues
sign-in links for the first staff member and a scheduler, and starts `regroup serve` on a
free loopback port. Then, in Chromium:

1. the teacher signs in by link, opens My requests, asks for a student found by name,
   sees the request listed, and opens My day (no plan yet: it says so);
2. the scheduler signs in by link, makes tomorrow's plan (a few seconds) and publishes it;
3. the teacher sees the request's outcome on My requests and their sessions on My day,
   which is saved as a screenshot (`my-day.png`) that must be a real page.

A second test is the morning of issue 18: the scheduler publishes a plan, marks the staff
member who leads the most students absent on "Absences this morning", re-plans the day (the
progress line, then the change list, each change with its reason), publishes the re-plan,
and that staff member's My day shows what changed for them and why (`my-day-changes.png`).

Screenshots go to $BROWSER_ARTIFACTS when set, else to pytest's temporary folder. Needs
Debian's `chromium` and `chromium-driver` and PyPI's `selenium` and `pillow`
(`scripts/setup.sh --tests` installs them); anything missing FAILS the test with how to
install it. The server is stopped by its process id at the end.
"""
from __future__ import annotations

import csv
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DRIVER = "/usr/bin/chromedriver"
TIMEOUT = 180
# Seconds a plan made from the web page may take (`regroup serve --time-limit`).
PLAN_SECONDS = 10


def regroup():
    path = REPO / os.environ.get("REGROUP_BIN", ".build/debug/regroup")
    if not path.is_file():
        pytest.fail(f"no regroup binary at {path}: swift build --product regroup (or set REGROUP_BIN)")
    return str(path)


def run(*args):
    proc = subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 0, f"{' '.join(args[1:3])} failed: {proc.stderr}"
    return proc.stdout


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port, proc, log, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"regroup serve exited with {proc.returncode}: {log.read_text(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"regroup serve did not listen on port {port} within {seconds} s")


def first_staff(folder):
    with open(folder / "staff.csv", newline="", encoding="utf-8") as f:
        return next(csv.DictReader(f))["staff_id"]


def student_with_unique_name(folder, staff):
    """A student (id, "Given Family") whose full name no other student shares and whom `staff` has not asked for."""
    with open(folder / "students.csv", newline="", encoding="utf-8") as f:
        students = list(csv.DictReader(f))
    with open(folder / "requests.csv", newline="", encoding="utf-8") as f:
        asked = {r["student_id"] for r in csv.DictReader(f) if r["staff_id"] == staff}
    names = {}
    for s in students:
        name = f"{s['given_name']} {s['family_name']}".strip()
        names.setdefault(name.casefold(), []).append((s["student_id"], name))
    for found in names.values():
        if len(found) == 1 and found[0][0] not in asked and found[0][1].isascii():
            return found[0]
    pytest.fail("the sample school has no student with a unique plain name")


@pytest.fixture
def school(tmp_path):
    folder = tmp_path / "school"
    shutil.copytree(REPO / "fixtures" / "sample", folder)
    db = folder / "regroup.db"
    run(regroup(), "import", str(folder), "--db", str(db))
    return folder, db


@pytest.fixture
def server(school, tmp_path):
    folder, db = school
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    staff = first_staff(folder)
    teacher = run(regroup(), "access", "issue", "--staff", staff, "--db", str(db), "--base-url", base).strip()
    scheduler = run(regroup(), "access", "issue", "--role", "scheduler", "--name", "Browser Test",
                    "--db", str(db), "--base-url", base).strip()
    assert teacher.startswith(f"{base}/signin/") and scheduler.startswith(f"{base}/signin/")
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [regroup(), "serve", "--db", str(db), "--port", str(port), "--time-limit", str(PLAN_SECONDS)],
            stdout=out, stderr=subprocess.STDOUT)
    try:
        wait_for_port(port, proc, log)
        yield {"base": base, "teacher": teacher, "scheduler": scheduler, "staff": staff,
               "folder": folder, "log": log}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture
def browser():
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail("selenium is missing: pip install selenium")
    if not Path(DRIVER).is_file():
        pytest.fail(f"no {DRIVER}: apt-get install -y chromium chromium-driver")
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary is None:
        pytest.fail("headless Chromium not found: apt-get install -y chromium chromium-driver")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1200,1600", "--no-first-run"]:
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def artifacts(tmp_path):
    folder = Path(os.environ.get("BROWSER_ARTIFACTS") or tmp_path / "artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def assert_real_screenshot(png):
    """The PNG shows a page: big enough, many dark (text) pixels, more than two colours."""
    try:
        from PIL import Image
    except ImportError:
        pytest.fail("Pillow is missing: pip install pillow")
    assert png.stat().st_size > 20_000, f"screenshot of {png.stat().st_size} bytes"
    with Image.open(png) as im:
        gray = im.convert("L")
        dark = sum(gray.histogram()[:128])
        assert dark > 0.002 * im.size[0] * im.size[1], f"a blank page: {dark} dark pixels"
        assert len(im.convert("RGB").getcolors(maxcolors=1 << 20)) > 2


def test_teacher_requests_a_student_and_sees_the_outcome_and_their_day(server, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as seen
    from selenium.webdriver.support.ui import Select, WebDriverWait

    out = artifacts(tmp_path)
    wait = WebDriverWait(browser, 30)
    student_id, name = student_with_unique_name(server["folder"], server["staff"])
    try:
        # 1. The teacher signs in by link and lands on My day.
        browser.get(server["teacher"])
        wait.until(seen.presence_of_element_located((By.ID, "day")))
        assert "/day" in browser.current_url
        assert "No plan is published" in browser.find_element(By.ID, "day").text

        # Asks for a student found by name (typed as a teacher would, in lower case).
        browser.find_element(By.LINK_TEXT, "My requests").click()
        wait.until(seen.presence_of_element_located((By.ID, "student")))
        browser.find_element(By.ID, "student").send_keys(name.lower())
        Select(browser.find_element(By.ID, "block")).select_by_value("")
        Select(browser.find_element(By.ID, "priority")).select_by_value("high")
        browser.find_element(By.ID, "note").send_keys("browser test: <fractions>")
        browser.find_element(By.ID, "add-request").click()
        wait.until(seen.url_contains("added=REQ-"))
        table = browser.find_element(By.ID, "requests").text
        assert f"{student_id} — {name}" in table
        assert "browser test: <fractions>" in table
        assert "Request REQ-" in browser.find_element(By.CSS_SELECTOR, "p.notice").text
        request_id = browser.current_url.split("added=")[1].split("#")[0]
        row = browser.find_element(By.ID, f"request-{request_id}").text
        assert "open" in row and "high" in row

        browser.find_element(By.LINK_TEXT, "My day").click()
        wait.until(seen.presence_of_element_located((By.ID, "day")))
        browser.save_screenshot(str(out / "my-day-before-plan.png"))

        # 2. The scheduler makes tomorrow's plan and publishes it.
        browser.get(server["scheduler"])
        wait.until(seen.url_contains("/status"))
        browser.get(server["base"] + "/plan")
        limit = browser.find_element(By.ID, "time-limit")
        limit.clear()
        limit.send_keys("5")
        browser.find_element(By.ID, "make-plan").click()
        WebDriverWait(browser, PLAN_SECONDS + 60).until(
            lambda d: d.find_elements(By.ID, "publish") or d.find_elements(By.ID, "not-publishable")
            or d.find_elements(By.ID, "plan-failed"))
        assert browser.find_elements(By.ID, "publish"), browser.find_element(By.TAG_NAME, "main").text
        browser.find_element(By.ID, "publish").click()
        wait.until(seen.url_contains("/published/"))

        # 3. The teacher sees the outcome of the request and their day.
        browser.get(server["teacher"])
        wait.until(seen.presence_of_element_located((By.ID, "day")))
        browser.get(server["base"] + "/requests")
        row = browser.find_element(By.ID, f"request-{request_id}").text
        assert "planned" in row
        assert "Honored in the plan for" in row or "Not honored in the plan for" in row, row
        browser.save_screenshot(str(out / "my-requests.png"))

        browser.get(server["base"] + "/day")
        day = browser.find_element(By.ID, "day").text
        assert "Your day on" in day and "No plan is published" not in day
        blocks = browser.find_elements(By.CSS_SELECTOR, "#day article.block")
        assert blocks, "My day lists no blocks"
        png = out / "my-day.png"
        browser.save_screenshot(str(png))
        assert_real_screenshot(png)
    except Exception:
        browser.save_screenshot(str(out / "failure.png"))
        print(server["log"].read_text(errors="replace"))
        raise


def busiest_staff(browser):
    """The staff id of the published day's row in "By staff member" with the most students."""
    from selenium.webdriver.common.by import By
    best, most = None, -1
    for row in browser.find_elements(By.CSS_SELECTOR, "#by-staff tbody tr"):
        cells = row.find_elements(By.TAG_NAME, "td")
        name, sessions = cells[0].text, cells[2].text
        if sessions == "no sessions":
            continue
        students = sum(int(part.rsplit("(", 1)[1].rstrip(")")) for part in sessions.split(", "))
        if students > most:
            best, most = name.rsplit("(", 1)[1].rstrip(")"), students
    assert best, "the published plan has no sessions"
    return best


def wait_for_plan(browser, seconds):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    WebDriverWait(browser, seconds).until(
        lambda d: d.find_elements(By.ID, "publish") or d.find_elements(By.ID, "not-publishable")
        or d.find_elements(By.ID, "plan-failed"))
    assert browser.find_elements(By.ID, "publish"), browser.find_element(By.TAG_NAME, "main").text


def test_scheduler_marks_an_absence_replans_and_publishes_and_the_teacher_sees_why(server, browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as seen
    from selenium.webdriver.support.ui import Select, WebDriverWait

    out = artifacts(tmp_path)
    wait = WebDriverWait(browser, 30)
    try:
        # The plan made yesterday afternoon, published.
        browser.get(server["scheduler"])
        wait.until(seen.url_contains("/status"))
        browser.get(server["base"] + "/plan")
        assert not browser.find_elements(By.ID, "replan-form"), "a re-plan offered before any plan is published"
        limit = browser.find_element(By.ID, "time-limit")
        limit.clear()
        limit.send_keys("5")
        browser.find_element(By.ID, "make-plan").click()
        wait_for_plan(browser, PLAN_SECONDS + 60)
        browser.find_element(By.ID, "publish").click()
        wait.until(seen.url_contains("/published/"))
        day = browser.current_url.split("/published/")[1].split("?")[0]
        absent = busiest_staff(browser)

        # This morning: the busiest staff member is out all day.
        browser.find_element(By.LINK_TEXT, "Absences").click()
        wait.until(seen.presence_of_element_located((By.ID, "absence-form")))
        assert f"Absences on {day}" in browser.find_element(By.TAG_NAME, "h1").text
        assert browser.find_elements(By.ID, "no-absences")
        browser.find_element(By.ID, "who").send_keys(absent)
        Select(browser.find_element(By.ID, "absence-block")).select_by_value("")
        browser.find_element(By.ID, "add-absence").click()
        wait.until(seen.url_contains("done="))
        row = browser.find_element(By.ID, f"absence-{absent}-whole-day").text
        assert "whole day" in row and "leads" in row, row
        assert "marked absent" in browser.find_element(By.CSS_SELECTOR, "p.notice").text
        browser.save_screenshot(str(out / "absences.png"))

        # Re-plan from the page's link: the progress line, then the changes first.
        browser.find_element(By.CSS_SELECTOR, "#replan-hint a").click()
        wait.until(seen.presence_of_element_located((By.ID, "replan-form")))
        assert "1 absence marked" in browser.find_element(By.ID, "replan").text
        limit = browser.find_element(By.ID, "replan-time-limit")
        limit.clear()
        limit.send_keys(str(PLAN_SECONDS))
        browser.find_element(By.ID, "replan-button").click()
        wait.until(lambda d: d.find_elements(By.ID, "plan-progress") or d.find_elements(By.ID, "publish")
                   or d.find_elements(By.ID, "plan-failed"))
        wait_for_plan(browser, PLAN_SECONDS + 60)
        changes = browser.find_element(By.ID, "change-list").text
        assert f"{absent} is absent" in changes, changes
        main = browser.find_element(By.TAG_NAME, "main").text
        assert main.index("Changes to the published plan") < main.index("By block")
        browser.save_screenshot(str(out / "replan.png"))
        browser.find_element(By.ID, "publish").click()
        wait.until(seen.url_contains("version=2"))
        assert browser.find_elements(By.ID, "change-list")
        trail = browser.find_element(By.ID, "audit-trail").text
        assert "current" in trail

        # The absent staff member's My day says what changed for them and why.
        link = run(regroup(), "access", "issue", "--staff", absent, "--db", str(server["folder"] / "regroup.db"),
                   "--base-url", server["base"]).strip()
        browser.delete_all_cookies()
        browser.get(link)
        wait.until(seen.presence_of_element_located((By.ID, "day")))
        browser.get(f"{server['base']}/day?date={day}")
        mine = browser.find_element(By.ID, "my-changes").text
        assert "What changed for you" in mine and f"{absent} is absent" in mine, mine
        png = out / "my-day-changes.png"
        browser.save_screenshot(str(png))
        assert_real_screenshot(png)
    except Exception:
        browser.save_screenshot(str(out / "failure.png"))
        print(server["log"].read_text(errors="replace"))
        raise
