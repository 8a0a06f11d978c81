"""Link each figure to what it measures: metric code and measure.

Chinese report prose puts the metric words just before the figure (实现销售收入2.81万亿)
and the counted noun just after a count (4个项目). Growth and share figures qualify the
level figure before them (工业增加值3528.8亿元，增长16.3%，占全省的34.1%), and a share
takes the metric of the part, never of the whole after 占. `分别` lists map in order onto
the figures listed before them.
"""

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from etl.catalogue import metrics, units
from etl.lexicon import Mention, TermScanner
from etl.paths import SEEDS_DIR
from etl.quantities import Quantity

SHARE_WORDS = ("占", "比重", "比例", "份额", "分之")
GROWTH_WORDS = ("增长", "同比增", "增", "增速", "增幅", "提高", "上升", "递增", "翻")
DECLINE_WORDS = ("下降", "减少", "回落")
CHANGE_WORDS = ("新增", "净增", "增加", "又", "再", "同比增", "比上年增", "多")
LIST_WORDS = ("分别", "依次")
EACH_WORDS = ("均", "都", "各")
_CLAUSE_SEP = re.compile(r"[，,；;：:]")
_JOINERS = re.compile(r"^(?:、|和|及|与|以及|、和)$")

# Metrics whose figures can be written in any unit of these dimensions.
_EXTRA_DIMENSIONS: dict[str, frozenset[str]] = {
    "production_capacity": frozenset({"mass", "volume", "count"}),
    "other": frozenset({"*"}),
}


@cache
def metric_scanner() -> TermScanner[str]:
    terms: dict[str, str] = {}
    for m in metrics().values():
        for s in m.synonyms:
            terms.setdefault(s, m.code)
    with open(SEEDS_DIR / "metric_terms.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            terms[row["term"]] = row["metric"]
    return TermScanner(terms)


@cache
def metric_dimensions(code: str) -> frozenset[str]:
    if code in _EXTRA_DIMENSIONS:
        return _EXTRA_DIMENSIONS[code]
    unit = metrics()[code].canonical_unit
    dim = units()[unit].dimension if unit in units() else "*"
    return frozenset({dim})


def unit_dimension(unit: str) -> str:
    return units()[unit].dimension


def compatible(metric: str, unit: str) -> bool:
    dims = metric_dimensions(metric)
    return "*" in dims or unit_dimension(unit) in dims


@dataclass(frozen=True)
class MetricLink:
    metric: str
    metric_text: str | None
    measure: str


@dataclass(frozen=True)
class SentenceFigures:
    """All figures of one sentence, in order, with the text they sit in."""

    text: str
    start: int
    end: int
    quantities: Sequence[Quantity]


def _clause_start(text: str, pos: int, floor: int) -> int:
    i = pos - 1
    while i >= floor and not _CLAUSE_SEP.match(text[i]):
        i -= 1
    return i + 1


def _noun_after(text: str, q: Quantity, limit: int) -> str:
    end = min(limit, q.end + 12)
    tail = text[q.end : end]
    m = re.search(r"[，,。；;、：:（(）)“”\n]", tail)
    return tail[: m.start()] if m else tail


def _is_ratio(q: Quantity) -> bool:
    return q.unit in ("percent", "percentage_point")


def measure_of(text: str, q: Quantity, left: str) -> str:
    """left = clause text between the previous figure (or clause start) and this one."""
    written = text[q.start : q.end]
    if written.endswith(("番", "倍")):
        return "growth"
    if _is_ratio(q):
        if any(w in left for w in SHARE_WORDS):
            return "share"
        if any(w in left for w in GROWTH_WORDS + DECLINE_WORDS):
            return "growth"
        return "level"
    tail = left[-8:]
    if any(w in tail for w in ("新增", "净增", "同比增", "比上年增", "增加", "又", "再")):
        return "change"
    return "level"


def _term_for(
    text: str, mentions: Sequence[Mention[str]], q: Quantity, lo: int, unit: str
) -> Mention[str] | None:
    """Nearest compatible metric term left of q, not before lo."""
    best: Mention[str] | None = None
    for m in mentions:
        if lo <= m.start and m.end <= q.start and compatible(m.value, unit):
            best = m
    return best


def _count_head(
    text: str, mentions: Sequence[Mention[str]], q: Quantity, limit: int
) -> Mention[str] | None:
    np = _noun_after(text, q, limit)
    best: Mention[str] | None = None
    for m in mentions:
        if q.end <= m.start and m.end <= q.end + len(np) and compatible(m.value, q.unit):
            best = m  # the last one is the head of the noun phrase
    return best


def _share_whole_start(left: str) -> int | None:
    idx = [left.rfind(w) for w in SHARE_WORDS if w in left]
    return min(i for i in idx) if idx else None


def _list_groups(text: str, quantities: Sequence[Quantity], lo: int) -> dict[int, tuple[int, int]]:
    """Index → (position, length) for ratio figures in a 分别/依次 list
    (分别占全省工业总量的54%、62%和56%)."""
    groups: dict[int, tuple[int, int]] = {}
    i = 0
    prev_end = lo
    while i < len(quantities):
        q = quantities[i]
        if _is_ratio(q) and any(w in text[prev_end : q.start] for w in LIST_WORDS):
            j = i + 1
            while (
                j < len(quantities)
                and _is_ratio(quantities[j])
                and re.fullmatch(r"[、和及与]+", text[quantities[j - 1].end : quantities[j].start])
            ):
                j += 1
            for k in range(i, j):
                groups[k] = (k - i, j - i)
            prev_end = quantities[j - 1].end
            i = j
            continue
        prev_end = q.end
        i += 1
    return groups


def link_sentence(fig: SentenceFigures) -> list[list[MetricLink]]:
    """For each quantity of the sentence, one or more metric links (more than one when a
    figure applies to several listed metrics: ＧＤＰ和财政收入占到12%左右)."""
    text = fig.text
    mentions = metric_scanner().scan(text, fig.start, fig.end)
    out: list[list[MetricLink]] = []
    levels: list[MetricLink] = []  # level figures so far, for growth/share/分别
    groups = _list_groups(text, fig.quantities, fig.start)
    prev_end = fig.start
    for idx, q in enumerate(fig.quantities):
        c_start = _clause_start(text, q.start, fig.start)
        lo = max(prev_end, c_start)
        left = text[lo : q.start]
        measure = measure_of(text, q, left)
        if idx in groups and measure == "level":
            measure = "share" if "占" in text[fig.start : q.start] else "growth"
        links: list[MetricLink]
        if measure in ("share", "growth") and (_is_ratio(q) or measure == "growth"):
            whole = _share_whole_start(left) if measure == "share" else None
            part_end = lo + whole if whole is not None else q.start
            named = [
                m for m in mentions
                if lo <= m.start and m.end <= part_end and m.value not in _COUNT_METRICS
            ]
            if idx in groups and levels:
                pos, length = groups[idx]
                targets = levels[-length:]
                target = targets[pos] if pos < len(targets) else levels[-1]
                links = [MetricLink(target.metric, target.metric_text, measure)]
            elif named:
                links = [MetricLink(m.value, m.term, measure) for m in _joined(text, named)]
            elif levels:
                links = [MetricLink(levels[-1].metric, levels[-1].metric_text, measure)]
            else:
                m2 = _term_for(text, mentions, q, fig.start, "CNY")
                links = [
                    MetricLink(m2.value, m2.term, measure) if m2 else
                    MetricLink("growth_rate" if measure == "growth" else "other", None, measure)
                ]
        else:
            term: Mention[str] | None = None
            if q.unit in ("count", "person"):
                term = _count_head(text, mentions, q, fig.end)
            if term is None:
                term = _term_for(text, mentions, q, c_start, q.unit)
            if term is None:
                term = _term_for(text, mentions, q, fig.start, q.unit)
            if term is None:
                links = [MetricLink("other", None, measure)]
            else:
                metric = _refine(text, term, q)
                if measure == "change" and metric == "new_jobs":
                    measure = "level"
                links = [MetricLink(metric, term.term, measure)]
            if not _is_ratio(q):
                levels.append(links[0])
        out.append(links)
        prev_end = q.end
    return out


_COUNT_METRICS = frozenset({
    "enterprise_count", "above_scale_enterprise_count", "project_count", "park_count",
    "patent_count",
})


def _joined(text: str, named: list[Mention[str]]) -> list[Mention[str]]:
    """The last metric term, plus those joined to it by 、/和 (GDP和财政收入 → both)."""
    group = [named[-1]]
    for m in reversed(named[:-1]):
        between = text[m.end : group[0].start]
        if _JOINERS.match(between):
            group.insert(0, m)
        else:
            break
    return group


def _refine(text: str, term: Mention[str], q: Quantity) -> str:
    """投资 before an amount that modifies a project (投资4000万元的紫江喷铝) is the
    project's size, not money spent."""
    metric = term.value
    if metric == "investment_completed" and term.term == "投资":
        after = text[q.end : q.end + 1]
        if after == "的":
            return "project_investment_total"
    return metric
