"""Content is data: typed markup and template syntax print literally; nothing is fetched.

Office staff paste from web pages: `<script>`, `&amp;`, `{{ }}` and `{% %}` in a
YAML value must come out as those very characters in the HTML, the PDF and the
DOCX — never as markup, never compiled as a template. WeasyPrint loads nothing
from the network and no file outside the template folders.
"""

from __future__ import annotations

import http.server
import io
import re
import threading
from pathlib import Path

import lxml.html
import pdfplumber
import pytest
from test_bad_input import run, sub
from weasyprint.urls import FatalURLFetchingError

from qdocs.render.templates import bundled_templates_dir
from qdocs.writers.fetcher import make_url_fetcher

# What a user pastes: markup, an entity, Jinja syntax (7*7 would print 49 if compiled).
PASTED = '<script>alert("x")</script> AT&amp;T & {{ 7*7 }} {% if true %}是{% endif %} <b>粗</b>'
REGION = "武汉<i>市</i>&{{ x }}"


def _plain(text: str) -> str:
    """Text without whitespace: PDF extraction breaks lines and splits letter-spaced runs."""
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The example with pasted text in the notice, annex 1 and a region name, built as
    HTML, PDF and (when the writer is ready) DOCX; returns the build folder."""
    from conftest import copy_example

    from qdocs.cli import main

    root = tmp_path_factory.mktemp("data")
    content = copy_example(root)
    quoted = "'" + PASTED.replace("'", "''") + "'"
    sub("notice.yaml", "body:\n", f"body:\n  - {quoted}\n")(content)
    sub("action_plan.yaml", "preamble:\n", f"preamble:\n  - {quoted}\n")(content)
    sub("regions.yaml", "    name: 武汉市", f"    name: '{REGION}'")(content)
    sub("regions.yaml", "    full_name: 武汉市", f"    full_name: '{REGION}'")(content)
    formats = "html,pdf,docx" if _docx_ready() else "html,pdf"
    try:
        main(["build", "--content", str(content), "--out", str(root / "build"), "-j", "2",
              "--format", formats, "notice", "card-420100"])
    except SystemExit as exc:
        assert not exc.code, "the build failed"
    return root / "build"


def _docx_ready() -> bool:
    try:
        from qdocs.writers.docx import docx_bytes  # noqa: F401 - the runner's entry point
    except ImportError:
        return False
    return True


@pytest.mark.parametrize("target, text", [("notice", PASTED), ("card-420100", REGION)])
def test_html_shows_the_text_literally(built, target, text):
    source = (built / "html" / f"{target}.html").read_text(encoding="utf-8")
    tree = lxml.html.document_fromstring(source)
    assert text in tree.body.text_content()
    assert tree.xpath("//body//script") == []
    assert not [b for b in tree.xpath("//body//b | //body//i") if b.text in ("粗", "市")]


def _pdf_text(path: Path) -> str:
    with pdfplumber.open(path) as pdf:
        return _plain("".join(page.extract_text() or "" for page in pdf.pages))


def _docx_text(path: Path) -> list[str]:
    import docx

    document = docx.Document(io.BytesIO(path.read_bytes()))
    paragraphs = [p.text for p in document.paragraphs]
    return paragraphs + [c.text for t in document.tables for row in t.rows for c in row.cells]


@pytest.mark.parametrize("target, text", [("notice", PASTED), ("card-420100", REGION)])
def test_pdf_shows_the_text_literally(built, target, text):
    assert _plain(text) in _pdf_text(built / "pdf" / f"{target}.pdf")


@pytest.mark.parametrize("target, text", [("notice", PASTED), ("card-420100", REGION)])
def test_docx_shows_the_text_literally(built, target, text):
    if not _docx_ready():
        pytest.skip("the DOCX writer is not finished: qdocs.writers.docx has no docx_bytes")
    assert any(_plain(text) in _plain(p) for p in _docx_text(built / "docx" / f"{target}.docx"))


def test_every_format_of_the_notice_says_it_as_often(built):
    """Twice in each: the body paragraph, and the preamble of the annex bound with it."""
    html = lxml.html.document_fromstring(
        (built / "html" / "notice.html").read_text(encoding="utf-8")).body.text_content()
    assert html.count(PASTED) == 2
    assert _pdf_text(built / "pdf" / "notice.pdf").count(_plain(PASTED)) == 2
    if _docx_ready():
        paragraphs = _docx_text(built / "docx" / "notice.docx")
        assert sum(_plain(p).count(_plain(PASTED)) for p in paragraphs) == 2


# --- the URL fetcher -----------------------------------------------------------------------------

@pytest.fixture
def roots(tmp_path) -> tuple[Path, Path]:
    """A template folder holding a stylesheet, and a secret outside it."""
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "style.css").write_text("p { color: red }", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("password", encoding="utf-8")
    (templates / "link.css").symlink_to(tmp_path / "secret.txt")
    return templates, tmp_path / "secret.txt"


def test_the_fetcher_serves_data_urls_and_template_files(roots):
    templates, _ = roots
    fetcher = make_url_fetcher([templates])
    for url, body in (("data:text/plain,hello", b"hello"),
                      ((templates / "style.css").as_uri(), b"p { color: red }")):
        response = fetcher.fetch(url)
        assert response.read() == body
        response.close()


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:9/x.png",
    "https://example.com/logo.png",
    "ftp://example.com/x",
    "file:///etc/passwd",
    "{secret}",
    "{templates}/../secret.txt",
    "{templates}/link.css",              # a symlink pointing out of the folder
    "{templates}/missing.css",
])
def test_the_fetcher_refuses_everything_else(roots, url):
    templates, secret = roots
    url = url.format(secret=secret.as_uri(), templates=templates.as_uri())
    with pytest.raises(PermissionError) as info:
        make_url_fetcher([templates]).fetch(url)
    assert str(info.value) == (f"refused to load {url!r}: documents may only use data: URLs "
                               f"and files under {templates.resolve()}")


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        _Counter.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Counter)
    _Counter.hits = []
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _template_with_urls(content: Path, base: str) -> None:
    """A project template that names a web image, a web stylesheet and a system file."""
    source = (Path(__file__).resolve().parent.parent / "templates" / "annex.html.j2").read_text(
        encoding="utf-8")
    urls = (f'<img src="{base}/x.png"><link rel="stylesheet" href="{base}/x.css">'
            '<img src="file:///etc/passwd">')
    (content / "templates").mkdir()
    (content / "templates" / "annex.html.j2").write_text(
        source.replace("{% block content %}", "{% block content %}" + urls), encoding="utf-8")


def test_weasyprint_requests_nothing_from_the_network(example, tmp_path, server):
    from qdocs.pipeline import build

    _template_with_urls(example, server)
    try:
        build(example, tmp_path / "build", formats=["pdf"], targets=["annex-1"], jobs=1)
    except FatalURLFetchingError:
        pass                  # how it ends is the next test's business
    assert _Counter.hits == []


def test_a_refused_url_fails_its_target_with_a_message(example, monkeypatch, capsys, server):
    _template_with_urls(example, server)
    monkeypatch.chdir(example.parent)
    code, out, err = run(["build", "--content", "content", "--out", "build", "-j", "1",
                          "--format", "pdf", "annex-1", "card-420100"], capsys)
    assert code == 1
    assert err == (f"error: annex-1: refused to load '{server}/x.css': documents may only use "
                   f"data: URLs and files under {(example / 'templates').resolve()}, "
                   f"{bundled_templates_dir().resolve()}\n")
    assert Path("build/pdf/card-420100.pdf").is_file()
