"""The link_time stage: the year or period each figure is of, and its status.

What it carries across sentences, paragraphs and headings (each a pattern of how
reports are written):

- the report's own date (its date line, dateline or source line; else its title's
  year), which 今年, 上年 and 一季度 are counted from;
- the title's period (…2012年上半年经济运行情况): every figure's unless its own words,
  its section or its list say otherwise;
- a heading's goal (2024年工作目标) or period (一、2012年工作回顾) over its section;
- a paragraph ending in ：that opens a list of paragraphs, and a section's opening
  paragraph over its numbered items;
- a year stated in a sentence, which holds past the full stop until a new subject opens;
- a frame (预计, 力争) over its sentence and the ；-parts after it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from functools import cache

from etl.extract import deadline
from etl.extract.doc import Doc, DocArticle
from etl.extract.link_subject import opens_with_subject
from etl.extract.link_time import (
    TimeRef,
    carries_frame,
    frame_clause,
    frame_of,
    goal_heading,
    heading_time,
    named_as_goal,
    resolve,
    status_after,
    status_at,
    time_mentions,
    time_words,
    title_time,
    title_year,
)
from etl.extract.segment import clause_end

# A paragraph that is a numbered item of a list: 1、 (一) 一是 第一，
_ITEM_MARK = re.compile(
    r"\s*(?:\d{1,2}[、.．](?!\d)|[（(][一二三四五六七八九十\d]{1,3}[）)]|[一二三四五六七八九十]{1,3}[、是]"
    r"|第[一二三四五六七八九十]{1,3}[，,、])"
)


@cache
def _year_on_year() -> re.Pattern[str]:
    """比上年增长, 较上年, 同比: a comparison with the year before (time_words.toml)."""
    return re.compile("|".join(map(re.escape, time_words().year_on_year)))


def link_time(doc: Doc) -> Doc:
    for article in doc.article_list():
        _article_times(doc.text, article)
    return doc


def _article_times(text: str, article: DocArticle) -> None:
    a = article.article
    today = a.stated_date
    if today is None and article.title_at >= 0:  # 南山…2012年上半年经济运行情况: 今年 is 2012
        year = title_year(a.title)
        today = date(year, 1, 1) if year else None
        article.date_from_title = today is not None
    article.today = today
    doc_time = title_time(a.title, article.title_at) if article.title_at >= 0 else None
    section_goal: TimeRef | None = None
    section_time: TimeRef | None = None
    list_time: TimeRef | None = None  # a paragraph ending in ：opens a list of paragraphs
    intro_time: TimeRef | None = None  # a section's opening paragraph, for its numbered items
    # the year the last paragraph that stated one reported on (2020年度全省…): what 全年
    # means in a paragraph that states no year of its own
    year_before: TimeRef | None = None
    first_para = False
    for para in article.paragraphs:
        deadline.check()
        line = text[para.start : para.end]
        if para.heading:
            is_title = para.start <= article.title_at < para.end  # (after 第二篇：, say)
            stated = a.date_evidence
            if stated is not None and para.start <= stated.start < para.end:
                continue  # …工作总结⏎2013年2月20日: the day it was written, no section's period
            section_goal = goal_heading(text, para.start, para.end, today)
            if not is_title:  # the title's period is doc_time's
                section_time = (None if section_goal is not None
                                else heading_time(text, para.start, para.end, today))
            list_time = intro_time = None
            first_para = True
            continue
        item = _ITEM_MARK.match(line) is not None
        # under a heading of goals (2024年工作目标) every paragraph is a goal, of its year
        para_default: TimeRef | None = (
            list_time or (intro_time if item or _reviews_past_year(intro_time) else None)
            or section_goal or section_time or doc_time
        )
        time_ref: TimeRef | None = para_default
        para_frame: str | None = (
            "target" if para_default is not None and para_default.goal else None
        )
        year_open = True
        open_frame: str | None = None
        for sent in para.sentences:
            times = time_mentions(text, sent.start, sent.end, today)
            if (
                not year_open and opens_with_subject(text, sent.start, sent.entities or [])
                and not any(ref.same_year for _, _, ref in times)  # 全年园区税收…: same year
            ):
                # past a full stop a year holds until a new subject opens; then the
                # paragraph's own (its section's, list's or title's) holds again
                time_ref = para_default
            year_open = True
            # a frame opens the sentence: 预计 after its first figure frames only what follows
            opening = (sent.text[: sent.quantities[0].start - sent.start] if sent.quantities
                       else sent.text)
            frame = frame_of(opening)
            if frame is None and any(t.goal for _, _, t in times):
                frame = "target"
            # 预计…，…；…。: a frame covers its sentence, through the list it opens, up to
            # the full stop (the ；-parts after it)
            frame = frame or open_frame
            running = frame or para_frame or "actual"
            spans = _from_to_spans(text, sent.start, sent.end, times)
            since = sent.start
            for fig in sent.figures or []:
                q = fig.quantity
                framed = frame_clause(text, since, fig.clause_start)
                since = max(since, q.end)
                if framed is not None:  # ，据初步测算，全市…2050亿元左右
                    running = framed
                if any(a <= q.start for a, _ in spans):
                    # 比例从5.1:72.7:22.2变为3.3:41.6:55.1，比重上升了近33个百分点: a change
                    # between two unnamed times; the year carried to it holds no longer
                    time_ref = para_default
                if any(a <= q.start < b for a, b in spans):
                    fig.time, fig.status, fig.frame = None, status_at(
                        text, fig.clause_start, q.start, running), frame
                    running = fig.status
                    continue
                current = time_ref
                for t_start, _t_end, ref in times:
                    closed = _bracket_close(text, t_start, sent.start, sent.end)
                    if t_start < q.start and (closed is None or q.start < closed):
                        current = resolve(ref, current or year_before)
                c_start = fig.clause_start
                # the figure's clause and the next: …为2722亿元，较上年增长…
                next_end = clause_end(text, clause_end(text, q.end, sent.end) + 1, sent.end)
                if current is None and year_before is not None and _year_on_year().search(
                        text, c_start, next_end):
                    # …为2722亿元，较上年增长…: a year is in force, from here on
                    current = time_ref = year_before
                status = status_at(text, c_start, q.start, running)
                if status == "actual" and current is not None and current.goal:
                    status = "target"
                if status == "actual" and q.unit == "count":
                    status = status_after(text, q.end, clause_end(text, q.end, sent.end))
                if (status != "target" and _after_the_report(current, today)
                        and status_at(text, c_start, q.start, "") == ""):
                    # 2011年的产值预计为300亿元，2015年产值达到千亿元 (a report of 2011): a
                    # figure of a year still to come, with no status word of its own, is a plan
                    status = "target"
                if (status == "actual" and status_at(text, c_start, q.start, "") == ""
                        and named_as_goal(text, q.end, clause_end(text, q.end, sent.end))):
                    status = "target"  # 围绕…增长10%——12%等主要经济社会发展目标
                running = status
                fig.time, fig.status, fig.frame = current, status, frame
            full_stop = sent.full_stop
            open_frame = None if full_stop else frame
            for t_start, _t_end, ref in times:
                # （其中2019年投入2.4亿元）: a time in brackets dates what is in them
                if ref.carries and _bracket_close(text, t_start, sent.start, sent.end) is None:
                    time_ref = resolve(ref, time_ref or year_before)
            year_open = not (full_stop and time_ref is not None and not time_ref.goal
                             and time_ref is not para_default)
            if frame is not None and carries_frame(sent.text):
                para_frame = frame
        if line.rstrip().endswith((":", "：")) and time_ref is not None:
            # 到2025年，…具体表现为以下几方面：— the paragraphs after it are its list
            list_time = replace(time_ref, rule="list intro")
        elif first_para and not item and time_ref is not None and time_ref is not para_default:
            intro_time = replace(time_ref, rule="section intro")
        first_para = False
        if (time_ref is not None and time_ref.year is not None and not time_ref.goal
                and time_ref.period == str(time_ref.year)):
            year_before = time_ref


@cache
def _from_to() -> re.Pattern[str]:
    """从…变为…, 从…增加到…: a change from one time's figure to another's."""
    w = time_words()
    return re.compile(
        rf"(?:{'|'.join(map(re.escape, w.from_to_open))})[^。；;！？]{{1,40}}?"
        rf"(?:{'|'.join(map(re.escape, w.from_to_verbs))})[^，,。；;！？]{{0,16}}"
    )


def _from_to_spans(text: str, start: int, end: int,
                   times: list[tuple[int, int, TimeRef]]) -> list[tuple[int, int]]:
    """The from–to changes of a sentence that no time word of the sentence dates: those
    before them (2015年为263亿元，2021年增至714亿元) or in them (从2015年的…增至2020年的…)
    name the two times."""
    return [
        (m.start(), m.end()) for m in _from_to().finditer(text, start, end)
        if not any(t_start < m.end() for t_start, _, _ in times)
    ]


def _after_the_report(ref: TimeRef | None, today: date | None) -> bool:
    """The figure is of one year after the report's own date."""
    return (ref is not None and today is not None and ref.year is not None
            and ref.period == str(ref.year) and ref.year > today.year)


def _reviews_past_year(ref: TimeRef | None) -> bool:
    return ref is not None and ref.dated and ref.period_text.startswith(time_words().past_year)


def _bracket_close(text: str, pos: int, lo: int, hi: int) -> int | None:
    """Where the bracket that pos stands inside closes (（其中2019年投入2.4亿元）), if it
    opens in [lo, pos) and closes before hi; else None."""
    opened = max(text.rfind("（", lo, pos), text.rfind("(", lo, pos))
    if opened < 0 or max(text.rfind("）", opened, pos), text.rfind(")", opened, pos)) >= 0:
        return None
    ends = [i for i in (text.find("）", pos, hi), text.find(")", pos, hi)) if i >= 0]
    return min(ends) if ends else None
