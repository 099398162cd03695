"""`regroup simulate`'s HTML report judged in a real browser.

    python3 -m pytest -q scripts/simulate_tests

Runs the built binary REGROUP_BIN (default `.build/debug/regroup`, relative to the
repository root): generates a 40-student school, simulates 2 school days with one
scenario, writes the HTML report and renders it with headless Chromium to a PNG that must
be non-trivial (many dark pixels, several colours: the scenario lines and bars). Keeps the
screenshot at SIMULATE_PNG when set. Needs Debian's `chromium` and PyPI's `pillow`;
anything missing FAILS the test with how to install it.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 180

SCENARIO = """name = "Two interventionists"

[[add_staff]]
staff_id = "X1"
subjects = "*"
max_group_size = 5
max_minutes = 100

[[add_staff]]
staff_id = "X2"
subjects = "*"
max_group_size = 5
max_minutes = 100
"""


def regroup():
    path = REPO / os.environ.get("REGROUP_BIN", ".build/debug/regroup")
    if not path.is_file():
        pytest.fail(f"no regroup binary at {path}: swift build --product regroup (or set REGROUP_BIN)")
    return str(path)


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    pytest.fail("headless Chromium not found: apt-get install -y chromium")


def run(*args):
    return subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT)


def test_html_report_renders_in_chromium(tmp_path):
    try:
        from PIL import Image
    except ImportError:
        pytest.fail("Pillow is missing: pip install pillow")
    school = tmp_path / "school"
    gen = run(regroup(), "generate", str(school), "--students", "40", "--seed", "2")
    assert gen.returncode == 0, gen.stderr
    scenario = tmp_path / "two.toml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    html = tmp_path / "report.html"
    sim = run(regroup(), "simulate", str(school), "--scenario", str(scenario), "--days", "3",
              "--day-time-limit", "2", "--format", "html", "--output", str(html))
    assert sim.returncode == 0, sim.stderr
    assert sim.stdout == ""
    text = html.read_text(encoding="utf-8")
    assert "<script" not in text and "src=" not in text and "href=" not in text
    assert text.count("<svg") == 2 and "<polyline" in text and "<rect" in text
    assert "Two interventionists" in text and ">base<" in text

    png = tmp_path / "report.png"
    cmd = [chromium(), "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
           "--no-first-run", "--hide-scrollbars", f"--user-data-dir={tmp_path / 'profile'}",
           f"--screenshot={png}", "--window-size=1200,1600", html.as_uri()]
    proc = subprocess.run(cmd, capture_output=True, timeout=TIMEOUT)
    assert png.is_file(), proc.stderr.decode(errors="replace")
    keep = os.environ.get("SIMULATE_PNG")
    if keep:
        shutil.copy(png, keep)
    assert png.stat().st_size > 20_000, f"screenshot of {png.stat().st_size} bytes"
    with Image.open(png) as im:
        assert im.size == (1200, 1600)
        rgb = im.convert("RGB")
        gray = rgb.convert("L")
        dark = sum(gray.histogram()[:128])
        assert dark > 0.005 * im.size[0] * im.size[1], f"a blank page: {dark} dark pixels"
        # The scenario colours of the charts are there: the base's blue and the scenario's red.
        colours = {c for _, c in rgb.getcolors(maxcolors=1 << 20)}
        assert any(abs(r - 0x1F) < 30 and abs(g - 0x77) < 30 and b > 0x90 for r, g, b in colours)
        assert any(r > 0xB0 and g < 0x60 and b < 0x60 for r, g, b in colours)
