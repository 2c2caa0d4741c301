"""Report cards add up, read from the generated HTML (not from the engine's objects)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import lxml.html
import pytest

from qdocs.build.runner import WorkerConfig, _init_worker, render_spec_html
from qdocs.build.targets import plan_targets, target_names
from qdocs.pipeline import load_and_score, metadata_date
from qdocs.profile import load_profile
from qdocs.render.templates import template_dirs

REPO = Path(__file__).resolve().parent.parent


def render_cards(content: Path, only: set[str] | None = None
                 ) -> dict[str, lxml.html.HtmlElement]:
    project, results = load_and_score(content)
    specs = plan_targets(project, load_profile(), results, only)
    _init_worker(WorkerConfig(tuple(template_dirs(content)), "", content.as_uri(),
                              metadata_date(2014)))
    return {s.name: lxml.html.fromstring(render_spec_html(s))
            for s in specs if s.name.startswith("card-")}


@pytest.fixture(scope="module")
def card_pages() -> dict[str, lxml.html.HtmlElement]:
    """Every card of the example rendered to HTML, parsed."""
    return render_cards(REPO / "content")


def _cells(row) -> list[str]:
    return [td.text_content().strip() for td in row.findall("td")]


def _d(text: str) -> Decimal:
    return Decimal(text)


def test_there_is_a_card_per_region(card_pages):
    assert len(card_pages) == 17
    assert "card-420500" in card_pages and "card-429021" in card_pages


def test_items_add_up_to_subtotals_base_and_final(card_pages):
    for name, page in card_pages.items():
        rows = page.xpath('//table[contains(@class, "items")]/tbody/tr')
        items, cats, blocks = [], [], []
        for row in rows:
            classes = row.get("class", "").split()
            label, points, score, lost = _cells(row)[:4]
            if "item" in classes:
                assert _d(points) - _d(score) == _d(lost), (name, label)
                items.append(_d(score))
            elif "category" in classes:
                assert sum(items) == _d(score), (name, label)
                cats.append(_d(score))
                items = []
            elif "block" in classes:
                assert sum(cats) == _d(score), (name, label)
                blocks.append(_d(score))
                cats = []
            elif "base" in classes:
                base = _d(score)
                assert sum(blocks) == base, name
                assert points == "100"
        bonus = _d(_cells(page.xpath('//tr[contains(@class, "bonus-total")]')[0])[3])
        penalty = _d(_cells(page.xpath('//tr[contains(@class, "penalty-total")]')[0])[3])
        final = _d(page.xpath('//span[@class="final-score"]')[0].text_content())
        assert final == max(Decimal(0), base + bonus - penalty), name
        assert bonus <= 5 and penalty <= 10, name  # the caps of the scheme


def test_bonus_lines_are_capped_as_printed(card_pages):
    page = card_pages["card-420100"]  # 武汉 claims 6.5 bonus points: the cap of 5 applies
    lines = [_d(_cells(r)[3]) for r in page.xpath('//tr[@class="bonus"]')]
    total = _cells(page.xpath('//tr[contains(@class, "bonus-total")]')[0])
    assert sum(lines) == Decimal("6.50")
    assert total[3] == "5.00"
    assert "超出部分不计" in total[4]


def test_vetoed_region_is_graded_d_and_unranked(card_pages):
    text = card_pages["card-429006"].text_content()
    assert "考核等级D（不合格）" in text
    assert "不参加排名" in text


def test_comparison_final_matches_headline(card_pages):
    for name, page in card_pages.items():
        final = page.xpath('//span[@class="final-score"]')[0].text_content()
        total = page.xpath('//table[contains(@class, "comparison")]//tr[@class="total"]')[0]
        assert _cells(total)[2] == final, name


def test_points_lost_list_every_item_below_full_points_and_every_deduction(card_pages):
    """The numbered list of points lost (the printed card's 失分情况) holds one row per
    item that lost points and per deduction line, and adds up to what the full table
    says was lost."""
    for name, page in card_pages.items():
        items = [_cells(r) for r in page.xpath('//table[contains(@class, "items")]'
                                                '//tr[@class="item"]')]
        lost_items = [(c[0], _d(c[3])) for c in items if _d(c[3]) > 0]
        deductions = [_d(_cells(r)[3]) for r in page.xpath('//tr[@class="penalty"]')]
        rows = [_cells(r) for r in page.xpath('//table[contains(@class, "findings")]/tbody/tr')]
        assert [int(r[0]) for r in rows] == list(range(1, len(rows) + 1)), name
        assert len(rows) == len(lost_items) + len(deductions), name
        for (item, lost), row in zip(lost_items, rows, strict=False):
            assert row[1].startswith(f"{item}："), (name, item)
            assert _d(row[2]) == lost, (name, item)
        assert sum(_d(r[2]) for r in rows) == sum(x for _, x in lost_items) + sum(deductions)


def test_the_full_table_is_screen_only_unless_the_scheme_asks(card_pages, example):
    """PDF and DOCX leave out div.screen-only; `card: {full_table: true}` prints it."""
    page = card_pages["card-420100"]
    assert page.xpath('//div[@class="screen-only"]//table[contains(@class, "items")]')
    assert not page.xpath('//div[@class="screen-only"]//table[contains(@class, "findings")]')
    content = example
    rules = content / "scoring_rules.yaml"
    rules.write_text(rules.read_text(encoding="utf-8") + "card:\n  full_table: true\n",
                     encoding="utf-8")
    full = render_cards(content, {"card-420100"})["card-420100"]
    assert full.xpath('//table[contains(@class, "items")]')
    assert not full.xpath('//div[@class="screen-only"]')


def test_only_the_cards_asked_for_get_a_context():
    project, results = load_and_score(REPO / "content")
    names = target_names(project, results)
    specs = plan_targets(project, load_profile(), results)
    assert [s.name for s in specs] == names
    one = plan_targets(project, load_profile(), results, {"bulletin", "card-420100"})
    assert [s.name for s in one] == ["card-420100", "bulletin"]
