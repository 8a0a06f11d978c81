"""Who or what each figure is about: region, park, industry cluster, company.

An article has a main subject (the region or park its title and opening name); a figure
takes it unless its own sentence names a closer one. Within a sentence, an entity named
at the head of a clause stays the subject of the following clauses until another is
named (园区完成工业产值17.5亿元，…；五大产业完成产值22亿元). Region names come from the
gazetteer in seeds/; parks are recognised by their suffixes; clusters by the industry
lexicon and the 业/产业 words; companies by their suffixes.
"""

import csv
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from etl import gazetteer
from etl.paths import SEEDS_DIR

_CLAUSE_SEP = re.compile(r"[，,；;：:]")
_NAME_STOP = set(
    "的了在和与及对为是把将由从于等个家有以其中共全并而也都均已又再向到至按经被让使"
    "，,。；;：:、（）()“”\"《》 \n\t—-"
)
# words that are not a proper name in front of a park suffix
_GENERIC_PREFIX = re.compile(
    r"^(?:省级以上|省级|市级|县级|国家级|国家|各类|各级|各|全省|全市|全区|全县|我市|我县|我区|本市"
    r"|这些|该|此|其|新|老|原|现有|专业|特色|重点|主要|大型|一批|一些|各个|多个|所有)*$"
)
_SELF_WORDS = (
    "全省", "全市", "全区", "全县", "我省", "我市", "我区", "我县", "本省", "本市", "本区", "本县",
    "全镇",
)


@dataclass(frozen=True)
class Entity:
    kind: str  # region | park | cluster | company
    name: str
    start: int
    end: int


@dataclass(frozen=True)
class Subject:
    region: str | None = None
    park: str | None = None
    cluster: str | None = None
    company: str | None = None


@cache
def world_regions() -> dict[str, str]:
    """Names of regions outside the administrative gazetteer (中国, 北美, 珠江三角洲)."""
    with open(SEEDS_DIR / "world_regions.csv", encoding="utf-8", newline="") as f:
        out: dict[str, str] = {}
        for row in csv.DictReader(f):
            out[row["name"]] = row["name"]
            for alias in filter(None, row["aliases"].split("|")):
                out[alias] = row["name"]
        return out


@cache
def _park_pattern() -> re.Pattern[str]:
    suffixes = sorted((s.suffix for s in gazetteer.park_suffixes()), key=len, reverse=True)
    alt = "|".join(re.escape(s) for s in suffixes)
    return re.compile(rf"(?:{alt})")


@cache
def _cluster_pattern() -> re.Pattern[str]:
    names: set[str] = set()
    for c in gazetteer.clusters():
        names.add(c.name)
        names.update(c.aliases)
    alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True) if n)
    return re.compile(rf"(?:{alt})(?:制造业|产业|行业|业)?")


@cache
def _company_pattern() -> re.Pattern[str]:
    suffixes = sorted(gazetteer.company_suffixes(), key=len, reverse=True)
    alt = "|".join(re.escape(s) for s in suffixes)
    return re.compile(rf"(?:{alt})")


def _name_before(text: str, end: int, floor: int, max_len: int = 12) -> int:
    """Start of the proper-name run that ends at `end`."""
    i = end - 1
    while i >= floor and end - i <= max_len and text[i] not in _NAME_STOP:
        i -= 1
    return i + 1


def park_mentions(text: str, start: int, end: int) -> list[Entity]:
    out: list[Entity] = []
    for m in _park_pattern().finditer(text, start, end):
        s = _name_before(text, m.start(), start)
        out.append(Entity("park", text[s : m.end()], s, m.end()))
    # keep the longest of overlapping mentions
    out.sort(key=lambda e: (e.start, -(e.end - e.start)))
    kept: list[Entity] = []
    for e in out:
        if kept and e.start < kept[-1].end:
            if e.end - e.start > kept[-1].end - kept[-1].start:
                kept[-1] = e
            continue
        kept.append(e)
    return kept


def is_named_park(name: str, suffix_len: int) -> bool:
    prefix = name[: len(name) - suffix_len] if suffix_len else name
    return len(prefix) >= 2 and not _GENERIC_PREFIX.match(prefix)


def region_mentions(text: str, start: int, end: int) -> list[Entity]:
    out: list[Entity] = []
    for m in gazetteer.find_region_mentions(text[start:end]):
        name = m.candidates[0].name if len(m.candidates) == 1 else m.surface
        if len(m.candidates) > 1:
            names = {c.name for c in m.candidates}
            name = names.pop() if len(names) == 1 else m.surface
        out.append(Entity("region", name, start + m.start, start + m.end))
    world = world_regions()
    if world:
        alt = "|".join(re.escape(w) for w in sorted(world, key=len, reverse=True))
        for wm in re.finditer(alt, text[start:end]):
            s, e = start + wm.start(), start + wm.end()
            if not any(x.start < e and s < x.end for x in out):
                out.append(Entity("region", world[wm.group()], s, e))
    out.sort(key=lambda e: e.start)
    return out


def cluster_mentions(text: str, start: int, end: int) -> list[Entity]:
    return [
        Entity("cluster", _strip_industry(m.group()), m.start(), m.end())
        for m in _cluster_pattern().finditer(text, start, end)
    ]


def _strip_industry(name: str) -> str:
    for suffix in ("制造业", "产业", "行业", "业"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def company_mentions(text: str, start: int, end: int) -> list[Entity]:
    out: list[Entity] = []
    for m in _company_pattern().finditer(text, start, end):
        s = _name_before(text, m.start(), start, max_len=10)
        if m.start() - s >= 2:
            out.append(Entity("company", text[s : m.end()], s, m.end()))
    return out


@dataclass(frozen=True)
class ArticleSubject:
    region: str | None
    park: str | None


def article_subject(text: str, start: int, end: int, title: str) -> ArticleSubject:
    """The region and park an article is about: named in its title and opening, and
    the most often named overall."""
    head_end = min(end, start + 400)
    score: Counter[str] = Counter()
    for e in region_mentions(text, start, end):
        weight = 3 if e.start < head_end else 1
        score[e.name] += weight
    for e in region_mentions(title, 0, len(title)):
        score[e.name] += 5
    region = _most_specific(score)
    park: str | None = None
    parks = [p for p in park_mentions(text, start, head_end) if _named(p.name)]
    title_parks = [p for p in park_mentions(title, 0, len(title)) if _named(p.name)]
    if title_parks:
        park = title_parks[0].name
    elif parks:
        counts = Counter(p.name for p in park_mentions(text, start, end) if _named(p.name))
        park = counts.most_common(1)[0][0] if counts else parks[0].name
        if counts and counts[park] < 2:
            park = None
    return ArticleSubject(region=region, park=park)


def _named(name: str) -> bool:
    for s in gazetteer.park_suffixes():
        if name.endswith(s.suffix):
            return is_named_park(name, len(s.suffix))
    return False


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


def entities_in(text: str, start: int, end: int) -> list[Entity]:
    ents = (
        region_mentions(text, start, end)
        + park_mentions(text, start, end)
        + cluster_mentions(text, start, end)
        + company_mentions(text, start, end)
    )
    ents.sort(key=lambda e: (e.start, -(e.end - e.start)))
    return ents


def subjects_for(
    text: str,
    sent_start: int,
    sent_end: int,
    positions: Sequence[tuple[int, int]],
    article: ArticleSubject,
    count_of_parks: Sequence[bool],
) -> list[Subject]:
    """One Subject per figure position (start, end) in the sentence."""
    ents = entities_in(text, sent_start, sent_end)
    out: list[Subject] = []
    for (q_start, _q_end), parks_counted in zip(positions, count_of_parks, strict=True):
        before = [e for e in ents if e.end <= q_start]
        region = next((e.name for e in reversed(before) if e.kind == "region"), None)
        park = next((e.name for e in reversed(before) if e.kind == "park"), None)
        cluster = next((e.name for e in reversed(before) if e.kind == "cluster"), None)
        company = next((e.name for e in reversed(before) if e.kind == "company"), None)
        if region is None or any(w in text[sent_start:q_start] for w in _SELF_WORDS):
            region = region or article.region
        if park is None:
            park = article.park
        if parks_counted:
            park, cluster = None, None
        out.append(Subject(region=region, park=park, cluster=cluster, company=company))
    return out
