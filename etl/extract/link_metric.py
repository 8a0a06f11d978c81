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
from dataclasses import dataclass, replace
from functools import cache

from etl.extract.catalogue import metrics, units
from etl.extract.lexicon import Mention, TermScanner, load_word_lists
from etl.extract.quantities import RATIO_PART, Quantity
from etl.extract.segment import clause_start
from etl.paths import SEEDS_DIR

# Metrics whose figures can be written in any unit of these dimensions.
_EXTRA_DIMENSIONS: dict[str, frozenset[str]] = {
    "production_capacity": frozenset({"mass", "volume", "count"}),
    "new_jobs": frozenset({"people", "count"}),
    "other": frozenset({"*"}),
}


@cache
def metric_terms() -> dict[str, str]:
    terms: dict[str, str] = {}
    for m in metrics().values():
        for s in m.synonyms:
            terms.setdefault(s, m.code)
    with open(SEEDS_DIR / "metric_terms.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            terms[row["term"]] = row["metric"]
    return terms


@cache
def metric_scanner() -> TermScanner[str]:
    return TermScanner(metric_terms())




@cache
def _value_added_of() -> dict[str, str]:
    """What is named before 增加值 → the metric of its value added (服务业 →
    services_value_added), from the metric words that end in 增加值."""
    return {t[: -len(_VALUE_ADDED)]: code for t, code in metric_terms().items()
            if t.endswith(_VALUE_ADDED) and len(t) > len(_VALUE_ADDED) + 1}


def sector_of_metric(cluster: str | None, metric: str) -> bool:
    """服务业 before 实现增加值 names the metric (services_value_added), not a cluster."""
    return cluster is not None and metric != "other" and (
        _value_added_of().get(cluster) == metric)


def sector_before(text: str, end: int, lo: int) -> tuple[str, str] | None:
    """(metric, word) when text[lo:end] ends with a sector whose value added has a metric
    word (第三产业 before 比重, 服务业 before 实现增加值)."""
    head = text[lo:end]
    for prefix in _sector_prefixes():
        if head.endswith(prefix):
            return _value_added_of()[prefix], prefix
    return None


@cache
def _sector_prefixes() -> tuple[str, ...]:
    return tuple(sorted(_value_added_of(), key=len, reverse=True))


def _sector_value_added(text: str, term: Mention[str], lo: int) -> str | None:
    """服务业实现增加值86亿元: a bare 增加值 after a sector and a verb is that sector's."""
    if term.term != _VALUE_ADDED:
        return None
    end = term.start
    for verb in sorted(cues().value_added_verbs, key=len, reverse=True):
        if text.endswith(verb, lo, end):
            end -= len(verb)
            break
    found = sector_before(text, end, lo)
    return found[0] if found is not None else None


def _sector_parts(text: str, lo: int, at: int, length: int) -> list[tuple[str, str]] | None:
    """(metric, sector) of each part when text[lo:at] names the three sectors as a whole
    (三次产业结构为…, 三次产业增加值分别增长…) and the figures are three."""
    c = cues()
    if length != len(c.sectors) or not any(w in text[lo:at] for w in c.sector_wholes):
        return None
    terms = metric_terms()
    return [(terms.get(s + _VALUE_ADDED, "other"), s) for s in c.sectors]


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
    # index (in the sentence) of the figure this one is a share or growth of, when a
    # 分别 list says so: it is about that figure's subject too
    about: int | None = None
    # a fall (同比下降5.2%, 减少3家, 比全省低1个百分点): the value is negative
    falls: bool = False
    # the sector a part of a whole economy is (三次产业结构4:50:46 → 第一产业, …): its cluster
    part: str | None = None


@dataclass(frozen=True)
class SentenceFigures:
    """All figures of one sentence, in order, with the text they sit in."""

    text: str
    start: int
    end: int
    quantities: Sequence[Quantity]


_NOUN_STOP = re.compile(r"[，,。；;、：:（(）)“”\n]")


def _noun_after(text: str, q: Quantity, limit: int) -> str:
    end = min(limit, q.end + 12)
    tail = text[q.end : end]
    m = _NOUN_STOP.search(tail)
    return tail[: m.start()] if m else tail


@dataclass(frozen=True)
class MeasureCues:
    falls: tuple[str, ...]
    rises: tuple[str, ...]
    fillers: tuple[str, ...]
    to_level: tuple[str, ...]
    gap_above: tuple[str, ...]
    gap_below: tuple[str, ...]
    gap_after_compared_above: tuple[str, ...]
    gap_after_compared_below: tuple[str, ...]
    compared_with_time: tuple[str, ...]
    regrouping: tuple[str, ...]
    share_words: tuple[str, ...]
    growth_words: tuple[str, ...]
    decline_words: tuple[str, ...]
    change_words: tuple[str, ...]
    sector_wholes: tuple[str, ...]
    sectors: tuple[str, ...]
    value_added_verbs: tuple[str, ...]
    continuing_words: tuple[str, ...]
    share_endings: tuple[str, ...]
    list_words: tuple[str, ...]
    share_list_words: tuple[str, ...]
    growth_after: tuple[str, ...]
    joiners: tuple[str, ...]
    conjunctions: tuple[str, ...]
    growth_multipliers: tuple[str, ...]
    value_added: str
    locatives: tuple[str, ...]
    count_nouns: tuple[str, ...]
    np_verbs: tuple[str, ...]
    gathering_verbs: tuple[str, ...]
    not_a_noun_words: tuple[str, ...]
    count_after_fillers: tuple[str, ...]
    count_before_fillers: tuple[str, ...]  # regular expressions
    count_verbs: tuple[str, ...]
    rank_words: tuple[str, ...]
    item_fillers_before: tuple[str, ...]  # regular expressions
    item_fillers_after: tuple[str, ...]  # regular expressions
    own_verbs: tuple[str, ...]
    area_verbs: tuple[str, ...]
    investment_words: tuple[str, ...]
    project_size_before: tuple[str, ...]
    spent_verbs: tuple[str, ...]
    running_total_words: tuple[str, ...]
    measure_word_default_metric: dict[str, str]


@cache
def cues() -> MeasureCues:
    """The one reader of seeds/measure_cues.toml."""
    return MeasureCues(**load_word_lists("measure_cues.toml"))


def _in_order(words: Sequence[str]) -> str:
    """Literal words as alternatives in the list's order (which one a regex tries first)."""
    return "|".join(re.escape(w) for w in words)


# X的95%, 全国90%: a percentage of a whole named just before it
_SHARE_ENDINGS = cues().share_endings
LIST_WORDS = cues().list_words
_GROWTH_AFTER = cues().growth_after
_VALUE_ADDED = cues().value_added
_JOINERS = re.compile(rf"^(?:{_in_order(cues().joiners)})$")
# the one-character joiners between the ratios of a 分别 list (9.1%、7.6%和8%)
_RATIO_JOINERS = re.compile("[" + "".join(w for w in cues().joiners if len(w) == 1) + "]+")


def _share_words() -> tuple[str, ...]:
    return cues().share_words


def _alt(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _verb_before() -> re.Pattern[str]:
    """A verb of change right before the figure, fillers allowed between (下降了, 减少幅度为);
    `to` when the figure is what it changed to (增加到, 降至)."""
    c = cues()
    fill = f"(?:{_alt(c.fillers)})*"
    return re.compile(
        rf"(?:(?P<fall>{_alt(c.falls)})|(?P<rise>{_alt(c.rises)})){fill}"
        rf"(?P<to>{_alt(c.to_level)})?{_TIME_BETWEEN}{fill}$"
    )


# 由2021年的12.5亿美元增加到2022年的14.8亿美元: the year reached may stand between
_TIME_BETWEEN = r"(?:\d{4}年(?:底|末)?的?)?"


@cache
def _gap_before() -> re.Pattern[str]:
    """A gap between two subjects right before a figure: 高于全市…3―5个百分点, 比全省快1.7个."""
    c = cues()
    fill = f"(?:{_alt(c.fillers)})*"
    # 比 of 同比 (over time) and of 比重/比例/比率 (a share) compares with no subject
    compared = (rf"(?<!同)(?:比|较)(?![重例率])(?!{_alt(c.compared_with_time)})"
                rf"[^，,。；;：:比较]{{1,16}}?")
    return re.compile(
        rf"(?:(?P<above>{_alt(c.gap_above)})|(?P<below>{_alt(c.gap_below)}))"
        rf"[^，,。；;：:]{{0,16}}$"
        rf"|{compared}(?<![提升增降])(?:(?P<c_above>{_alt(c.gap_after_compared_above)})"
        rf"|(?P<c_below>{_alt(c.gap_after_compared_below)})){fill}$"
    )


def change_verb(left: str) -> tuple[str, bool] | None:
    """('fall' | 'rise', whether the figure is the level reached) for the verb of change
    right before a figure (同比下降5.2% → fall; 增加到500家 → rise, to a level)."""
    m = _verb_before().search(left[-12:])
    if m is None:
        return None
    return ("fall" if m.group("fall") else "rise"), m.group("to") is not None


def gap_sign(left: str) -> int | None:
    """+1 / -1 for a gap above / below another subject (增速比全省高2.8个百分点), else None."""
    m = _gap_before().search(left[-24:])
    if m is None:
        return None
    return -1 if (m.group("below") or m.group("c_below")) else 1


def _is_ratio(q: Quantity) -> bool:
    return q.unit in ("percent", "percentage_point")


def measure_of(text: str, q: Quantity, left: str) -> str:
    """left = clause text between the previous figure (or clause start) and this one."""
    written = text[q.start : q.end]
    if written.endswith(cues().growth_multipliers):
        return "growth"
    if q.unit_written == RATIO_PART:
        return "share"  # 三次产业结构为5.1:72.7:22.2: each a share of the whole
    verb = change_verb(left)
    plain = left.replace(_VALUE_ADDED, "□" * len(_VALUE_ADDED))  # 增加值 is no rise
    if q.unit == "percentage_point":
        if gap_sign(left) is not None:  # 增速比全省高2.8个百分点: the compared figure's measure
            return "share" if any(w in left for w in _share_words()) and not any(
                w in plain for w in cues().growth_words) else "growth"
        if verb is not None and not verb[1]:
            return "change"  # 比重同比提高了1.1个百分点, 增速回落0.5个百分点
    if _is_ratio(q):
        if any(w in left for w in _share_words()) or left.endswith(_SHARE_ENDINGS):
            return "share"
        if any(w in plain for w in cues().growth_words + cues().decline_words):
            return "growth"
        if verb is not None and not verb[1]:
            return "growth"  # 年减2.1%, 成长15.3%: a verb of change right before the rate
        if text.startswith(_GROWTH_AFTER, q.end):
            return "growth"  # 保持30%以上增长, 年均20%的增长速度
        if text[q.end : q.end + 1] == "的" and q.unit == "percent":
            return "share"  # 75%的企业是电子信息制造: a part of the firms
        return "level"
    if verb is not None:  # 减少3家 is a change; 增加到500家 the level reached
        return "level" if verb[1] else "change"
    if any(w in plain for w in cues().change_words):
        return "change"
    return "level"


def falls(text: str, q: Quantity, left: str) -> bool:
    """The figure is a fall (RECORDS.md, Signs): a verb of falling right before it
    (同比下降5.2%, 减少3家, 回落0.5个百分点), or a gap below another subject
    (比全省低1.2个百分点)."""
    if q.unit == "percentage_point" and gap_sign(left) == -1:
        return True
    verb = change_verb(left)
    return verb is not None and verb[0] == "fall" and not verb[1]


def _term_for(
    mentions: Sequence[Mention[str]], q: Quantity, lo: int, unit: str, text: str = "",
) -> Mention[str] | None:
    """Nearest compatible metric term left of q, not before lo."""
    best: Mention[str] | None = None
    for m in mentions:
        if lo <= m.start and m.end <= q.start and allowed(m.value, q, unit) and not (
            m.value in _COUNT_METRICS and text[m.start - 1 : m.start] in _LOCATIVE
        ):  # 企业在园区注册的数量: 园区 is where, not what is counted
            best = m
    return best


_LOCATIVE = cues().locatives


@cache
def measure_word_metrics() -> dict[str, frozenset[str]]:
    with open(SEEDS_DIR / "measure_words.csv", encoding="utf-8", newline="") as f:
        return {r["measure_word"]: frozenset(r["metrics"].split("|")) for r in csv.DictReader(f)}


def allowed(metric: str, q: Quantity, unit: str | None = None) -> bool:
    """Unit dimension fits (q's unit, or `unit` in its place), and the measure word can
    count it (种 never counts firms)."""
    if not compatible(metric, unit or q.unit):
        return False
    allowed_metrics = measure_word_metrics().get(q.unit_written)
    return allowed_metrics is None or metric in allowed_metrics


_NP_VERBS = re.compile(
    rf"(?:{_in_order(cues().gathering_verbs)})(?![区园])"  # 集聚区 is a noun
    rf"|(?:{_in_order(cues().np_verbs)})"
)


def _count_head(
    text: str, mentions: Sequence[Mention[str]], q: Quantity, limit: int
) -> Mention[str] | None:
    np = _noun_after(text, q, limit)
    if np.startswith(cues().conjunctions):
        return None  # 企业20家和工业园区3个: what follows is the next item, not this noun
    verb = _NP_VERBS.search(np)
    if verb and verb.start() == 0 and len(verb.group()) > 1:
        return None  # 企业12家落户园区: a verb follows the count, so no noun it counts does
    if verb and verb.start() > 0:
        np = np[: verb.start()]
    best: Mention[str] | None = None
    for m in mentions:
        if q.end <= m.start and m.end <= q.end + len(np) and allowed(m.value, q):
            best = m  # the last one is the head of the noun phrase
    return best


def _shared_head(
    text: str, mentions: Sequence[Mention[str]], q: Quantity, fig: SentenceFigures
) -> Mention[str] | None:
    """Counts listed with 、 before one noun share it as their head (1—2个世界级、7个万亿级
    先进制造业集群: both count clusters)."""
    after = [x for x in fig.quantities if x.start >= q.end]
    prev_end = q.end
    for nxt in after:
        gap = text[prev_end : nxt.start]
        if "、" not in gap or _LIST_BREAK.search(gap) or nxt.unit_written != q.unit_written:
            return None
        head = _count_head(text, mentions, nxt, fig.end)
        if head is not None:
            return head
        prev_end = nxt.end
    return None


_LIST_BREAK = re.compile(r"[，,。；;：:]")
# an enumerated item with a verb of its own (、累计达到150家) states its own measure
_OWN_VERB = re.compile(_in_order(cues().own_verbs))


def _share_whole_start(left: str) -> int | None:
    idx = [left.rfind(w) for w in _share_words() if w in left]
    if not idx:
        return None
    at = min(idx)
    # 新能源产业产值在工业总产值中所占比重为27.5%: 在…中 names the whole before 占
    within = _WITHIN_WHOLE.search(left, 0, at)
    return within.start() if within is not None else at


_WITHIN_WHOLE = re.compile(r"在[^，,。；;在]{1,20}中(?:所|的)?$")


def _ratio_group(text: str, quantities: Sequence[Quantity], idx: int) -> tuple[int, int]:
    """(index of the first part, number of parts) of the ratio quantities[idx] is a part of."""
    def joined(i: int) -> bool:
        return (quantities[i].unit_written == RATIO_PART
                and quantities[i - 1].unit_written == RATIO_PART
                and text[quantities[i - 1].end : quantities[i].start] in (":", "："))
    first = idx
    while first > 0 and joined(first):
        first -= 1
    last = idx
    while last + 1 < len(quantities) and joined(last + 1):
        last += 1
    return first, last - first + 1


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
                and _RATIO_JOINERS.fullmatch(text[quantities[j - 1].end : quantities[j].start])
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


def link_sentence(
    fig: SentenceFigures,
    *,
    masked: Sequence[tuple[int, int]] = (),
    carried_count: MetricLink | None = None,
    names: Sequence[tuple[int, int]] = (),
    carried_level: MetricLink | None = None,
    industries: Sequence[tuple[int, int, frozenset[int]]] = (),
    previous_level: MetricLink | None = None,
) -> list[list[MetricLink]]:
    """For each quantity of the sentence, one or more metric links (more than one when a
    figure applies to several listed metrics: ＧＤＰ和财政收入占到12%左右).

    masked: spans of names (企业, 园区) whose words are not metric words (南阳鑫众投资公司).
    industries: spans of industry names, which no metric word starts inside of, with the
    positions inside them where an industry word ends (纺织|工业总产值 is whole).
    carried_count: the count metric last used in the paragraph (在312个块状经济中，…的有176个).
    previous_level: the last amount of the sentence before in the paragraph, which an
    amount of a sentence naming no metric goes on with (…进出口总额为900亿元。其中国家级
    开发区完成520亿元).
    """
    text = fig.text
    mentions = _unmasked(text, fig.start, fig.end, masked, industries)
    out: list[list[MetricLink]] = []
    # level figures so far, for growth/share/分别; a clause after ；continues the last one
    levels: list[MetricLink] = [carried_level] if carried_level is not None else []
    level_index: list[int | None] = [None] * len(levels)
    groups = _list_groups(text, fig.quantities, fig.start)
    listed_amounts = _listed_amounts(text, mentions, fig)
    sector_amounts = _sector_amounts(text, fig)
    prev_end = fig.start
    for idx, q in enumerate(fig.quantities):
        c_start = clause_start(text, q.start, fig.start)
        lo = max(prev_end, c_start)
        left = text[lo : q.start]
        measure = measure_of(text, q, left)
        joined = idx > 0 and fig.quantities[idx - 1].unit == q.unit and _JOINERS.match(
            text[fig.quantities[idx - 1].end : q.start]) is not None
        enumerated = idx > 0 and left.startswith("、") and not _OWN_VERB.search(left)
        if (joined or enumerated) and measure == "level" and out[-1][0].measure == "change":
            measure = "change"  # 分别减少3家、5家; 新增企业12家、项目8个: all changes
        if idx in groups and measure == "level":
            so_far = text[fig.start : q.start]
            measure = "share" if any(w in so_far for w in cues().share_list_words) else "growth"
        links: list[MetricLink]
        pp_change = measure == "change" and q.unit == "percentage_point"
        ratio = _ratio_group(text, fig.quantities, idx) if q.unit_written == RATIO_PART else None
        sectors = _sector_parts(text, fig.start, fig.quantities[ratio[0]].start,
                                ratio[1]) if ratio is not None else None
        if ratio is not None and sectors is not None:
            metric, part = sectors[idx - ratio[0]]
            links = [MetricLink(metric, part, "share", part=part)]
        elif (measure in ("share", "growth")
              and (_is_ratio(q) or measure == "growth")) or pp_change:
            # 比重上升0.8个百分点: the change of a share takes the metric of the part
            whole = _share_whole_start(left) if measure == "share" or pp_change else None
            part_end = lo + whole if whole is not None else q.start
            named = [  # a count's own name (企业数) names a count; a bare noun does not
                m for m in mentions
                if lo <= m.start and m.end <= part_end
                and (m.value not in _COUNT_METRICS or m.term.endswith("数")
                     or text.startswith(cues().count_nouns, m.end))
            ]
            specific = [m for m in named if m.value != "growth_rate"]
            sector = (sector_before(text, part_end, lo)
                      if not specific and (measure == "share" or pp_change) else None)
            if idx in groups and _sector_parts(text, fig.start, q.start, groups[idx][1]):
                pos, length = groups[idx]  # 三次产业增加值分别增长5%、8%和9%
                metric, word = (_sector_parts(text, fig.start, q.start, length) or [])[pos]
                links = [MetricLink(metric, word, measure)]
            elif idx in groups:
                pos, length = groups[idx]
                targets = _list_targets(text, mentions, levels, fig.start, q.start, length)
                target = targets[pos] if pos < len(targets) else None
                first = idx - pos
                if target is None and first > 0 and _is_ratio(fig.quantities[first - 1]):
                    # 全市…增长8.2%，长兴县、安吉县分别增长9.1%、7.6%: the same rate, theirs
                    previous = out[first - 1][0]
                    target = previous if previous.measure == measure else None
                about = level_index[-length:][pos] if len(levels) >= length else None
                own = _named_before_list(text, mentions, fig, first, length)
                if own is not None:  # 人均可支配收入分别增长8%: the metrics its clause names
                    target, about = MetricLink(own[pos].value, own[pos].term, measure), None
                counted = _counted_whole(text, mentions, fig, first) if measure == "share" else None
                if target is None and counted is not None:
                    target = MetricLink(counted.value, counted.term, measure)
                links = [
                    MetricLink(target.metric, target.metric_text, measure, about) if target
                    else MetricLink("other", None, measure)
                ]
            elif measure == "share" and text[q.end : q.end + 1] == "的":
                np = _noun_after(text, q, fig.end)
                verb = _NP_VERBS.search(np, 1)
                np_end = q.end + (verb.start() if verb else len(np))
                after = [m for m in mentions if q.end < m.start and m.end <= np_end]
                links = [  # 75%的企业, 75%的产品及产品销售收入 (its head), 90%的维生素E
                    MetricLink(after[-1].value, after[-1].term, measure) if after
                    else MetricLink("other", None, measure)
                ]
            elif specific:
                links = [MetricLink(m.value, m.term, measure) for m in _joined(text, specific)]
            elif sector is not None:  # 第三产业比重上升3个百分点: the sector's share
                named_part = sector[1] if sector[1] in cues().sectors else None  # not 工业
                links = [MetricLink(sector[0], sector[1], measure, part=named_part)]
            elif q.unit == "percentage_point" and out and _is_ratio(fig.quantities[idx - 1]):
                # …占全区比重为62.5%，提高1.8个百分点: the change of that share
                before = out[-1][0]
                links = [MetricLink(before.metric, before.metric_text, measure)]
            elif levels and (measure == "share" or not named or all(
                m.value == "growth_rate" and m.term in cues().growth_words for m in named
            )):  # 到位资金1.12万亿元，增幅为25%: the growth of the amount before it
                base = _share_base(text, levels, lo, q.start) if measure == "share" else levels[-1]
                links = [MetricLink(base.metric, base.metric_text, measure)]
            elif named:
                links = [MetricLink(named[-1].value, named[-1].term, measure)]
            else:
                m2 = _term_for(mentions, q, fig.start, "CNY")
                links = [
                    MetricLink(m2.value, m2.term, measure) if m2 else
                    MetricLink("growth_rate" if measure == "growth" else "other", None, measure)
                ]
        else:
            listed = listed_amounts.get(idx)
            sector_amount = sector_amounts.get(idx)
            links = [
                MetricLink(sector_amount[0], sector_amount[1], measure)
                if sector_amount is not None and listed is None
                else MetricLink(listed.value, listed.term, measure) if listed is not None
                else _level_link(text, mentions, q, lo, c_start, fig, measure, carried_count,
                                 names)
            ]
            if (links[0].metric == "other" and links[0].metric_text is None
                    and previous_level is not None and previous_level.metric != "other"
                    and q.unit not in ("count", "person")
                    and any(w in text[c_start : q.start] for w in cues().continuing_words)
                    and not any(allowed(m.value, q) for m in mentions)
                    and allowed(previous_level.metric, q)):
                links = [MetricLink(previous_level.metric, previous_level.metric_text, measure)]
            if not _is_ratio(q) and not _in_brackets(text, fig.start, q.start):
                # 财政收入1.2亿元(上年为0.8亿元)，分别增长…: an aside is no figure listed
                levels.append(links[0])
                level_index.append(idx)
            if links[0].metric in _COUNT_METRICS or q.unit == "count":
                carried_count = links[0]
        # 分别下降3.2%和5.1%: figures joined to a fall fall too
        if (joined and out[-1][0].falls) or falls(text, q, left):
            links = [replace(ln, falls=True) if ln.measure in ("growth", "change") else ln
                     for ln in links]
        out.append(links)
        prev_end = q.end
    return _added_before_a_total(text, fig.quantities, out)


def _added_before_a_total(
    text: str, figures: Sequence[Quantity], out: list[list[MetricLink]]
) -> list[list[MetricLink]]:
    """培育规模工业企业110家，累计达589家: a count the next clause follows with its running
    total is what the period added, a change."""
    for i in range(len(figures) - 1):
        q, nxt = figures[i], figures[i + 1]
        if (q.unit == "count" == nxt.unit and out[i][0].measure == "level"
                and _running_total().match(text, q.end, nxt.start)):
            out[i] = [replace(ln, measure="change") for ln in out[i]]
    return out


@cache
def _running_total() -> re.Pattern[str]:
    return re.compile(rf"[^，,。；;]{{0,4}}[，,](?:{_alt(cues().running_total_words)})")


_QUOTE_MARKS = "“”\"‘’"


def _scan_across_quotes(text: str, start: int, end: int) -> list[Mention[str]]:
    """Metric words, read as if quote marks were not there: “规上”企业 is 规上企业 (a quoted
    abbreviation inside a noun phrase)."""
    found = metric_scanner().scan(text, start, end)
    if not any(c in text[start:end] for c in _QUOTE_MARKS):
        return found
    keep = [i for i in range(start, end) if text[i] not in _QUOTE_MARKS]
    bare = "".join(text[i] for i in keep)
    across = [
        Mention(keep[m.start], keep[m.end - 1] + 1, m.term, m.value)
        for m in metric_scanner().scan(bare)
        if keep[m.end - 1] - keep[m.start] + 1 > len(m.term)  # it spans a quote mark
    ]
    spans = [(m.start, m.end) for m in across]
    kept = [m for m in found if not any(a <= m.start and m.end <= b for a, b in spans)]
    return sorted([*kept, *across], key=lambda m: m.start)


def _unmasked(
    text: str, start: int, end: int, masked: Sequence[tuple[int, int]],
    industries: Sequence[tuple[int, int, frozenset[int]]],
) -> list[Mention[str]]:
    """Metric words of text[start:end], less those inside a name; one that starts inside
    an industry's name and runs out of it (黑色金属冶炼及压延加|工业产值) is read again from
    where the name ends (产值)."""
    out: list[Mention[str]] = []
    for m in _scan_across_quotes(text, start, end):
        if any(a <= m.start and m.end <= b for a, b in masked):
            continue
        cut = next((b for a, b, whole in industries
                    if a < m.start < b < m.end and m.start not in whole), None)
        if cut is None:
            out.append(m)
        else:
            out.extend(metric_scanner().scan(text, cut, m.end))
    return out


def _listed_amounts(
    text: str, mentions: Sequence[Mention[str]], fig: SentenceFigures
) -> dict[int, Mention[str]]:
    """产值和税收分别达到1860亿元和96亿元: metrics joined right before a 分别 and as many
    amounts after it (up to the next 分别) pair up in order (amount's index → metric word)."""
    marks = [m.start() for m in _LIST_MARK.finditer(text, fig.start, fig.end)]
    out: dict[int, Mention[str]] = {}
    if not marks:
        return out
    for at, stop in zip(marks, [*marks[1:], fig.end], strict=True):
        named = [m for m in mentions if fig.start <= m.start and m.end <= at]
        if len(named) < 2 or named[-1].end < at - 2:
            continue
        joined = _joined(text, named)
        amounts = [i for i, q in enumerate(fig.quantities)
                   if at < q.start < stop and not _is_ratio(q)]
        if len(joined) >= 2 and len(joined) == len(amounts):
            out.update(zip(amounts, joined, strict=True))
    return out


_LIST_MARK = re.compile("|".join(LIST_WORDS))


def _sector_amounts(text: str, fig: SentenceFigures) -> dict[int, tuple[str, str]]:
    """第一、二、三产业增加值分别为12亿元、85亿元和40亿元: three amounts listed after the
    three sectors are theirs, in order (amount's index → (metric, sector))."""
    out: dict[int, tuple[str, str]] = {}
    marks = [m.start() for m in _LIST_MARK.finditer(text, fig.start, fig.end)]
    if not marks:
        return out
    for at, stop in zip(marks, [*marks[1:], fig.end], strict=True):
        amounts = [i for i, q in enumerate(fig.quantities)
                   if at < q.start < stop and not _is_ratio(q)]
        parts = _sector_parts(text, clause_start(text, at, fig.start), at, len(amounts))
        if parts is not None:
            out.update(zip(amounts, parts, strict=True))
    return out


def _named_before_list(
    text: str, mentions: Sequence[Mention[str]], fig: SentenceFigures, first: int, length: int,
) -> list[Mention[str]] | None:
    """产值和税收分别增长12%和9%: as many metric words as figures, joined, right before the
    list word of the figures' own clause — those are what the figures are of."""
    q = fig.quantities[first]
    lo = clause_start(text, q.start, fig.start)
    at = max(text.rfind(w, lo, q.start) for w in LIST_WORDS)
    if at < 0:
        return None
    named = [m for m in mentions if lo <= m.start and m.end <= at and m.value != "growth_rate"]
    if not named or named[-1].end < at - 2:
        return None
    joined = _joined(text, named)
    return joined if len(joined) == length else None


def _counted_whole(
    text: str, mentions: Sequence[Mention[str]], fig: SentenceFigures, first: int,
) -> Mention[str] | None:
    """东部和中部在国家级开发区中所占比例分别是40%和25%: shares of a whole that is a count
    (of parks) with no amount before them are shares of that count."""
    q = fig.quantities[first]
    lo = fig.quantities[first - 1].end if first > 0 else fig.start
    spans = list(_WHOLE_SPAN.finditer(text, lo, q.start))
    if not spans:
        return None
    within = spans[-1]
    counts = [m for m in mentions if within.start() <= m.start and m.end <= within.end()
              and m.value in _COUNT_METRICS]
    return counts[-1] if counts else None


_WHOLE_SPAN = re.compile(r"在[^，,。；;在]{1,20}中")


def _in_brackets(text: str, lo: int, at: int) -> bool:
    """An opening bracket before `at` (not before lo) that is not closed by then."""
    opened = max(text.rfind("(", lo, at), text.rfind("（", lo, at))
    return opened >= 0 and max(text.rfind(")", opened, at), text.rfind("）", opened, at)) < 0


def _share_base(text: str, levels: list[MetricLink], lo: int, hi: int) -> MetricLink:
    """The amount a share is of: the last one named, passing over counts (9家集聚区的
    贡献率达到30% is a share of revenue) unless the share is of a total number
    (…176个，占总数的56.4%)."""
    if "数" in text[lo:hi]:
        return levels[-1]
    amounts = [lv for lv in levels if lv.metric not in _COUNT_METRICS]
    return amounts[-1] if amounts else levels[-1]


def _level_link(
    text: str, mentions: Sequence[Mention[str]], q: Quantity, lo: int, c_start: int,
    fig: SentenceFigures, measure: str, carried_count: MetricLink | None,
    names: Sequence[tuple[int, int]] = (),
) -> MetricLink:
    """Metric of a level (or change) figure: for counts the noun counted after it
    (4个项目), else the nearest metric words before it in its list item, its clause, its
    sentence; a count with nothing named takes its measure word's usual metric (家 →
    enterprises) or the count the paragraph was about."""
    term: Mention[str] | None = None
    counted = q.unit in ("count", "person")
    if counted:
        term = _count_head(text, mentions, q, fig.end)
        if term is None:  # 1—2个世界级、7个万亿级先进制造业集群: one head for both counts
            term = _shared_head(text, mentions, q, fig)
        np = _NP_FILLER.sub("", _noun_after(text, q, fig.end))
        if np.startswith(cues().conjunctions):
            np = ""  # 高新区6家、经开区9家和保税区2家: what follows is the next item
        verb = _not_a_noun().search(np)
        if verb is not None:  # ６家在建，４家年内有望投产: what the counted do, not a noun
            np = np[: verb.start()]
        has_terms = any(q.end <= m.start < q.end + 12 for m in mentions)
        if term is None and _CJK_HEAD.match(np) and not has_terms:
            return MetricLink("other", np, measure)
        if term is None and q.unit == "count":
            noun = _noun_before(text, mentions, q, lo, names)
            if noun is not None:  # 各类创业主体375个, 消费品市场345家: not a metric word
                return MetricLink("other", noun, measure)
    if term is None:
        term = _term_for(mentions, q, lo, q.unit, text)
    if term is None and lo > c_start and text[lo : lo + 1] == "、":
        item = _words(_blank(text, lo + 1, q.start, names))
        # an enumerated item names its own noun (获得科技成果12项); a rank alone (其中国家级
        # 12个、省级45个) names none: the count the list is about goes on
        if len(item) >= 2 and _RANK.sub("", item):
            return MetricLink("other", item, measure)
    if term is None:
        term = _term_for(mentions, q, c_start, q.unit, text)
    if term is None and counted:
        if carried_count is not None and q.unit == "count" and allowed(carried_count.metric, q):
            return MetricLink(carried_count.metric, carried_count.metric_text, measure)
        verb = _NP_VERBS.search(text, q.end, fig.end)  # …入驻开发区: not what is counted
        stop = verb.start() if verb else fig.end
        later = [m for m in mentions if q.end <= m.start < stop and allowed(m.value, q)]
        if later and q.unit == "count":  # 形成10个…、20个…的产业集群
            return MetricLink(later[0].value, later[0].term, measure)
        if q.unit_written in _MEASURE_WORD_METRIC:
            return MetricLink(_MEASURE_WORD_METRIC[q.unit_written], None, measure)
    if term is None and not counted:
        gap = 1 if text[q.end : q.end + 1] == "的" else 0
        after = [m for m in mentions if q.end + gap <= m.start <= q.end + gap + 1
                 and allowed(m.value, q)]
        if after:  # 6亿元的授信协议, 300亩用地: the amount of what follows
            term = after[0]
    if term is None:
        term = _term_for(mentions, q, fig.start, q.unit, text)
    if term is None:
        return MetricLink("other", None, measure)
    metric = _sector_value_added(text, term, c_start) or _refine(text, term, q)
    if metric in _AREA_OF_A_SITE and any(
        m.value == "floor_area" and (m.end == term.start or (
            term.term in _AREA_VERBS and c_start <= m.start and m.end <= term.start))
        for m in mentions
    ):  # 标准厂房已建成12万平方米 too
        metric = "floor_area"  # 标准厂房建成面积71.8万平方米: the floor area of buildings
    if measure == "change" and metric in _FLOW_METRICS:
        measure = "level"
    return MetricLink(metric, term.term, measure)


_AREA_VERBS = cues().area_verbs  # metric words of areas that are verbs (metric_terms.csv)
_AREA_OF_A_SITE = frozenset({"built_area", "planned_area", "land_area", "jurisdiction_area"})
# A count measured in 家 with no noun named counts enterprises (培育３家产值过１０亿元的…).
_MEASURE_WORD_METRIC = cues().measure_word_default_metric
# Metrics that are flows by definition: 新增 does not make them a change (RECORDS.md) —
# new jobs, and money put in (今年又投入了５０００万元 is what was invested this year).
_FLOW_METRICS = frozenset({
    "new_jobs", "investment_completed", "project_investment_total", "fixed_asset_investment",
})
_CJK_HEAD = re.compile(r"[\u4e00-\u9fff]{2}")
_NOT_A_NOUN_WORDS = "|" + _in_order(cues().not_a_noun_words)


@cache
def _not_a_noun() -> re.Pattern[str]:
    """Where the words after a count stop naming what it counts: a verb (６家在建), or a
    verb of change or regrouping (由86家增加到112家, 从180个整合为136个)."""
    c = cues()
    words = (*c.falls, *c.rises, *c.regrouping)
    return re.compile(_NP_VERBS.pattern + _NOT_A_NOUN_WORDS + "|" + _alt(words))
_NP_FILLER = re.compile(rf"^(?:{_in_order(cues().count_after_fillers)})+")


def _noun_before(
    text: str, mentions: Sequence[Mention[str]], q: Quantity, lo: int,
    names: Sequence[tuple[int, int]],
) -> str | None:
    """The noun a count closes (各类市场452个，品牌产品35个。) when it is no metric word: the
    count is of that thing, not of the park or the firms named further left. None when
    the count goes on into its own noun (3个销售收入超亿元的集群), follows a verb (拥有193个),
    a metric word, a name, a list (华升、中富等8家) or only a rank (其中省级12个: the count
    the paragraph is about)."""
    if text[q.end : q.end + 1] not in _CLAUSE_END:
        return None
    left = text[lo : q.start]
    trimmed = _COUNT_FILLER.sub("", left)
    run = _CJK_RUN.search(trimmed)
    if run is None or trimmed.endswith(_COUNT_VERBS) or trimmed.endswith(("等", "的")) or (
        change_verb(trimmed) is not None  # 减少44个: the count the paragraph is about
    ):
        return None
    noun = _RANK.sub("", _ITEM_FILLER.sub("", run.group()[-_NOUN_MAX:]))
    lo_run, end = lo + len(trimmed) - min(_NOUN_MAX, len(run.group())), lo + len(trimmed)
    if len(noun) < 2:
        return None
    if any(lo_run < m.end and m.start < end for m in mentions):
        return None
    if any(lo_run < b and a < end for a, b in names):
        return None
    return noun


_NOUN_MAX = 6  # a counted noun is short (品牌产品, 创业主体); longer runs reach the verb
_CLAUSE_END = frozenset("，,。；;、）)\n")
_COUNT_FILLER = re.compile(f"(?:{'|'.join(cues().count_before_fillers)})+$")
_COUNT_VERBS = cues().count_verbs
_RANK = re.compile(rf"^(?:{_in_order(cues().rank_words)})+")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+$")


def _blank(text: str, lo: int, hi: int, names: Sequence[tuple[int, int]]) -> str:
    """text[lo:hi] with named entities (regions, parks, companies) blanked."""
    chars = list(text[lo:hi])
    for a, b in names:
        for i in range(max(a, lo), min(b, hi)):
            chars[i - lo] = " "
    return "".join(chars)


def _words(text: str) -> str:
    """The Chinese words of a list item, less qualifiers and verbs of reaching."""
    item = re.sub(r"[^\u4e00-\u9fff]", "", text)
    return _ITEM_FILLER.sub("", item)


_ITEM_FILLER = re.compile(
    f"^(?:{'|'.join(cues().item_fillers_before)})+|(?:{'|'.join(cues().item_fillers_after)})+$"
)


def _list_targets(
    text: str, mentions: Sequence[Mention[str]], levels: list[MetricLink], lo: int, hi: int,
    length: int,
) -> list[MetricLink]:
    """What a 分别 list of `length` ratios refers to: the last `length` level figures,
    or, when the sentence listed metrics without figures (这些开发区实际利用的外资、提供的
    财政收入和实现的进出口总额分别占全市的74%、40%和70%以上), those metric words."""
    if len(levels) >= length:
        return levels[-length:]
    named = [m for m in mentions if lo <= m.start and m.end <= hi and m.value not in _COUNT_METRICS]
    share_at = max((text.rfind(w, lo, hi) for w in _share_words()), default=-1)
    if share_at >= 0:
        named = [m for m in named if m.end <= share_at]
    if len(named) >= length:
        return [MetricLink(m.value, m.term, "share") for m in named[-length:]]
    return levels


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
    if metric == "investment_completed" and term.term in cues().investment_words:
        after = text[q.end : q.end + 1]
        if after == "的":
            return "project_investment_total"
        # 将投资6亿元, 共投资1300万元, 合计投资3800万美元: what a project or set of projects costs
        if text[max(0, term.start - 2) : term.start].endswith(_PROJECT_SIZE_BEFORE):
            return "project_investment_total"
    if metric == "project_investment_total" and any(
            w in text[term.end : q.start] for w in cues().spent_verbs):
        return "investment_completed"  # 项目投资累计完成86亿元: money spent
    return metric


_PROJECT_SIZE_BEFORE = cues().project_size_before
