"""The HTML report: what it holds (figures, charts, escaped names), that it is written
whole or not at all, and that Debian's headless Chromium opens it with no console
error and no network request, every chart drawn (driven over the DevTools protocol
on a pipe: no driver, no downloaded browser)."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from infra import demo, files
from infra.errors import InvalidInput
from infra.report import html, svg

CHROMIUM = ("chromium", "chromium-browser", "google-chrome")
SECTIONS = ("figures", "pools", "utilisation", "cloud_section", "xc_section", "drill_section")
HOSTILE = '<script>alert("x")</script>部门'
CHARTS = 11
"""Charts of the demo database with a drill run: 2 pool maps, 2 utilisation, 3 cloud
resources, 2 Xinchuang, 2 drill."""


def _drill_run(store: Any) -> None:
    """A completed drill run over two departments' hosts, written as the runner writes it."""

    def run(tx: Any) -> None:
        run_id = tx.insert(
            "INSERT INTO drill_run (name, started_at, finished_at, actor, status, check_mode,"
            " ident) VALUES ('drill-2026-11', '2026-11-20T02:00:00+00:00',"
            " '2026-11-20T03:00:00+00:00', 'ops', 'completed', 0, 'ident')"
        )
        hosts = [("cz-web-01", "YC-CZ"), ("ga-web-01", "HY-GA"), ("ga-app-01", "HY-GA")]
        tx.executemany(
            "INSERT INTO drill_host (run_id, host, kind, address, department, system, org_path,"
            " os_family, reachable, reason) VALUES (?, ?, 'vm', NULL, ?, NULL, NULL, 'RedHat',"
            " 1, NULL)",
            [(run_id, h, HOSTILE if h == "ga-app-01" else d) for h, d in hosts],
        )
        outcomes = {
            "cz-web-01": ("pass", "pass", "fail"),
            "ga-web-01": ("pass", "fail", "fail"),
            "ga-app-01": ("pass", "pass", "pass"),
        }
        tx.executemany(
            "INSERT INTO drill_result (run_id, host, check_id, status) VALUES (?, ?, ?, ?)",
            [
                (run_id, host, check, status)
                for host, statuses in outcomes.items()
                for check, status in zip(
                    ("ssh-root-login", "password-max-days", "<b>x</b>"), statuses, strict=True
                )
            ],
        )

    store.write(run)


@pytest.fixture
def demo_store(store: Any) -> Any:
    """The demo's city, cloud and Xinchuang ledger, and a drill run (one of its hosts
    in a department named like markup)."""
    demo.build(store)
    _drill_run(store)
    return store


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_holds_figures_and_every_chart(demo_store: Any, lang: str) -> None:
    from infra.report import indicators

    page = html.render(demo_store, lang=lang)
    ind = indicators.compute(demo_store, None, None, lang)
    for f in ind["figures"]:
        assert f">{f['key']}<" in page
    for key in SECTIONS:
        assert f'<section id="{key}">' in page
    assert page.count("<svg ") - page.count('viewBox="0 0 128 128"') == CHARTS
    assert page.count('class="chart poolmap"') == 2  # 10.64.0.0/10 and the cloud's /16
    # a check id is user data from the run's rows: escaped, never markup
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page
    assert "<script" not in page and "&lt;script&gt;alert(&quot;x&quot;)" in page
    for counties in ("源城区", "紫金县"):
        assert counties in page
    assert not re.search(r"(src|href)=", page)
    assert "@import" not in page and "url(" not in page


def test_write_is_atomic_and_refuses_a_missing_directory(store: Any, tmp_path: Path) -> None:
    target = tmp_path / "r.html"
    assert html.write(store, target, lang="en") == target
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".r.html")] == []
    with pytest.raises(InvalidInput, match="no directory"):
        html.write(store, tmp_path / "nowhere" / "r.html")
    with pytest.raises(InvalidInput, match="is a directory"):
        html.write(store, tmp_path)
    with pytest.raises(InvalidInput, match="language"):
        html.write(store, tmp_path / "x.html", lang="fr")
    assert not (tmp_path / "x.html").exists()
    # an empty database: every section says it has nothing, and the page still stands
    page = target.read_text(encoding="utf-8")
    for key in SECTIONS:
        assert f'<section id="{key}">' in page


def test_a_failed_write_leaves_the_old_report(
    store: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "r.html"
    target.write_text("old", encoding="utf-8")

    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "fsync", broken)
    with pytest.raises(InvalidInput, match="r.html: cannot be written \\(disk full\\)"):
        html.write(store, target)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_hilbert_curve_visits_every_cell_once_through_neighbours() -> None:
    for order in (1, 2, 4):
        side = 1 << order
        steps = [svg.hilbert_xy(order, d) for d in range(side * side)]
        assert len(set(steps)) == side * side
        for (x0, y0), (x1, y1) in zip(steps, steps[1:], strict=False):
            assert abs(x0 - x1) + abs(y0 - y1) == 1


def test_pool_map_cells_take_the_state_of_most_of_their_addresses() -> None:
    # a /24 pool on a 4 × 4 map: cells of 16 addresses
    blocks = [
        svg.Block(0, 64, "assigned", "A"),  # cells 0-3 A's, pale
        svg.Block(0, 16, "allocated", "A"),  # cell 0 allocated
        svg.Block(16, 4, "allocated", "A"),  # 4 of 16: cell 1 stays assigned
        svg.Block(128, 32, "reserved", None),  # cells 8-9
        svg.Block(192, 16, "allocated", "B<"),  # cell 12
    ]
    grid = svg.cells(0, 256, blocks, 2)
    assert grid[0] == ("allocated", "A")
    assert grid[1] == ("assigned", "A")
    assert grid[4] == ("free", None)
    assert grid[8] == grid[9] == ("reserved", None)
    assert grid[12] == ("allocated", "B<")
    drawn = svg.hilbert_map("t", 0, 256, blocks, ["A", "B<"], html.WORDS["en"])
    assert "B&lt;" in drawn and "B<" not in drawn
    fixed = svg.hilbert_map("t", 0, 256, blocks, ["B<"], html.WORDS["en"], palette={"B<": 2})
    assert f'fill="{svg.PALETTE[2]}"' in fixed  # the colour a county has on every map
    assert svg.order_for(1 << 22) == svg.MAX_ORDER and svg.order_for(256) == 4
    assert svg.order_for(512) == 4  # an odd prefix length: cells of 2 addresses


def test_bars_escape_names_and_draw_only_values() -> None:
    drawn = svg.bars("t<", ["a&b", "c"], [svg.Series("s", [50, None])], unit="%", maximum=100)
    assert drawn.count('class="bar"') == 1
    assert "a&amp;b" in drawn and "t&lt;" in drawn
    stacked = svg.bars("t", ["a"], [svg.Series("x", [1]), svg.Series("y", [3])], stacked=True)
    assert stacked.count('class="bar"') == 2


# -- the real browser ---------------------------------------------------------------


def _chromium() -> str:
    for name in CHROMIUM:
        found = shutil.which(name)
        if found:
            return found
    reason = "Debian's chromium is not installed (apt-get install chromium)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; CI=true: the browser test must run")
    pytest.skip(reason)


class DevTools:
    """Chromium's DevTools protocol over --remote-debugging-pipe: JSON messages ended
    by NUL, commands written to its fd 3, answers and events read from its fd 4."""

    def __init__(self, binary: str, profile: Path):
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def fds() -> None:  # in the child: the pipe ends on the fds the browser reads
            r, w = os.dup(to_browser_r), os.dup(from_browser_w)  # either may be 3 or 4
            os.dup2(r, 3)
            os.dup2(w, 4)

        self.proc = subprocess.Popen(
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--remote-debugging-pipe",
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            pass_fds=(3, 4),  # kept open past the fds() below
            preexec_fn=fds,  # the child only duplicates two fds before exec
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buf = b""
        self._id = 0
        self.events: list[dict[str, Any]] = []

    def _read(self, deadline: float) -> dict[str, Any]:
        import select

        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("chromium did not answer")
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if ready:
                chunk = os.read(self._from_browser, 1 << 20)
                if not chunk:
                    raise RuntimeError("chromium closed its pipe")
                self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return dict(json.loads(raw))

    def send(self, method: str, session: str | None = None, **params: Any) -> dict[str, Any]:
        self._id += 1
        msg: dict[str, Any] = {"id": self._id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self._to_browser, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + 60
        while True:
            got = self._read(deadline)
            if got.get("id") == self._id:
                if "error" in got:
                    raise RuntimeError(f"{method}: {got['error']}")
                return dict(got.get("result", {}))
            self.events.append(got)

    def wait_for(self, method: str, timeout: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        for e in self.events:
            if e.get("method") == method:
                return e
        while True:
            got = self._read(deadline)
            self.events.append(got)
            if got.get("method") == method:
                return got

    def close(self) -> None:
        try:
            self.send("Browser.close")
        except (RuntimeError, TimeoutError, OSError):
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)


COUNT_CHARTS = """JSON.stringify([...document.querySelectorAll('svg.chart')].map(s => ({
  id: s.closest('section').id,
  shapes: s.querySelectorAll('rect.bar, rect.cell').length,
  w: s.getBoundingClientRect().width, h: s.getBoundingClientRect().height})))"""


def open_in_chromium(
    page: Path, profile: Path, width: int = 1200, height: int | None = None, scale: float = 1
) -> dict[str, Any]:
    """Load `page` in headless Chromium; its console errors, exceptions, requests,
    charts and a PNG screenshot (of the whole page, or its top `height` pixels)."""
    browser = DevTools(_chromium(), profile)
    try:
        targets = browser.send("Target.getTargets")["targetInfos"]
        target = next(t["targetId"] for t in targets if t["type"] == "page")
        session = browser.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            browser.send(f"{domain}.enable", session)
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            session,
            width=width,
            height=900,
            deviceScaleFactor=1,
            mobile=False,
        )
        browser.events.clear()
        browser.send("Page.navigate", session, url=page.as_uri())
        browser.wait_for("Page.loadEventFired")
        charts = json.loads(
            browser.send("Runtime.evaluate", session, expression=COUNT_CHARTS, returnByValue=True)[
                "result"
            ]["value"]
        )
        metrics = browser.send("Page.getLayoutMetrics", session)["cssContentSize"]
        shot = browser.send(
            "Page.captureScreenshot",
            session,
            format="png",
            captureBeyondViewport=True,
            clip={
                "x": 0,
                "y": 0,
                "width": width,
                "height": height or metrics["height"],
                "scale": scale,
            },
        )
        events = list(browser.events)
    finally:
        browser.close()
    errors = [
        e["params"]
        for e in events
        if e.get("method") == "Runtime.exceptionThrown"
        or (e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] == "error")
        or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")
    ]
    requests = [
        e["params"]["request"]["url"]
        for e in events
        if e.get("method") == "Network.requestWillBeSent"
    ]
    return {
        "errors": errors,
        "requests": requests,
        "charts": charts,
        "png": base64.b64decode(shot["data"]),
    }


@pytest.mark.slow
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_report_in_headless_chromium(demo_store: Any, tmp_path: Path) -> None:
    page = html.write(demo_store, tmp_path / "report.html")
    seen = open_in_chromium(page, tmp_path / "profile")
    (tmp_path / "report.png").write_bytes(seen["png"])
    assert seen["errors"] == []
    assert seen["requests"] == [page.as_uri()]  # the page itself, nothing else
    charts = seen["charts"]
    assert len(charts) == CHARTS
    for chart in charts:
        assert chart["shapes"] > 0, chart
        assert chart["w"] > 100 and chart["h"] > 20, chart
    assert {c["id"] for c in charts} == set(SECTIONS) - {"figures"}
    assert seen["png"].startswith(b"\x89PNG") and len(seen["png"]) > 10_000
