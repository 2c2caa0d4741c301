"""`qdocs serve` and the review site in a real browser: headless Chromium (Debian's
package) driven by Playwright, against a `qdocs serve` subprocess on a free port.

One server for the module, on a small copy of the example (four regions, the notice
without its annexes bound, PDF and HTML only), so the whole module stays short. The
tests run in file order: reading first, then the edits, then Ctrl-C.
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from review_fixtures import move_a_point, small_example

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="Debian's chromium is not installed "
                                       "(scripts/setup.sh --test installs it)")
QDOCS = [sys.executable, "-c", "from qdocs.cli import main; main()"]
WAIT_BUILD = 120      # seconds a build may take on a loaded machine


class Server:
    """A `qdocs serve` process with its output collected line by line."""

    def __init__(self, root: Path):
        self.root = root
        self.proc = subprocess.Popen(
            [*QDOCS, "serve", "--content", "content", "--port", "0", "--format", "pdf,html",
             "-j", "2"], cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, start_new_session=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        first = self.lines.get(timeout=60)
        found = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
        assert found, first
        self.port = int(found.group(1))
        self.base = f"http://127.0.0.1:{self.port}"

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.log.append(line.rstrip("\n"))
            self.lines.put(line)

    def status(self) -> dict:
        with urllib.request.urlopen(self.base + "/__qdocs/status", timeout=5) as r:
            return json.load(r)

    def wait_build(self, after: int) -> dict:
        deadline = time.monotonic() + WAIT_BUILD
        while time.monotonic() < deadline:
            state = self.status()
            if state["build"] > after or state["errors"]:
                return state
            time.sleep(0.2)
        raise AssertionError("no build finished:\n" + "\n".join(self.log))

    def get(self, raw_path: str) -> tuple[int, bytes]:
        """GET a path exactly as written (no client-side normalising of `..`)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        try:
            conn.putrequest("GET", raw_path, skip_accept_encoding=True)
            conn.endheaders()
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()


def group_gone(pgid: int, within: float) -> bool:
    """Whether no process (a pool worker, multiprocessing's resource tracker) is left in
    the group `pgid`; orphans that already exited count until the system reaps them."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve")
    small_example(root, bind_annexes=False)
    (root / "secret.txt").write_text("outside the build folder", encoding="utf-8")
    srv = Server(root)
    try:
        state = srv.wait_build(0)
        assert state == {"build": 1, "errors": []}, srv.log
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM))
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_the_index_shows_every_document_with_its_first_page(server, page):
    page.goto(server.base + "/")
    assert page.url.endswith("/html/index.html")
    docs = page.locator(".doc")
    assert docs.count() == 8      # notice, 2 annexes, 4 cards, bulletin
    thumbs = page.locator(".doc img")
    assert thumbs.count() == 8
    for i in range(8):
        thumbs.nth(i).scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 300",
                               arg=thumbs.nth(i).element_handle())
    card = page.locator("#doc-card-420100")
    assert re.search(r"card-420100 · \d+ pages", card.inner_text())
    page.screenshot(path=str(server.root / "index.png"), full_page=True)


def test_a_card_link_opens_the_card(server, page):
    page.goto(server.base + "/html/index.html")
    page.locator("#doc-card-420100").get_by_role("link", name="HTML").click()
    page.wait_for_url("**/html/card-420100.html")
    assert "武汉市" in page.locator("body").inner_text()


def test_the_league_table_sorts_by_a_column(server, page):
    page.goto(server.base + "/html/review/league.html")

    def column(n: int) -> list[str]:
        return page.locator("#league tbody tr").evaluate_all(
            f"rows => rows.map(r => r.cells[{n}].textContent.trim())")

    final = page.locator("#league th", has_text="final")
    final.click()
    values = [float(v) for v in column(3)]
    assert values == sorted(values) and len(values) == 4
    final.click()
    assert [float(v) for v in column(3)] == sorted(values, reverse=True)
    page.locator("#league th", has_text="code").click()
    assert column(1) == sorted(column(1))
    page.locator("#league tbody tr").first.get_by_role("link", name="HTML").click()
    page.wait_for_url(re.compile(r".*/html/card-\d+\.html$"))


def test_paths_outside_the_build_folder_are_refused(server):
    assert server.get("/html/index.html")[0] == 200
    secret = server.root / "secret.txt"
    link = server.root / "build" / "html" / "link.txt"
    link.symlink_to(secret)
    try:
        for path in ("/../secret.txt", "/html/../../secret.txt", "/%2e%2e/secret.txt",
                     "/html/%2E%2E/%2e%2e/secret.txt", "/html/..%2f..%2fsecret.txt",
                     "/%2e%2e%5csecret.txt", "//" + str(secret).lstrip("/"),
                     "/" + str(secret), "http://127.0.0.1/../secret.txt",
                     "/html/link.txt", "/html/%00index.html"):
            status, body = server.get(path)
            assert status == 404, path
            assert b"outside the build folder" not in body
    finally:
        link.unlink()


def test_a_rule_edit_reloads_the_page_with_new_scores_and_flagged_pages(server, page):
    page.goto(server.base + "/html/review/league.html")
    row = page.locator('#league tr[data-code="420200"] td').nth(3)   # 黄石: moves
    before = row.inner_text()
    page.evaluate("window.notReloaded = true")
    build = server.status()["build"]
    move_a_point(server.root / "content")
    assert server.wait_build(build) == {"build": build + 1, "errors": []}, server.log
    page.wait_for_function("() => window.notReloaded === undefined", timeout=10_000)
    assert row.inner_text() != before
    page.goto(server.base + "/html/index.html")
    mark = page.locator("#doc-card-420100 a.mark.changed")
    assert re.fullmatch(r"\d+ pages? changed", mark.inner_text())
    assert page.locator("#doc-annex-1 .mark").count() == 0      # not rebuilt
    mark.click()
    page.wait_for_url("**/review/compare-card-420100.html")
    changed = page.locator("details.page-diff[open]")
    assert changed.count() >= 1
    assert changed.first.locator(".box").count() >= 2          # outlined, before and after
    assert page.locator("details.page-diff[data-status=same][open]").count() == 0
    for img in changed.first.locator("img").element_handles():
        page.wait_for_function("img => img.complete && img.naturalWidth > 300", arg=img)
    page.screenshot(path=str(server.root / "compare.png"), full_page=False)
    page.goto(server.base + "/html/review/changes.html")
    assert "points 8 → 7" in page.locator("#items-420100 + table").inner_text()


def test_broken_yaml_shows_the_located_error_until_it_is_fixed(server, page):
    page.goto(server.base + "/html/index.html")
    regions = server.root / "content" / "regions.yaml"
    good = regions.read_text(encoding="utf-8")
    regions.write_text(good + "  - code: [unclosed\n", encoding="utf-8")
    expected = subprocess.run([*QDOCS, "validate", "--content", "content"], cwd=server.root,
                              capture_output=True, text=True)
    assert expected.returncode == 2 and "regions.yaml:" in expected.stderr
    box = page.locator("#qdocs-error")
    box.wait_for(state="visible", timeout=WAIT_BUILD * 1000)
    assert expected.stderr.strip() in box.inner_text()
    assert page.locator(".doc").count() == 8                  # the last good pages stay
    page.screenshot(path=str(server.root / "error.png"))
    regions.write_text(good, encoding="utf-8")
    box.wait_for(state="detached", timeout=WAIT_BUILD * 1000)
    assert server.status()["errors"] == []


def test_ctrl_c_stops_the_server_and_leaves_no_process(server):
    server.proc.send_signal(signal.SIGINT)
    assert server.proc.wait(timeout=15) == 0
    assert group_gone(server.proc.pid, within=10), "processes left in the server's group"
    time.sleep(0.3)
    assert server.log[-1] == "stopped"
    with pytest.raises(OSError):
        server.status()
