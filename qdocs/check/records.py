"""Check records: what one check expected, what it measured, and its verdict.

A check never passes by default (STYLE.md 9): a measurement that cannot be made is
"not verified", and a check that does not apply to a kind of document is "n/a" with
its reason, so a report never shows "pass" for something nobody measured.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

PASS = "pass"
FAIL = "fail"
NOT_VERIFIED = "not verified"
NOT_APPLICABLE = "n/a"

STATUSES = (PASS, FAIL, NOT_VERIFIED, NOT_APPLICABLE)

MM_PER_PT = 25.4 / 72
PT_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class Check:
    """One measured rule: `rule` is a stable id (`type_area.left`), `clause` the clause of
    GB/T 9704-2012 it comes from, `expected` and `measured` are short texts for people."""

    rule: str
    clause: str
    expected: str
    measured: str
    status: str
    detail: str = ""

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown check status {self.status!r}")

    def as_dict(self) -> dict[str, str]:
        """The JSON form of the record."""
        return asdict(self)


@dataclass
class DocumentReport:
    """Every check run on one file (a PDF, a DOCX, or a DOCX as LibreOffice renders it)."""

    document: str
    kind: str
    checks: list[Check] = field(default_factory=list)

    @property
    def failed(self) -> list[Check]:
        """The checks that failed."""
        return [c for c in self.checks if c.status == FAIL]

    def as_dict(self) -> dict:
        """The JSON form: {document, kind, checks: [...]}."""
        return {"document": self.document, "kind": self.kind,
                "checks": [c.as_dict() for c in self.checks]}


def verdict(ok: bool) -> str:
    """PASS or FAIL for a comparison that was actually made."""
    return PASS if ok else FAIL


def na(rule: str, clause: str, expected: str, reason: str) -> Check:
    """A check that does not apply to this document, with the reason."""
    return Check(rule, clause, expected, "—", NOT_APPLICABLE, reason)


def unverified(rule: str, clause: str, expected: str, reason: str) -> Check:
    """A check that applies but could not be measured: never a pass."""
    return Check(rule, clause, expected, "—", NOT_VERIFIED, reason)


def mm(value_pt: float) -> float:
    """Points to millimetres."""
    return value_pt * MM_PER_PT


def fmt_mm(value_pt: float, digits: int = 1) -> str:
    """A length in points, shown in millimetres."""
    return f"{mm(value_pt):.{digits}f} mm"


def fmt_num(value: float, digits: int = 2) -> str:
    """A number without trailing zeros (28.95, 16, 0.35)."""
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return text or "0"


def pages_text(pages: list[int], limit: int = 8) -> str:
    """1-based page numbers as a short list: "3, 4, 7" or "3, 4, 5, … (12 pages)"."""
    shown = ", ".join(str(p) for p in pages[:limit])
    if len(pages) > limit:
        shown += f", … ({len(pages)} pages)"
    return shown
