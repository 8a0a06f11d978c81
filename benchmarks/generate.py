"""Synthetic reports in the genre, with their gold records (../shared/spec/RECORDS.md).

Each report is a file of one to four articles (第一篇：…), each about a county-level region
(a real one from seeds/regions.csv, under its prefecture) or one of its parks (the region's
name + a suffix from seeds/park_suffixes.csv), in plain report prose: figures of the
region, of its parks, of industries (seeds/clusters.csv) and of companies, stated as
actuals (2011年，…完成…), targets (力争到2015年，…达到…) and estimates (预计2012年，…可达…),
written in every way the extractor reads: ASCII or full-width digits, Chinese numerals,
scale words 万/亿, thousands separators, ranges (300～1000亿元, 3—5万人, 10%——12%),
qualifiers (约 近 多 余 以上 左右 超过 突破); some articles in traditional script (OpenCC
s2t). The generator writes the text and the records together, so it knows the truth:
spans are offsets into the file as written, names are simplified.

    .venv/bin/python -m benchmarks.generate --reports 1000 --out /tmp/gen1k [--seed 1]

writes DIR/corpus/gen_000000.txt … and DIR/gold/gen_000000.jsonl …, one report at a time
(a 100k corpus is streamed to disk, never held in memory). The same seed gives the same
bytes. `--known-disagreements` also emits sentence shapes the extractor is known to get
wrong (KNOWN_DISAGREEMENTS below); they are off by default so that the corpus measures
regressions, not known bugs.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS = REPO_ROOT / "seeds"

# Sentence shapes where the extractor disagrees with RECORDS.md (reported to the lead;
# see benchmarks/README.md). Emitted only with --known-disagreements.
KNOWN_DISAGREEMENTS = {
    "numeral_county": (
        "a park named after a place whose name starts with a numeral and a unit or measure "
        "word (三元产业园区, 三台综合保税区, 五臺高新技術產業開發區) gives a record of its own "
        "(三元 → 3 CNY, 三台 → 3 count, metric other); 三元区 itself is fixed (788af1c)"
    ),
    "brand_with_conjunction": (
        "a company whose brand holds 新 or 和 (新宇机械有限公司, 嘉和化工有限公司) is not "
        "recognised (company null)"
    ),
    "park_name_with_function_word": (
        "a park named after a place whose name holds a function word (太和高新技术产业开发区, "
        "比如科技园, 会同综合保税区, 新建科技园): in the later clauses of the sentence the "
        "park is lost (park null)"
    ),
}
# Found by this generator and fixed in the extractor (57898cc, d6cc332); now generated
# by default: 三十五亿元 read as the 十五 plan; 标准厂房超过…万平方米 dropped as a
# criterion; 五台县 giving a count; a long title joined to its first paragraph; 龙头企业
# before a company; 软件产业 not naming an industry; 占园区工业总产值的 losing the cluster.

RECORD_FIELDS = (
    "doc", "start", "end", "quote", "value_text", "value", "value_low", "value_high",
    "qualifier", "unit", "metric", "metric_text", "measure", "year", "period",
    "period_text", "status", "region", "park", "cluster", "company",
)

_CLAUSE_SEP = re.compile(r"[，,；;：:。！？!?\n]")
_FULL = str.maketrans("0123456789.%", "０１２３４５６７８９．％")
_CN_DIGITS = "零一二三四五六七八九"
_ORDINALS = "一二三四五六七八九十"
_NUMERALS = "零一二两三四五六七八九十百千万亿"
_MEASURES = "元亩人名家个台项件座所条户吨米"
# Function words (和, 同, 在, 为 …) that end a name for the extractor's subject scan
_FUNCTION_CHARS = frozenset(
    "的了在和与对为是把将由从于等个家有以共并而也都均已又再向到至按经被让使这那该此其同各仅新年月如"
)


# --------------------------------------------------------------------------- seeds


@dataclass(frozen=True)
class Place:
    county: str  # 宛城区
    short: str  # 宛城
    prefecture: str  # 南阳市
    self_word: str  # 全区 / 全县 / 全市


@cache
def places(hard: bool = False) -> tuple[Place, ...]:
    """County-level regions under a prefecture whose name is theirs alone in the gazetteer
    (朝阳区 is two places), whose short form (the name less 区/县/市) is two characters or
    more and names nothing else, and which does not end like a park (清新区: 新区), nor
    name an autonomous county (its short form is not the name less 县)."""
    rows = list(csv.DictReader((SEEDS / "regions.csv").open(encoding="utf-8")))
    by_code = {r["code"]: r for r in rows}
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["name"]] = counts.get(r["name"], 0) + 1
    shorts = {r["short_name"] for r in rows if r["short_name"]} | {
        r["name"][:-1] for r in rows if r["level"] != "county"
    }
    out: list[Place] = []
    for r in rows:
        name = r["name"]
        parent = by_code.get(r["parent_code"])
        if r["level"] != "county" or parent is None or parent["level"] != "prefecture":
            continue
        if name[-1] not in "区县市" or counts[name] > 1 or "市辖" in name:
            continue
        short = name[:-1]
        if len(short) < 2 or short in shorts or not re.fullmatch(r"[\u4e00-\u9fff]+", name):
            continue
        if "自治" in name or any(name.endswith(s) for s in _park_suffixes_known()):
            continue
        if short[-1] in "矿林郊":  # 峰峰矿区: its park is not 峰峰矿工业园区
            continue
        if name[0] in _NUMERALS and name[1] in _MEASURES and not hard:
            # KNOWN_DISAGREEMENTS["numeral_county"]
            continue
        if not hard and any(c in _FUNCTION_CHARS for c in short):
            continue  # KNOWN_DISAGREEMENTS["park_name_with_function_word"]
        out.append(Place(name, short, parent["name"], "全" + name[-1]))
    return tuple(out)


# Suffixes that make a park's name from a place's (宛城经济开发区); the rest of
# seeds/park_suffixes.csv (孵化器, 工业带, 总部基地, …) name things other than a park.
PARK_SUFFIXES = (
    "经济开发区", "经济技术开发区", "高新技术产业开发区", "工业园区", "产业集聚区",
    "工业集聚区", "工业集中区", "产业园区", "高新区", "开发区", "工业园", "科技园",
    "物流园区", "综合保税区", "出口加工区", "省级经济开发区",
)

# Industries whose names read as a cluster in 「<industry>产业实现产值…」
CLUSTER_NAMES = (
    "纺织", "纺织服装", "服装", "制鞋", "家具", "造纸", "食品", "农产品加工", "化工",
    "精细化工", "生物医药", "医药", "建材", "钢铁", "有色金属", "机械", "装备制造",
    "汽车及零部件", "电子信息", "光电", "新能源", "新材料", "光伏", "物流", "软件",
    "文化创意", "石油机械", "铝业", "陶瓷", "电线电缆", "仪器仪表", "节能环保",
)

COMPANY_BRANDS = (
    "宏达", "华盛", "金鼎", "鑫源", "恒泰", "瑞丰", "天成", "永盛", "中联", "汇通",
    "长城", "东方", "金利", "富源", "广信", "隆基", "正泰", "昌盛", "万达", "远大",
)
HARD_BRANDS = ("嘉和", "新宇")  # KNOWN_DISAGREEMENTS["brand_with_conjunction"]
COMPANY_TRADES = ("机械", "化工", "纺织", "电子", "建材", "食品", "钢铁", "电气", "药业")
COMPANY_SUFFIXES = ("股份有限公司", "有限公司", "集团有限公司", "有限责任公司")


@cache
def company_brands(hard: bool = False) -> tuple[str, ...]:
    """COMPANY_BRANDS that are not a place's short name (富源钢铁 is not about 富源县)."""
    rows = csv.DictReader((SEEDS / "regions.csv").open(encoding="utf-8"))
    places_ = set()
    for r in rows:
        places_ |= {r["name"], r["name"][:-1], r["short_name"]}
    brands = COMPANY_BRANDS + HARD_BRANDS if hard else COMPANY_BRANDS
    return tuple(b for b in brands if b not in places_)


@cache
def _park_suffixes_known() -> frozenset[str]:
    rows = csv.DictReader((SEEDS / "park_suffixes.csv").open(encoding="utf-8"))
    return frozenset(r["suffix"] for r in rows)


@cache
def _clusters_known() -> frozenset[str]:
    rows = csv.DictReader((SEEDS / "clusters.csv").open(encoding="utf-8"))
    return frozenset(r["name"] for r in rows)


@cache
def _metrics_known() -> frozenset[str]:
    rows = csv.DictReader((SEEDS / "metrics.csv").open(encoding="utf-8"))
    return frozenset(r["code"] for r in rows)


# --------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class Amount:
    """How an amount is written: its magnitude, scale word and unit word."""

    unit: str  # RECORDS.md unit code
    word: str  # 亿元, 万美元, 平方公里, 家 …
    factor: Decimal  # word → canonical unit
    low: float
    high: float
    decimals: int


AMOUNTS: dict[str, tuple[Amount, ...]] = {
    "yuan_big": (
        Amount("CNY", "亿元", Decimal(10) ** 8, 1, 900, 1),
        Amount("CNY", "万元", Decimal(10) ** 4, 500, 9900, 0),
    ),
    "yuan_small": (Amount("CNY", "万元", Decimal(10) ** 4, 100, 9000, 0),),
    "yuan_each": (Amount("CNY", "元", Decimal(1), 3000, 30000, 0),),
    "usd": (
        Amount("USD", "万美元", Decimal(10) ** 4, 100, 9900, 0),
        Amount("USD", "亿美元", Decimal(10) ** 8, 1, 50, 2),
    ),
    "km2": (Amount("km2", "平方公里", Decimal(1), 2, 90, 1),),
    "m2": (Amount("m2", "万平方米", Decimal(10) ** 4, 2, 80, 1),),
    "mu": (Amount("mu", "亩", Decimal(1), 200, 9000, 0),),
    "firms": (Amount("count", "家", Decimal(1), 20, 900, 0),),
    "projects": (Amount("count", "个", Decimal(1), 5, 200, 0),),
    "patents": (Amount("count", "件", Decimal(1), 10, 2000, 0),),
    "people": (
        Amount("person", "万人", Decimal(10) ** 4, 1, 20, 1),
        Amount("person", "人", Decimal(1), 800, 9000, 0),
    ),
    "percent": (Amount("percent", "%", Decimal(1), 3, 35, 1),),
    "share": (Amount("percent", "%", Decimal(1), 10, 70, 1),),
}


@dataclass(frozen=True)
class MetricUse:
    code: str
    text: str  # the words naming it in the sentence
    verb: str  # 完成 / 实现 / "" before the figure
    amounts: str  # key of AMOUNTS
    growth: bool = False  # may be followed by 同比增长 X%


REGION_METRICS = (
    MetricUse("gdp", "地区生产总值", "完成", "yuan_big", True),
    MetricUse("industrial_value_added", "工业增加值", "完成", "yuan_big", True),
    MetricUse(
        "gross_industrial_output_above_scale", "规模以上工业总产值", "完成", "yuan_big", True
    ),
    MetricUse("fiscal_revenue", "财政收入", "完成", "yuan_big", True),
    MetricUse("fixed_asset_investment", "固定资产投资", "完成", "yuan_big", True),
    MetricUse("services_value_added", "服务业增加值", "实现", "yuan_big", True),
    MetricUse("imports_exports", "进出口总额", "", "usd", True),
    MetricUse("fdi_actual", "实际利用外资", "", "usd"),
    MetricUse("investment_attracted_actual", "招商引资到位资金", "", "yuan_big"),
    MetricUse("rural_income_per_capita", "农民人均纯收入", "", "yuan_each", True),
    MetricUse("tax_revenue", "税收", "", "yuan_big"),
)
PARK_METRICS = (
    MetricUse("gross_industrial_output", "工业总产值", "实现", "yuan_big", True),
    MetricUse("sales_revenue", "销售收入", "实现", "yuan_big", True),
    MetricUse("fixed_asset_investment", "固定资产投资", "完成", "yuan_big", True),
    MetricUse("enterprise_count", "入驻企业", "", "firms"),
    MetricUse("above_scale_enterprise_count", "规模以上工业企业", "", "firms"),
    MetricUse("employment", "从业人员", "", "people"),
    MetricUse("project_count", "引进项目", "", "projects"),
    MetricUse("fdi_actual", "实际利用外资", "", "usd"),
    MetricUse("land_area", "工业用地", "", "mu"),
    MetricUse("floor_area", "标准厂房", "建成", "m2"),
    MetricUse("patent_count", "专利", "申请", "patents"),
)
PARK_AREAS = (
    MetricUse("planned_area", "规划面积", "", "km2"),
    MetricUse("built_area", "建成面积", "", "km2"),
)
COMPANY_METRICS = (
    MetricUse("sales_revenue", "销售收入", "实现", "yuan_big"),
    MetricUse("profit_and_tax", "利税", "实现", "yuan_small"),
    MetricUse("tax_revenue", "上缴税金", "", "yuan_small"),
)
TARGET_METRICS = {
    "region": (
        MetricUse("gdp", "地区生产总值", "", "yuan_big"),
        MetricUse("fiscal_revenue", "财政收入", "", "yuan_big"),
        MetricUse("industrial_value_added", "工业增加值", "", "yuan_big"),
    ),
    "park": (
        MetricUse("gross_industrial_output", "工业总产值", "", "yuan_big"),
        MetricUse("sales_revenue", "销售收入", "", "yuan_big"),
        MetricUse("enterprise_count", "入驻企业", "", "firms"),
        MetricUse("employment", "从业人员", "", "people"),
    ),
}


@dataclass
class Figure:
    """One figure as written and the numbers of its record."""

    text: str
    unit: str
    value: float | None
    low: float | None = None
    high: float | None = None
    qualifier: str = "exact"


def _canon(x: Decimal) -> float:
    return float(x)


def _cn_integer(n: int) -> str:
    """一百二十, 三千五百, 两 never used (一 is unambiguous for the grammar)."""
    if n == 0:
        return "零"
    units = ((10**8, "亿"), (10**4, "万"), (1000, "千"), (100, "百"), (10, "十"))
    out = ""
    rest = n
    zero = False
    for size, word in units:
        q, rest = divmod(rest, size)
        if q:
            if zero and out:
                out += "零"
            out += (_cn_integer(q) if q >= 10 else _CN_DIGITS[q]) + word
            zero = False
        elif out:
            zero = True
    if rest:
        if zero and out:
            out += "零"
        out += _CN_DIGITS[rest]
    if out.startswith("一十"):
        out = out[1:]
    return out


class Writer:
    """Number formats for one article: its digit style and what may be used."""

    def __init__(self, rng: random.Random, fullwidth: bool, hard: bool) -> None:
        self.rng = rng
        self.fullwidth = fullwidth
        self.hard = hard

    def digits(self, s: str) -> str:
        return s.translate(_FULL) if self.fullwidth else s

    def number(self, x: Decimal, decimals: int, allow_cn: bool = True) -> str:
        """A magnitude as written: plain, thousands separators, or Chinese numerals."""
        rng = self.rng
        if decimals == 0 and allow_cn and not self.fullwidth and rng.random() < 0.12:
            n = int(x)
            cn = _cn_integer(n)
            return cn
        s = f"{x:.{decimals}f}"
        if decimals == 0 and x >= 1000 and not self.fullwidth and rng.random() < 0.15:
            s = f"{int(x):,}"
        return self.digits(s)

    def magnitude(self, a: Amount) -> Decimal:
        x = Decimal(str(round(self.rng.uniform(a.low, a.high), a.decimals)))
        if x == 0:
            x = Decimal(1)
        return x

    def amount(self, kind: str, *, qualify: bool = True, above: bool = True) -> Figure:
        """A figure of one of AMOUNTS[kind], qualified 3 times in 10. above=False: no
        以上/超过/突破/多/余."""
        a = self.rng.choice(AMOUNTS[kind])
        x = self.magnitude(a)
        num = self.number(x, a.decimals, allow_cn=a.unit != "percent")
        word = self.digits(a.word) if a.unit == "percent" else a.word
        text, qualifier = num + word, "exact"
        r = self.rng.random()
        if qualify and r < 0.3:
            qualifier, text = self._qualified(num, word, a, above)
        return Figure(text, a.unit, _canon(x * a.factor), qualifier=qualifier)

    def _qualified(self, num: str, word: str, a: Amount, above: bool) -> tuple[str, str]:
        forms: list[tuple[str, str]] = [
            ("approx", f"约{num}{word}"),
            ("approx", f"近{num}{word}"),
            ("approx", f"{num}{word}左右"),
        ]
        if not above:
            return self.rng.choice(forms)
        forms += [
            ("more_than", f"{num}{word}以上"),
            ("more_than", f"超过{num}{word}"),
            ("more_than", f"突破{num}{word}"),
        ]
        integral = not any(c in num for c in ".．,")
        if integral and word[0] in "万亿":  # 2000多万元, 5万余人: after the number
            forms.append(("more_than", f"{num}多{word}"))
            if word == "万人":
                forms.append(("more_than", f"{num}万余人"))
        if integral and word in ("家", "个", "件", "人", "亩"):
            forms += [("more_than", f"{num}余{word}"), ("more_than", f"{num}多{word}")]
        return self.rng.choice(forms)

    def range_(self, kind: str) -> Figure:
        """300～1000亿元, 3—5万人, 10%——12%: the bounds share the scale and unit word."""
        a = self.rng.choice(AMOUNTS[kind])
        lo = self.magnitude(a)
        step = Decimal(str(round(float(lo) * self.rng.uniform(0.2, 1.0), a.decimals)))
        hi = lo + max(step, Decimal(1))
        dash = self.rng.choice(("～", "—", "-", "至")) if a.unit != "percent" else "——"
        lo_s, hi_s = self.number(lo, a.decimals, False), self.number(hi, a.decimals, False)
        word = self.digits(a.word) if a.unit == "percent" else a.word
        text = f"{lo_s}{word}{dash}{hi_s}{word}" if a.unit == "percent" else (
            f"{lo_s}{dash}{hi_s}{word}")
        return Figure(text, a.unit, None, _canon(lo * a.factor), _canon(hi * a.factor), "range")

    def percent(self, kind: str = "percent") -> Figure:
        return self.amount(kind, qualify=False)


# --------------------------------------------------------------------------- articles


@dataclass
class Subject:
    region: str | None = None
    park: str | None = None
    cluster: str | None = None
    company: str | None = None


@dataclass
class Time:
    year: int | None
    period: str | None
    period_text: str | None
    status: str


@dataclass
class Article:
    """Pieces of text, some of them figures with their record (minus spans and quote)."""

    convert: Callable[[str], str]
    pieces: list[tuple[str, dict[str, Any] | None]] = field(default_factory=list)

    def say(self, text: str) -> None:
        self.pieces.append((self.convert(text), None))

    def figure(self, f: Figure, metric: MetricUse | str, metric_text: str, measure: str,
               time: Time, subj: Subject) -> None:
        code = metric if isinstance(metric, str) else metric.code
        rec: dict[str, Any] = {
            "value_text": self.convert(f.text), "value": f.value, "value_low": f.low,
            "value_high": f.high, "qualifier": f.qualifier, "unit": f.unit, "metric": code,
            "metric_text": self.convert(metric_text), "measure": measure, "year": time.year,
            "period": time.period,
            "period_text": None if time.period_text is None else self.convert(time.period_text),
            "status": time.status, "region": subj.region, "park": subj.park,
            "cluster": subj.cluster, "company": subj.company,
        }
        self.pieces.append((str(rec["value_text"]), rec))


def _actual(w: Writer, year: int) -> Time:
    return Time(year, str(year), w.digits(f"{year}年"), "actual")


def _year(w: Writer, year: int) -> str:
    return w.digits(f"{year}年")


def _company(rng: random.Random, hard: bool) -> str:
    brand = rng.choice(company_brands(hard))
    return brand + rng.choice(COMPANY_TRADES) + rng.choice(COMPANY_SUFFIXES)


def _region_paragraph(a: Article, w: Writer, place: Place, year: int) -> None:
    """2011年，宛城区完成地区生产总值235.6亿元，同比增长12.5%；财政收入…。"""
    rng = w.rng
    subj = Subject(region=place.county)
    t = _actual(w, year)
    a.say(f"{_year(w, year)}，{place.county}")
    for i, m in enumerate(rng.sample(REGION_METRICS, rng.randint(2, 4))):
        a.say(("" if i == 0 else "；") + m.verb + m.text)
        a.figure(w.amount(m.amounts), m, m.text, "level", t, subj)
        if m.growth and rng.random() < 0.6:
            a.say("，同比增长" if rng.random() < 0.5 else "，增长")
            a.figure(w.percent(), m, m.text, "growth", t, subj)
    a.say("。\n")


def _park_paragraph(a: Article, w: Writer, place: Place, park: str, year: int,
                    areas: bool) -> None:
    rng = w.rng
    subj = Subject(region=place.county, park=park)
    if areas:  # 规划面积 describes the park as it stands: actual, no year
        a.say(park)
        t0 = Time(None, None, None, "actual")
        for i, m in enumerate(rng.sample(PARK_AREAS, rng.randint(1, 2))):
            a.say(("" if i == 0 else "，") + m.text)
            a.figure(w.amount(m.amounts, qualify=False), m, m.text, "level", t0, subj)
        a.say("。\n")
    t = _actual(w, year)
    a.say(f"{_year(w, year)}，{park}")
    for i, m in enumerate(rng.sample(PARK_METRICS, rng.randint(2, 4))):
        a.say(("" if i == 0 else "；") + m.verb + m.text)
        f = w.amount(m.amounts)
        a.figure(f, m, m.text, "level", t, subj)
        if m.growth and rng.random() < 0.5:
            a.say("，同比增长")
            a.figure(w.percent(), m, m.text, "growth", t, subj)
    a.say("。\n")
    if rng.random() < 0.5:  # 新增入驻企业23家，累计入驻企业316家
        a.say(f"{_year(w, year)}，{park}新增入驻企业")
        a.figure(w.amount("firms", qualify=False), "enterprise_count", "入驻企业", "change",
                 t, subj)
        a.say("，累计入驻企业")
        a.figure(w.amount("firms"), "enterprise_count", "入驻企业", "level", t, subj)
        a.say("。\n")


def _cluster_paragraph(a: Article, w: Writer, place: Place, park: str | None,
                       year: int) -> None:
    """2011年，宛城区纺织服装产业实现产值31.5亿元，同比增长15%，占全区工业总产值的46%。"""
    rng = w.rng
    cluster = rng.choice(CLUSTER_NAMES)
    subj = Subject(region=place.county, park=park, cluster=cluster)
    t = _actual(w, year)
    a.say(f"{_year(w, year)}，{park or place.county}{cluster}产业实现产值")
    a.figure(w.amount("yuan_big"), "output_value", "产值", "level", t, subj)
    if rng.random() < 0.5:
        a.say("，同比增长")
        a.figure(w.percent(), "output_value", "产值", "growth", t, subj)
    if rng.random() < 0.6:
        if park is None:
            whole = place.self_word
        else:
            wholes = ["全区", "该区", "园区", ""] if park.endswith("区") else ["园区", ""]
            whole = rng.choice(wholes)
        a.say(f"，占{whole}工业总产值的")
        a.figure(w.percent("share"), "output_value", "产值", "share", t, subj)
    a.say("。\n")


def _company_paragraph(a: Article, w: Writer, place: Place, year: int) -> None:
    """2011年，宏达机械股份有限公司实现销售收入12亿元，上缴税金8000万元。"""
    rng = w.rng
    company = _company(rng, w.hard)
    subj = Subject(region=place.county, company=company)
    t = _actual(w, year)
    lead = "龙头企业" if rng.random() < 0.4 else ""
    a.say(f"{_year(w, year)}，{lead}{company}")
    for i, m in enumerate(rng.sample(COMPANY_METRICS, rng.randint(1, 2))):
        a.say(("" if i == 0 else "，") + m.verb + m.text)
        a.figure(w.amount(m.amounts), m, m.text, "level", t, subj)
    a.say("。\n")


def _goal_paragraph(a: Article, w: Writer, subj: Subject, name: str, kind: str,
                    year: int) -> None:
    """力争到2015年，宛城区地区生产总值达到300亿元，年均增长15%以上。 — targets;
    预计2012年，宛城区财政收入可达4.5亿元。 — estimates."""
    rng = w.rng
    if rng.random() < 0.6:
        goal = year + rng.randint(2, 5)
        lead = rng.choice(("力争到", "计划到", "争取到"))
        t = Time(goal, str(goal), w.digits(f"到{goal}年"), "target")
        a.say(f"{lead}{_year(w, goal)}，{name}")
        verb = "达到"
    else:
        goal = year + 1
        t = Time(goal, str(goal), w.digits(f"{goal}年"), "estimate")
        a.say(f"预计{_year(w, goal)}，{name}")
        verb = "可达"
    for i, m in enumerate(rng.sample(TARGET_METRICS[kind], rng.randint(1, 2))):
        a.say(("" if i == 0 else "，") + m.text + verb)
        f = w.range_(m.amounts) if rng.random() < 0.3 else w.amount(m.amounts)
        a.figure(f, m, m.text, "level", t, subj)
    if t.status == "target" and rng.random() < 0.4:
        a.say("，年均增长")
        g = w.range_("percent") if rng.random() < 0.3 else w.percent()
        a.figure(g, m, m.text, "growth", t, subj)
    a.say("。\n")


def _title(a: Article, w: Writer, title: str) -> None:
    """A title line, sometimes followed by a blank line."""
    a.say(title + "\n")
    if w.rng.random() < 0.3:
        a.say("\n")


def _region_article(a: Article, w: Writer, place: Place, year: int) -> None:
    rng = w.rng
    _title(a, w, rng.choice((
        f"{place.prefecture}{place.county}{year}年国民经济和社会发展情况",
        f"{place.county}{year}年经济运行情况",
        f"{place.county}{year}年政府工作报告（摘要）",
    )))
    _region_paragraph(a, w, place, year)
    if rng.random() < 0.5:
        _region_paragraph(a, w, place, year)
    park = place.short + rng.choice(PARK_SUFFIXES)
    if rng.random() < 0.7:
        _park_paragraph(a, w, place, park, year, areas=rng.random() < 0.5)
    if rng.random() < 0.7:
        _cluster_paragraph(a, w, place, None, year)
    if rng.random() < 0.6:
        _company_paragraph(a, w, place, year)
    _goal_paragraph(a, w, Subject(region=place.county), place.county, "region", year)


def _park_article(a: Article, w: Writer, place: Place, year: int) -> None:
    rng = w.rng
    park = place.short + rng.choice(PARK_SUFFIXES)
    # the county is named (in the title): the region of the park's figures is plain
    _title(a, w, rng.choice((
        f"{place.county}{park}发展情况", f"{place.county}{park}建设情况介绍",
        f"关于{place.county}{park}发展的调研报告",
    )))
    _park_paragraph(a, w, place, park, year, areas=True)
    if rng.random() < 0.6:
        _park_paragraph(a, w, place, park, year + 1, areas=False)
    if rng.random() < 0.7:
        _cluster_paragraph(a, w, place, park, year)
    _goal_paragraph(a, w, Subject(region=place.county, park=park), park, "park", year)


# --------------------------------------------------------------------------- reports


@cache
def _s2t() -> Callable[[str], str]:
    """OpenCC simplified → traditional (opencc is a parkstat dependency)."""
    import opencc

    convert: Callable[[str], str] = opencc.OpenCC("s2t").convert
    return convert


def _identity(s: str) -> str:
    return s


def generate_report(seed: int, index: int, *, hard: bool = False
                    ) -> tuple[str, str, list[dict[str, Any]]]:
    """(file name, text, gold records) of report `index` of corpus `seed`: the same
    arguments always give the same report, whatever else was generated."""
    rng = random.Random(f"parkstat-gen:{seed}:{index}")
    name = f"gen_{index:06d}.txt"
    n_articles = rng.choice((1, 1, 2, 2, 3, 4))
    pool = places(hard)
    text_parts: list[str] = []
    records: list[dict[str, Any]] = []
    pos = 0
    for k in range(n_articles):
        traditional = rng.random() < 0.15
        w = Writer(rng, fullwidth=rng.random() < 0.2, hard=hard)
        a = Article(_s2t() if traditional else _identity)
        if n_articles > 1:
            a.say(f"第{_ORDINALS[k]}篇：")
        place = rng.choice(pool)
        year = rng.randint(2005, 2013)
        (_region_article if rng.random() < 0.6 else _park_article)(a, w, place, year)
        if k < n_articles - 1:
            a.say("\n")
        for piece, rec in a.pieces:
            if rec is not None:
                records.append({"doc": name, "start": pos, "end": pos + len(piece), **rec})
            text_parts.append(piece)
            pos += len(piece)
    text = "".join(text_parts)
    for r in records:
        assert text[r["start"]:r["end"]] == r["value_text"]
        r["quote"] = _clause(text, r["start"], r["end"])
    ordered = [{k: r[k] for k in RECORD_FIELDS} for r in records]
    return name, text, ordered


def _clause(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in _CLAUSE_SEP.finditer(text, 0, start)), default=0)
    m = _CLAUSE_SEP.search(text, end)
    right = m.start() if m else len(text)
    return text[left:right].strip()


def iter_reports(seed: int, n: int, *, start: int = 0, hard: bool = False
                 ) -> Iterator[tuple[str, str, list[dict[str, Any]]]]:
    for i in range(start, start + n):
        yield generate_report(seed, i, hard=hard)


def write_corpus(out: Path, n: int, seed: int = 1, *, hard: bool = False,
                 progress: bool = False) -> tuple[int, int, int]:
    """Write n reports and their gold, one at a time. Returns (reports, records, chars)."""
    corpus, gold = out / "corpus", out / "gold"
    corpus.mkdir(parents=True, exist_ok=True)
    gold.mkdir(parents=True, exist_ok=True)
    n_records = n_chars = 0
    t0 = time.monotonic()
    for i, (name, text, records) in enumerate(iter_reports(seed, n, hard=hard), 1):
        (corpus / name).write_text(text, encoding="utf-8")
        with (gold / (name[: -len(".txt")] + ".jsonl")).open("w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        n_records += len(records)
        n_chars += len(text)
        if progress and i % 10_000 == 0:
            print(f"  {i:,} reports, {time.monotonic() - t0:.0f} s", file=sys.stderr)
    return n, n_records, n_chars


def check_seeds() -> list[str]:
    """Names the generator uses that the seed catalogues do not know (should be none)."""
    bad = [s for s in PARK_SUFFIXES if s not in _park_suffixes_known()]
    bad += [c for c in CLUSTER_NAMES if c not in _clusters_known()]
    metrics = {m.code for m in REGION_METRICS + PARK_METRICS + PARK_AREAS + COMPANY_METRICS}
    bad += sorted(m for m in metrics | {"output_value"} if m not in _metrics_known())
    return bad


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--reports", type=int, default=1000, help="number of reports (default 1000)")
    ap.add_argument("--out", type=Path, required=True, help="writes OUT/corpus and OUT/gold")
    ap.add_argument("--seed", type=int, default=1, help="corpus seed (default 1)")
    ap.add_argument("--known-disagreements", action="store_true",
                    help="also emit the sentence shapes the extractor is known to get wrong")
    args = ap.parse_args(argv)
    t0 = time.monotonic()
    n, n_records, n_chars = write_corpus(args.out, args.reports, args.seed,
                                         hard=args.known_disagreements, progress=True)
    print(f"{n:,} reports, {n_records:,} gold records, {n_chars:,} chars "
          f"in {time.monotonic() - t0:.1f} s → {args.out}/corpus, {args.out}/gold")


if __name__ == "__main__":
    main()
