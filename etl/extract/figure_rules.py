"""Decide whether a quantity the grammar read is a figure *of a subject*.

RECORDS.md excludes ordinals, vague numbers, grades, durations, thresholds of policy
rules, bucket bounds, rhetorical counts, meeting counts and locating distances. Each
rule here looks only at the words around the figure; the word lists live in
`seeds/figure_rules.toml` so they can grow without touching code.
"""

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cache

from etl.extract.gazetteer import park_suffix_pattern
from etl.extract.lexicon import load_word_lists
from etl.extract.link_metric import compatible, metric_scanner
from etl.extract.quantities import Quantity
from etl.extract.segment import clause_separators

_CJK = re.compile(r"[\u4e00-\u9fff]")
_CHINESE_NUMERAL_START = re.compile(r"[一二两三四五六七八九十]")


def _park_suffix_at(text: str, pos: int) -> bool:
    """A park's suffix follows within a few characters, with no break between."""
    m = park_suffix_pattern().search(text, pos, min(len(text), pos + 16))
    return (
        m is not None
        and m.start() - pos <= 6
        and not re.search(r"[，,。；;、：:\s]", text[pos : m.start()])
    )


@dataclass(frozen=True)
class FigureRules:
    ordinal_prefixes: tuple[str, ...]
    ordinal_prefix_words: tuple[str, ...]
    vague_prefixes: tuple[str, ...]
    after_unit_blockers: tuple[str, ...]
    after_ge_blockers: tuple[str, ...]
    threshold_continuations: tuple[str, ...]
    threshold_words: tuple[str, ...]
    bucket_openers: tuple[str, ...]
    opener_verbs: tuple[str, ...]
    opener_nouns: tuple[str, ...]
    suffix_thresholds: tuple[str, ...]
    rule_openers: tuple[str, ...]
    count_measures: tuple[str, ...]
    criteria_words: tuple[str, ...]
    name_prefixes: tuple[str, ...]
    uncounted_nouns: tuple[str, ...]
    noun_phrase_window: int
    rule_conditions: tuple[str, ...]
    rule_grants: tuple[str, ...]
    meeting_words: tuple[str, ...]
    distance_prefixes: tuple[str, ...]
    place_after_distance: tuple[str, ...]
    demonstratives: tuple[str, ...]
    article_numerals: tuple[str, ...]
    list_joiners: tuple[str, ...]
    milestone_counters: tuple[str, ...]
    share_openers: tuple[str, ...]
    list_words: tuple[str, ...]
    assumption_openers: tuple[str, ...]
    assumption_verbs: tuple[str, ...]
    not_criteria: tuple[str, ...]  # regular expressions
    place_after: tuple[str, ...]
    park_counters: tuple[str, ...]
    inclusive_markers: tuple[str, ...]
    head_followers: tuple[str, ...]


@cache
def rules() -> FigureRules:
    """The one reader of seeds/figure_rules.toml."""
    return FigureRules(**load_word_lists("figure_rules.toml"))


# words that hold a criteria word without stating a criterion (标准厂房 is a building)
_NOT_CRITERIA = re.compile("|".join(rules().not_criteria))
# 五台县, 三台县: a numeral and a measure word opening a place name
_PLACE_AFTER = rules().place_after
# measure words that can count parks (三家产业园区 is a count; 三元产业园区 a name)
_PARK_COUNTERS = rules().park_counters


@dataclass(frozen=True)
class Context:
    """The normalised text around one quantity, bounded by its sentence."""

    text: str
    sentence_start: int
    sentence_end: int

    def before(self, q: Quantity, n: int) -> str:
        return self.text[max(self.sentence_start, q.start - n) : q.start]

    def after(self, q: Quantity, n: int) -> str:
        return self.text[q.end : min(self.sentence_end, q.end + n)]

    def sentence(self) -> str:
        return self.text[self.sentence_start : self.sentence_end]


_CLAUSE_END = re.compile(r"[，,、。；;！？!?：:\n“”\"()（）]")
_STOPS = "，,。；;！？!?\n"


def _clause_bounds(ctx: Context, pos: int, neighbours: int = 0) -> tuple[int, int]:
    """[start, end) of the clause around pos, widened by `neighbours` clauses each side
    (start at the separator before, end at the separator after)."""
    seps = clause_separators(ctx.text)
    i = bisect_left(seps, pos)
    lo = i - 1 - neighbours
    hi = i + neighbours
    start = seps[lo] if lo >= 0 else 0
    end = seps[hi] if hi < len(seps) else len(ctx.text)
    return max(ctx.sentence_start, start), min(ctx.sentence_end, end)


@cache
def _count_before_pattern() -> re.Pattern[str]:
    measures = "|".join(re.escape(m) for m in rules().count_measures if m != "个")
    durations = "|".join(re.escape(b) for b in rules().after_ge_blockers)
    return re.compile(rf"(?:\d+|[一二两三四五六七八九十百千]+)(?:个(?!{durations})|{measures})")


def _has_head(phrase: str, noun: str) -> bool:
    """The noun heads the phrase: it ends it, or a conjunction or 的 follows it
    (三个方面, 3个重点建设片和…); a one-character noun inside a word does not count."""
    start = phrase.find(noun)
    while start >= 0:
        nxt = phrase[start + len(noun) : start + len(noun) + 1]
        if len(noun) > 1 or nxt == "" or nxt in rules().head_followers:
            return True
        start = phrase.find(noun, start + 1)
    return False


def _noun_phrase_after(ctx: Context, q: Quantity, window: int) -> str:
    tail = ctx.after(q, window)
    m = _CLAUSE_END.search(tail)
    return tail[: m.start()] if m else tail


_LIST_ITEM = re.compile(r"[\u4e00-\u9fff]{1,8}")


def _counts_its_list(ctx: Context, q: Quantity) -> bool:
    """甲、乙、丙、丁前4个村: the count is of the names listed right before it (the last
    of which may end in 前 or 第), as many as it says."""
    start = max(ctx.text.rfind(c, ctx.sentence_start, q.start) for c in _STOPS + "：:") + 1
    items = ctx.text[max(start, ctx.sentence_start) : q.start].split("、")
    return (
        len(items) >= 2 and q.value == len(items)
        and all(_LIST_ITEM.fullmatch(item) for item in items)
    )


def _metric_closes_clause(ctx: Context, q: Quantity) -> bool:
    """突破3000亿产值。: a metric word right after the amount ends its clause, so the amount
    is that metric's, not the bound of a bucket it heads (超亿元项目33个)."""
    after = metric_scanner().scan(ctx.text, q.end, min(ctx.sentence_end, q.end + 8))
    if not after or after[0].start != q.end or not compatible(after[0].value, q.unit):
        return False  # 引进超10亿元项目。: a class of projects, not an amount of them
    end = after[0].end
    return end >= ctx.sentence_end or ctx.text[end] in _STOPS


def _threshold_qualified(ctx: Context, q: Quantity) -> bool:
    written = ctx.text[q.start : q.end]
    words = rules().threshold_words
    return written.startswith(words) or written.endswith(words)


def _in_short_quote(ctx: Context, q: Quantity) -> bool:
    """A figure inside a short quoted name or slogan (“五名城”, “十五条特色街”)."""
    left = ctx.text.rfind("“", ctx.sentence_start, q.start)
    if left < 0:
        left = ctx.text.rfind("《", ctx.sentence_start, q.start)
        closer = "》"
    else:
        closer = "”"
    if left < 0:
        return False
    between_open = ctx.text.find(closer, left, q.start)
    if between_open >= 0:
        return False
    right = ctx.text.find(closer, q.end, ctx.sentence_end)
    if right < 0:
        return False
    return closer == "》" or right - left <= 12


def _in_parentheses(ctx: Context, q: Quantity) -> bool:
    lo = ctx.sentence_start
    left = max(ctx.text.rfind("(", lo, q.start), ctx.text.rfind("（", lo, q.start))
    if left < 0:
        return False
    closed = max(ctx.text.rfind(")", left, q.start), ctx.text.rfind("）", left, q.start))
    return closed < 0


@cache
def _word_re(name: str) -> re.Pattern[str]:
    """One alternation for a word list of the rules, longest first."""
    items = getattr(rules(), name)
    return re.compile("|".join(re.escape(w) for w in sorted(items, key=len, reverse=True)))


@cache
def _milestone_re() -> re.Pattern[str]:
    counters = "|".join(re.escape(w) for w in rules().milestone_counters)
    return re.compile(rf"[两二三四五六七八九十\d]+(?:{counters})")


_CLAUSE_STOP = re.compile(r"[，,。；;！？!?\n]")


def _milestone_after(ctx: Context, q: Quantity) -> bool:
    """越过60亿、70亿两道关口: the clause goes on to count the thresholds crossed."""
    tail = ctx.after(q, 24)
    stop = _CLAUSE_STOP.search(tail)
    return _milestone_re().search(tail[: stop.start()] if stop else tail) is not None


def is_rule_text(text: str) -> bool:
    return bool(_word_re("rule_conditions").search(text) and _word_re("rule_grants").search(text))


def rejection(ctx: Context, q: Quantity) -> str | None:
    """Why this quantity is not a figure, or None when it is one."""
    r = rules()
    written = ctx.text[q.start : q.end]
    before2 = ctx.before(q, 2)
    before4 = ctx.before(q, 4)
    prev = before2[-1:] if before2 else ""
    if (prev in r.ordinal_prefixes and before2 not in r.ordinal_prefix_words
            and not _counts_its_list(ctx, q)):
        return "ordinal"
    if before4.endswith(r.vague_prefixes) and (
        _CHINESE_NUMERAL_START.match(written)
    ):
        return "vague number"
    if before4.endswith(r.name_prefixes):
        return "part of a name"
    after = ctx.after(q, 4)
    if after.startswith(r.after_unit_blockers):
        return "grade or type"
    if q.unit_written == "个" and after.startswith(r.after_ge_blockers):
        return "duration"
    if before4.endswith(r.demonstratives):
        return "refers back to a counted set"
    if q.unit == "km" and (any(d in ctx.before(q, 8) for d in r.distance_prefixes)
                           or after.startswith(r.place_after_distance)):
        return "distance"  # 距市区15公里; 位于市区东南15公里处: where it is, not its size
    if after.startswith(r.assumption_verbs) and any(
        o in ctx.text[_clause_bounds(ctx, q.start)[0] : q.start] for o in r.assumption_openers
    ):
        return "assumed in a calculation"
    if _CHINESE_NUMERAL_START.match(written) and (
        after.startswith(_PLACE_AFTER)
        or (q.unit_written not in _PARK_COUNTERS and _park_suffix_at(ctx.text, q.end))
    ):
        return "part of a place name"  # 三元区, 三元产业园区, 五台县
    if _in_short_quote(ctx, q):
        return "inside a quoted name"
    if _milestone_after(ctx, q):
        return "milestone passed"
    # bucket bounds and thresholds: 超过200亿元的26个, 在50～100亿元的, 超亿元项目33个
    nxt = after[:1]
    threshold = _threshold_qualified(ctx, q)
    suffix_threshold = written.endswith(r.suffix_thresholds)
    opener = next((o for o in r.bucket_openers if ctx.before(q, len(o)).endswith(o)), None)
    opened = opener is not None and not any(
        ctx.before(q, len(opener) + len(v)).startswith(v)
        for v in (*r.opener_verbs, *r.opener_nouns)
    )
    c_start, c_end = _clause_bounds(ctx, q.start)
    count_after = nxt == "的" and (
        _count_before_pattern().search(ctx.text, q.end, c_end) or after[1:2] == "有"
    )
    # a share after a count (13家…占到了全省总数超过五分之一) states the count's share; only
    # a count after it (占比超过50%的企业有10家) makes it a bucket
    count_before = q.unit != "percent" or not _word_re("share_openers").search(
        ctx.text, c_start, q.start)
    count_at = _count_before_pattern().search(ctx.text, c_start, q.start)
    if count_at is not None and any(
        w in ctx.text[count_at.end() : q.start] for w in r.list_words
    ):
        count_at = None  # 两家企业的产值分别超过80亿元: their figures, listed
    if (threshold or q.qualifier == "range" or opened) and (
        (count_before and count_at)
        or count_after
        or (opened and (suffix_threshold or q.qualifier == "range"))
    ):
        return "bucket bound"
    if threshold and after.startswith(r.inclusive_markers):
        return "criterion"
    if ctx.before(q, 2).endswith(r.inclusive_markers):
        return "criterion"
    if (
        threshold
        and nxt
        and not after.startswith(r.threshold_continuations)
        and _CJK.match(nxt)
        and nxt != "的"
        and not _metric_closes_clause(ctx, q)
    ):
        return "bucket bound"
    sentence = ctx.sentence()
    w_start, w_end = _clause_bounds(ctx, q.start, neighbours=1)
    window = ctx.text[w_start:w_end]
    if threshold and _word_re("criteria_words").search(_NOT_CRITERIA.sub("", window)):
        return "criterion"
    if is_rule_text(window):
        return "threshold or grant in a policy rule"
    if sentence.lstrip().startswith(r.rule_openers) and _word_re("rule_grants").search(sentence):
        return "threshold or grant in a policy rule"
    if threshold and _in_parentheses(ctx, q):
        return "criterion"  # 规模以上工业企业（年主营业务收入2000万元及以上）
    cs, ce = _clause_bounds(ctx, q.start)
    if q.unit == "percent" and _word_re("rule_grants").search(ctx.text, cs, ce):
        return "policy rate"
    if q.unit in ("person", "count") and _word_re("meeting_words").search(ctx.text, cs, ce):
        return "meeting count"
    if q.unit in ("count", "person"):
        np = _noun_phrase_after(ctx, q, r.noun_phrase_window)
        if _word_re("uncounted_nouns").search(np) and any(
            _has_head(np, n) for n in r.uncounted_nouns
        ):
            return "rhetorical count"
        if written[:1] in r.article_numerals and written[1:2] and not written[1:2].isdigit():
            joined = before4.endswith(r.list_joiners)
            closes = ctx.after(q, 1)[:1] in ("", *_STOPS)
            if not joined and not closes:
                return "article, not a count"
    return None
