"""The rule table: each rule's id, its clause, its message, its suggestion and its finder.

A finder reads one text and yields `Hit`s (where, what to put instead if the fix is
mechanical, and the words that fill the message). The table is the single place a
reader learns what `qdocs lint` checks; README's "Writing norms" section mirrors it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from qdocs.lint import numbers, ordinals, punctuation, registry


@dataclass(frozen=True)
class Hit:
    """One place in a text that breaks a rule: [start, end), its fix, the message's words."""

    start: int
    end: int
    replacement: str | None = None      # None: not mechanical, a person must decide
    words: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TextContext:
    """What a finder may know beyond the text: is it a paragraph, and the registries."""

    paragraph: bool = False
    names: registry.Names = registry.Names()


Finder = Callable[[str, TextContext], Iterable[Hit]]


@dataclass(frozen=True)
class Rule:
    """A writing norm: `message` and `suggestion` are formatted with the hit's words."""

    id: str
    clause: str
    message: str
    suggestion: str
    find: Finder
    fixable: bool = False
    scope: str = "field"    # "field": one text; "siblings": a list of paragraphs as one text


def _plain(finder) -> Finder:
    """Adapt a finder of (text) → (start, end, replacement, words) tuples."""
    def find(text: str, ctx: TextContext) -> Iterable[Hit]:
        for start, end, replacement, words in finder(text):
            yield Hit(start, end, replacement, words)
    return find


def _with_context(finder) -> Finder:
    def find(text: str, ctx: TextContext) -> Iterable[Hit]:
        for start, end, replacement, words in finder(text, ctx):
            yield Hit(start, end, replacement, words)
    return find


def _paragraph_final(text: str, ctx: TextContext):
    return punctuation.find_missing_final(text) if ctx.paragraph else ()


def _registry(text: str, ctx: TextContext):
    return registry.find_near_names(text, ctx.names)


RULES: tuple[Rule, ...] = (
    Rule("punct-between-cjk", "GB/T 15834-2011 4.4, 4.7, 5.1.1",
         "half-width {found!r} between Chinese characters",
         "write the full-width {fix}", _plain(punctuation.find_between_cjk), fixable=True),
    Rule("punct-fullwidth", "GB/T 15834-2011 5.1.1, 4.11",
         "half-width {found!r} in Chinese text",
         "write the full-width {fix}", _plain(punctuation.find_halfwidth), fixable=True),
    Rule("punct-pair", "GB/T 15834-2011 4.8, 4.9, 4.15",
         "{found} has no matching {partner}",
         "add the missing {partner} or remove this {found}", _plain(punctuation.find_unpaired)),
    Rule("punct-doubled", "GB/T 15834-2011 4.1–4.7",
         "doubled punctuation {found}",
         "keep one mark{fix_hint}", _plain(punctuation.find_doubled), fixable=True),
    Rule("punct-dangling", "GB/T 15834-2011 4.4–4.7, 5.1.1",
         "{found} {where}",
         "remove it or complete the text", _plain(punctuation.find_dangling)),
    Rule("sentence-final", "GB/T 15834-2011 4.1",
         "paragraph does not end with 。",
         "end the sentence with 。", _with_context(_paragraph_final), fixable=True),
    Rule("doc-number", "GB/T 9704-2012 7.2 (发文字号)",
         "发文字号 {found}: {problem}",
         "write {fix}", _plain(numbers.find_doc_numbers), fixable=True),
    Rule("date-form", "GB/T 9704-2012 7.3.5.1",
         "date {found}: {problem}",
         "write {fix}", _plain(numbers.find_dates), fixable=True),
    Rule("year-range", "GB/T 15834-2011 4.13",
         "span of years {found}: {problem}",
         "write {fix} (一字线 —)", _plain(numbers.find_year_ranges), fixable=True),
    Rule("fullwidth-digit", "GB/T 15835-2011 (阿拉伯数字用半角)",
         "full-width digits {found}",
         "write the half-width {fix}", _plain(numbers.find_fullwidth_digits), fixable=True),
    Rule("ordinal-sequence", "GB/T 9704-2012 7.3.3",
         "ordinal {found} {problem}",
         "number this level {fix}", _plain(ordinals.find_gaps), scope="siblings"),
    Rule("registry-name", "GB/T 9704-2012 7.3.2; departments.yaml, regions.yaml",
         "{found} is not in {registry} but close to {fix}",
         "write {fix} as the registry spells it (or add {found} to {registry})",
         _with_context(_registry)),
)

RULES_BY_ID = {rule.id: rule for rule in RULES}
