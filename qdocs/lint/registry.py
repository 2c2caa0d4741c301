"""Names spelled as their registries spell them (departments.yaml, regions.yaml).

A validated `departments:` list already refuses a name not in the registry; in
running text a misspelt name passes silently. A stretch of text one edit away from
a registry name (省质监厅 for 省质监局, 宣昌市 for 宜昌市) and ending like a name of
its kind is reported with the registry's spelling.
"""

from __future__ import annotations

from dataclasses import dataclass, field

MIN_NAME = 3          # two-character names are too short to tell a typo from a word


@dataclass(frozen=True)
class Names:
    """The registries' names and which registry each comes from."""

    sources: dict[str, str] = field(default_factory=dict)   # name → 'departments.yaml'

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
    return Names(sources)


def find_near_names(text: str, names: Names):
    """Stretches one edit from a registry name, not themselves a registry name."""
    if not names.sources:
        return
    covered = _exact_spans(text, names)
    suffixes = {n[-1] for n in names.sources}
    by_end: dict[tuple[int, str], list[str]] = {}
    by_start: dict[tuple[int, str], list[str]] = {}
    for n in names.sources:
        by_end.setdefault((len(n), n[-1]), []).append(n)
        by_start.setdefault((len(n), n[0]), []).append(n)
    lengths = sorted({len(n) for n in names.sources} | {len(n) + 1 for n in names.sources}
                     | {len(n) - 1 for n in names.sources if len(n) > MIN_NAME})
    taken_until = 0
    for i in range(len(text)):
        if i < taken_until:
            continue
        for size in reversed(lengths):
            window = text[i:i + size]
            if len(window) < size or window[-1] not in suffixes or window in names.sources:
                continue
            if any(a < i + size and i < b for a, b in covered):
                continue
            near = _nearest(window, by_start, by_end)
            if near:
                yield i, i + size, None, {"found": window, "fix": near,
                                          "registry": names.sources[near]}
                taken_until = i + size
                break


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
