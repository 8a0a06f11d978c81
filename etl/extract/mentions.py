"""Names in text: regions (the gazetteer), parks (by their suffixes), industries (the
lexicon), companies (by their legal endings), and "self" words (全区, 我市) — each an
Entity with where it stands (at the head of its clause or not) and whether it is a proper
name. Groups of parks named together (A、B两家集聚区) are one Entity. What these names
mean for each figure is etl/extract/link_subject.py's job. Word lists live in
seeds/subject_words.toml.
"""

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache

from etl.extract import gazetteer
from etl.extract.catalogue import metrics
from etl.extract.lexicon import guarded_alternation, load_word_lists, searched_alternation
from etl.extract.link_metric import metric_scanner
from etl.extract.link_time import status_words
from etl.extract.numbers import parse_number
from etl.extract.segment import clause_start


def _brand_conjunction(text: str, s: int, ending: int, floor: int) -> bool:
    """The name was cut at 和/与 two or three characters before its ending (嘉和|化工), with
    a character before it that no place or park name ends with (园区和…: a new name)."""
    return (
        s - 2 >= floor
        and text[s - 1] in words().brand_conjunctions
        and ending - s <= 3
        and _CJK.fullmatch(text[s - 2]) is not None
        and text[s - 2] not in words().place_name_last_chars
    )


_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class SubjectWords:
    self_words: tuple[str, ...]
    clause_head_fillers: tuple[str, ...]
    region_followers: tuple[str, ...]
    name_breakers: tuple[str, ...]
    generic_park_prefixes: tuple[str, ...]
    industry_endings: tuple[str, ...]
    park_building_verbs: tuple[str, ...]
    park_object_verbs: tuple[str, ...]
    place_overlaps: tuple[str, ...]
    industry_member_heads: tuple[str, ...]
    industry_qualifications: tuple[str, ...]
    industry_blind_metrics: tuple[str, ...]
    company_endings: tuple[str, ...]
    company_ending_blockers: tuple[str, ...]
    generic_company_prefixes: tuple[str, ...]
    company_class_words: tuple[str, ...]
    cluster_references: tuple[str, ...]
    part_openers: tuple[str, ...]
    ranking_fillers: tuple[str, ...]
    macro_region_joiners: tuple[str, ...]
    part_verbs: tuple[str, ...]
    part_name_endings: tuple[str, ...]
    part_joiners: tuple[str, ...]
    part_measures: tuple[str, ...]
    topic_frame_open: tuple[str, ...]
    topic_frame_close: tuple[str, ...]
    legal_endings: tuple[str, ...]
    name_stop_chars: str
    stop_char_words: tuple[str, ...]
    brand_conjunctions: str
    place_name_last_chars: str
    adverb_followers: str
    region_suffix_chars: str
    ranking_words: tuple[str, ...]
    park_project_words: tuple[str, ...]
    group_reference_before_count: tuple[str, ...]
    group_reference_words: tuple[str, ...]
    group_joiners: tuple[str, ...]
    country_words: tuple[str, ...]
    big_n_heads: tuple[str, ...]
    industry_park_followers: tuple[str, ...]
    industry_generic_endings: tuple[str, ...]
    industry_tail_endings: tuple[str, ...]
    industry_strip_endings: tuple[str, ...]
    firm_words: tuple[str, ...]
    topic_words: tuple[str, ...]
    verb_taking_endings: tuple[str, ...]
    apposition_enders: tuple[str, ...]
    author_line_endings: tuple[str, ...]
    author_line_prefixes: tuple[str, ...]
    run_in_heading_endings: tuple[str, ...]
    first_person_province: tuple[str, ...]
    first_person_prefecture: tuple[str, ...]
    first_person_county: tuple[str, ...]
    self_whole_followers: tuple[str, ...]
    authority_words: tuple[str, ...]
    park_references: tuple[str, ...]
    location_verbs: tuple[str, ...]
    own_place_words: tuple[str, ...]
    self_word_levels: dict[str, list[str]]
    industry_copulas: tuple[str, ...]
    park_entry_words: tuple[str, ...]
    each_words: tuple[str, ...]
    short_form_suffix_chars: str
    outlet_words: tuple[str, ...]
    origin_followers: tuple[str, ...]
    landmark_leads: tuple[str, ...]
    park_self_word_endings: str


@cache
def words() -> SubjectWords:
    """The one reader of seeds/subject_words.toml (link_subject and figure_subjects use
    it through this function)."""
    return SubjectWords(**load_word_lists("subject_words.toml"))


def _in_order(items: Iterable[str]) -> str:
    """Literal words as alternatives, in the list's order."""
    return "|".join(re.escape(w) for w in items)


_LEGAL_ENDINGS = words().legal_endings
# a name runs back to one of these (or to a verb, name_breakers)
_STOP_CHARS: frozenset[str] = frozenset(
    words().name_stop_chars + "，,。；;：:、（）()“”\"《》 \n\t0123456789.%"
)
# 三大支柱产业: the numerals before 大 are grammar; the heads are words
_BIG_N = re.compile(rf"[一二两三四五六七八九十]大(?:{_in_order(words().big_n_heads)})")


@dataclass(frozen=True)
class Entity:
    kind: str  # region | self | park | cluster | company
    name: str
    start: int
    end: int
    at_head: bool = False  # stands at the head of its clause
    named: bool = True  # a proper name, not a generic word (园区, 省级以上开发区)
    in_parentheses: bool = False  # 开发区(工业园区): another name for what precedes
    member_end: int | None = None  # 电子信息|企业: where the firms-of-an-industry words end
    members: int = 0  # a group of parks named together (A、B两家集聚区): how many
    topic: bool = False  # 服务外包方面，…: what the rest of the sentence is about
    refers: int | None = None  # 上述两家集聚区: points back to a group (of this many; 0: any)
    parts: tuple[str, ...] = ()  # a group's own named parks, in order (for 分别)
    opens_park: bool = False  # a region opening a park's name (增城|经济技术开发区)


@cache
def world_regions() -> dict[str, str]:
    """Names of regions outside the administrative gazetteer (中国, 北美, 珠江三角洲):
    each name and alias → the region's name (我国 → 中国)."""
    out: dict[str, str] = {}
    for w in gazetteer.world_regions():
        out[w.name] = w.name
        for alias in w.aliases:
            out[alias] = w.name
    return out


def _alternation(items: list[str]) -> str:
    return guarded_alternation(items)


def _park_pattern() -> re.Pattern[str]:
    return gazetteer.park_suffix_pattern()


@cache
def _world_pattern() -> re.Pattern[str]:
    return re.compile(searched_alternation(world_regions()))


@cache
def _cluster_pattern() -> re.Pattern[str]:
    names: list[str] = []
    for c in gazetteer.clusters():
        names.append(c.name)
        names.extend(c.aliases)
    endings = _alternation(list(words().industry_endings))
    return re.compile(rf"(?P<name>{searched_alternation(names)})(?P<ending>{endings})?")


@cache
def _company_pattern() -> re.Pattern[str]:
    return re.compile(searched_alternation(words().company_endings))


_COUNTING = frozenset("0123456789零〇一二两三四五六七八九十百千万几多余数")


def _in_a_name(text: str, i: int, floor: int) -> bool:
    """家 or 个 not after a number (海门家纺产业园), 都 not before a verb (陶都科技产业园,
    成都): part of a name, not the counter or adverb that ends one."""
    c = text[i]
    if c in "家个":  # …but 国家(级) opens a generic word, as before
        return i > floor and text[i - 1] not in _COUNTING and text[i - 1] != "国"
    if c == "都":
        return text[i + 1 : i + 2] not in _ADVERB_FOLLOWERS
    return False


_ADVERB_FOLLOWERS = frozenset(words().adverb_followers)


def _name_start(text: str, end: int, floor: int, max_len: int = 14,
                keep_last_word: bool = False) -> int:
    """Start of the proper-name run ending at `end`: back to a stop character or a verb.
    keep_last_word: a verb right before `end` belongs to the name (鑫众投资|公司)."""
    i = end - 1
    while i >= floor and end - i <= max_len and (
        text[i] not in _STOP_CHARS or text[i : i + 2] in words().stop_char_words
        or _in_a_name(text, i, floor)
    ):
        i -= 1
    start = i + 1
    cut = start
    for m in _breaker_pattern().finditer(text, start, end):
        if m.group() in _DATE_UNITS and text[m.start() - 1] not in _DATE_DIGITS:
            continue  # 横琴澳门青年创业谷: 年 ends a date (2012年, 二〇一二年), not a word
        if not (keep_last_word and m.end() == end):
            cut = max(cut, m.end())
    return cut


_DATE_UNITS = frozenset("年月")
_DATE_DIGITS = frozenset("0123456789〇零一二三四五六七八九十")


@cache
def _breaker_pattern() -> re.Pattern[str]:
    return re.compile(searched_alternation(words().name_breakers))


def _strip_prefix_words(prefix: str, generic: tuple[str, ...]) -> str:
    """prefix less the generic words that open it, one after another, the longest first."""
    m = _prefix_words(generic).match(prefix)  # (always matches: maybe nothing)
    return prefix[m.end() :] if m else prefix


@cache
def _prefix_words(words: tuple[str, ...]) -> re.Pattern[str]:
    """Any number of the words, each the longest that matches: one regex call in place of
    a loop over the words for every word stripped."""
    return re.compile(f"(?:{guarded_alternation(words)})*")


@cache
def _head_pattern() -> re.Pattern[str]:
    fillers = _alternation(list(words().clause_head_fillers + words().self_words))
    return re.compile(rf"(?:{fillers}|[\d\s年月日份上下半,，、（）()“”])*")


@cache
def _head_token() -> re.Pattern[str]:
    """One step of `_head_pattern`: a filler word (the longest) or one filler character."""
    return re.compile(_head_pattern().pattern.removesuffix("*"))


class _HeadRun:
    """The fillers that open a clause, read as `_head_pattern` reads them (greedily, one
    filler at a time, each the first alternative that matches), as far as asked so far:
    `bounds` are where each filler ends, `stuck` once no filler follows the last one."""

    __slots__ = ("bounds", "stuck")

    def __init__(self, start: int) -> None:
        self.bounds = [start]
        self.stuck = False

    def reach(self, text: str, pos: int) -> None:
        token = _head_token()
        bounds = self.bounds
        while not self.stuck and bounds[-1] < pos:
            m = token.match(text, bounds[-1])
            if m is None or m.end() == bounds[-1]:
                self.stuck = True
            else:
                bounds.append(m.end())


# The clause heads of the last few texts asked about (a document, and the heading lines
# read on their own between its paragraphs): id(text) → (text, clause start → _HeadRun).
# Matching `_head_pattern` from the clause start for every name was quadratic in the
# clause's length ('全区' × 100,000 in one clause: minutes).
_head_runs: dict[int, tuple[str, dict[int, _HeadRun]]] = {}
_HEAD_TEXTS = 8


def stands_at_head(text: str, pos: int, floor: int) -> bool:
    """Nothing but fillers (其中, 全区, a date) stands between the clause start and pos.

    The same answer as `_head_pattern().match(text, start, pos)` ending at pos, in time
    linear in the clause for all the names of a clause together: the fillers from the
    clause start are read once (`_HeadRun`) and each name looks up where it falls."""
    start = clause_start(text, pos, floor)
    if pos <= start:  # nothing between (or pos before the floor): no text to read
        m = _head_pattern().match(text, start, pos)
        return m is not None and m.end() == pos
    cached = _head_runs.get(id(text))
    if cached is None or cached[0] is not text:
        if len(_head_runs) >= _HEAD_TEXTS:
            del _head_runs[next(iter(_head_runs))]  # the oldest
        cached = _head_runs[id(text)] = (text, {})
    runs = cached[1]
    run = runs.get(start)
    if run is None:
        run = runs[start] = _HeadRun(start)
    run.reach(text, pos)
    bounds = run.bounds
    i = bisect_left(bounds, pos)
    if i < len(bounds) and bounds[i] == pos:
        return True  # a filler ends right at pos: the match stops there, as with endpos
    if i == len(bounds):
        return False  # no filler reaches pos
    # pos falls inside a filler word (全|区): read from that word's start with pos as the
    # end, as the pattern would (a shorter filler may end there); one word, not a clause
    m = _head_pattern().match(text, bounds[i - 1], pos)
    return m is not None and m.end() == pos


def _place_name_start(text: str, s: int, floor: int) -> int:
    """A name cut at a function character or a verb that belongs to a place name (太和高新区,
    会同高新区, 和平出口加工区, 比如产业园区, 万年产业园区) starts with that place name."""
    if s <= floor:
        return s
    overlaps = words().place_overlaps
    for back in (3, 2, 1):  # 太和|高新区, 同|心开发区: a place name up to or across the cut
        lo = s - back
        if lo < floor or not _CJK.fullmatch(text[lo]):
            continue
        if text[max(floor, lo - 1) : lo + 1] in overlaps:
            continue  # 其中|国家级开发区: not 中国
        for k in (2, 3):
            head = text[lo : lo + k]
            if len(head) == k and lo + k >= s and head in _place_heads():
                return lo
    return s


def _province_prefix(text: str, start: int, suffix_start: int) -> int:
    """Length of a province's name opening a park name that goes on with its own name
    (河南省南阳高新技术产业开发区): a locator, not part of the park's name."""
    if text[start : start + 2] not in _province_heads():
        return 0
    for m in gazetteer.find_region_mentions(text[start:suffix_start])[:1]:
        if (
            m.start == 0
            and not m.by_short_name
            and any(c.level == "province" for c in m.candidates)
            and suffix_start - (start + m.end) >= 2
        ):
            return m.end
    return 0


@cache
def _place_heads() -> frozenset[str]:
    """Region names with and without their last 县/市/区 (太和, 太和县), for
    `_place_name_start`."""
    names: set[str] = set()
    for r in gazetteer.regions().values():
        names.add(r.name)
        if r.name[-1] in words().region_suffix_chars and len(r.name) > 2:
            names.add(r.name[:-1])
    return frozenset(names)


@cache
def _province_heads() -> frozenset[str]:
    return frozenset(r.name[:2] for r in gazetteer.regions().values() if r.level == "province")


_RANKED_AMONG = re.compile(rf"[中里内][^，,。；;]{{0,6}}?(?:{_in_order(words().ranking_words)})")


@cache
def _status_lead() -> re.Pattern[str]:
    words = status_words()
    return re.compile(_alternation(sorted({*words["target"], *words["estimate"]},
                                          key=len, reverse=True)))


def park_mentions(text: str, start: int, end: int) -> list[Entity]:
    out: list[Entity] = []
    generic = words().generic_park_prefixes
    overlaps = words().place_overlaps
    for m in _park_pattern().finditer(text, start, end):
        if text.startswith(words().park_project_words, m.end()):
            continue  # 标准化厂房产业园项目: a project, named for what it will build
        if _RANKED_AMONG.match(text, m.end()):
            continue  # 在全疆开发区中排名第一: the field it is ranked in, not a subject
        s = _name_start(text, m.start(), start)
        cut = text[s - 1] if s > start else ""
        if cut in _STOP_CHARS and text[s - 1 : s + 1] in overlaps:
            s += 1  # 其中|国家级开发区, 其中|武汉东湖高新区: 中 is the end of 其中
        elif _CJK.fullmatch(cut):  # a place name cut at a function character (太和|高新区,
            s = _place_name_start(text, s, start)  # 和|政县工业园区)? Not after punctuation.
        dash = text.rfind("——", s, m.start())
        if dash >= 0:  # 两类园区——国家级经开区和…: the names in apposition after the dash
            s = dash + 2
        prefix = text[s : m.start()]
        s += _province_prefix(text, s, m.start())  # 河南省南阳高新区 → 南阳高新区
        lead = _status_lead().match(text, s, m.start())
        if lead:  # 预计园区新增企业10家: the sentence's status word, not the park's name
            s = lead.end()
        prefix = text[s : m.start()]
        named = len(_strip_prefix_words(prefix, generic)) >= 2
        paren = text[s - 1 : s] in ("(", "（")
        refers = None if named else _group_reference(text, s, start)
        out.append(Entity("park", text[s : m.end()], s, m.end(), stands_at_head(text, s, start),
                          named, paren, refers=refers))
    out.sort(key=lambda e: (e.start, -(e.end - e.start)))
    kept: list[Entity] = []
    for e in out:
        if kept and e.start < kept[-1].end:
            continue
        kept.append(e)
    return _park_groups(text, _dashed_pairs(text, kept), start)


def _dashed_pairs(text: str, parks: list[Entity]) -> list[Entity]:
    """两类园区——A和B——的…: the pair set off by dashes is one subject, named as written,
    in place of the group word it spells out."""
    out: list[Entity] = []
    for e in parks:
        prev = out[-1] if out else None
        if (prev is not None and text[prev.end : e.start] in _GROUP_JOINERS
                and text[prev.start - 2 : prev.start] == "——"
                and text[e.end : e.end + 2] == "——"):
            pair = replace(prev, name=text[prev.start : e.end], end=e.end, named=True)
            out.pop()
            if out and out[-1].end == prev.start - 2:  # the group word the pair names
                pair = replace(pair, at_head=out.pop().at_head)
            out.append(pair)
            continue
        out.append(e)
    return out


_GROUP_REFERENCE = re.compile(
    rf"(?:(?:{_in_order(words().group_reference_before_count)})?"
    rf"(?P<n>[两二三四五六七八九十]|\d{{1,2}})[家个]|{_in_order(words().group_reference_words)})$"
)




def _group_reference(text: str, s: int, floor: int) -> int | None:
    """上述两家集聚区 → 2, 上述集聚区 → 0: a generic park word pointing back to a group."""
    m = _GROUP_REFERENCE.search(text, max(floor, s - 5), s)
    if m is None:
        return None
    n = m.group("n")
    if n is None:
        return 0
    return int(parse_number(n))


def _park_groups(text: str, parks: list[Entity], floor: int) -> list[Entity]:
    """Parks named together form one subject (RECORDS.md, groups as subjects), named by
    the list as written: named parks joined by 、/和 (无锡新区创新创意园、…、无锡工业设计园
    承载了63家…), or a list of names counted into a generic park word (中国江南现代产品
    市场集群、江阴港口综合物流园两家省级集聚区)."""
    out: list[Entity] = []
    i = 0
    while i < len(parks):
        p = parks[i]
        j = i
        while (j + 1 < len(parks) and parks[j].named and parks[j + 1].named
               and not parks[j + 1].in_parentheses
               and text[parks[j].end : parks[j + 1].start] in _GROUP_JOINERS):
            j += 1
        if j > i:
            first, last = parks[i], parks[j]
            out.append(Entity("park", text[first.start : last.end], first.start, last.end,
                              first.at_head, True, members=j - i + 1,
                              parts=tuple(p.name for p in parks[i : j + 1])))
            i = j + 1
            continue
        counted = _counted_list(text, p, floor) if p.refers else None
        if counted is not None:
            list_start, list_end, n = counted
            while out and out[-1].start >= list_start:
                out.pop()  # the list's own park names are now members of the group
            out.append(Entity("park", text[list_start:list_end], list_start, p.end,
                              stands_at_head(text, list_start, floor), True, members=n))
        else:
            out.append(p)
        i += 1
    return out


_GROUP_JOINERS = frozenset(words().group_joiners)


_LIST_ITEM = re.compile(r"[\u4e00-\u9fffA-Za-z]{2,20}")


def _counted_list(text: str, p: Entity, floor: int) -> tuple[int, int, int] | None:
    """(start, end, size) of a list of n names right before `n家<park word>`, opening its
    clause: the names, less the count, split at 、 into exactly n items."""
    ref = _GROUP_REFERENCE.search(text, max(floor, p.start - 5), p.start)
    if ref is None or ref.group("n") is None or p.refers is None or p.refers < 2:
        return None
    c_start = clause_start(text, ref.start(), floor)
    items = text[c_start : ref.start()].split("、")
    if len(items) != p.refers or not all(_LIST_ITEM.fullmatch(x) for x in items):
        return None
    return c_start, ref.start(), p.refers


@cache
def _ranking() -> re.Pattern[str]:
    """世界500强企业, 中国企业500强, 全国百强县: a ranking named after a place."""
    fillers = "|".join(map(re.escape, words().ranking_fillers))
    return re.compile(rf"(?:{fillers})?(?:\d{{2,4}}|[{_NUMERAL_CHARS}]{{1,3}})强")


_NUMERAL_CHARS = "一二三四五六七八九十百千"


@cache
def _macro_regions() -> frozenset[str]:
    """The names and aliases of world_regions.csv's macro-regions (东部地区, 中部)."""
    return frozenset(n for w in gazetteer.world_regions() if w.kind == "macro_region"
                     for n in (w.name, *w.aliases))


def region_mentions(text: str, start: int, end: int) -> list[Entity]:
    out: list[Entity] = []
    followers = words().region_followers
    for m in gazetteer.find_region_mentions(text[start:end]):
        names = {c.name for c in m.candidates}
        name = names.pop() if len(names) == 1 else m.surface
        s, e = start + m.start, start + m.end
        if _names_no_subject(text, s, e):
            continue
        head = stands_at_head(text, s, start)
        if out and out[-1].end == s and out[-1].kind == "region" and out[-1].at_head:
            head = True  # 泉州市晋江市…: the last of a chain of places is the one meant
        out.append(Entity("region", name, s, e, head, _stands_alone(text, e, followers)))
    # the gazetteer's places come in order and none overlaps another, so their ends rise:
    # a world region overlaps one of them only if the first place ending after its start
    # starts before its end (and it overlaps no world region found before it: finditer)
    place_ends = [x.end for x in out]
    for wm in _world_pattern().finditer(text, start, end) if world_regions() else ():
        s, e = wm.start(), wm.end()
        if text[max(start, s - 1) : s + 1] in words().place_overlaps:
            continue  # 其中国家级: 其中, then 国家级
        if _ranking().match(text, e):
            continue  # 世界500强, 中国百强: a ranking's name, not a place figures are of
        if (wm.group() in _macro_regions() and s > start and _CJK.fullmatch(text[s - 1])
                and text[s - 1] not in words().macro_region_joiners):
            continue  # 园区东部, 城市西部: a part of what precedes, not 东部地区
        i = bisect_right(place_ends, s)
        if i == len(place_ends) or out[i].start >= e:
            # 我国 always speaks of the country as a whole (and 全国219家国家级经开区实现…
            # stands alone before its count: a national total, whatever parks a list names
            # later; 全国制造业创新高地 is a modifier)
            alone = wm.group() in words().country_words or _stands_alone(text, e, followers)
            out.append(Entity("region", world_regions()[wm.group()], s, e,
                              stands_at_head(text, s, start), alone))
    for sm in _self_pattern().finditer(text, start, end):
        s = sm.start()
        out.append(Entity("self", sm.group(), s, sm.end(), stands_at_head(text, s, start)))
    out.sort(key=lambda x: x.start)
    return out


def _in_book_title(text: str, s: int, e: int) -> bool:
    """据《澳门日报》报道, 《宁波市十二五规划》: a place inside book-title marks is part of a
    title (a paper, a plan), not what the figures around it are of."""
    line_start = text.rfind("\n", 0, s) + 1
    opened = text.rfind("《", line_start, s)
    if opened < 0 or text.rfind("》", opened, s) >= 0:
        return False
    line_end = text.find("\n", e)
    return text.find("》", e, len(text) if line_end < 0 else line_end) >= 0


def _names_no_subject(text: str, s: int, e: int) -> bool:
    """A place written as part of something else: a title in 《》, a news outlet's name
    (香港新闻网), where capital or people come from (澳门投资企业在横琴注册), or a landmark
    the subject is located by (距成都68公里)."""
    w = words()
    return (_in_book_title(text, s, e) or text.startswith(w.outlet_words, e)
            or text.startswith(w.origin_followers, e)
            or text[max(0, s - 2) : s].endswith(w.landmark_leads))


@cache
def _self_pattern() -> re.Pattern[str]:
    return re.compile(searched_alternation(words().self_words))


_PLACE_IN_PARENS = re.compile(r"[（(][\u4e00-\u9fff]{2,6}[）)][\u4e00-\u9fff]")
_RANK_COUNT = re.compile(r"\d+强")


def _stands_alone(text: str, end: int, followers: tuple[str, ...]) -> bool:
    nxt = text[end : end + 4]
    if _RANK_COUNT.match(text[end : end + 6]):  # 世界500强 names a ranking, not a place
        return False
    paren = _PLACE_IN_PARENS.match(text, end)
    if paren is not None and gazetteer.find_region_mentions(paren.group()[1:-2])[:1]:
        return False  # 山东（威海）沿海产业带: the opening of a name, its city in brackets
    return not nxt or nxt[0].isdigit() or nxt.startswith(followers)


_INDUSTRY_TAIL = re.compile(
    r"(?:(?![等一二三四五六七八九十几批大支柱种类些个的和与、是为区园])[\u4e00-\u9fff]){0,8}?"
    rf"(?:{_in_order(words().industry_tail_endings)})"
)


def cluster_mentions(text: str, start: int, end: int) -> list[Entity]:
    """Industries named as a subject: with an industry ending (石油机械制造业, 光电产业),
    or at the head of a clause (其中高新技术项目60个)."""
    out: list[Entity] = []
    park_words = words().industry_park_followers
    covered = start
    for m in _cluster_pattern().finditer(text, start, end):
        if m.start() < covered:
            continue  # inside a name read on past its lexicon word (交通运输设备制造业)
        after = text[m.end() : m.end() + 3]
        if after.startswith(park_words):
            continue
        s = m.start()
        name = m.group("name")
        e = m.end()
        ended = bool(m.group("ending")) or m.group("name").endswith(
            words().industry_generic_endings)
        if not ended:
            tail = _INDUSTRY_TAIL.match(text, m.end(), end)
            if tail:  # 交通运输设备制造业: the lexicon word plus the rest of the name
                name = text[s : tail.end()]
                name = _strip_industry(name)
                e = covered = tail.end()
                ended = True
            elif (
                (head := _member_heads().match(text, m.end())) and text[s - 1 : s] != "级"
                and not (name in words().industry_qualifications
                         and any(w in head.group() for w in words().firm_words))
            ):
                # 微电子信息企业31家: the firms of an industry, for the count of them alone
                out.append(Entity("cluster", name, s, e, False, False, member_end=head.end()))
                continue
            elif (measured := _metric_at(text, m.end())) is not None:
                if measured in words().industry_blind_metrics or _industry_metric_at(
                        text, s, m.end()):
                    continue  # 能源投入; 服务业增加值 is one metric word, not an industry's
                if _BIG_N.search(text, max(start, s - 2), m.end()):
                    continue  # 三大产业集群工业总产值: the group, read below
                # 纺织工业总产值, 软件销售: the industry's own figure, wherever it stands
                out.append(Entity("cluster", name, s, e, stands_at_head(text, s, start), True))
                continue
            elif _metric_word_at(text, m.end(), m.end()):
                continue  # 金融担保机构: part of what is counted or measured, not a subject
        at_head = stands_at_head(text, s, start)  # (not asked for the names dropped above)
        if not at_head and text[max(start, s - 2) : s].endswith(words().name_breakers):
            continue  # 大力发展高新技术产业: the object of a verb, not the subject
        # named: carries an industry ending, so it names an industry wherever it stands
        topic = text.startswith(words().topic_words, e)
        out.append(Entity("cluster", name, s, e, at_head, ended or topic, topic=topic))
    for bm in _BIG_N.finditer(text, start, end):
        at_head = stands_at_head(text, bm.start(), start)
        if at_head:
            out.append(Entity("cluster", bm.group(), bm.start(), bm.end(), at_head))
    return out


def word_ends(text: str, e: Entity) -> frozenset[int]:
    """Positions inside an industry's name where an industry word ends (纺织|工业: 纺织 is
    one), so that a metric word starting there (工业总产值) is whole, not cut out of the
    name (黑色金属冶炼及压延加|工业产值)."""
    pattern = _cluster_pattern()
    return frozenset(
        p for p in range(e.start + 1, e.end)
        if pattern.fullmatch(text, e.start, p) is not None
    )


@cache
def _member_heads() -> re.Pattern[str]:
    return re.compile(_alternation(list(words().industry_member_heads)))


def industry_named_in(text: str, start: int, end: int) -> str | None:
    """The first industry of the lexicon written with an industry ending in text[start:end]
    (…是全区石油机械行业的龙头 → 石油机械), wherever it stands."""
    for m in _cluster_pattern().finditer(text, start, end):
        if m.group("ending") or m.group("name").endswith(words().industry_generic_endings):
            return m.group("name")
    return None


def _metric_at(text: str, pos: int) -> str | None:
    """The metric of the metric word starting at pos, when it heads its phrase: not when
    another metric word follows it (服务业载体营业收入, 金融担保机构: the industry names
    the carrier or the institution, not the figure)."""
    m = metric_scanner().at(text, pos)
    if m is None or metric_scanner().at(text, m.end) is not None:
        return None
    return m.value


def _metric_word_at(text: str, pos: int, beyond: int) -> bool:
    """A metric word starts at pos and runs past `beyond` (服务业|增加值)."""
    m = metric_scanner().at(text, pos)
    return m is not None and m.end > beyond


def _industry_metric_at(text: str, pos: int, beyond: int) -> bool:
    """A metric word starts at pos, runs past `beyond`, and names a metric of that very
    industry (服务业增加值 is services_value_added); 软件销售 is sales, of software."""
    m = metric_scanner().at(text, pos)
    return (m is not None and m.end > beyond and m.value in metrics()
            and text[pos:beyond] in metrics()[m.value].name_zh)


def _strip_industry(name: str) -> str:
    for suffix in words().industry_strip_endings:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def company_mentions(text: str, start: int, end: int) -> list[Entity]:
    out: list[Entity] = []
    w = words()
    for m in _company_pattern().finditer(text, start, end):
        if text[m.end() : m.end() + 1] in w.company_ending_blockers:
            continue
        legal = m.group().endswith(_LEGAL_ENDINGS)
        s = _name_start(text, m.start(), start, max_len=10,
                        keep_last_word=m.group().endswith(w.verb_taking_endings))
        dash = text.rfind("——", s, m.start())
        if dash >= 0:  # 投融资平台——南阳鑫众投资公司: the name after the dash
            s = dash + 2
        elif text[max(start, s - 1) : s + 1] in w.place_overlaps:
            s += 1  # 其中|华远公司
        if legal and _brand_conjunction(text, s, m.start(), start):
            # a registered brand may hold 和/与 (嘉和化工有限公司): read on past it
            s = _name_start(text, s - 1, start, max_len=10)
        # …and may start with 新 (新宇机械有限公司): single-character prefixes stay
        generic = tuple(g for g in w.generic_company_prefixes if len(g) > 1 or not legal)
        prefix = _strip_prefix_words(text[s : m.start()], generic)
        if len(prefix) < 2:
            continue
        s = m.start() - len(prefix)
        # 投融资平台——南阳鑫众投资公司，注册资金…: named in apposition, it is what follows;
        # …、炼化公司产值520亿元: an item of a list, with its own figure
        head = stands_at_head(text, s, start) or text[max(start, s - 1) : s] in ("—", "－") or (
            text[max(start, s - 1) : s] == "、" and metric_scanner().at(text, m.end()) is not None)
        out.append(Entity("company", text[s : m.end()], s, m.end(), head))
    return out


def _apposed_companies(text: str, start: int, end: int) -> list[Entity]:
    """A firm named in apposition to a class of firms (龙头企业清河重工全年销售收入…): the
    name runs from the class word to a time word, a figure, a metric word or a mark."""
    out: list[Entity] = []
    for m in _apposed_pattern().finditer(text, start, end):
        s, e = m.start("name"), m.end("name")
        if not any(metric_scanner().at(text, p) for p in range(s, e)):
            out.append(Entity("company", m.group("name"), s, e, True))
    return out


@cache
def _apposed_pattern() -> re.Pattern[str]:
    classes = searched_alternation(words().company_class_words)
    return re.compile(
        rf"(?:{classes})(?P<name>[\u4e00-\u9fff]{{2,8}}?)"
        rf"(?={_in_order(words().apposition_enders)})"
    )


def entities_in(text: str, start: int, end: int) -> list[Entity]:
    parks = park_mentions(text, start, end)
    companies = company_mentions(text, start, end)
    named = {(c.start, c.end) for c in companies}
    companies += [c for c in _apposed_companies(text, start, end)
                  if not any(a < c.end and c.start < b for a, b in named)]
    covered: set[int] = set()
    for n in parks + companies:
        covered.update(range(n.start, n.end))

    # (a place opening a company's name — 青岛啤酒 — is no region of its figures)
    name_starts = {n.start for n in parks}

    def inside_name(e: Entity) -> bool:
        # a region opening a park's name (江苏省吴江开发区, 六安市霍邱县工业园区: each of a
        # chain of them) still names the region
        if e.kind == "region" and e.start in name_starts:
            name_starts.add(e.end)
            return False
        return e.start in covered and e.end - 1 in covered

    parks = sorted(parks + _declared_parts(text, start, end, parks + companies),
                   key=lambda e: (e.start, -(e.end - e.start)))
    # 在项目和园区方面，…新开工项目有72个: a generic park word in a topic frame names what
    # the sentence is about, not whose figures follow
    parks = [p for p in parks if p.named or not _in_topic_frame(text, p)]
    ents = [replace(e, opens_park=True) if e.kind == "region" and e.start in name_starts else e
            for e in region_mentions(text, start, end) if not inside_name(e)]
    ents += [e for e in cluster_mentions(text, start, end) if not inside_name(e)]
    ents += parks + companies
    ents += _bare_heads(text, start, end, ents)
    # a region opening a park name is seen before the park: the park then stands
    ents.sort(key=lambda e: (e.start, e.end - e.start))
    return ents


def _bare_heads(text: str, start: int, end: int, names: list[Entity]) -> list[Entity]:
    """横琴新区 … 在横琴注册, 横琴累计注册…: a park named in full is written by its head
    alone elsewhere in the article. The head stands for the park where the article uses it
    so at least three times and it is no other name (`_short_head`)."""
    heads: dict[str, str] = {}
    for p in names:
        if p.kind == "park" and p.named and not p.members:
            head = _short_head(p.name)
            if head is not None:
                heads.setdefault(head, p.name)
    if len(set(heads.values())) != len(heads):
        return []  # two parks with one head: the head alone names neither
    covered = [(n.start, n.end) for n in names]
    out: list[Entity] = []
    for head, name in heads.items():
        at = [m.start() for m in re.finditer(re.escape(head), text[start:end])]
        bare = [start + s for s in at
                if not any(a < start + s + len(head) and start + s < b for a, b in covered)]
        if len(bare) >= _BARE_USES:  # the article's own short name for it, not a stray word
            out += [Entity("park", name, s, s + len(head), stands_at_head(text, s, start))
                    for s in bare]
    return out


@cache
def _short_head(name: str) -> str | None:
    """横琴新区 → 横琴: the name before its park suffix, when that could be the park's own
    short name — no place of the gazetteer (宜春 is the city), no common word (配套, 科技),
    no place or person jieba knows (苏南, 斯坦福)."""
    head = gazetteer.before_park_suffix(name) or ""
    if (2 <= len(head) <= 4 and all(_CJK.fullmatch(c) for c in head)
            and not gazetteer.find_region_mentions(head)
            and not gazetteer.has_common_word(head) and not gazetteer.known_name(head)):
        return head
    return None


_BARE_USES = 3


@cache
def _parts() -> re.Pattern[str]:
    """分为南园、西园两块, 划分为东区和西区两个片区: a park's parts, named where it divides."""
    w = words()
    name = rf"[\u4e00-\u9fff]{{1,4}}[{''.join(w.part_name_endings)}]"
    joiner = f"[{''.join(w.part_joiners)}]"
    return re.compile(
        rf"(?:{_alt(w.part_verbs)})(?P<names>{name}(?:{joiner}{name})+)"
        rf"(?:[{_NUMERAL_CHARS[:9]}两]|\d)(?:{_alt(w.part_measures)})"
    )


def _alt(items: tuple[str, ...]) -> str:
    return "|".join(map(re.escape, items))


def _declared_parts(text: str, start: int, end: int, names: list[Entity]) -> list[Entity]:
    """全园…分为南园、西园两块（其中南园36.8平方公里…）: once a park is divided into parts
    by name, each of those names is a park wherever the article writes it."""
    parts: set[str] = set()
    for m in _parts().finditer(text, start, end):
        parts.update(re.split(f"[{''.join(words().part_joiners)}]", m.group("names")))
    if not parts:
        return []
    covered = [(n.start, n.end) for n in names]
    out: list[Entity] = []
    for m in re.finditer("|".join(map(re.escape, sorted(parts, key=len, reverse=True))),
                         text[start:end]):
        s, e = start + m.start(), start + m.end()
        if not any(a < e and s < b for a, b in covered):
            # a part is the subject of its own clause only: the whole park stays in force
            out.append(Entity("park", m.group(), s, e, at_head=False))
    return out


@cache
def _topic_frame() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """在…方面: a topic frame (在项目和园区方面，), its words within one clause."""
    w = words()
    return (re.compile(rf"(?:{_alt(w.topic_frame_open)})[^，,。；;：:！？]{{0,12}}$"),
            re.compile(rf"[^，,。；;：:！？]{{0,8}}?(?:{_alt(w.topic_frame_close)})"))


def _in_topic_frame(text: str, e: Entity) -> bool:
    before, after = _topic_frame()
    return (after.match(text, e.end) is not None
            and before.search(text, max(0, e.start - 12), e.start) is not None)


# 北京12月26日 (记者), 新华社南宁3月29日电: where a news story was filed, at its line's head
_DATELINE_AFTER = re.compile(r"\d{1,2}月\d{1,2}日(?:电|讯)?")
_DATELINE_BEFORE = re.compile(r"(?:^|\n)[ \t\u3000]*[^\n\d，,。；;：:、]{0,8}$")


def is_dateline(text: str, e: Entity) -> bool:
    """A place that only says where the story was filed: the report's region when nothing
    else names one (the article weighs it), but no subject of the sentence it opens."""
    return (e.kind == "region" and _DATELINE_AFTER.match(text, e.end) is not None
            and _DATELINE_BEFORE.search(text, max(0, e.start - 10), e.start) is not None)


class ArticleEntities:
    """Every entity of one article, scanned once; sentences take their slice."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.all = entities_in(text, start, end)
        self._starts = [e.start for e in self.all]

    def within(self, start: int, end: int) -> list[Entity]:
        lo = bisect_left(self._starts, start)
        hi = bisect_left(self._starts, end)
        return [e for e in self.all[lo:hi] if e.end <= end]
