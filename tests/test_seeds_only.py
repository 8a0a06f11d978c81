"""seeds/ is the one source of word lists and catalogues (README, issue 12).

Two guards:

* no word list in code: every Chinese string literal under etl/ outside docstrings is
  either number grammar (numerals, read by etl/extract/numbers.py's parser), a bound of a
  Unicode range, or one of the few pieces of grammar listed in ALLOWED below, module by
  module, each with why it stays. A new cue word belongs in a seeds/*.toml list (with a
  comment giving why and an example), read through that file's loader;
* one reader per seed file: each file of seeds/ is named, as a path, in exactly one place
  of the code (its cached loader), so that extraction and database seeding
  (etl/store/seed.py) read the same rows the same way.

The checks read the code with `ast`: comments and docstrings may name words and files
freely.
"""

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from etl.paths import PROJECT_ROOT, SEEDS_DIR

ETL = PROJECT_ROOT / "etl"
# Where code may read seed files: the package, the migrations and models, and the
# benchmarks and scripts beside it (tests may read a file to check it independently).
CODE_DIRS = [ETL, PROJECT_ROOT / "migrations", PROJECT_ROOT / "models",
             PROJECT_ROOT / "benchmarks", PROJECT_ROOT / "scripts"]

_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
# Numerals and scale words: number grammar, parsed by etl/extract/numbers.py (一二三,
# 两, 〇/零, 十百千万亿, 万亿, 千万).
_NUMERALS = frozenset("〇零一二两三四五六七八九十百千万亿")
# Bounds of the CJK ranges (\u3400-\u9fff, \uf900-\ufaff) written as characters.
_RANGE_BOUNDS = frozenset({"\u3400", "\u9fff", "\uf900", "\ufaff"})

# What stays in code, per module (path under etl/): runs of Han characters that are
# grammar, not vocabulary — particles and single characters the code's logic is about, the
# units of a date (年月日), character classes inside a regular expression's structure
# (lookbehinds, exclusions), and user-facing text.
ALLOWED: dict[str, frozenset[str]] = {
    # --help text: an example of a correction's fields (metric=gdp region=荆州区)
    "cli.py": frozenset({"荆州区"}),
    # messages and display, not extraction (checks' descriptions, chart axis labels)
    "serve/checks.py": frozenset({"万余个", "占", "岗位", "的"}),
    "store/seed.py": frozenset({"亿元"}),  # a column comment: 亿元 → CNY
    "extract/figure_rules.py": frozenset({
        "个",  # the generic measure word: 3个月 is a duration (after_ge_blockers)
        "的", "有",  # 超过200亿元的…有26个: a bucket's particles
    }),
    "extract/figure_subjects.py": frozenset({
        "是",  # 四机厂是…行业的: the copula right after a company name (one character)
        "市",  # 安阳市|高新区: a city's 市 inside a park's name
        "的", "等",  # particles
        "其中有共另外还",  # a character class: what may open a count's clause (其中有6家)
        "项目",  # 投资4000万元的紫江喷铝项目: where a project's owner ends (regex lookahead)
    }),
    "extract/gazetteer.py": frozenset({"区"}),  # two-character …区 (城区, 郊区) are generic
    "extract/link_metric.py": frozenset({
        # 比/较 of a comparison, not of 同比 nor of 比重/比例/比率: regex structure
        "同", "比", "较", "比较", "重例率", "提升增降",
        "在", "中", "所", "的", "等",  # 在…中(所|的): the whole a share is of
        "年", "底", "末",  # 2022年底的: a date between a verb and its figure
        "区园",  # 集聚区 is a noun, 集聚 a verb (lookahead)
        "数",  # 企业数, 占总数的: the character that makes a noun a count
    }),
    "extract/link_subject.py": frozenset({
        "个家亿万元",  # a line with a digit and one of these holds a figure: no heading
        "区", "园", "市",  # the last character of a self word (全区, 全园) or a city's 市
    }),
    "extract/link_time.py": frozenset({
        "年", "月份", "个月", "份", "日",  # dates: 2010年, 1-6月份, 前4个月
        "至到", "前",  # 1至6月, 前4个月: month ranges
        "的份底末初中",  # 1998年9月改用现名: what may follow a date without making a verb
        "规计纲",  # 十一五规划/计划/纲要: a plan's document, not its time (lookahead)
        "在", "了", "的", "到",  # particles: 在上年, …的目标，建设了; 到2015年 (a deadline)
        "的等",  # 增长10%等主要发展目标, 增长8%的目标: what links a figure to the goal noun
    }),
    "extract/mentions.py": frozenset({
        "一二两三四五六七八九十百千万几多余数",  # numerals and 几/多/余/数: a count (几家, 多个)
        "家个", "国", "都", "级", "大",  # 国家, 成都, 省级, 三大: single characters in names
        "中里内",  # 在全疆开发区中排名第一: where a ranking's field ends
        "年月日份上下半", "月", "日", "电", "讯",  # dates and datelines (3月29日电)
        "年月",  # 2012年, 5月: date units that end a name only after a numeral (青年 does not)
        "强",  # 世界500强: a ranking, not a place
        # what may not stand inside an industry's name (regex exclusion class)
        "等一二三四五六七八九十几批大支柱种类些个的和与", "是为区园",
    }),
    "extract/normalise.py": frozenset({"第", "篇"}),  # list and part numbering: 第一篇, 篇一
    "extract/numbers.py": frozenset({"个", "点"}),  # 三个亿, 三点五: number grammar
    "extract/pipeline.py": frozenset({"年", "全区完成工业总产值", "亿元"}),  # warm-up sentence
    "extract/quantities.py": frozenset({
        # ratios without a unit: 百分之五, 三分之一, 翻了两番, 翻番, 3倍, 六成 — their
        # structure and the characters around them (lookbehinds and exclusions)
        "百分之", "分之", "翻", "番", "翻番", "倍", "成", "点", "了",
        "占的为达了到", "现争", "工计行", "长加高", "的近过约达占逾有超长加",
        "本员为功果立绩交型品熟长", "占",
        "个", "元", "级", "产业",  # 三个亿; 万亿产业, 千亿级: scale words that class
        "至", "到",  # 3至5家: a range
        "下同",  # 70亿(美元,下同): a currency carried on
    }),
    "extract/segment.py": frozenset({"年", "月", "日", "在", "上"}),  # dates; 在…会议上
    # list numbering of paragraphs: 1、 (一) 一是 第一，
    "extract/stages/dates.py": frozenset({"第", "是"}),
}


def _docstrings(tree: ast.AST) -> set[int]:
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def _strings(path: Path) -> Iterator[tuple[int, str]]:
    """(line, value) of every string literal of a module outside docstrings (f-strings'
    literal parts included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node.lineno, node.value


def _grammar(run: str) -> bool:
    return set(run) <= _NUMERALS or run in _RANGE_BOUNDS


def test_no_word_lists_in_code() -> None:
    found: list[str] = []
    for path in sorted(ETL.rglob("*.py")):
        module = path.relative_to(ETL).as_posix()
        allowed = ALLOWED.get(module, frozenset())
        for line, value in _strings(path):
            for run in _HAN_RUN.findall(value):
                if not _grammar(run) and run not in allowed:
                    found.append(f"etl/{module}:{line}: {run!r} in {value[:60]!r}")
    assert not found, ("Chinese words in code; put word lists in seeds/*.toml and read them "
                       "through the file's loader (or, if grammar, add them to ALLOWED with "
                       "why):\n" + "\n".join(found))


def test_allowed_words_are_still_used() -> None:
    """ALLOWED shrinks with the code: an entry no literal needs any more is dropped."""
    stale: list[str] = []
    for module, allowed in ALLOWED.items():
        runs = {run for _, value in _strings(ETL / module) for run in _HAN_RUN.findall(value)}
        stale += [f"etl/{module}: {w!r}" for w in sorted(allowed - runs)]
    assert not stale, "no longer in the code, remove from ALLOWED:\n" + "\n".join(stale)


def _seed_files() -> list[Path]:
    return sorted(p for p in SEEDS_DIR.iterdir() if p.is_file() and p.suffix in (".csv", ".toml"))


def test_every_seed_file_is_hashed_by_the_extractor_fingerprint() -> None:
    """The fingerprint (etl/extract/pipeline.py) hashes seeds/*.csv and *.toml: a seed file
    of another kind would change records without changing the extractor's version."""
    others = [p.name for p in SEEDS_DIR.iterdir()
              if p.is_file() and p.suffix not in (".csv", ".toml", ".py")]
    assert others == []


def test_each_seed_file_has_one_reader() -> None:
    """A seed file's name, as a path literal ("metrics.csv", SEEDS_DIR / "clusters.csv",
    load_word_lists("time_words.toml")), stands in one place of the code: its loader."""
    named: dict[str, list[str]] = {p.name: [] for p in _seed_files()}
    for folder in CODE_DIRS:
        for path in sorted(folder.rglob("*.py")):
            for line, value in _strings(path):
                m = re.fullmatch(r"(?:seeds/)?([\w.]+\.(?:csv|toml))", value.strip())
                if m and m.group(1) in named:
                    named[m.group(1)].append(f"{path.relative_to(PROJECT_ROOT)}:{line}")
    unread = [name for name, where in named.items() if not where]
    shared = {name: where for name, where in named.items() if len(where) > 1}
    assert not unread, f"seed files no code reads: {unread}"
    assert not shared, f"seed files read in more than one place: {shared}"


def test_store_seeds_through_the_extraction_loaders() -> None:
    """etl/store/seed.py opens no seed file itself (store may import extract)."""
    source = (ETL / "store" / "seed.py").read_text(encoding="utf-8")
    assert "open(" not in source and "import csv" not in source
    assert "from etl.extract import catalogue, gazetteer" in source


def test_park_suffixes_compiled_one_way() -> None:
    """The park-suffix pattern is gazetteer.park_suffix_pattern, used by both mentions and
    figure_rules; no module compiles park_suffixes() again."""
    users = [p.relative_to(ETL).as_posix() for p in ETL.rglob("*.py")
             if "park_suffixes()" in p.read_text(encoding="utf-8")]
    assert users == ["extract/gazetteer.py"]
