"""Who or what each figure is about: region, park, industry cluster, company.

An article has a main subject (the region and park its title and opening name). Within
a paragraph the subject is whatever was last named in subject position — at the head of
a clause (园区完成工业产值…; 五大产业完成产值…), as a region standing on its own
(温州市41个), or as a named park or company — and it carries to the following clauses
and sentences until another is named; each paragraph starts again from the article's
subject. The names themselves are found by etl/extract/mentions.py.
"""

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from etl.extract import gazetteer
from etl.extract.mentions import (
    ArticleEntities,
    Entity,
    entities_in,
    park_mentions,
    region_mentions,
    words,
)
from etl.extract.segment import clause_end, clause_start


@dataclass(frozen=True)
class Subject:
    region: str | None = None
    park: str | None = None
    cluster: str | None = None
    company: str | None = None


@dataclass(frozen=True)
class ArticleSubject:
    region: str | None
    park: str | None


_HEADING_MAX = 40
_W = words()


def _in_order(items: tuple[str, ...]) -> str:
    """Literal words as alternatives, in the list's order."""
    return "|".join(re.escape(w) for w in items)


_AUTHOR_LINE = re.compile(rf"(?:{_in_order(_W.author_line_endings)})$")
_LIST_MARK = re.compile(
    rf"^[\s□■◆●·]*(?:{_in_order(_W.author_line_prefixes)})?"
    r"(?:[一二三四五六七八九十]+[、.]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.])?"
)


_RUN_IN = re.compile(r"[^。！？!?\n]{1,20}[。：:]")
_RUN_IN_MARK = re.compile(
    r"\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[、.．])?\s*"
)


def run_in_topic(text: str, start: int, entities: "ArticleEntities") -> str | None:
    """The industry a paragraph opens on as its run-in heading (1.光电产业。按照…): its
    first sentence is a list mark and that industry's name, nothing else."""
    m = _RUN_IN.match(text, start)
    if m is None:
        return None
    mark = _RUN_IN_MARK.match(text, start, m.end())
    begin = mark.end() if mark else start
    found = [e for e in entities.within(begin, m.end()) if e.kind == "cluster"]
    if len(found) != 1 or found[0].start != begin:
        return None
    rest = text[found[0].end : m.end() - 1]
    return found[0].name if rest == "" or rest in _W.run_in_heading_endings else None


_SENTENCE_MARK = re.compile(r"[。；;!！?？]")
_DIGIT = re.compile(r"\d")
_COUNT_CHAR = re.compile(r"[个家亿万元%]")


def is_heading(line: str) -> bool:
    line = line.strip()
    return 0 < len(line) <= _HEADING_MAX and not _SENTENCE_MARK.search(line) and not (
        _DIGIT.search(line) and _COUNT_CHAR.search(line)
    )


@lru_cache(maxsize=4096)
def heading_region(line: str) -> str | None:
    """The region a heading or author line is about: one named at its start
    (南京市培育和发展…情况, 河南省南阳高新技术产业开发区) or an author line (泗洪县人民政府)."""
    text = line.strip()
    head = _LIST_MARK.match(text)
    offset = head.end() if head else 0
    found = gazetteer.find_region_mentions(text)
    if _AUTHOR_LINE.search(text):
        mentions = found
    else:  # a chain of names at the start: 河南省南阳高新技术产业开发区 → 南阳市
        mentions = []
        pos = offset
        for m in found:
            if m.start <= pos + 1:
                mentions.append(m)
                pos = m.end
    best: gazetteer.Region | None = None
    rank = {"province": 0, "prefecture": 1, "county": 2}
    for m in mentions:
        for c in m.candidates[:1]:
            if best is None or rank.get(c.level, 0) > rank.get(best.level, 0):
                best = c
    return best.name if best else None


_TITLE_CHARS = 60


def article_subject(
    text: str, start: int, end: int, title: str, entities: ArticleEntities | None = None
) -> ArticleSubject:
    """The region and park an article is about: named in its title and opening, and
    the most often named overall."""
    head_end = min(end, start + 400)
    score: Counter[str] = Counter()
    world: Counter[str] = Counter()
    mentions = entities.all if entities is not None else region_mentions(text, start, end)
    for e in mentions:
        if e.kind != "region":
            continue
        weight = 3 if e.start < head_end else 1
        (score if gazetteer.region_by_name(e.name) else world)[e.name] += weight
    titled_world: set[str] = set()
    for e in _title_places(title):
        if e.kind == "region" and gazetteer.region_by_name(e.name):
            score[e.name] += 5
        elif e.kind == "region":
            titled_world.add(e.name)
    if len(titled_world) == 1 and not score_in_title(title):
        # 报告称中国…园区GDP总量…: a title about the country (and no place of it) is a
        # national report, whatever city its dateline was filed from
        return ArticleSubject(region=titled_world.pop(),
                              park=_main_park(text, start, end, title))
    if not any(e.kind == "self" for e in mentions):
        # 为澳门产业走向多元提供了新的载体, 由澳门中小企业共同出资: a report that never
        # speaks of its own area (全市, 我省) takes no region from places named only in
        # passing — never heading a clause, never standing alone, not in its title
        strong = {e.name for e in mentions
                  if e.kind == "region" and (e.at_head or e.named)}
        if len(title) <= _TITLE_CHARS:  # (longer: the opening paragraph, no title line)
            strong.update(e.name for e in _title_places(title))
        score = Counter({n: c for n, c in score.items() if n in strong})
        world = Counter({n: c for n, c in world.items() if n in strong})
    region = _most_specific(score) or (world.most_common(1)[0][0] if world else None)
    region = _lift_to_own_level(region, mentions)
    park = _main_park(text, start, end, title)
    if park is None:
        region = _down_to_own_level(region, mentions)
    else:
        region = _where_the_park_lies(region, park)
    return ArticleSubject(region=region, park=park)


def _where_the_park_lies(region: str | None, park: str) -> str | None:
    """A report about one park (宜春经济开发区 in its title) is about the place its name
    opens with: a district named more often (by parks of its own, 袁州医药工业园) does not
    narrow it."""
    lead = re.match(r"[^\u4e00-\u9fff]*", park)
    opens = heading_region(park[lead.end() if lead else 0:])
    if opens is None or region is None:
        return region
    return opens if _is_inside(region, opens) else region


def score_in_title(title: str) -> bool:
    """Whether the title names a place of the gazetteer (a province, city, county)."""
    return any(e.kind == "region" and gazetteer.region_by_name(e.name)
               for e in _title_places(title))


@lru_cache(maxsize=256)
def _title_places(title: str) -> tuple[Entity, ...]:
    """The places a title names, as in its text: not one inside a company's name
    (宁阳某某机械有限公司…: the title names a firm, not 宁阳县)."""
    firms = [(e.start, e.end) for e in entities_in(title, 0, len(title)) if e.kind == "company"]
    return tuple(e for e in region_mentions(title, 0, len(title))
                 if not any(a <= e.start and e.end <= b for a, b in firms))


_FIRST_PERSON = {**dict.fromkeys(_W.first_person_province, "province"),
                 **dict.fromkeys(_W.first_person_prefecture, "prefecture")}


def _lift_to_own_level(region: str | None, mentions: list[Entity]) -> str | None:
    """我省 says the report is a province's: when the place most named lies below that
    level (洪江市 in a report that only says 我省), the report's region is the province it
    lies in — of the level its own first-person word names."""
    if region is None or not gazetteer.region_by_name(region):
        return region
    levels = {_FIRST_PERSON[e.name] for e in mentions
              if e.kind == "self" and e.name in _FIRST_PERSON}
    if len(levels) != 1:
        return region
    level = levels.pop()
    found = gazetteer.resolve_region(region)
    if found is None or _RANK[found.level] <= _RANK[level]:
        return region
    if level == "prefecture" and found.name.endswith("市"):
        return region  # 靖江市 says 我市 too: a county-level city
    for a in gazetteer.ancestors(found):
        if a.level == level:
            return a.name
    return region


_RANK = {"province": 0, "prefecture": 1, "county": 2}
# a district or county speaking of itself (a park's report says 我区 of its zone, so these
# count only where no park is the report's subject)
_FIRST_PERSON_COUNTY = frozenset(_W.first_person_county)


def _down_to_own_level(region: str | None, mentions: list[Entity]) -> str | None:
    """我区 says the report is a district's: when the place most named is the city above
    it (the city's page header, a zone named after the city) and the report names one
    district of that city, however briefly, the report is that district's."""
    if region is None or not gazetteer.region_by_name(region):
        return region
    if not any(e.kind == "self" and e.name in _FIRST_PERSON_COUNTY for e in mentions):
        return region
    found = gazetteer.resolve_region(region)
    if found is None or found.level == "county":
        return region
    inside = {e.name for e in mentions if e.kind == "region" and e.name != region
              and gazetteer.region_by_name(e.name)
              and gazetteer.region_by_name(e.name)[0].level == "county"
              and _is_inside(e.name, region)}
    return inside.pop() if len(inside) == 1 else region


def _main_park(text: str, start: int, end: int, title: str) -> str | None:
    """A park named as the article's subject: in its title, or opening its first
    paragraph of prose (南阳高新区于1996年正式运行)."""
    for e in park_mentions(title, 0, len(title)):
        if e.named:
            return e.name
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        stop = end if nl < 0 else nl
        line = text[pos:stop]
        if line.strip() and not is_heading(line) and pos > start:
            lead = len(line) - len(line.lstrip())
            first_clause = re.search(r"[。,，；;]", line)
            clause_end = pos + (first_clause.start() if first_clause else len(line))
            for e in park_mentions(text, pos + lead, clause_end):
                if e.start - (pos + lead) <= 2:
                    return e.name
            return None
        pos = stop + 1
    return None


@lru_cache(maxsize=4096)
def heading_park(line: str) -> str | None:
    """A heading that is itself a park's name (河南省南阳高新技术产业开发区)."""
    text = line.strip()
    for e in park_mentions(text, 0, len(text)):
        if e.named and e.end - e.start >= 0.6 * len(text):
            return e.name
    return None


def _most_specific(score: Counter[str]) -> str | None:
    if not score:
        return None
    top = score.most_common()
    best, best_score = top[0]
    # a district or city named nearly as often as its province is the real subject
    for name, sc in top[1:4]:
        if sc * 2 >= best_score and _is_inside(name, best):
            best, best_score = name, sc
    return best


def _is_inside(inner: str, outer: str) -> bool:
    if not gazetteer.region_by_name(inner):
        return False
    r = gazetteer.resolve_region(inner)
    if r is None:
        return False
    return any(a.name == outer for a in gazetteer.ancestors(r))


_SELF_LEVEL = {last: tuple(levels) for last, levels in _W.self_word_levels.items()}


def self_word_fits(word: str, region: str | None) -> bool:
    """全省 after a province, 全市 after a city: the region in force is the one meant."""
    if region is None:
        return False
    found = gazetteer.region_by_name(region)
    if not found:
        return False
    levels = _SELF_LEVEL.get(word[-1], ())
    return found[0].level in levels and (word[-1] != "市" or found[0].name.endswith("市"))


def _same_kind(a: str, b: str) -> bool:
    """Two park names with the same kind of ending (…集聚区 and …集聚区, not …开发区)."""
    return a[-3:] == b[-3:]


def _enclosing(word: str, region: str | None) -> str | None:
    """The region 全市/全省 means when the one in force is of a lower level: the nearest
    ancestor of that level (长兴县 → 湖州市 for 全市), else the region itself."""
    if region is None or self_word_fits(word, region):
        return region
    found = gazetteer.resolve_region(region) if gazetteer.region_by_name(region) else None
    if found is not None:
        for a in gazetteer.ancestors(found):
            if self_word_fits(word, a.name):
                return a.name
    return region


def _same_place(a: str | None, b: str | None) -> bool:
    """即墨市 and 即墨区 (renamed 2017): one place under the name a report writes and today's."""
    if a is None or b is None:
        return a == b
    if a == b:
        return True
    suffixes = _W.region_suffix_chars
    return (len(a) > 2 and len(b) > 2 and a[-1] in suffixes and b[-1] in suffixes
            and a[:-1] == b[:-1])


# A region followed by these is an authority acting (某市政府将其列为…, 省政府批准).
_AUTHORITIES = _W.authority_words

# Generic words a report uses for whichever park it is talking about.
_PARK_REFERENCES = frozenset(_W.park_references)
_PARK_SELF_ENDS = tuple(_W.park_self_word_endings)


class SubjectTracker:
    """The subject as a paragraph goes on: reset per paragraph, updated by each entity
    named in subject position before a figure."""

    def __init__(self, article: ArticleSubject, text: str = "") -> None:
        self.article = article
        self.text = text
        self.reset()

    def _same_clause(self, a: int, b: int) -> bool:
        """Positions a <= b of the text lie in one clause."""
        return bool(self.text) and 0 <= a <= b and clause_start(self.text, b, 0) <= a

    def reset(self) -> None:
        self.region = self.article.region
        self.park = self.article.park
        self.group: Entity | None = None
        self.topic: str | None = None
        self._sentence_topic: str | None = None
        self._park_named = self.article.park is not None
        self._park_at = -1
        self.cluster: str | None = None
        self.company: str | None = None
        self._whole: tuple[str | None, str | None, bool, int, str | None, str | None] | None = None
        self._last_cluster: str | None = None
        self._region_end = -1  # where the place that set the region ends

    def refer_back(self) -> None:
        """该集群2019年完成产值260亿元: the industry named last in the paragraph again."""
        if self._last_cluster is not None:
            self.cluster = self._sentence_topic = self._last_cluster

    def see(self, e: Entity, in_clause: bool = False) -> None:
        """in_clause: the entity stands in the same clause as the figure about to be read."""
        if e.kind == "self" and e.at_head and self.text[e.end : e.end + 1] in (
                _W.self_whole_followers):
            return  # 在全市占比为33.2%: the whole of a share, not a new subject
        if e.kind == "self" and e.name.endswith("园"):
            if self.article.park is not None:  # 全园规划面积…: the park the report is about
                self.park = self.article.park
                self._park_named = True
            return
        if e.kind == "self" and e.at_head:
            if e.name.endswith("区") and self.park is not None:
                pass  # 园区…。2024年全区实现… → the park itself
            else:
                if not self_word_fits(e.name, self.region):
                    # else: 据浙江省…统计，全省… → 浙江省; 全市 in a county's report → its city
                    self.region = _enclosing(e.name, self.article.region)
                # 全县共有规上企业86家 in a report on the county's park: the county as a
                # whole, not the park (全区 may be the park itself, above)
                self.park = self.article.park if e.name.endswith(_PARK_SELF_ENDS) else None
            self.company = None
            # …高新技术产业产值达到10亿元，全区工业产值…: the whole area, unless the sentence
            # opened on its topic (服务外包方面，2007年全市新增服务外包企业260家)
            self.cluster = self._sentence_topic
        elif e.kind == "region" and self.text.startswith(_AUTHORITIES, e.end):
            pass  # 某市政府将其列为…: the government acting, not the subject of figures
        elif (e.kind == "region" and e.opens_park and _is_inside(e.name, self.region or "")
              and self._region_end != e.start and not self._opens_article_park(e)):
            # 在广州的三大国家级经开区里，增城经济技术开发区…: still 广州's figures (but
            # 甘肃酒泉工业园区: the last of a chain of places is the one meant)
            pass
        elif e.kind == "region" and (e.named or (e.at_head and gazetteer.region_by_name(e.name))):
            # named: stands alone (温州市41个); a place outside the gazetteer (中国, 全球)
            # must stand alone to be a subject
            if not _same_place(e.name, self.region):
                self.park = (self.article.park if _same_place(e.name, self.article.region)
                             else None)
            self.region = e.name
            self._region_end = e.end
            self.cluster = self.company = None
        elif e.kind == "park" and e.members:
            self.group = e
            if e.at_head:
                self.park = e.name
                self._park_named = True
                self._park_at = e.start
                self.cluster = self.company = None
        elif (
            e.kind == "park" and e.refers is not None and self.group is not None
            and e.refers in (0, self.group.members)
        ):  # 上述两家集聚区: the group named before
            self.park = self.group.name
            self._park_named = True
            self._park_at = e.start
            self.cluster = self.company = None
        elif e.kind == "park" and e.at_head and not e.in_parentheses:
            if (
                e.named
                or self.park is None
                or not self._park_named
                # 产业集聚区 after 赵集工业小区 is another park; 园区 is the one in force
                or (e.name not in _PARK_REFERENCES
                    and (e.name[0] not in self.park or not _same_kind(e.name, self.park)))
            ):
                # a generic 园区 after a named park is that park again: nothing changes
                self.park = e.name
                self._park_named = e.named
                self._park_at = e.start
                self.cluster = self.company = None
        elif e.kind == "cluster" and (e.at_head or e.named):
            if e.topic:
                self._sentence_topic = e.name
            # 五大产业完成产值… after a park's clause: the industries of the whole area;
            # 无锡软件园实现软件销售…: the park's own industry
            if (self.cluster is None and self.park != self.article.park
                    and not self._same_clause(self._park_at, e.start)):
                self.park = self.article.park
            self.cluster = self._last_cluster = e.name
            self.company = None
        elif e.kind == "company" and e.at_head:
            self.company = e.name

    def _opens_article_park(self, e: Entity) -> bool:
        """甘肃酒泉工业园区 in a report about that park: its place is the report's region."""
        park = self.article.park
        return park is not None and self.text.find(park, e.start, e.start + len(park) + 8) >= 0

    def open_part(self) -> None:
        """A sentence opening on 其中 speaks of a part of the subject in force (其中…的园区有
        5家，某某经开区的收入更是突破2000亿元): past its full stop, that subject holds again."""
        self._whole = (self.region, self.park, self._park_named, self._park_at, self.cluster,
                       self.company)

    def end_sentence(self, full_stop: bool = False) -> None:
        """A company is the subject of its own sentence only (四机厂投资1.6亿元。); an
        industry, of the sentence it is named in."""
        if full_stop:  # (a ； goes on about the same company: 柳工集团…；实现净利润8.7亿元)
            if self._whole is not None:
                (self.region, self.park, self._park_named, self._park_at, self.cluster,
                 self.company) = self._whole
                self._whole = None
            self.company = None
            self.cluster = self.topic
            self._sentence_topic = self.topic
        else:
            self.cluster = self._sentence_topic or self.topic

    def open_on(self, cluster: str) -> None:
        """A paragraph that opens on an industry's name alone (1.光电产业。…) is about that
        industry: each sentence comes back to it."""
        self.topic = self.cluster = self._sentence_topic = cluster

    def subject(self) -> Subject:
        return Subject(self.region, self.park, self.cluster, self.company)


_LOCATED = re.compile(
    rf"\s*(?:{_in_order(_W.location_verbs)})(?:{_in_order(_W.own_place_words)})?")


def section_subject(
    text: str, start: int, entities: ArticleEntities, current: ArticleSubject
) -> ArticleSubject | None:
    """A section whose first paragraph opens on another region (安阳市高新技术产业集聚区是
    河南省首批…) is about that region from there on, as a heading naming it would be; a
    park's section opening on where it lies (地处本市城阳区境内) is about that place."""
    first_end = clause_end(text, start)
    located = _LOCATED.match(text, start, first_end)
    if located is not None and current.park is not None:
        there = [e for e in entities.within(located.end(), first_end)
                 if e.kind == "region" and e.start == located.end()]
        if there and gazetteer.region_by_name(there[0].name):
            return ArticleSubject(region=there[0].name, park=current.park)
    opening = [e for e in entities.within(start, first_end) if e.at_head]
    if not opening or opening[0].kind != "region" or opening[0].start - start > 2:
        return None
    region = opening[0].name
    if region == current.region or not gazetteer.region_by_name(region):
        return None
    parks = [e for e in opening if e.kind == "park" and e.named and e.start == opening[0].start]
    return ArticleSubject(region=region, park=parks[0].name if parks else None)


def opens_with_subject(text: str, start: int, entities: list[Entity]) -> bool:
    """A sentence whose first clause names a region, park, industry or company at its head
    (珠江三角洲的404个建制镇中…; 无锡工业设计园承载了…) turns to another subject, and the
    period said before no longer holds for it."""
    first_end = clause_end(text, start)
    return any(
        e.at_head and e.start < first_end and e.kind != "self"
        and (e.kind != "region" or e.named)
        for e in entities
    )
