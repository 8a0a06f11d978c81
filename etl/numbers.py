"""Numerals as written in reports: Arabic (with separators), Chinese, and mixed.

Chinese numerals go through cn2an (it reads 一千二百, 两, 〇); the few forms it does not
(十几, 二十余 — vague numbers) are split by the quantity grammar into a base and a
qualifier before they reach here.
"""

import re
from functools import cache

import cn2an

SCALE_FACTORS: dict[str, float] = {
    "万亿": 1e12,
    "千亿": 1e11,
    "百亿": 1e10,
    "千万": 1e7,
    "百万": 1e6,
    "亿": 1e8,
    "万": 1e4,
    "千": 1e3,
    "百": 1e2,
}

CN_DIGITS = "零〇一二两三四五六七八九"
_ARABIC = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


def scale_factor(scale: str | None) -> float:
    if not scale:
        return 1.0
    factor = 1.0
    # 个亿 (30个亿) is spoken Chinese for 亿
    scale = scale.replace("个", "")
    while scale:
        for word, f in SCALE_FACTORS.items():
            if scale.endswith(word):
                factor *= f
                scale = scale[: -len(word)]
                break
        else:
            raise ValueError(f"unknown scale word {scale!r}")
    return factor


@cache
def parse_chinese(numeral: str) -> float:
    value = cn2an.cn2an(numeral, "smart")
    return float(value)


def parse_number(text: str) -> float:
    """Value of one numeral: `5,993`, `23.5`, `一千二百`, `两`, `3.5万`."""
    if _ARABIC.fullmatch(text):
        return float(text.replace(",", ""))
    return parse_chinese(text)


def round_value(value: float) -> float | int:
    """Integers stay integers in JSON (2810000000000, not 2.81e12)."""
    r = round(value, 6)
    if r == int(r) and abs(r) < 1e17:
        return int(r)
    return r
