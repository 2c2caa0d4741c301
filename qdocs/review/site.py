"""The review site in `build/html`: index, league table, page comparisons, score
movements and the last `qdocs check` report, as static pages (no server needed).

Page images are remade only for targets whose PDF changed (its hash in the manifest),
so the site is incremental like the build. `review/state.json` remembers, per target,
the PDF its images show and the comparison the last build made.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from qdocs.build.keys import hash_file
from qdocs.build.report import write_if_changed
from qdocs.review.pages import PageImageError, replace_pages

REVIEW = "review"           # build/html/review/: the site's own pages and images
CHECK_REPORT = "check.json"  # build/check.json: the last `qdocs check`, saved by it


@dataclass
class SiteInput:
    """Plain data the pipeline hands over (the templates see nothing else)."""

    project: str
    formats: list[str]
    targets: list[dict[str, str]]          # {"name", "title"} in publication order
    pdf_hashes: dict[str, str | None]      # target → sha256 of its PDF (manifest)
    changes: dict[str, Any]                # changes_data(report): same as changes.json
    league: dict[str, Any] | None = None   # {"rows", "grades"}; None when not scored
    cards: dict[str, str] = field(default_factory=dict)   # region code → card target


def staging_dir(build_dir: Path) -> Path:
    """Where page images rendered during the build wait for `update_site`."""
    return build_dir / "html" / REVIEW / "staged"


def update_site(env, build_dir: Path, data: SiteInput,
                staged: dict[str, str] | None = None) -> None:
    """Bring the page images up to date (taking those `staged` during the build: target
    → the PDF hash they show), then write every page of the site."""
    html = build_dir / "html"
    review = html / REVIEW
    staged = staged or {}
    for folder in (review, review / "pages", review / "before", staging_dir(build_dir)):
        _real_folder(folder, build_dir)
    state = _load_state(review)
    if not state["targets"] and (review / "pages").exists():
        shutil.rmtree(review / "pages")      # images no state vouches for: start again
    compared: dict[str, Any] = {}
    for target in data.targets:
        name = target["name"]
        sha = data.pdf_hashes.get(name)
        pdf = build_dir / "pdf" / f"{name}.pdf"
        if sha is None or not pdf.is_file():
            continue
        known = state["targets"].get(name)
        if known and known["pdf"] == sha and (review / "pages" / name / "1.png").is_file():
            continue
        ready = staging_dir(build_dir) / name if staged.get(name) == sha else None
        try:
            diffs = replace_pages(pdf, review / "pages" / name, review / "before" / name,
                                  ready)
        except (OSError, PageImageError) as exc:   # the build stands; the next one retries
            state["targets"][name] = {"pdf": None, "pages": None,
                                      "error": f"no page images: {exc}"}
            continue
        before_sha = known["pdf"] if known else None
        pages = len(list((review / "pages" / name).glob("*.png")))
        state["targets"][name] = {"pdf": sha, "pages": pages}
        compared[name] = {"before": before_sha,
                          "pages": None if diffs is None else [asdict(d) for d in diffs]}
    shutil.rmtree(staging_dir(build_dir), ignore_errors=True)
    state["compared"] = compared
    state["project"] = data.project          # for the check page, rewritten by `qdocs check`
    _save_state(review, state)
    for old in review.glob("compare-*.html"):
        if (compared.get(old.stem.removeprefix("compare-")) or {}).get("pages") is None:
            old.unlink()
    _write_pages(env, build_dir, data, state)


def write_check_page(env, build_dir: Path) -> None:
    """Rewrite only the check page (after `qdocs check` saved its report)."""
    review = build_dir / "html" / REVIEW
    if review.is_dir():
        _real_folder(review, build_dir)
        _render(env, "review_check.html.j2", review / "check.html", root="../",
                check=check_data(build_dir), project=_load_state(review).get("project", ""))


def check_data(build_dir: Path) -> dict[str, Any] | None:
    """The saved check report, each document marked stale when its file changed since."""
    try:
        saved = json.loads((build_dir / CHECK_REPORT).read_text(encoding="utf-8"))
        documents = saved["documents"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    by_target: dict[str, list[dict[str, Any]]] = {}
    for doc in documents:
        path = build_dir / doc["file"]
        current = hash_file(path) if path.is_file() else None
        counts: dict[str, int] = {}
        for check in doc["checks"]:
            counts[check["status"]] = counts.get(check["status"], 0) + 1
        by_target.setdefault(doc["target"], []).append(
            {**doc, "stale": current != doc["sha256"], "counts": counts,
             "failed": counts.get("fail", 0)})
    return {"targets": by_target}


def _write_pages(env, build_dir: Path, data: SiteInput, state: dict[str, Any]) -> None:
    html = build_dir / "html"
    review = html / REVIEW
    rebuilt = {r["target"]: r for r in data.changes["rebuilt"]}
    check = check_data(build_dir)
    documents = []
    for target in data.targets:
        name = target["name"]
        known = state["targets"].get(name)
        if known and known["pdf"] is None:       # its images failed: say so, show none
            known = None
        compared = state["compared"].get(name)
        changed_pages = None
        if compared and compared["pages"] is not None:
            changed_pages = sum(p["status"] != "same" for p in compared["pages"])
        checks = (check or {"targets": {}})["targets"].get(name, [])
        documents.append({
            **target,
            "pages": known["pages"] if known else None,
            "thumb": f"{REVIEW}/pages/{name}/1.png?v={known['pdf'][:12]}" if known else None,
            "links": {fmt: f"../{fmt}/{name}.{fmt}" for fmt in ("pdf", "docx", "html")
                      if (build_dir / fmt / f"{name}.{fmt}").is_file()},
            "rebuilt": rebuilt.get(name),
            "compared": compared is not None,
            "new": compared is not None and compared["pages"] is None,
            "changed_pages": changed_pages,
            "check_failed": sum(c["failed"] for c in checks) if checks else None,
            "check_stale": any(c["stale"] for c in checks),
            "image_error": (state["targets"].get(name) or {}).get("error"),
        })
    item_moves: dict[str, dict[str, Any]] = {}
    for move in data.changes.get("item_changes", []):
        region = item_moves.setdefault(move["region"], {"name": move["name"], "moves": []})
        region["moves"].append(move)
    common = {"project": data.project}
    _render(env, "index.html.j2", html / "index.html", root="", documents=documents,
            changes=data.changes, league=data.league is not None, **common)
    if data.league is not None:
        _render(env, "review_league.html.j2", review / "league.html", root="../",
                league=data.league, cards=data.cards, **common)
    _render(env, "review_changes.html.j2", review / "changes.html", root="../",
            changes=data.changes, item_moves=item_moves, cards=data.cards, **common)
    _render(env, "review_check.html.j2", review / "check.html", root="../", check=check,
            **common)
    titles = {t["name"]: t["title"] for t in data.targets}
    for name, compared in state["compared"].items():
        if compared["pages"] is None:      # a new document: nothing to compare with
            continue
        known = state["targets"][name]
        _render(env, "review_compare.html.j2", review / f"compare-{name}.html", root="../",
                name=name, title=titles.get(name, name), compared=compared,
                now=known["pdf"][:12], before=(compared["before"] or "")[:12],
                reason=(rebuilt.get(name) or {}).get("reason", ""), **common)


def _real_folder(folder: Path, build_dir: Path) -> None:
    """The site writes only into real folders inside the build folder, never through a
    link planted in it."""
    from qdocs.errors import UsageError, display_path

    if folder.is_symlink() or (folder.exists() and not folder.resolve().is_relative_to(
            build_dir.resolve())):
        raise UsageError(f"the review folder {display_path(folder)} is a link; qdocs writes "
                         "only into real folders: remove the link")


def _render(env, template: str, path: Path, **context: Any) -> None:
    text = env.get_template(template).render(**context)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_if_changed(path, text.encode("utf-8"))


def _load_state(review: Path) -> dict[str, Any]:
    try:
        state = json.loads((review / "state.json").read_text(encoding="utf-8"))
        if isinstance(state.get("targets"), dict) and isinstance(state.get("compared"), dict):
            return state
    except (OSError, ValueError, AttributeError):
        pass
    return {"targets": {}, "compared": {}}


def _save_state(review: Path, state: dict[str, Any]) -> None:
    review.mkdir(parents=True, exist_ok=True)
    write_if_changed(review / "state.json",
                     json.dumps(state, ensure_ascii=False, indent=1).encode("utf-8") + b"\n")


def save_check_report(build_dir: Path, files: list[Path], reports: list) -> bool:
    """Keep `qdocs check`'s report in `build/check.json` for the review site, with the hash
    of each file checked (to tell when it changed since); only when every file checked
    is in the build folder. Returns whether it was saved."""
    try:
        root = build_dir.resolve()
        if not build_dir.is_dir() or not all(f.resolve().is_relative_to(root) for f in files):
            return False
        from qdocs.errors import display_path

        by_shown = {display_path(f): f.resolve() for f in files}
        documents = []
        for report in reports:
            shown = report.document.removesuffix(" (LibreOffice)")
            path = by_shown.get(shown)
            if path is None:
                continue
            documents.append({**report.as_dict(), "target": path.stem,
                              "file": path.relative_to(root).as_posix(),
                              "sha256": hash_file(path)})
        text = json.dumps({"documents": documents}, ensure_ascii=False, indent=1)
        write_if_changed(build_dir / CHECK_REPORT, text.encode("utf-8") + b"\n")
        return True
    except OSError:
        return False      # the report on the terminal is what counts; the site can wait
