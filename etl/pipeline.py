"""The extraction pipeline, top to bottom: read → normalise → segment → find quantities →
link (metric, time, subject) → validate. Loading is `etl.load`'s job.

`extract_text` is pure (text in, records out) so that it can run in a process pool and be
fuzzed; `extract_file` adds reading and provenance.
"""

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from etl import __version__, gazetteer
from etl.figure_rules import Context, rejection
from etl.link_metric import MetricLink, SentenceFigures, link_sentence
from etl.link_subject import (
    ArticleEntities,
    ArticleSubject,
    Entity,
    Subject,
    SubjectTracker,
    article_subject,
    heading_park,
    heading_region,
    industry_named_in,
    is_heading,
    run_in_topic,
    word_ends,
    words,
)
from etl.link_time import TimeRef, frame_of, resolve, status_after, status_at, time_mentions
from etl.normalise import NormalisedText, normalise
from etl.numbers import round_value
from etl.paths import SEEDS_DIR
from etl.quantities import Quantity, find_quantities
from etl.read import ReportText, read_report
from etl.record import Record, validate
from etl.segment import (
    Article,
    Sentence,
    clause_end,
    clause_start,
    paragraphs,
    sentences,
    split_articles,
)

_EXTRACTION_MODULES = (
    "read", "normalise", "segment", "numbers", "quantities", "figure_rules", "lexicon",
    "link_metric", "link_time", "link_subject", "gazetteer", "catalogue", "record", "pipeline",
)


def _extractor_fingerprint() -> str:
    """A hash of the code and lexicons that decide what is extracted: a load re-extracts
    an unchanged file whenever any of them changed, and skips it otherwise."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    sources = (
        [here / f"{name}.py" for name in _EXTRACTION_MODULES]
        + sorted(here.glob("formats/*.py"))
        + sorted(p for p in SEEDS_DIR.iterdir() if p.suffix in (".csv", ".toml"))
    )
    for path in sources:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


EXTRACTOR_VERSION = f"{__version__}+{_extractor_fingerprint()}"


@dataclass(frozen=True)
class Rejected:
    """A record that failed validation: kept whole, with pydantic's error JSON as reason."""

    raw: dict[str, Any]
    reason: str


@dataclass
class ExtractedDocument:
    name: str
    source: ReportText
    title: str | None = None
    stated_date: date | None = None
    records: list[Record] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)


@dataclass
class TextExtraction:
    title: str | None
    stated_date: date | None
    raw_records: list[dict[str, Any]]


def extract_raw(doc: str, text: str) -> TextExtraction:
    """read → normalise → segment → find quantities → link; records are not yet validated."""
    norm = normalise(text)
    ntext = norm.text
    quantities = find_quantities(ntext)
    raws: list[dict[str, Any]] = []
    articles = split_articles(ntext)
    for article in articles:
        raws.extend(_article_records(doc, text, norm, article, quantities))
    # a page header (当前位置…) is an article with no title of its own: skip it
    titled = [a for a in articles if a.title]
    return TextExtraction(
        title=titled[0].title if titled else None,
        stated_date=next((a.stated_date for a in articles if a.stated_date), None),
        raw_records=raws,
    )


def _goal_heading(text: str, start: int, end: int, today: date | None) -> TimeRef | None:
    """A heading that announces goals (2024年工作目标, 二、2024年主要目标, 下一步工作计划):
    the time of the goals (its year, if it names one), marked as a goal."""
    line = text[start:end]
    if not any(w in line for w in _GOAL_HEADINGS):
        return None
    years = [ref for _, _, ref in time_mentions(text, start, end, today) if ref.year]
    year = years[0] if years else TimeRef(None, None, "")
    return replace(year, goal=True)


_GOAL_HEADINGS = ("目标", "计划", "下一步", "设想", "打算")


def _section_subject(
    text: str, start: int, entities: ArticleEntities, current: ArticleSubject
) -> ArticleSubject | None:
    """A section whose first paragraph opens on another region (安阳市高新技术产业集聚区是
    河南省首批…) is about that region from there on, as a heading naming it would be."""
    first_end = clause_end(text, start)
    opening = [e for e in entities.within(start, first_end) if e.at_head]
    if not opening or opening[0].kind != "region" or opening[0].start - start > 2:
        return None
    region = opening[0].name
    if region == current.region or not gazetteer.region_by_name(region):
        return None
    parks = [e for e in opening if e.kind == "park" and e.named and e.start == opening[0].start]
    return ArticleSubject(region=region, park=parks[0].name if parks else None)


def _opens_with_subject(text: str, start: int, entities: list[Entity]) -> bool:
    """A sentence whose first clause names a region, park, industry or company at its head
    (珠江三角洲的404个建制镇中…; 无锡工业设计园承载了…) turns to another subject, and the
    period said before no longer holds for it."""
    first_end = clause_end(text, start)
    return any(
        e.at_head and e.start < first_end and e.kind != "self"
        and (e.kind != "region" or e.named)
        for e in entities
    )


def _carries_frame(sentence: str) -> bool:
    """Only a goal header (发展目标：…, 到2015年，…, 下一步，…) frames the sentences after it."""
    head = sentence.lstrip()[:12]
    return bool(re.match(r"(?:[^，,。]{0,8}目标[:：]|到\d{4}年|下一步)", head))


def _in_boilerplate(article: Article, pos: int) -> bool:
    return any(a <= pos < b for a, b in article.boilerplate)


def _article_records(
    doc: str, source: str, norm: NormalisedText, article: Article, quantities: list[Quantity]
) -> list[dict[str, Any]]:
    ntext = norm.text
    article_entities = ArticleEntities(ntext, article.start, article.end)
    main = article_subject(
        ntext, article.start, article.end, article.title, article_entities
    )
    tracker = SubjectTracker(main, ntext)
    raws: list[dict[str, Any]] = []
    qs = [q for q in quantities if article.start <= q.start < article.end]
    qi = 0
    after_heading = False
    section_goal: TimeRef | None = None
    for para_start, para_end in paragraphs(ntext, article.start, article.end):
        line = ntext[para_start:para_end]
        if is_heading(line):
            region = heading_region(line)
            park = heading_park(line)
            if region is not None and region != tracker.article.region:
                tracker.article = ArticleSubject(region=region, park=park)
            elif park is not None:
                tracker.article = ArticleSubject(region=tracker.article.region, park=park)
            after_heading = True
            section_goal = _goal_heading(ntext, para_start, para_end, article.stated_date)
            continue
        if after_heading:
            opened = _section_subject(ntext, para_start, article_entities, tracker.article)
            if opened is not None:
                tracker.article = opened
            after_heading = False
        # under a heading of goals (2024年工作目标) every paragraph is a goal, of its year
        time_ref: TimeRef | None = section_goal
        para_frame: str | None = "target" if section_goal is not None else None
        carried_count: MetricLink | None = None
        carried_level: MetricLink | None = None
        year_open = True
        last_count: tuple[str, Subject] | None = None
        tracker.reset()
        topic = run_in_topic(ntext, para_start, article_entities)
        if topic is not None:
            tracker.open_on(topic)
        for sent in sentences(ntext, para_start, para_end):
            if _in_boilerplate(article, sent.start):
                continue
            while qi < len(qs) and qs[qi].start < sent.start:
                qi += 1
            in_sent: list[Quantity] = []
            while qi < len(qs) and qs[qi].start < sent.end:
                in_sent.append(qs[qi])
                qi += 1
            times = time_mentions(ntext, sent.start, sent.end, article.stated_date)
            entities = article_entities.within(sent.start, sent.end)
            if (
                not year_open and _opens_with_subject(ntext, sent.start, entities)
                and not any(ref.same_year for _, _, ref in times)  # 全年园区税收…: same year
            ):
                time_ref = None  # past a full stop a year holds until a new subject opens
            year_open = True
            sentence_text = ntext[sent.start : sent.end]
            # a frame opens the sentence: 预计 after its first figure frames only what follows
            opening = sentence_text[: in_sent[0].start - sent.start] if in_sent else sentence_text
            frame = frame_of(opening)
            if frame is None and any(t.goal for _, _, t in times):
                frame = "target"
            ctx = Context(ntext, sent.start, sent.end)
            figures = [q for q in in_sent if rejection(ctx, q) is None]
            if figures:
                names = [(e.start, e.end) for e in entities if e.kind == "company"]
                industries = [(e.start, e.end, word_ends(ntext, e))
                              for e in entities if e.kind == "cluster"]
                spans = [(e.start, e.end) for e in entities]
                links = link_sentence(
                    SentenceFigures(ntext, sent.start, sent.end, figures), names,
                    carried_count,
                    spans, carried_level, industries,
                )
                amounts = [
                    ls[0] for q, ls in zip(figures, links, strict=True)
                    if q.unit not in ("percent", "percentage_point")
                ]
                carried_level = amounts[-1] if amounts else carried_level
                counts = [ls[0] for q, ls in zip(figures, links, strict=True) if q.unit == "count"]
                carried_count = counts[-1] if counts else carried_count
                reach = min(para_end, sent.end + _SENTENCE_REACH)
                stop = _FULL_STOP.search(ntext, sent.start, reach)
                rest = [e for e in article_entities.within(sent.end, stop.end() if stop else reach)
                        if e.kind == "park"]
                subjects = _subjects(ntext, tracker, entities, figures, links, rest)
                subjects = [  # 园区…17.5亿元，五大产业…22亿元，分别占…75%和91%
                    subjects[ls[0].about] if ls[0].about is not None else subj
                    for ls, subj in zip(links, subjects, strict=True)
                ]
                running = frame or para_frame or "actual"
                for q, qlinks, subj in zip(figures, links, subjects, strict=True):
                    current = time_ref
                    for t_start, _t_end, ref in times:
                        if t_start < q.start:
                            current = resolve(ref, current)
                    c_start = clause_start(ntext, q.start, sent.start)
                    status = status_at(ntext, c_start, q.start, running)
                    if status == "actual" and current is not None and current.goal:
                        status = "target"
                    if status == "actual" and q.unit == "count":
                        status = status_after(ntext, q.end, clause_end(ntext, q.end, sent.end))
                    running = status
                    if q.unit == "count":
                        subj = _of_the_counted(ntext, c_start, q, qlinks[0], subj, last_count)
                        last_count = (qlinks[0].metric, subj)
                    for link in qlinks:
                        raws.append(
                            _raw_record(doc, source, norm, sent, q, link, current, status, subj)
                        )
            else:
                for e in entities:
                    tracker.see(e)
            full_stop = sentence_text.rstrip()[-1:] in "。！？!?"
            tracker.end_sentence(full_stop=full_stop)
            if full_stop:
                carried_level = None
            for _t_start, _t_end, ref in times:
                if ref.carries:
                    time_ref = resolve(ref, time_ref)
            year_open = not (full_stop and time_ref is not None and not time_ref.goal)
            if frame is not None and _carries_frame(sentence_text):
                para_frame = frame
    return _company_industries(ntext, _fullest_park_names(raws, article_entities),
                               article_entities)


def _company_industries(
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


def _without_city_suffix(name: str) -> str:
    """安阳市高新技术产业集聚区 → 安阳高新技术产业集聚区 (a city name and its 市 opening a
    park's name); other names unchanged."""
    for m in gazetteer.find_region_mentions(name)[:1]:
        if m.start == 0 and name[m.end - 1] == "市" and m.end < len(name):
            return name[: m.end - 1] + name[m.end :]
    return name


def _is_abbreviation(short: str, full: str) -> bool:
    """南阳高新区 ~ 南阳高新技术产业开发区: the short name's characters appear in order in
    the full one, which ends the same way."""
    if len(short) >= len(full) or short[-1] != full[-1]:
        return False
    it = iter(full)
    return all(ch in it for ch in short)


def _fullest_park_names(
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
        name = longer[0] if len(longer) == 1 else park
        official = _without_city_suffix(name)
        # 安阳市高新技术产业集聚区 where the article also writes 安阳高新技术产业集聚区: the
        # park's own name leaves out the 市 of its city
        fullest[park] = official if official in named else name
    for raw in raws:
        if raw["park"]:
            raw["park"] = fullest[raw["park"]]
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


def _subjects(
    text: str, tracker: SubjectTracker, entities: list[Entity], figures: list[Quantity],
    links: list[list[MetricLink]], rest: Sequence[Entity] = (),
) -> list[Subject]:
    """Feed the tracker the entities before each figure; an entity right after
    `<figure>的` (投资4000万元的紫江喷铝) belongs to that figure alone."""
    out: list[Subject] = []
    members = [e for e in entities if e.member_end is not None]
    pending = [_promoted(text, e, figures) for e in entities if e.member_end is None]
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
            e = pending.pop(0)
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
                and text[max(0, e.start - 2) : e.start].endswith(("是", "为", "属于"))
                and e.start <= clause_end(text, q.end)
            ]
            if industry:
                subj = replace(subj, cluster=industry[0].name)
        counted = _counted_industry(text, q, members)
        if counted is not None:
            subj = replace(subj, cluster=counted.name, company=None)
        if text.startswith(("入园", "入区"), clause) and not local:
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


_FULL_STOP = re.compile(r"[。！？!?]")
# How far past a ；-clause to look for the full stop that ends its sentence: sentences are
# shorter; a 400,000-character line without one must not be rescanned for every clause.
_SENTENCE_REACH = 400


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


_LIST_WORD = re.compile(r"分别|依次|各自")


def _each_of_the_places(
    text: str, entities: list[Entity], figures: list[Quantity], i: int
) -> str | None:
    """The region the i-th figure is about when regions joined by 、/和 stand right before
    分别 (长兴县、安吉县分别增长9.1%、7.6%) and as many figures of one kind follow it."""
    q = figures[i]
    mark = None
    for m in _LIST_WORD.finditer(text, 0, q.start):
        mark = m
    if mark is None:
        return None
    places: list[Entity] = []
    for e in reversed([e for e in entities if e.end <= mark.start()]):
        end = places[0].start if places else mark.start()
        if e.kind != "region" or text[e.end : end] not in _PLACE_JOINERS:
            break
        places.insert(0, e)
    if len(places) < 2:
        return None
    same = [f for f in figures if f.start > mark.end() and f.unit == q.unit]
    if len(same) != len(places) or q not in same:
        return None
    return places[same.index(q)].name


_PLACE_JOINERS = frozenset({"", "、", "和", "及", "与"})


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


def _of_the_counted(
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


def _raw_record(
    doc: str, source: str, norm: NormalisedText, sent: Sentence, q: Quantity,
    link: MetricLink, time: TimeRef | None, status: str, subj: Subject,
) -> dict[str, Any]:
    start, end = norm.source_span(q.start, q.end)
    c_start = clause_start(norm.text, q.start, sent.start)
    c_end = clause_end(norm.text, q.end, sent.end)
    quote_start, quote_end = norm.source_span(c_start, max(c_end, c_start + 1))
    return {
        "doc": doc,
        "start": start,
        "end": end,
        "quote": source[quote_start:quote_end].strip() or source[start:end],
        "value_text": source[start:end],
        "value": None if q.value is None else round_value(q.value),
        "value_low": None if q.low is None else round_value(q.low),
        "value_high": None if q.high is None else round_value(q.high),
        "qualifier": q.qualifier,
        "unit": q.unit,
        "metric": link.metric,
        "metric_text": link.metric_text,
        "measure": link.measure,
        "year": time.year if time else None,
        "period": time.period if time else None,
        "period_text": time.period_text if time else None,
        "status": status,
        "region": subj.region,
        "park": subj.park,
        "cluster": subj.cluster,
        "company": subj.company,
    }




def extract_text(doc: str, text: str) -> tuple[TextExtraction, list[Record], list[Rejected]]:
    extraction = extract_raw(doc, text)
    records: list[Record] = []
    rejected: list[Rejected] = []
    for raw in extraction.raw_records:
        rec, reason = validate(raw)
        if rec is not None:
            records.append(rec)
        else:
            rejected.append(Rejected(raw=raw, reason=reason or "invalid"))
    return extraction, records, rejected


def extract_source(name: str, source: ReportText) -> ExtractedDocument:
    """Extract a report already read (and hashed): the loader reads each file once, so
    the stored sha256 is always that of the bytes extracted."""
    extraction, records, rejected = extract_text(name, source.text)
    return ExtractedDocument(
        name=name,
        source=source,
        title=extraction.title,
        stated_date=extraction.stated_date,
        records=records,
        rejected=rejected,
    )


def extract_file(path: Path) -> ExtractedDocument:
    return extract_source(path.name, read_report(path))
