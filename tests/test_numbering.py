from qdocs.render.numbering import chinese_number, heading_number


def test_chinese_numbers_up_to_the_plans_length():
    expected = "一 二 三 四 五 六 七 八 九 十 十一 十二 十三 十四".split()
    assert [chinese_number(n) for n in range(1, 15)] == expected
    assert chinese_number(20) == "二十"
    assert chinese_number(99) == "九十九"


def test_heading_marks_per_level():
    assert heading_number(1, 3) == "三、"
    assert heading_number(2, 2) == "（二）"
    assert heading_number(3, 4) == "4."
    assert heading_number(4, 1) == "（1）"
