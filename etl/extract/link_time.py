"""Time and status of each figure: the year or period it refers to, and whether it is an
actual, a target or an estimate.

Time words are parsed here, not by a date library: the ones tried read 十一五 as
1 October and 1-5月份 as 5 January. Only what the text makes certain is kept: an explicit
year, a five-year plan, a half-year or month span of a stated year. 今年/去年 resolve only
against the article's own date. A time expression carries forward through its paragraph
until a new one appears; a goal frame (发展目标：到2015年…) carries the same way.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from functools import cache

from etl.extract.lexicon import guarded_alternation, load_word_lists, searched_alternation


@dataclass(frozen=True)
class TimeWords:
    """The time words of seeds/time_words.toml (see the comments there)."""

    leads: tuple[str, ...]
    deadline_leads: tuple[str, ...]
    event_leads: tuple[str, ...]
    point_leads: tuple[str, ...]
    changes_before_deadline: tuple[str, ...]
    plan_parts: tuple[str, ...]
    plan_end_parts: tuple[str, ...]
    plan_undated_parts: tuple[str, ...]
    plan_launch_parts: tuple[str, ...]
    year_parts: tuple[str, ...]
    whole_year_parts: tuple[str, ...]
    relative_years: tuple[str, ...]
    same_year: tuple[str, ...]
    undated_relative: tuple[str, ...]
    previous_year: tuple[str, ...]
    since_or_end: tuple[str, ...]
    relative_parts: tuple[str, ...]
    now: tuple[str, ...]  # regular expressions
    now_dated: tuple[str, ...]
    comparison_before_year: tuple[str, ...]
    comparison_after_year: tuple[str, ...]
    comparison_before_relative: tuple[str, ...]
    comparison_after_relative: tuple[str, ...]
    always_compared: tuple[str, ...]
    goal_headings: tuple[str, ...]
    goal_labels: tuple[str, ...]
    goal_openers: tuple[str, ...]
    past_year: tuple[str, ...]
    year_on_year: tuple[str, ...]
    from_to_open: tuple[str, ...]
    from_to_verbs: tuple[str, ...]
    five_year_plans: dict[str, int]
    relative_year_offsets: dict[str, int]
    half_years: dict[str, str]
    quarters: dict[str, list[int]]
    review_titles: tuple[str, ...]


@cache
def time_words() -> TimeWords:
    """The one reader of seeds/time_words.toml."""
    return TimeWords(**load_word_lists("time_words.toml"))


def _alt(words: Iterable[str]) -> str:
    """Literal words as alternatives, in the list's order (the order a regex tries them)."""
    return "|".join(re.escape(w) for w in words)


def _first_chars(fragments: Iterable[str]) -> list[str]:
    """The character class items a regex fragment can start with: its first character, a
    leading lookbehind skipped ((?<![体实表出呈发])现在 → 现), `\\d` for one of digits."""
    out: list[str] = []
    for f in fragments:
        f = re.sub(r"^\(\?<!\[[^\]]*\]\)", "", f)
        first = f[:2] if f.startswith("\\") else re.escape(f[0])
        if first not in out:
            out.append(first)
    return out


_W = time_words()
_FIVE_YEAR = _W.five_year_plans

# Cheap reject of most positions: the first characters of every alternative below, the
# quotes around a plan's name (“十二五”) and digits.
_STARTS = "".join(dict.fromkeys(
    [*_first_chars([*_W.leads, *_FIVE_YEAR, *_W.relative_years, *_W.now]), "“", '"', "\\d"]
))

_TIME = re.compile(
    rf"""
    (?=[{_STARTS}])
    (?P<lead>{_alt(_W.leads)})?
    (?:
      (?<![一二两三四五六七八九十百千零〇])[“"]?(?P<plan>{_alt(_FIVE_YEAR)})(?![”"]?[规计纲])[”"]?(?P<plan_part>{_alt(_W.plan_parts)})?
    | (?P<year>1\d\d\d(?=年)|(?:19|20)\d\d|2\d\d\d(?=年)|20xx|20XX)(?:年|(?=[,，]))
      (?P<part>{_alt(_W.year_parts)}
        |(?P<m1>\d{{1,2}})[-—~至到](?P<m2>\d{{1,2}})月份?|(?P<m>\d{{1,2}})月份?|前(?P<mfirst>\d{{1,2}})个月)?
    | (?P<rel>{_alt(_W.relative_years)})
      (?P<relpart>{_alt(_W.relative_parts)}|前\d{{1,2}}个月|\d{{1,2}}[-—~]\d{{1,2}}月份?|\d{{1,2}}月份?)?
    | (?P<now>{"|".join(_W.now)})
    | (?P<mspan>\d{{1,2}})[-—~](?P<mspan2>\d{{1,2}})月份?
    )
    """,
    re.VERBOSE,
)

# A year used for comparison (比2007年增长, 与2005年相比) does not set the time.
_COMPARISON_BEFORE = _W.comparison_before_year
_COMPARISON_AFTER = _W.comparison_after_year
# 提高到2008年的75%: a point of comparison, not a deadline
_CHANGE_VERBS = _W.changes_before_deadline
# 全年, 当年 refer to the year already in force (2010年…，全年共申请专利123项)
_SAME_YEAR = _W.same_year


@dataclass(frozen=True)
class TimeRef:
    year: int | None
    period: str | None
    period_text: str
    goal: bool = False  # 到2015年: a deadline, so figures under it are targets
    same_year: bool = False  # 当年, 全年: the year already in force, if any
    carries: bool = True  # 排至2024年 dates an event, it does not frame what follows
    # where the year came from: the time words' span (normalised text) and the rule —
    # "sentence" (words next to the figure), "title", "section heading", "list intro"
    rule: str = "sentence"
    at: tuple[int, int] | None = None
    dated: bool = False  # a relative word (今年, 目前) resolved against the report's date


@cache
def status_words() -> dict[str, tuple[str, ...]]:
    return load_word_lists("status_words.toml")


def _plan(name: str, part: str | None, text: str) -> TimeRef:
    first = _FIVE_YEAR[name]
    last = first + 4
    if part in _W.plan_undated_parts:  # “十四五”以来: from its start to an unknown day
        return TimeRef(None, None, text)
    if part in _W.plan_end_parts:  # “十二五”末
        return TimeRef(last, str(last), text)
    if part in _W.plan_launch_parts:  # “十四五”开门红: the plan's first year
        return TimeRef(first, str(first), text)
    return TimeRef(last, f"{first}/{last}", text)


def _relative(rel: str, part: str | None, text: str, today: date | None) -> TimeRef:
    if rel in _SAME_YEAR:
        return TimeRef(None, None, text, same_year=True)
    if today is None or rel in _W.undated_relative:
        return TimeRef(None, None, text)
    offset = _W.relative_year_offsets.get(rel)  # 去年: −1
    if offset is None:
        return TimeRef(None, None, text)
    return _with_part(today.year + offset, part, text)


def _with_part(year: int, part: str | None, text: str) -> TimeRef:
    if not part:
        return TimeRef(year, str(year), text)
    if part in _W.half_years:  # 上半年 → 2012-H1
        return TimeRef(year, f"{year}-{_W.half_years[part]}", text)
    if part in _W.quarters:  # 一季度 → 2013-01/2013-03, 前三季度 → 2013-01/2013-09
        first, last = _W.quarters[part]
        return TimeRef(year, f"{year}-{first:02d}/{year}-{last:02d}", text)
    m = re.fullmatch(r"(\d{1,2})[-—~至到](\d{1,2})月份?", part)
    if m:
        return TimeRef(year, f"{year}-{int(m[1]):02d}/{year}-{int(m[2]):02d}", text)
    m = re.fullmatch(r"(\d{1,2})月份?", part)
    if m:
        return TimeRef(year, f"{year}-{int(m[1]):02d}", text)
    m = re.fullmatch(r"前(\d{1,2})个月", part)
    if m:
        return TimeRef(year, f"{year}-01/{year}-{int(m[1]):02d}", text)
    return TimeRef(year, str(year), text)


def parse_time(m: re.Match[str], today: date | None) -> TimeRef | None:
    text = m.group(0)
    lead = m.group("lead")
    before = m.string[max(0, m.start() - 2) : m.start()]
    goal = (lead in _W.deadline_leads and not before.endswith(_CHANGE_VERBS)
            # 在2012到2017年间, 从2012年到2017年: the end of a span of years, no deadline
            and not before[-1:].isdigit() and not before.endswith("年")
            # 到目前为止: up to now, a result
            and m.group("now") not in _NOW)
    carries = lead not in _W.event_leads
    if m.group("plan"):
        ref = _plan(m.group("plan"), m.group("plan_part"), text)
    elif m.group("year"):
        y = m.group("year")
        if not y[-2:].isdigit():
            ref = TimeRef(None, None, text)
        else:
            part = m.group("part")
            if part in _W.whole_year_parts:
                part = None
            ref = _with_part(int(y), part, text)
            if lead in _W.point_leads:
                ref = replace(ref, period=None)
    elif m.group("rel"):
        ref = _relative(m.group("rel"), m.group("relpart"), text, today)
    elif today is not None and m.group("mspan"):  # 1-6月份 of the report's own year
        ref = _with_part(today.year, text[text.index(m.group("mspan")):], text)
    elif today is not None and m.group("now") in _HALF_YEARS:  # 上半年 of the report's year
        ref = _with_part(today.year, m.group("now"), text)
    elif today is not None and m.group("now") in _W.quarters:
        # 一季度 of the report's year — or of the year before when the report is dated
        # before that quarter ended (前三季度 in a speech of 2012年1月11日 is 2011's)
        part = m.group("now")
        year = today.year if today.month >= _W.quarters[part][1] else today.year - 1
        ref = _with_part(year, part, text)
    elif today is not None and m.group("now") in _NOW:  # 目前: the year the report is dated
        ref = TimeRef(today.year, None, text)
    else:
        ref = TimeRef(None, None, text)
    if m.group("m") and not text.endswith("份") and _EVENT_VERB.match(m.string, m.end()):
        # 1998年9月改用现名: the date of an event, no frame for what follows (a survey of
        # 2024年6月的调查 still dates what it found)
        carries = False
    return replace(ref, goal=goal, carries=carries)


_HALF_YEARS = tuple(_W.half_years)
# 1998年9月改用现名: a date followed by a verb (any Han character but these particles)
_EVENT_VERB = re.compile(r"\d{0,2}日?[\u4e00-\u9fff](?<![的份底末初中])")
_NOW = _W.now_dated



def resolve(ref: TimeRef, current: TimeRef | None) -> TimeRef:
    """全年/当年 take the year already in force (all of it)."""
    if ref.same_year and current is not None and current.year is not None:
        # 2023年1—11月…，全年预计…: the whole year, not the months before
        return replace(current, period=str(current.year), period_text=ref.period_text)
    if (ref.year is None and current is not None and current.year is not None
            and ref.period_text.lstrip("在").startswith(_W.previous_year)
            and not ref.period_text.endswith(_W.since_or_end)):
        # 2008年…（上年为7602万元）: with no date of the report's own, the year before the
        # one in force
        year = current.year - 1
        return replace(ref, year=year, period=str(year))
    return ref


# Words that make the time after them the base of a comparison (较上年, 比去年同期).
_COMPARED_WITH = _W.comparison_before_relative


def _compared_with(text: str, floor: int, m: re.Match[str]) -> bool:
    """The time m names is what a figure is compared with, not the time of the figure."""
    if m.group("year") and not m.group("lead"):
        before = text[max(floor, m.start() - 2) : m.start()]
        after = text[m.end() : m.end() + 2]
        return before.endswith(_COMPARISON_BEFORE) or after.startswith(_COMPARISON_AFTER)
    if not (m.group("rel") or m.group("plan")):
        return False
    if m.group("rel") in _W.always_compared:
        return True  # 比上年同期: always half of a comparison
    before = text[max(floor, m.start() - 1) : m.start()]
    after = text[m.end() : m.end() + 2]
    return before in _COMPARED_WITH or after.startswith(_W.comparison_after_relative)


def time_mentions(
    text: str, start: int, end: int, today: date | None
) -> list[tuple[int, int, TimeRef]]:
    out: list[tuple[int, int, TimeRef]] = []
    for m in _TIME.finditer(text, start, end):
        if _compared_with(text, start, m):
            continue  # 比2007年增长, 较上年增加5亿元, 较“十二五”末翻了两番: the base, not the time
        ref = parse_time(m, today)
        if ref is not None:
            dated = ref.year is not None and not (m.group("year") or m.group("plan"))
            out.append((m.start(), m.end(), replace(ref, at=(m.start(), m.end()), dated=dated)))
    return out


_LAUNCH = re.compile(
    rf"[“\"]?(?P<plan>{_alt(_FIVE_YEAR)})[”\"]?(?:的)?(?:{_alt(_W.plan_launch_parts)})"
)


def title_time(title: str, offset: int = 0) -> TimeRef | None:
    """The period a title dates its report by: a part of a year (南山高新技术产业园区2012年
    上半年经济运行情况, 2023年1-9月…), or a plan's first year (“十四五”开门红). A bare year
    (二〇一一年工作报告: delivered then, about the year before) dates nothing by itself."""
    m = _LAUNCH.search(title)
    if m is not None:
        first = _FIVE_YEAR[m.group("plan")]
        at = (offset + m.start(), offset + m.end())
        return TimeRef(first, str(first), "", rule="title", at=at)
    for m in _TIME.finditer(title):
        if m.group("year") and m.group("part") and m.group("year")[-2:].isdigit():
            ref = parse_time(m, None)
            if ref is not None and ref.period and ref.period != str(ref.year):
                return replace(ref, period_text="", rule="title", goal=False,
                               at=(offset + m.start(), offset + m.end()))
    for m in _TIME.finditer(title):
        # 清河县2019年国民经济和社会发展统计公报: a review of the year it names
        if (m.group("year") and m.group("year")[-2:].isdigit() and not m.group("part")
                and any(w in title[m.end():] for w in _W.review_titles)):
            year = int(m.group("year"))
            return TimeRef(year, str(year), "", rule="title",
                           at=(offset + m.start(), offset + m.end()))
    return None


def title_year(title: str) -> int | None:
    """The year a title names (2011年工作报告), for 今年 when the report states no date."""
    for m in _TIME.finditer(title):
        if m.group("year") and m.group("year")[-2:].isdigit():
            return int(m.group("year"))
    return None


def heading_time(text: str, start: int, end: int, today: date | None) -> TimeRef | None:
    """The year a heading of review gives its section (一、去年工作回顾, 一、2014年工作回顾):
    an explicit or relative year, not a plan (十三五规划) — what a heading of goals gives is
    `goal_heading`'s."""
    for _s, _e, ref in time_mentions(text, start, end, today):
        if ref.year is not None and ref.period is not None and "/" not in ref.period:
            return replace(ref, period_text="", rule="section heading")
    return None


@cache
def _status_word_starts() -> re.Pattern[str]:
    """Every position where a status word starts (a lookahead, so words may overlap), the
    group named by its status; at one position target words win, then estimate ones — the
    nearest status word decides, and a goal word outranks another starting with it."""
    words = status_words()

    def alternation(status: str) -> str:
        return "|".join(re.escape(w) for w in sorted(words[status], key=len, reverse=True))

    groups = "|".join(f"(?P<{st}>{alternation(st)})" for st in ("target", "estimate", "actual"))
    return re.compile(f"(?=(?:{groups}))")


@cache
def _actual_periods() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in status_words()["actual_periods"])


def status_at(text: str, clause_start: int, pos: int, frame: str) -> str:
    """Status words in the figure's clause before it decide; else the sentence/paragraph
    frame (a goal stated at its start, or the status of the clause before)."""
    words = status_words()
    left = text[clause_start:pos]
    for term in words["not_status"]:  # 计划总投资 is a project's size, not a plan
        left = left.replace(term, "□" * len(term))
    best_pos, best = -1, None
    for hit in _status_word_starts().finditer(left):  # the last position where one starts
        best_pos, best = hit.start(), hit.lastgroup
    if best == "target" and left.startswith(words["conditional_target"], best_pos) \
            and frame != "target":
        tail = left[best_pos:]  # (after a goal, 争取 raises it: 确保550亿元，争取突破600亿元)
        if not any(t in tail for t in words["future_after_zhengqu"]):
            best = "actual"
    if best == "target" and "了" in left[best_pos:]:
        best = "actual"  # …的目标，高标准建设了4个园区: done
    for period in _actual_periods():
        m = period.search(left)
        if m is not None and m.start() > best_pos:
            best_pos, best = m.start(), "actual"
    if best is not None:
        return best
    return frame


def status_after(text: str, pos: int, end: int) -> str:
    """What the things a count counts are expected to do (４家年内有望投产): an estimate
    word in the rest of the clause makes the count an estimate."""
    found = _any_of(status_words()["estimate"]).search(text, pos, end)
    return "estimate" if found else "actual"


@cache
def _any_of(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(searched_alternation(words))


@cache
def _not_status_words(terms: tuple[str, ...]) -> re.Pattern[str]:
    """The not_status terms, each unless a colon follows it (目标任务：… is a heading)."""
    return re.compile(f"(?:{searched_alternation(terms)})(?![:：])")


@cache
def _pursued_goal(verbs: tuple[str, ...]) -> re.Pattern[str]:
    """A verb of following (围绕, 按照) and its object, up to the end of its clause."""
    return re.compile(f"(?:{searched_alternation(verbs)})[^，,；;。：:]*")


def frame_of(sentence: str, words: dict[str, tuple[str, ...]] | None = None) -> str | None:
    """A goal or forecast frame that opens a sentence (力争到2015年…, 发展目标:…)."""
    words = words or status_words()
    head = sentence[:30]
    if not _any_of(words["target_frames"] + words["estimate_frames"]).search(head):
        return None
    # 完成全年目标任务的102%: a result, not a goal… but 目标任务：… heads a list of goals
    head = _not_status_words(words["not_status"]).sub(lambda m: "□" * len(m.group()), head)
    # 紧紧围绕“十一五”规划目标，全区完成…: the goal the work followed, not a goal set
    head = _pursued_goal(words["goal_pursued_after"]).sub(lambda m: "□" * len(m.group()), head)
    if any(w in head for w in words["target_frames"]):
        return "target"
    if any(w in head for w in words["estimate_frames"]):
        return "estimate"
    return None


def goal_heading(text: str, start: int, end: int, today: date | None) -> TimeRef | None:
    """A heading that announces goals (2024年工作目标, 二、2024年主要目标, 下一步工作计划):
    the time of the goals (its year, if it names one), marked as a goal."""
    line = text[start:end]
    if not any(w in line for w in _GOAL_HEADINGS):
        return None
    years = [ref for _, _, ref in time_mentions(text, start, end, today) if ref.year]
    year = years[0] if years else TimeRef(None, None, "")
    return replace(year, goal=True)


_GOAL_HEADINGS = _W.goal_headings


def named_as_goal(text: str, pos: int, end: int) -> bool:
    """增长10%——12%等主要经济社会发展目标, 实现增长8%的目标: the clause names the figure
    before it a goal (…的目标, …等…目标)."""
    return _named_goal().match(text, pos, end) is not None


def named_goal_after(text: str, pos: int) -> tuple[int, int] | None:
    """Where the goal noun naming the figure that ends at `pos` is written (its evidence)."""
    if pos < 0:
        return None
    m = _named_goal().match(text, pos, min(len(text), pos + 40))
    return m.span("noun") if m else None


@cache
def _named_goal() -> re.Pattern[str]:
    nouns = guarded_alternation(status_words()["goal_nouns"])
    clause = "[^，,。；;：:！？了]"
    return re.compile(rf"{clause}{{0,3}}?[的等]{clause}{{0,12}}?(?P<noun>{nouns})")


def frame_clause(text: str, start: int, end: int) -> str | None:
    """…达到614.49亿元，据初步测算，全市…在2050亿元左右: a short clause of its own that
    is only a forecast or goal word frames the clauses after it, to the full stop (the
    last such clause between start and end decides)."""
    found: str | None = None
    for m in _SHORT_CLAUSE.finditer(text, start, end):
        clause = m.group(1)
        for status in ("target", "estimate"):
            if _any_of(status_words()[status]).search(clause):
                found = status
                break
    return found


# a clause of at most eight characters between commas (，据初步测算，)
_SHORT_CLAUSE = re.compile(r"(?:^|(?<=[，,]))([^，,。；;：:！？\d]{1,8})(?=[，,])")


def carries_frame(sentence: str) -> bool:
    """Only a goal header (发展目标：…, 到2015年，…, 下一步，…) frames the sentences after it."""
    head = sentence.lstrip()[:12]
    return _GOAL_HEADER.match(head) is not None


# 发展目标：…, 到2015年，…, 下一步，…: a label of goals and a colon, a deadline, an opener
_GOAL_HEADER = re.compile(
    rf"(?:[^，,。]{{0,8}}(?:{_alt(_W.goal_labels)})[:：]|到\d{{4}}年|{_alt(_W.goal_openers)})"
)
