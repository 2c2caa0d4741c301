"""The HTTP side of `qdocs serve`: the build folder, read-only, on 127.0.0.1.

Only files inside the build folder are served: a path with `..`, `.`, a backslash or a
NUL (decoded or not) is refused, and every file is resolved (symlinks followed) and
must still lie inside the folder. HTML pages get a small script that polls
`/__qdocs/status`: a new build reloads the page; a failed one shows its messages.
"""

from __future__ import annotations

import json
import mimetypes
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

STATUS_PATH = "/__qdocs/status"
HOME = "/html/index.html"

# Injected before </body> of every HTML page served (never written to the build folder).
RELOAD_SCRIPT = """<script id="qdocs-live">(function () {
  var build = %(build)s;
  function show(lines) {
    var box = document.getElementById("qdocs-error");
    if (!lines.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "qdocs-error";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;top:0;left:0;right:0;z-index:99999;background:#fee;" +
        "color:#900;border-bottom:3px solid #c00;padding:.8em 1.2em;font:14px/1.5 monospace;" +
        "max-height:50vh;overflow:auto";
      document.body.insertBefore(box, document.body.firstChild);
    }
    box.textContent = "";
    var head = document.createElement("b");
    head.textContent = "The last build failed; the pages below are from the last good build.";
    var pre = document.createElement("pre");
    pre.style.whiteSpace = "pre-wrap";
    pre.textContent = lines.join("\\n");
    box.appendChild(head);
    box.appendChild(pre);
  }
  function poll() {
    fetch("%(status)s", {cache: "no-store"}).then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.build !== build) { location.reload(); return; }
        show(s.errors);
        setTimeout(poll, 500);
      }, function () { setTimeout(poll, 1000); });
  }
  poll();
})();</script>
"""

NO_BUILD_PAGE = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>qdocs serve</title>"
                 "</head><body><h1>No build yet</h1><p>The first build has not written its "
                 "pages; this page reloads when it has.</p></body></html>")


class BuildState:
    """What the pages poll: the number of the last finished build and the error lines of
    the last failed one (empty when it succeeded)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.build = 0
        self.errors: list[str] = []

    def finished(self) -> None:
        with self._lock:
            self.build += 1
            self.errors = []

    def failed(self, lines: list[str]) -> None:
        with self._lock:
            self.errors = list(lines)

    def snapshot(self) -> dict:
        with self._lock:
            return {"build": self.build, "errors": list(self.errors)}


class ReviewServer(ThreadingHTTPServer):
    """Serves `root` (the build folder) and the build state."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], root: Path, state: BuildState):
        self.root = root.resolve()
        self.state = state
        super().__init__(address, _Handler)


def resolve_request(root: Path, raw_path: str) -> Path | None:
    """The file inside `root` that a request path names, or None when the path tries to
    leave it (`..`, encoded or not; absolute or drive paths; a symlink out) or names
    nothing."""
    path = urlsplit(raw_path).path
    if not path.startswith("/"):
        return None
    parts = unquote(path).split("/")[1:]
    for part in parts:
        if part in (".", "..") or "\\" in part or "\0" in part or ":" in part:
            return None
    target = root.joinpath(*[p for p in parts if p])
    try:
        real = target.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if real.is_dir():
        try:
            real = (real / "index.html").resolve(strict=True)
        except (OSError, RuntimeError):
            return None
    if not real.is_relative_to(root):
        return None
    return real if real.is_file() else None


class _Handler(BaseHTTPRequestHandler):
    server: ReviewServer
    server_version = "qdocs-serve"

    def do_HEAD(self) -> None:  # noqa: N802 (http.server's naming)
        self._respond(head=True)

    def do_GET(self) -> None:  # noqa: N802
        self._respond(head=False)

    def _respond(self, head: bool) -> None:
        path = urlsplit(self.path).path
        if path == STATUS_PATH:
            body = json.dumps(self.server.state.snapshot()).encode("utf-8")
            return self._send(HTTPStatus.OK, "application/json", body, head)
        if path == "/":
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", HOME)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        file = resolve_request(self.server.root, self.path)
        if file is None:
            if path == HOME:      # the first build failed or has not finished
                return self._send(HTTPStatus.OK, "text/html; charset=utf-8",
                                  self._inject(NO_BUILD_PAGE.encode("utf-8")), head)
            return self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8",
                              b"not found\n", head)
        try:
            body = file.read_bytes()
        except OSError:
            return self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8",
                              b"not found\n", head)
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if kind == "text/html":
            body = self._inject(body)
            kind = "text/html; charset=utf-8"
        return self._send(HTTPStatus.OK, kind, body, head)

    def _inject(self, page: bytes) -> bytes:
        script = (RELOAD_SCRIPT % {"build": self.server.state.snapshot()["build"],
                                   "status": STATUS_PATH}).encode("utf-8")
        at = page.rfind(b"</body>")
        return page + script if at < 0 else page[:at] + script + page[at:]

    def _send(self, status: HTTPStatus, kind: str, body: bytes, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        pass   # the terminal shows builds, not every request
