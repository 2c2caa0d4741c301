"""One plain-data context per target, built from the validated project.

Contexts hold only dicts, lists, str, int and bool (Decimals already formatted), so
they can be hashed into a build key and sent to a worker process.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from qdocs.content import Project
from qdocs.content.models import Heading
from qdocs.profile import Profile
from qdocs.render.numbering import heading_number


def text_width_chars(text: str) -> float:
    """Width in body characters: wide, full-width and ambiguous (×, “) 1 — CJK faces draw
    them full — others (digits, Latin) ½."""
    return sum(1.0 if unicodedata.east_asian_width(ch) in "WFA" else 0.5 for ch in text)


def _body_items(items) -> list[dict[str, Any]]:
    counters = [0, 0, 0, 0, 0]
    out = []
    for item in items:
        if isinstance(item, Heading):
            counters[item.level] += 1
            for deeper in range(item.level + 1, 5):
                counters[deeper] = 0
            out.append({"kind": "heading", "level": item.level, "text": item.heading,
                        "number": heading_number(item.level, counters[item.level])})
        else:
            out.append({"kind": "p", "text": item})
    return out


def action_plan_data(project: Project) -> dict[str, Any]:
    """附件1: the tasks numbered 一、 … from their order, departments in parentheses."""
    plan = project.action_plan
    assert plan is not None
    return {
        "title": plan.title,
        "preamble": list(plan.preamble),
        "tasks": [
            {"number": heading_number(1, i), "heading": t.heading, "body": t.body,
             "departments": list(t.departments),
             "departments_text": f"（{'、'.join(t.departments)}{t.departments_note}）"}
            for i, t in enumerate(plan.tasks, start=1)
        ],
        "closing": list(plan.closing),
    }


def annexes(project: Project, extra: dict[str, dict[str, Any]] | None = None
            ) -> dict[str, dict[str, Any]]:
    """Every annex by id: number (its place in 附件说明), kind, title and data."""
    found = {}
    if project.action_plan is not None:
        found[project.action_plan.id] = {
            "kind": "action_plan", "title": project.action_plan.title,
            "data": action_plan_data(project)}
    found.update(extra or {})
    order = list(project.notice.attachments) + [k for k in found
                                                 if k not in project.notice.attachments]
    order = [aid for aid in order if aid in found]
    # 7.3.4: one annex is 附件 alone; several are 附件1, 附件2, …
    return {aid: {"id": aid, "number": n, "label": str(n) if len(order) > 1 else "",
                  **found[aid]} for n, aid in enumerate(order, 1)}


def notice_parts(n, profile: Profile, annex_names: list[tuple[int, str]]) -> dict[str, Any]:
    """The parts of a 通知 or 通报 (版头, 主体, 版记) as the templates print them."""
    date_right = profile.signature.date_right_chars
    # 7.3.5.1: 署名 centred over 成文日期, the date 4 characters in from the right.
    sig_right = date_right + (text_width_chars(n.date) - text_width_chars(n.signature)) / 2
    char = profile.char_pt
    return {
        "masthead": n.masthead, "doc_number": n.doc_number, "title": n.title,
        "addressees": n.addressees, "body": _body_items(n.body),
        "closing": _body_items(getattr(n, "closing", [])),
        "attachments": [{"number": num, "name": name} for num, name in annex_names],
        "signature": n.signature, "date": n.date,
        "signature_right_chars": _fmt(sig_right), "date_right_chars": _fmt(date_right),
        "signature_right_pt": _fmt(sig_right * char), "date_right_pt": _fmt(date_right * char),
        "note": n.note, "copy_to": list(n.copy_to),
        "printer": n.printer, "print_date": n.print_date,
    }


def notice_context(project: Project, profile: Profile, all_annexes) -> dict[str, Any]:
    """The 通知 with 附件说明 and its annexes bound in."""
    bound = [all_annexes[a] for a in project.notice.attachments]
    return {
        "target": "notice",
        "doc_title": project.notice.title,
        "notice": notice_parts(project.notice, profile,
                               [(a["number"], a["title"]) for a in bound]),
        "annexes": bound,
    }


def annex_context(annex: dict[str, Any]) -> dict[str, Any]:
    """An annex printed on its own."""
    return {"target": annex["id"], "doc_title": annex["title"], "annex": annex}


def _fmt(x: float) -> str:
    return f"{x:.3f}".rstrip("0").rstrip(".")
