"""Numerals as written in reports: Arabic (with separators), Chinese, and mixed — read
exactly, as `decimal.Decimal`.

Every value is computed in decimal end to end: `544.8亿元` is 54480000000, not the
54479999999.99999 that binary floating point gives. Chinese numerals are read here by
their grammar (sections of 万 and 亿, units 十百千, 零 as a gap, 点 before decimals, the
spoken abbreviation 三万五 = 35000); the few forms that are not numbers (十几, 二十余 —
vague numbers) are split by the quantity grammar into a base and a qualifier before they
reach here.
"""

import re
from decimal import MAX_EMAX, MIN_EMIN, Context, Decimal, InvalidOperation
from functools import cache

SCALE_FACTORS: dict[str, Decimal] = {
    "万亿": Decimal(10) ** 12,
    "千亿": Decimal(10) ** 11,
    "百亿": Decimal(10) ** 10,
    "千万": Decimal(10) ** 7,
    "百万": Decimal(10) ** 6,
    "亿": Decimal(10) ** 8,
    "万": Decimal(10) ** 4,
    "千": Decimal(10) ** 3,
    "百": Decimal(10) ** 2,
}

CN_DIGITS = "零〇一二两三四五六七八九"
_DIGIT_VALUE = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_DIGIT_VALUE.update({"零": 0, "两": 2})
_UNIT_VALUE = {"十": 10, "百": 100, "千": 1000}
_SECTION_VALUE = {"万": 10**4, "亿": 10**8}
_ARABIC = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
ONE = Decimal(1)

# Products of a numeral and its scale words are exact for any numeral of up to 100,000
# digits (a longer one is rounded, and refused as unrepresentable by etl.extract.record).
EXACT = Context(prec=100_000, Emax=MAX_EMAX, Emin=MIN_EMIN)
# How many decimal places a derived ratio keeps (1/3 → 33.333333 percent).
RATIO_PLACES = Decimal("0.000001")

# The most a stored value may hold: 34 significant digits (IEEE decimal128), an
# exponent a double can still hold. Anything larger is not a figure a report can state;
# the record is quarantined with this reason (etl.extract.record).
MAX_SIGNIFICANT = 34
MAX_MAGNITUDE = Decimal("1e300")


def scale_factor(scale: str | None) -> Decimal:
    if not scale:
        return ONE
    factor = ONE
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


def _chinese_integer(numeral: str) -> int:
    """一亿二千万 → 120000000, 三万五 → 35000, 二〇一〇 → 2010, 十五 → 15."""
    if not numeral:
        raise ValueError("empty numeral")
    if all(c in _DIGIT_VALUE for c in numeral):  # digits read one by one: 二〇一〇
        if len(numeral) > 1 and numeral[0] in "零〇":
            raise ValueError(f"not a numeral: {numeral!r}")
        return int("".join(str(_DIGIT_VALUE[c]) for c in numeral))
    total = section = 0
    number: int | None = None
    last_unit = 0  # the unit just read, for the spoken abbreviation (三万五, 一百五)
    zero_gap = False
    for c in numeral:
        if c in _DIGIT_VALUE:
            if number is not None and _DIGIT_VALUE[c] != 0:
                raise ValueError(f"two digits in a row: {numeral!r}")
            d = _DIGIT_VALUE[c]
            if d == 0:
                zero_gap = True
                number = None
                continue
            number = d
        elif c in _UNIT_VALUE:
            unit = _UNIT_VALUE[c]
            if number is None:
                if c != "十":
                    raise ValueError(f"{c} without a digit: {numeral!r}")
                number = 1  # 十五 is 15
            section += number * unit
            number, last_unit, zero_gap = None, unit, False
        elif c in _SECTION_VALUE:
            unit = _SECTION_VALUE[c]
            section += number or 0
            if section == 0 and total == 0:
                raise ValueError(f"{c} without a number: {numeral!r}")
            if c == "亿":
                total = (total + section) * unit
            else:
                total += section * unit
            section, number, last_unit, zero_gap = 0, None, unit, False
        else:
            raise ValueError(f"not a Chinese numeral: {numeral!r}")
    if number is not None:
        # a digit right after a unit with no 零 between is that unit's next lower place
        if last_unit >= 10 and not zero_gap:
            number *= last_unit // 10
        section += number
    return total + section


@cache
def parse_chinese(numeral: str) -> Decimal:
    """A Chinese numeral, with decimals after 点 (三十五点五 → 35.5)."""
    whole, point, frac = numeral.partition("点")
    value = Decimal(_chinese_integer(whole))
    if point:
        if not frac or any(c not in _DIGIT_VALUE for c in frac):
            raise ValueError(f"not a decimal numeral: {numeral!r}")
        digits = "".join(str(_DIGIT_VALUE[c]) for c in frac)
        value += Decimal("0." + digits)
    return value


def parse_number(text: str) -> Decimal:
    """Value of one numeral: `5,993`, `23.5`, `一千二百`, `两`, `一亿二千万`."""
    if _ARABIC.fullmatch(text):
        return Decimal(text.replace(",", ""))
    return parse_chinese(text)


def product(*factors: Decimal) -> Decimal:
    """Exact product (numeral × scale × unit factor)."""
    out = ONE
    for f in factors:
        out = EXACT.multiply(out, f)
    return out


def ratio(num: Decimal, den: Decimal) -> Decimal:
    """num / den as a percentage, to RATIO_PLACES (五分之一 → 20)."""
    return exact((num * 100 / den).quantize(RATIO_PLACES))


def exact(value: Decimal) -> Decimal:
    """Trailing zeros and exponents dropped: 54480000000, 23.5, 0.5 (no 5.448E+10)."""
    if not value.is_finite():
        return value
    if value == value.to_integral_value():
        return EXACT.quantize(value, ONE)
    return value.normalize(EXACT)


def unrepresentable(value: Decimal | None) -> str | None:
    """Why a value cannot be stored, or None when it can."""
    if value is None:
        return None
    if not value.is_finite():
        return f"value {value} is not a finite number"
    try:
        digits = len(value.normalize(EXACT).as_tuple().digits)
    except InvalidOperation:
        return "value cannot be represented"
    if abs(value) >= MAX_MAGNITUDE:
        return f"value has {value.adjusted() + 1} digits: it cannot be represented"
    if digits > MAX_SIGNIFICANT:
        return (f"value has {digits} significant digits, more than the "
                f"{MAX_SIGNIFICANT} that can be stored exactly")
    return None


def round_value(value: Decimal | float) -> Decimal:
    """The value as a record carries it: exact, no trailing zeros (kept for callers)."""
    return exact(value if isinstance(value, Decimal) else Decimal(repr(value)))
