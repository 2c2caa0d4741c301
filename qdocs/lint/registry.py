"""Names spelled as their registries spell them (departments.yaml, regions.yaml).

A validated `departments:` list already refuses a name not in the registry; in
running text a misspelt name passes silently. A stretch of text one edit away from
a registry name (one character of a 局 or a 市 mistyped, one dropped or added) and
ending like a name of its kind is reported with the registry's spelling.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MIN_NAME = 3          # two-character names are too short to tell a typo from a word
# 市质监局 beside 省质监局 is another level's office, not a typo.
_LEVELS = frozenset("省市县州区乡镇")
# How the names of offices and places end, so a mistyped last character is caught too.
_ENDINGS = frozenset("局厅委办部处室院会社府市州县区")


@dataclass(frozen=True)
class Names:
    """The registries' names, which registry each comes from, and lookup tables."""

    sources: dict[str, str] = field(default_factory=dict)   # name → 'departments.yaml'
    by_start: dict[tuple[int, str], list[str]] = field(default_factory=dict)
    by_end: dict[tuple[int, str], list[str]] = field(default_factory=dict)
    suffixes: frozenset[str] = frozenset()
    lengths: tuple[int, ...] = ()          # window sizes to try, longest first

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.sources)))


def registry_names(departments: object, regions: object) -> Names:
    """Collect names from the raw data of departments.yaml and regions.yaml (if well formed)."""
    sources: dict[str, str] = {}
    for data, key, fields, shown in (
            (departments, "departments", ("name", "full_name"), "departments.yaml"),
            (regions, "regions", ("name", "full_name", "government"), "regions.yaml")):
        items = data.get(key) if isinstance(data, dict) else None
        for item in items if isinstance(items, list) else ():
            for f in fields:
                value = item.get(f) if isinstance(item, dict) else None
                if isinstance(value, str) and len(value.strip()) >= MIN_NAME:
                    sources.setdefault(value.strip(), shown)
    by_start: dict[tuple[int, str], list[str]] = {}
    by_end: dict[tuple[int, str], list[str]] = {}
    for n in sources:
        by_start.setdefault((len(n), n[0]), []).append(n)
        by_end.setdefault((len(n), n[-1]), []).append(n)
    sizes = {len(n) + d for n in sources for d in (-1, 0, 1)}
    return Names(sources, by_start, by_end, frozenset(n[-1] for n in sources) | _ENDINGS,
                 tuple(sorted((s for s in sizes if s >= MIN_NAME), reverse=True)))


def find_near_names(text: str, names: Names):
    """Stretches one edit from a registry name, not themselves a registry name."""
    if not names.sources:
        return
    ends = [j for j, ch in enumerate(text) if ch in names.suffixes]
    if not ends:
        return
    covered = _exact_spans(text, names)
    taken_until = 0
    for j in ends:
        for size in names.lengths:
            i = j + 1 - size
            if i < taken_until or i < 0:
                continue
            window = text[i:j + 1]
            if window in names.sources or any(a <= j and i < b for a, b in covered):
                continue
            near = _nearest(window, names.by_start, names.by_end)
            if near and (_other_level(window, near) or _other_place(window, near)):
                break                 # the whole name is there, for another level or place
            if near:
                yield i, j + 1, None, {"found": window, "fix": near,
                                       "registry": names.sources[near]}
                taken_until = j + 1
                break


def _other_level(window: str, name: str) -> bool:
    return (len(window) == len(name) and window[1:] == name[1:]
            and window[0] in _LEVELS and name[0] in _LEVELS)


def _other_place(window: str, name: str) -> bool:
    """甲区人民政府 against 各区人民政府 or 本区人民政府: the one character that differs is the
    whole of a one-character place name (its level follows), so the text names another
    place or all of them; a typo changes one character of a longer name."""
    return (len(window) == len(name) and window[1:] == name[1:]
            and len(name) > 1 and name[1] in _LEVELS)


def _exact_spans(text: str, names: Names) -> list[tuple[int, int]]:
    spans = []
    for n in names.sources:
        start = text.find(n)
        while start >= 0:
            spans.append((start, start + len(n)))
            start = text.find(n, start + 1)
    return spans


def _nearest(window: str, by_start, by_end) -> str | None:
    for size in (len(window), len(window) - 1, len(window) + 1):
        for n in by_start.get((size, window[0]), []) + by_end.get((size, window[-1]), []):
            if _one_edit(window, n):
                return n
    return None


def _one_edit(a: str, b: str) -> bool:
    """Exactly one substitution, insertion or deletion apart."""
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    if abs(len(a) - len(b)) != 1:
        return False
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    for k in range(len(long_)):
        if long_[:k] + long_[k + 1:] == short:
            return True
    return False
