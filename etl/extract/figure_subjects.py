"""Which subject each figure of a sentence is about, and the names the records carry.

The SubjectTracker (etl/extract/link_subject.py) says what the text is talking about as it goes;
a sentence can still name, for one figure, something else: the park it builds
(…已形成了九阳机械电子工业园), the company behind a project's size (投资4000万元的紫江喷
铝), the industry whose firms it counts (微电子信息企业31家), each member of a group
before 分别 (A、B分别实现…). These rules are here; `subjects_of` applies them in order.
Then, per article, names take their fullest form (`fullest_park_names`) and companies
the industry the article gives them (`company_industries`).
"""

import re
from collections import deque
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from typing import Any

from etl.extract import gazetteer
from etl.extract.link_metric import MetricLink
from etl.extract.link_subject import Subject, SubjectTracker
from etl.extract.mentions import ArticleEntities, Entity, industry_named_in, words
from etl.extract.quantities import Quantity
from etl.extract.segment import clause_end, clause_start


def company_industries(
    text: str, raws: list[dict[str, Any]], entities: ArticleEntities
) -> list[dict[str, Any]]:
    """A company the article says is of an industry (四机厂是荆州区石油机械行业的“火车头”)
    brings that industry to its figures that name none."""
    industry: dict[str, str] = {}
    for e in entities.all:
        if e.kind == "company" and text.startswith("是", e.end):
            named = industry_named_in(text, e.end + 1, clause_end(text, e.end))
            if named is not None:
                industry.setdefault(e.name, named)
    if industry:
        for raw in raws:
            if raw["company"] in industry and raw["cluster"] is None:
                raw["cluster"] = industry[raw["company"]]
    return raws


@cache
def _without_city_suffix(name: str) -> str:
    """安阳市高新技术产业集聚区 → 安阳高新技术产业集聚区 (a city name and its 市 opening a
    park's name); other names unchanged."""
    for m in gazetteer.find_region_mentions(name)[:1]:
        if m.start == 0 and name[m.end - 1] == "市" and m.end < len(name):
            return name[: m.end - 1] + name[m.end :]
    return name


def _stem(name: str) -> str:
    """The name before the park suffix ending it (粤澳合作中医药科技产业园 → 粤澳合作中医药科技);
    a name no suffix ends is its own stem."""
    before = gazetteer.before_park_suffix(name)
    return name if before is None else before


def _is_abbreviation(short: str, full: str) -> bool:
    """南阳高新区 ~ 南阳高新技术产业开发区: the short name's characters appear in order in
    the full one, which ends the same way."""
    if len(short) >= len(full) or short[-1] != full[-1]:
        return False
    stem = _stem(short)
    if stem and _stem(full) != stem and _stem(full).startswith(stem):
        return False  # 粤澳合作产业园 vs 粤澳合作中医药科技产业园: a park of its own, more words
    it = iter(full)
    return all(ch in it for ch in short)


def fullest_park_names(
    raws: list[dict[str, Any]], entities: ArticleEntities
) -> list[dict[str, Any]]:
    """RECORDS.md: names in the fullest form the article itself uses. A park named short
    (高新区, 集聚区) takes the one full name in the article it abbreviates, if exactly one."""
    named = {e.name for e in entities.all if e.kind == "park" and e.named and not e.members}
    fullest: dict[str, str] = {}
    for raw in raws:
        park = raw["park"]
        if not park or park in fullest:
            continue
        longer = [n for n in named if _is_abbreviation(park, n)]
        if (not longer and park in words().park_references and len(named) == 1
                and _named_first(entities, next(iter(named)), park)):
            # 绵竹经济开发区 … 园区位于…: the one park the article names, named before the
            # word (全省开发区…。其中南昌高新区…: 开发区 came first, the province's zones)
            longer = list(named)
        name = longer[0] if len(longer) == 1 else park
        if not _stem(park) and len(named) > 1:
            name = park  # 开发区 alone where the article names several parks: any of them
        official = _without_city_suffix(name)
        # 安阳市高新技术产业集聚区 where the article also writes 安阳高新技术产业集聚区: the
        # park's own name leaves out the 市 of its city
        fullest[park] = official if official in named else name
    first_at: dict[str, int] = {}
    for e in entities.all:
        if e.kind == "park" and e.named:
            first_at.setdefault(e.name, e.start)
    for raw in raws:
        park = raw["park"]
        if park and (fullest[park] == park or _stem(park)
                     or first_at.get(fullest[park], raw["start"]) < raw["start"]):
            # 我省开发区实现…, then 唐山某某经济技术开发区…: a bare 开发区 before any park is
            # named in full is the report's word for its parks, not that later one
            raw["park"] = fullest[park]
    return raws


def _named_first(entities: ArticleEntities, name: str, word: str) -> bool:
    """Whether the article names the park `name` before it first writes `word`."""
    named_at = min((e.start for e in entities.all if e.kind == "park" and e.name == name),
                   default=-1)
    word_at = min((e.start for e in entities.all if e.kind == "park" and e.name == word),
                  default=-1)
    return 0 <= named_at < word_at


def written_region_names(
    text: str, raws: list[dict[str, Any]], entities: ArticleEntities
) -> list[dict[str, Any]]:
    """RECORDS.md: a region in the form the report writes it. A region read off a short
    name (a county-level city since renamed a district: 某某市经济开发区 → today's 某某区)
    takes the full name the report writes for that place (某某市工业开发区, 某某市规模最大…:
    某某市)."""
    regions = [e for e in entities.all if e.kind == "region"]
    # (清河 opening 清河经济开发区 is the park's name, not how the report writes the place;
    # 荆州区 opening 荆州区工业园区 is the place written in full)
    suffixes = words().region_suffix_chars
    written = {text[e.start : e.end] for e in regions
               if not e.opens_park or text[e.end - 1] in suffixes}
    chosen: dict[str, str | None] = {}
    for raw in raws:
        name = raw["region"]
        if not name or name in written:
            continue
        if name not in chosen:
            short = name[:-1] if len(name) > 2 and name[-1] in words().region_suffix_chars \
                else name
            full = {e.name for e in regions
                    if e.name != name and e.name.startswith(short)
                    and text[e.start : e.end] == e.name and len(e.name) == len(short) + 1}
            chosen[name] = full.pop() if len(full) == 1 else None
        raw["region"] = chosen[name] or name
    return raws


_OWNER = re.compile(r"[\u4e00-\u9fffA-Za-z（）()]{2,14}?(?=项目|[、，,。；;]|$)")


def _project_owner(text: str, q: Quantity, link: MetricLink) -> Entity | None:
    """投资4000万元的紫江喷铝、…: the name after a project's size is the company behind
    it, even without a legal ending (RECORDS.md's example)."""
    if link.metric != "project_investment_total":
        return None
    m = _OWNER.match(text, q.end + 1)
    if m is None or m.group()[0].isdigit():
        return None
    return Entity("company", m.group(), m.start(), m.end())


def subjects_of(
    text: str, tracker: SubjectTracker, entities: list[Entity], figures: list[Quantity],
    links: list[list[MetricLink]], rest: Sequence[Entity] = (),
) -> list[Subject]:
    """Feed the tracker the entities before each figure; an entity right after
    `<figure>的` (投资4000万元的紫江喷铝) belongs to that figure alone."""
    out: list[Subject] = []
    members = [e for e in entities if e.member_end is not None]
    # a deque: taken from the front, one by one (list.pop(0) made a long clause quadratic)
    pending = deque(_promoted(text, e, figures) for e in entities if e.member_end is None)
    owned: dict[int, Entity] = {}
    for i, q in enumerate(figures):
        if text[q.end : q.end + 1] == "的":
            for e in pending:
                if e.kind in ("company", "park") and q.end + 1 <= e.start <= q.end + 3:
                    owned[i] = e
                    pending.remove(e)
                    break
            else:
                named = _project_owner(text, q, links[i][0])
                if named is not None:
                    owned[i] = named
    counted_parks = {
        clause_start(text, f.start, 0) for f, fl in zip(figures, links, strict=True)
        if fl[0].metric == "park_count"
    }
    for i, (q, qlinks) in enumerate(zip(figures, links, strict=True)):
        clause = clause_start(text, q.start, 0)
        while pending and pending[0].start < q.start:
            e = pending.popleft()
            tracker.see(e, in_clause=e.start >= clause)
        subj = tracker.subject()
        local = [  # 为光电孵化园在孵企业融资300万元: a park named in the clause, for it alone
            e for e in entities
            if e.kind == "park" and e.named and not e.at_head and clause <= e.start < q.start
            and not e.in_parentheses and "、" not in text[e.end : q.start]  # one of a list
        ]
        if local:
            subj = replace(subj, park=local[-1].name, cluster=None, company=None)
        elif subj.park is None and subj.cluster is None:
            earlier = [  # 开辟产业集聚区人才…，引进各类人才189名: the park the sentence is about
                e for e in entities
                if e.kind == "park" and e.start < q.start and not e.in_parentheses
                # …not parks counted (建设了A园、B园等4个孵化园区): many, not the one
                and clause_start(text, e.start, 0) not in counted_parks
            ]
            if earlier:
                subj = replace(subj, park=earlier[-1].name)
        if i in owned:
            e = owned[i]
            subj = replace(subj, **{e.kind: e.name})
        if q.unit == "percent" and text[q.end : q.end + 1] == "的":
            industry = [  # 75%的企业是(为, 属于)电子信息制造: the part is that industry
                e for e in entities if e.kind == "cluster" and q.end < e.start
                and text[max(0, e.start - 2) : e.start].endswith(words().industry_copulas)
                and e.start <= clause_end(text, q.end)
            ]
            if industry:
                subj = replace(subj, cluster=industry[0].name)
        counted = _counted_industry(text, q, members)
        if counted is not None:
            subj = replace(subj, cluster=counted.name, company=None)
        if text.startswith(words().park_entry_words, clause) and not local:
            before = [e for e in entities if e.kind == "park" and e.named and e.end <= clause]
            if before:  # …光电新园区建设,入园各类相关企业数达到100家: that park
                subj = replace(subj, park=before[-1].name)
        each = _each_of_the_group(text, entities, figures, i)
        if each is not None:  # A、B分别实现营业收入420亿元、380亿元
            subj = replace(subj, park=each, region=_region_opening(each) or subj.region)
        place = _each_of_the_places(text, entities, figures, i)
        if place is not None:  # 长兴县、安吉县分别增长9.1%、7.6%
            subj = replace(subj, region=place, park=None, company=None)
        built = _park_built(text, [*entities, *rest], q)
        if built is not None and not local:
            subj = replace(subj, park=built.name)
        if qlinks[0].metric == "park_count":  # counts of parks carry only the region…
            # …but a share of them may be those of one industry (生产性服务业主导的占到了60%)
            what = qlinks[0].metric_text or ""
            cluster = subj.cluster if qlinks[0].measure == "share" else None
            if cluster is not None and (cluster in what or what in cluster):
                cluster = None  # 块状经济…占总数的56.4%: the counted groups themselves
            subj = replace(subj, park=None, cluster=cluster, company=None)
        out.append(subj)
    for e in pending:
        tracker.see(e)
    return out


def _each_of_the_group(
    text: str, entities: list[Entity], figures: list[Quantity], i: int
) -> str | None:
    """The park of a group (A、B) that the i-th figure is about when the group is followed by
    分别/依次 and as many figures of one kind: the k-th figure is the k-th park's."""
    groups = [e for e in entities if e.parts and e.end <= figures[i].start]
    if not groups:
        return None
    group = groups[-1]
    mark = _LIST_WORD.search(text, group.end, figures[i].start)
    if mark is None:
        return None
    unit = figures[i].unit
    same = [f for f in figures if f.start > mark.end() and f.unit == unit]
    if len(same) != len(group.parts) or figures[i] not in same:
        return None
    return group.parts[same.index(figures[i])]


_LIST_WORD = re.compile("|".join(re.escape(w) for w in words().each_words))


def _each_of_the_places(
    text: str, entities: list[Entity], figures: list[Quantity], i: int
) -> str | None:
    """The region the i-th figure is about when regions joined by 、/和 stand right before
    分别 (长兴县、安吉县分别增长9.1%、7.6%) and as many figures of one kind follow it."""
    q = figures[i]
    mark = None
    for m in _LIST_WORD.finditer(text, max(0, q.start - _LIST_REACH), q.start):
        mark = m
    if mark is None:
        return None
    places: list[Entity] = []
    before = [e for e in entities if e.end <= mark.start()]
    # 中部和西部在国家级产业园区中所占比例…，分别是30%和21%: the places that open the
    # clause are the subjects listed, past the other names in it
    last_place = max((i for i, e in enumerate(before) if e.kind == "region"), default=-1)
    skipped = before[last_place + 1 :]
    for e in reversed(before[: last_place + 1]):
        end = places[0].start if places else mark.start()
        if e.kind != "region" or (text[e.end : end] not in _PLACE_JOINERS and not (
                not places and skipped and e.end <= skipped[0].start)):
            break
        places.insert(0, e)
    if len(places) < 2 or (skipped and not places[0].at_head):
        return None
    same = [f for f in figures if f.start > mark.end() and f.unit == q.unit]
    if len(same) != len(places) or q not in same:
        return None
    return places[same.index(q)].name


_PLACE_JOINERS = frozenset({"", *words().group_joiners})  # 长兴县、安吉县 / 长兴县安吉县
_LIST_REACH = 200  # how far before a figure its 分别 may stand (not the whole text: speed)


@cache
def _region_opening(park: str) -> str | None:
    """晋城经济技术开发区 → 晋城市: the region whose name opens a park's name."""
    for m in gazetteer.find_region_mentions(park)[:1]:
        if m.start == 0:
            names = {c.name for c in m.candidates}
            return names.pop() if len(names) == 1 else None
    return None


def _park_built(text: str, entities: list[Entity], q: Quantity) -> Entity | None:
    """A named park that the sentence goes on to build (创建浙商上虞工业园, 已形成了九阳
    机械电子工业园的基本雏形): what the money, land and buildings before it went into."""
    verbs = words().park_building_verbs
    for e in entities:
        if (
            e.kind == "park" and e.named and e.start > q.end and not e.in_parentheses
            and text[max(0, e.start - 4) : e.start].endswith(verbs)
        ):
            return e
    return None


def of_the_counted(
    text: str, c_start: int, q: Quantity, link: MetricLink, subj: Subject,
    last: tuple[str, Subject] | None,
) -> Subject:
    """A count with nothing of its own before it (…等８家新型建材项目，其中有６家在建，４家年内
    有望投产) counts some of the things counted before: it takes their industry."""
    if last is None or subj.cluster is not None or last[1].cluster is None:
        return subj
    if link.metric != last[0] or _COUNT_LEAD.sub("", text[c_start : q.start]):
        return subj
    return replace(subj, cluster=last[1].cluster)


_COUNT_LEAD = re.compile(r"[其中有共另外还,，\s]")


def _counted_industry(text: str, q: Quantity, members: list[Entity]) -> Entity | None:
    """The industry whose firms or projects a count counts, written next to it
    (微电子信息企业31家, ８家新型建材项目), or a share is of."""
    if q.unit == "percent":  # 占全市动漫(相关)企业总数的60%: a share of that industry's
        clause = clause_start(text, q.start, 0)
        inside = [e for e in members if clause <= e.start and e.end <= q.start]
        return inside[-1] if inside else None
    if q.unit != "count":
        return None
    for e in members:
        assert e.member_end is not None
        between = text[q.end : e.start]
        if 0 <= q.start - e.member_end <= 1 or (
            # 14家外资物流企业, ８家投资过５０００万元的新型建材项目: a modifier between
            0 <= e.start - q.end <= 16 and not _CLAUSE_MARK.search(between)
            and ((len(between) <= 3 and _CJK_ONLY.fullmatch(between)) or between.endswith("的"))
        ):
            return e
    return None


_CJK_ONLY = re.compile(r"[\u4e00-\u9fff]*")


_CLAUSE_MARK = re.compile(r"[，,。；;：:、]")


def _promoted(text: str, e: Entity, figures: list[Quantity]) -> Entity:
    """A park or industry counted by a figure (全省117家省级以上开发区实现…, 块状经济312个，
    实现…) is the subject of what the sentence says next, wherever it stands."""
    if e.kind not in ("park", "cluster") or e.at_head or e.in_parentheses:
        return e
    if text.startswith("等", e.end):
        return e  # …的园区有某某经开区等9家: one example of those counted, not their subject
    for q in figures:
        if (
            q.unit == "count" and (0 <= e.start - q.end <= 2 or 0 <= q.start - e.end <= 2)
            and not _after_verb(text, min(q.start, e.start))
        ):
            return replace(e, at_head=True)
    return e


def _after_verb(text: str, pos: int) -> bool:
    """A verb (建设了, 已建成) stands before pos in its clause: what follows is its object
    (建设了…等4个专业孵化园区), not the subject of the sentence."""
    head = text[clause_start(text, pos, 0) : pos]
    return any(v in head for v in words().park_object_verbs)
