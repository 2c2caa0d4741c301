"""Chinese ordinal numbering (一、 二、 … 十四、), derived from order, never typed by hand."""

_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 14 → 十四, 20 → 二十, 99 → 九十九 (the range a document needs)."""
    if not 1 <= n <= 99:
        raise ValueError(f"chinese_number supports 1–99, got {n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


def heading_number(level: int, n: int) -> str:
    """The GB/T 9704 §7.3.3 sequence marks: 一、 （一） 1. （1）."""
    if level == 1:
        return chinese_number(n) + "、"
    if level == 2:
        return f"（{chinese_number(n)}）"
    if level == 3:
        return f"{n}."
    if level == 4:
        return f"（{n}）"
    raise ValueError(f"heading level must be 1–4, got {level}")
