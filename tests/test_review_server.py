"""The server of `qdocs serve` without a browser: what it serves, what it refuses, what
the pages poll, and how a failed build is worded."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from review_fixtures import small_example

from qdocs.errors import QdocsError
from qdocs.serve import _build, serve
from qdocs.serve.server import BuildState, ReviewServer, resolve_request


@pytest.fixture
def tree(tmp_path):
    """build/ with a page, a picture and a symlink out; a secret beside it."""
    root = tmp_path / "build"
    (root / "html" / "sub").mkdir(parents=True)
    (root / "html" / "index.html").write_text("<html><body><p>hi</p></body></html>")
    (root / "html" / "sub" / "index.html").write_text("<p>sub</p>")
    (root / "html" / "a b.png").write_bytes(b"\x89PNG")
    (tmp_path / "secret.txt").write_text("secret")
    (root / "html" / "out.txt").symlink_to(tmp_path / "secret.txt")
    (root / "html" / "outdir").symlink_to(tmp_path)
    return root


def test_resolve_request_serves_inside_and_refuses_the_rest(tree):
    root = tree.resolve()
    assert resolve_request(root, "/html/index.html") == root / "html" / "index.html"
    assert resolve_request(root, "/html/a%20b.png?v=1") == root / "html" / "a b.png"
    assert resolve_request(root, "/html/sub/") == root / "html" / "sub" / "index.html"
    for bad in ("/../secret.txt", "/html/../../secret.txt", "/%2e%2e/secret.txt",
                "/html/%2E%2E/%2e%2E/secret.txt", "/html/..%2F..%2Fsecret.txt",
                "/..%5csecret.txt", "/html/out.txt", "/html/outdir/secret.txt",
                "/html/outdir/", "/html/nothing.html", "/html/%00", "secret.txt",
                "/C:/secret.txt", "/" + str(tree.parent / "secret.txt")):
        assert resolve_request(root, bad) is None, bad


@pytest.fixture
def running(tree):
    state = BuildState()
    server = ReviewServer(("127.0.0.1", 0), tree, state)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, state
    server.shutdown()
    server.server_close()


def get(server, path: str) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection(*server.server_address[:2], timeout=5)
    conn.putrequest("GET", path, skip_accept_encoding=True)
    conn.endheaders()
    r = conn.getresponse()
    out = r.status, dict(r.getheaders()), r.read()
    conn.close()
    return out


def test_pages_get_the_reload_script_and_other_files_do_not(running, tree):
    server, state = running
    status, headers, body = get(server, "/")
    assert status == 302 and headers["Location"] == "/html/index.html"
    status, headers, body = get(server, "/html/index.html")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-store"
    assert body.index(b'<script id="qdocs-live">') < body.index(b"</body>")
    assert b"var build = 0;" in body
    assert "qdocs-live" not in (tree / "html" / "index.html").read_text()   # not on disk
    status, headers, body = get(server, "/html/a%20b.png")
    assert (status, headers["Content-Type"], body) == (200, "image/png", b"\x89PNG")
    assert get(server, "/../secret.txt")[0] == 404
    assert get(server, "/html/out.txt")[0] == 404


def test_the_status_follows_builds_and_failures(running):
    server, state = running
    assert json.loads(get(server, "/__qdocs/status")[2]) == {"build": 0, "errors": []}
    state.failed(["error: x.yaml:1:1: bad"])
    assert json.loads(get(server, "/__qdocs/status")[2]) == {
        "build": 0, "errors": ["error: x.yaml:1:1: bad"]}
    state.finished()
    assert json.loads(get(server, "/__qdocs/status")[2]) == {"build": 1, "errors": []}
    assert b"var build = 1;" in get(server, "/html/index.html")[2]


def test_a_missing_index_says_no_build_yet(tmp_path):
    state = BuildState()
    server = ReviewServer(("127.0.0.1", 0), tmp_path / "nothing", state)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        status, _, body = get(server, "/html/index.html")
        assert status == 200 and b"No build yet" in body and b"qdocs-live" in body
    finally:
        server.shutdown()
        server.server_close()


def test_a_content_error_is_worded_as_validate_words_it(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "qdocs.yaml").write_text("project: [x\n", encoding="utf-8")
    state, said = BuildState(), []
    _build(content, tmp_path / "build", ["html"], 1, state, threading.Event(), said.append)
    errors = state.snapshot()["errors"]
    assert errors and all(line.startswith("error: ") for line in errors)
    assert "qdocs.yaml:" in errors[0]
    assert state.snapshot()["build"] == 0 and said[:len(errors)] == errors
    assert not (tmp_path / "build").exists()


def test_a_port_in_use_is_one_message(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(QdocsError, match=f"cannot serve on 127.0.0.1:{port}"):
            serve(Path(tmp_path / "content"), tmp_path / "build", port=port, echo=lambda s: None)


def group_members(pgid: int) -> list[int]:
    """Processes (not yet reaped) whose process group is `pgid`."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            out.append(int(stat.parent.name))
    return out


@pytest.mark.parametrize("how", ["ctrl-c", "sigterm"])
def test_stopping_during_a_build_leaves_no_process(tmp_path, how):
    """Ctrl-C at a terminal signals the whole process group (the build's workers too);
    SIGTERM goes to the server alone. Either way nothing is left."""
    small_example(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-c", "from qdocs.cli import main; main()", "serve", "--content",
         "content", "--port", "0", "--format", "html", "-j", "2"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while len(group_members(proc.pid)) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)            # the server and at least two of the pool's processes
        assert len(group_members(proc.pid)) >= 3, "no build workers appeared"
        if how == "ctrl-c":
            os.killpg(proc.pid, signal.SIGINT)
        else:
            proc.send_signal(signal.SIGTERM)
        output = proc.communicate(timeout=60)[0]
        assert proc.returncode == 0, output
        assert output.rstrip().endswith("stopped")
        # A worker being spawned holds both signals until its initializer runs, so none
        # prints a traceback, however the stop falls (once it did: EOFError in spawn_main).
        assert "Traceback" not in output
        deadline = time.monotonic() + 10
        while group_members(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert group_members(proc.pid) == []
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
