"""Titles broken between words into a 梯形 or 菱形 (GB/T 9704-2012 7.3.1).

7.3.1: 回行时，要做到词意完整，排列对称，长短适宜，间距恰当，使用梯形或菱形. Left to the
engines, a title wraps wherever the type area ends (实|施, 计|划 with 划 alone). So qdocs
breaks titles itself: a Chinese word segmenter (rjieba, jieba's Rust port) gives the
places between words; the project's own terms (departments, regions, the issuer), 《…》
names, numbers with their unit and a 发文机关 name are never broken; among the breaks
whose lines fit the type area, the lines that form a 梯形 (each line no longer than the
one above) or a 菱形 (longer towards the middle) with no line under a set fraction of the
longest are chosen. The template writes the breaks as `<br class="title-break">`, so the
PDF, the DOCX and the HTML break alike.

The segmenter is imported on first use only (in a worker's render, never by a build that
has nothing to do): measured here, `import rjieba` and its first cut take 0.15–0.2 s,
jieba's 1.3–1.9 s (its dictionary is rebuilt or read from a cache file in /tmp).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from markupsafe import Markup, escape

from qdocs.profile import Profile

# Calibration: the width of a half-width character (digits, Latin) in the title face, in
# em. Measured on Noto Serif CJK SC Bold at 22 pt with pdfplumber: 0 2 4 13.05 pt, 1
# 10.25 pt, so 0.59 em at most; 0.6 keeps a line with digits inside the type area.
HALF_WIDTH_EM = 0.6

# Lines that are tried beyond the fewest that can hold the title.
EXTRA_LINES = 2

# Words that lean on the word before them: a line should not start with one.
_LEANS_LEFT = set("的之和与及或等")
# Where a title's phrases meet: a break after one of these words (or after a project
# term, or before 关于) costs nothing; a break elsewhere between two words costs WEAK_BREAK.
_PHRASE_ENDS = ("关于", "印发", "转发", "批转", "及", "和", "与", "年度")
WEAK_BREAK = 3.0
# No line starts with a closing mark, none ends with an opening one (避头尾).
_CLOSING = set("，。、；：！？）》」』”’〕】…—")
_OPENING = set("（《「『“‘〔【")
# A number with its unit, a range of years, a 《…》 name: never broken.
_KEEP_PATTERNS = (
    re.compile(r"\d+(?:[.．]\d+)?(?:\s*[—－-]\s*\d+(?:[.．]\d+)?)?"
               r"(?:年度|年|月|日|个|项|分|名|次|元|万元|亿元|万|亿|%|％)?"),
    re.compile(r"《[^《》]*》"),
    re.compile(r"〔[^〔〕]*〕"),
)
BREAK_TAG = Markup('<br class="title-break">')


@dataclass(frozen=True)
class TitleRules:
    """What a broken title must satisfy, from the profile (7.3.1)."""

    max_em: float          # the widest line, in characters of the title's size
    min_fraction: float    # no line shorter than this fraction of the longest


def title_rules(profile: Profile, font_size_pt: float | None = None) -> TitleRules:
    """The rules for a title set in `font_size_pt` (default: the title's 2号)."""
    size = font_size_pt or profile.title.font_size_pt
    width_pt = profile.type_area.width_mm * 72 / 25.4
    return TitleRules(max_em=float(int(width_pt // size)),
                      min_fraction=profile.title.min_line_fraction)


def project_terms(project) -> list[str]:
    """The project's own words a title must not break: departments, regions, the issuer,
    the 发文机关, and the 《…》 names its texts cite (without a bracketed tail such as
    （2011—2020年）), less the titles of its own documents, which are what gets broken."""
    terms: set[str] = {project.settings.issuer, project.notice.signature, project.notice.printer}
    for dept in project.departments.departments:
        terms.update(t for t in (dept.name, dept.full_name) if t)
    for region in project.regions.regions:
        terms.update((region.name, region.full_name, region.government))
    own = {project.notice.title}
    if project.action_plan is not None:       # action_plan.yaml is optional
        own.add(project.action_plan.title)
    if project.scoring is not None:
        own.add(project.scoring.title)
    if getattr(project, "bulletin", None) is not None:
        own.add(project.bulletin.title)
    for name in _CITED.findall(_texts(project)):
        name = _BRACKET_TAIL.sub("", name)
        if name not in own:
            terms.add(name)
    return sorted((t for t in terms if len(t) > 1), key=lambda t: (-len(t), t))


_CITED = re.compile(r"《([^《》]+)》")
_BRACKET_TAIL = re.compile(r"[（(][^（）()]*[）)]$")


def _texts(project) -> str:
    """The running text of the notice and the action plan (where 《…》 names are cited)."""
    plan = project.action_plan
    parts = [getattr(i, "heading", i) for i in project.notice.body]
    if plan is not None:
        parts += [*plan.preamble, *plan.closing]
        parts += [f"{t.heading}{t.body}" for t in plan.tasks]
    return "\n".join(p for p in parts if isinstance(p, str))


def terms_in(texts: Iterable[str], terms: Iterable[str]) -> list[str]:
    """The terms that occur in any of `texts`: what a target's titles need (a context
    carries only these, so editing an unrelated department rebuilds nothing)."""
    texts = [t for t in texts if t]
    return sorted({term for term in terms if any(term in t for t in texts)})


def width_em(text: str) -> float:
    """Width in em of the title face: full-width characters 1, others HALF_WIDTH_EM."""
    return sum(1.0 if _wide(ch) else HALF_WIDTH_EM for ch in text)


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WFA"


def protected_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """(start, end) of every stretch that must stay on one line."""
    spans = [(m.start(), m.end()) for pattern in _KEEP_PATTERNS
             for m in pattern.finditer(text) if m.end() - m.start() > 1]
    for term in terms:
        start = text.find(term)
        while start >= 0:
            spans.append((start, start + len(term)))
            start = text.find(term, start + 1)
    return spans


def word_boundaries(text: str, terms: Iterable[str] = ()) -> set[int]:
    """Offsets between words of `text` where a line may break: the segmenter's word
    boundaries, less those inside a protected stretch or against a 避头尾 mark."""
    terms = list(terms)
    at, cuts = 0, set()
    for word in _segment(text, tuple(terms)):
        at += len(word)
        cuts.add(at)
    cuts.discard(len(text))
    return {c for c in cuts if c > 0 and breakable(text, c, terms)}


def breakable(text: str, at: int, terms: Iterable[str] = (),
              spans: list[tuple[int, int]] | None = None) -> bool:
    """Whether a line may end before text[at] without splitting a kept stretch or
    putting a closing mark at a line's start or an opening mark at its end."""
    if text[at] in _CLOSING or text[at - 1] in _OPENING:
        return False
    spans = protected_spans(text, terms) if spans is None else spans
    return not any(start < at < end for start, end in spans)


def in_word(text: str, at: int, terms: Iterable[str] = ()) -> bool:
    """Whether a break before text[at] falls inside a word of the segmenter's dictionary,
    a project term or another kept stretch (what `qdocs check` reports)."""
    return at not in word_boundaries(text, terms)


def break_title(text: str, terms: Iterable[str], rules: TitleRules,
                phrases: Iterable[str] = ()) -> list[str]:
    """`text` as the lines of a 梯形 or 菱形, broken between words (see the module doc).

    `phrases`: the title's own phrases (质量工作 of a card's title): a break after one
    costs nothing, a break inside one (between two of its words) costs WEAK_BREAK more —
    preferred against, not forbidden as the terms are.
    """
    text, terms = text.strip(), list(terms)
    inside = {at for phrase in phrases if len(phrase) > 1
              for start in _occurrences(text, phrase) for at in range(start + 1,
                                                                     start + len(phrase))}
    if width_em(text) <= rules.max_em:
        return [text]
    cuts = sorted(word_boundaries(text, terms))
    fewest = max(2, -(-int(width_em(text) * 10) // int(rules.max_em * 10)))
    for lines in range(fewest, fewest + EXTRA_LINES + 1):
        best = None
        for chosen in itertools.combinations(cuts, lines - 1):
            parts = _split(text, chosen)
            cost = _cost(parts, rules, [*terms, *phrases])
            if cost is not None:
                cost += WEAK_BREAK * sum(1 for c in chosen if c in inside)
            if cost is not None and (best is None or cost < best[0]):
                best = (cost, parts)
        if best is not None:
            return best[1]
    return _fallback(text, cuts, rules)


def title_markup(text: str, terms: Iterable[str], rules: TitleRules,
                 phrases: Iterable[str] = ()) -> Markup:
    """The broken title as escaped HTML, `<br class="title-break">` between lines."""
    lines = break_title(str(text), terms, rules, phrases)
    return BREAK_TAG.join(escape(line) for line in lines)


def _occurrences(text: str, part: str) -> list[int]:
    found, start = [], text.find(part)
    while start >= 0:
        found.append(start)
        start = text.find(part, start + 1)
    return found


def shape_ok(widths: list[float], min_fraction: float) -> str:
    """"" when line widths form a 梯形 or 菱形 with no line under `min_fraction` of the
    longest; else what is wrong."""
    if len(widths) < 2:
        return ""
    longest = max(widths)
    short = [i + 1 for i, w in enumerate(widths) if w < min_fraction * longest - 1e-9]
    if short:
        return f"line {short[0]} under {min_fraction:g} of the longest"
    peak = widths.index(longest)
    rising, falling = widths[:peak + 1], widths[peak:]
    if any(b < a for a, b in itertools.pairwise(rising)) or any(
            b > a for a, b in itertools.pairwise(falling)):
        return "neither 梯形 nor 菱形"
    if 0 < peak and peak == len(widths) - 1:
        return "longest line last (an upturned 梯形)"
    return ""


def _split(text: str, cuts: Iterable[int]) -> list[str]:
    edges = [0, *cuts, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(edges)]


def _cost(parts: list[str], rules: TitleRules, terms: list[str]) -> float | None:
    """None when the lines break a rule; else lower is better: even lengths (a 梯形's
    lines are near each other), no line starting with a word that leans left."""
    widths = [width_em(p) for p in parts]
    if max(widths) > rules.max_em or shape_ok(widths, rules.min_fraction):
        return None
    longest = max(widths)
    cost = sum(longest - w for w in widths)
    cost += sum(WEAK_BREAK for a, b in itertools.pairwise(parts) if not _phrase_break(a, b, terms))
    cost += sum(WEAK_BREAK for p in parts[1:] if p[0] in _LEANS_LEFT)
    return cost


def _phrase_break(before: str, after: str, terms: Iterable[str]) -> bool:
    return (before.endswith(_PHRASE_ENDS) or after.startswith("关于")
            or any(before.endswith(t) for t in terms))


def _fallback(text: str, cuts: list[int], rules: TitleRules) -> list[str]:
    """No choice of word breaks gives a 梯形 or 菱形 (a long word, a very long title):
    fill lines greedily at word breaks, and break a word only when one is too long."""
    lines, start = [], 0
    while width_em(text[start:]) > rules.max_em:
        fits = [c for c in cuts if c > start and width_em(text[start:c]) <= rules.max_em]
        end = fits[-1] if fits else _longest_fit(text, start, rules.max_em)
        lines.append(text[start:end])
        start = end
    return [*lines, text[start:]]


def _longest_fit(text: str, start: int, max_em: float) -> int:
    end = start + 1
    while end < len(text) and width_em(text[start:end + 1]) <= max_em:
        end += 1
    return end


def _segment(text: str, terms: tuple[str, ...]) -> list[str]:
    seg = _segmenter()
    for term in terms:
        if not seg.has_word(term):
            seg.add_word(term, None, None)
    return list(seg.cut(text, True))


@cache
def _segmenter():
    """rjieba's own default instance (a second `rjieba.Jieba()` would load the dictionary
    again: 0.17 s more)."""
    import rjieba

    return rjieba


def title_function(profile: Profile):
    """The templates' `break_title(text)`: `text` broken as above, with the terms of the
    target's context (`title_terms`) and its title's phrases (`title_phrases`), as markup."""
    import jinja2

    rules = title_rules(profile)

    @jinja2.pass_context
    def break_title(context, text) -> Markup:
        return title_markup(str(text), context.get("title_terms") or (), rules,
                            context.get("title_phrases") or ())

    return break_title
