"""The review page in a real browser: headless Chromium (Debian's `chromium` and
`chromium-driver`, installed by `make browser`; never downloaded by selenium) driven at
/usr/bin/chromedriver. A reviewer opens a document, clicks a figure, changes its metric
and region, saves, confirms the next one with the keyboard and adds a missed figure by
selecting its text; the document is re-extracted and every correction is still shown and
in bi.observation. The screenshots in docs/ (docs/REVIEW.md) are made here.

Without the browser the tests skip, saying so; under CI (CI=true) they fail instead."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from etl.paths import PROJECT_ROOT, SAMPLE_REPORTS_DIR
from etl.serve.web import create_app
from etl.store.db import Database
from etl.store.load import load_paths

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
DOCS = PROJECT_ROOT / "docs"


def _screenshot_dir(tmp_path: Path) -> Path:
    """docs/ when PARKSTAT_SCREENSHOTS=1 (to refresh docs/REVIEW.md's pictures), else a
    temporary folder, so a test run leaves the working tree as it was."""
    return DOCS if os.environ.get("PARKSTAT_SCREENSHOTS") == "1" else tmp_path
DOC = "nanshan_park_2012_midyear.txt"

pytestmark = pytest.mark.browser


def _need_browser() -> None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package (pip install -e '.[dev]')")
    if not missing:
        return
    reason = (f"browser tests need {' and '.join(missing)}: run `make browser` "
              "(apt-get install chromium chromium-driver fonts-wqy-zenhei)")
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true: {reason}")
    pytest.skip(reason)


@pytest.fixture
def driver() -> Iterator[Any]:
    _need_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1440,1000", "--lang=zh-CN", "--force-device-scale-factor=1"):
        opts.add_argument(arg)
    drv = webdriver.Chrome(options=opts, service=Service(executable_path=str(CHROMEDRIVER)))
    drv.implicitly_wait(5)
    try:
        yield drv
    finally:
        drv.quit()


# A report written for this test: one region's GDP over the years, actual, estimated and
# targeted — the series chart's three kinds of points.
SERIES_REPORT = (
    "南阳市2015年国民经济和社会发展统计公报\n"
    "2012年全市实现地区生产总值1900亿元。2013年全市实现地区生产总值2100亿元，"
    "2014年全市地区生产总值达到2350亿元，2015年全市实现地区生产总值2520亿元。"
    "预计2016年全市地区生产总值可达到2700亿元。力争到2020年全市地区生产总值达到3600亿元。\n")


@pytest.fixture
def server(db_url: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    from werkzeug.serving import make_server

    series = tmp_path / "nanyang_2015_bulletin.txt"
    series.write_text(SERIES_REPORT, encoding="utf-8")
    assert load_paths([SAMPLE_REPORTS_DIR, series], Database(db_url)).ok
    app = create_app(Database(db_url), author="browser-reviewer")
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.server_port}", db_url
    finally:
        srv.shutdown()


def _flash(driver: Any, word: str) -> str:
    """The page's message once it says `word`: the page redraws it after each action, so an
    element read just before the redraw goes stale (waits up to 10 s, then returns the text
    there is, for the assertion to show)."""
    from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def text(d: Any) -> str:
        return str(d.find_element(By.CSS_SELECTOR, ".flash").text)

    with contextlib.suppress(TimeoutException):
        WebDriverWait(driver, 10, ignored_exceptions=(StaleElementReferenceException,)).until(
            lambda d: word in text(d))
    return text(driver)


def _one(url: str, sql: str, *params: Any) -> Any:
    with psycopg.connect(url) as conn:
        row = conn.execute(sql, params).fetchone()
    return row


def test_review_a_document_and_keep_it_across_reextraction(
        driver: Any, server: tuple[str, str], tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    base, url = server
    doc, first, second, value_text = _one(
        url, """SELECT d.id, min(o.id), (array_agg(o.id ORDER BY o.seq))[2],
                       (array_agg(o.value_text ORDER BY o.seq))[1]
                FROM observation o JOIN source_document d ON d.id = o.document_id
                WHERE d.name = %s GROUP BY d.id""", DOC)
    driver.get(f"{base}/documents")
    driver.find_element(By.LINK_TEXT, DOC).click()
    fig = driver.find_element(By.CSS_SELECTOR, f"#doctext a.fig[id='f{first}']")
    assert fig.text == value_text
    fig.click()
    assert "sel" in driver.find_element(By.ID, f"f{first}").get_attribute("class")
    Select(driver.find_element(By.ID, "f-metric")).select_by_value("industrial_value_added")
    region = driver.find_element(By.ID, "f-region")
    region.clear()
    region.send_keys("南阳市")
    driver.find_element(By.ID, "save").click()
    assert "saved" in _flash(driver, "saved")
    assert "corrected" in driver.find_element(By.ID, f"f{first}").get_attribute("class")
    # keyboard review: j to the next figure, c to confirm it
    body = driver.find_element(By.TAG_NAME, "body")
    body.send_keys("j")
    assert "sel" in driver.find_element(By.ID, f"f{second}").get_attribute("class")
    driver.find_element(By.TAG_NAME, "body").send_keys("c")
    assert "confirmed" in _flash(driver, "confirmed")
    # x rejects the figure now selected (the third) as not a figure; then the reviewer
    # changes their mind and adds it back by selecting its text
    third = driver.find_element(By.CSS_SELECTOR, "#doctext a.fig.sel")
    third_text = third.text
    driver.find_element(By.TAG_NAME, "body").send_keys("x")
    assert "rejected" in _flash(driver, "rejected")
    rejected = driver.find_element(By.CSS_SELECTOR, "#doctext span.fig.rejected")
    assert rejected.text == third_text
    driver.execute_script("""
        const span = document.querySelector('#doctext span.fig.rejected');
        const r = document.createRange();
        r.selectNodeContents(span);
        const s = window.getSelection(); s.removeAllRanges(); s.addRange(r);
        document.getElementById('doctext').dispatchEvent(
            new MouseEvent('mouseup', {bubbles: true}));""")
    add = driver.find_element(By.ID, "addform")
    assert add.is_displayed()
    assert driver.find_element(By.ID, "add-selected").get_attribute("value") == third_text
    Select(add.find_element(By.NAME, "metric")).select_by_value("fixed_asset_investment")
    driver.find_element(By.ID, "add-save").click()
    assert "figure added" in _flash(driver, "figure added")
    added = driver.find_element(By.CSS_SELECTOR, "#doctext a.fig.added")
    assert added.text == third_text

    # re-extract: every correction is applied again to the new records
    assert load_paths([SAMPLE_REPORTS_DIR], Database(url), reextract=True).ok
    driver.get(f"{base}/documents/{doc}")
    corrected = driver.find_elements(By.CSS_SELECTOR, "#doctext a.fig.corrected")
    assert [c.text for c in corrected] == [value_text]
    assert driver.find_elements(By.CSS_SELECTOR, "#doctext a.fig.reviewed")
    assert [a.text for a in driver.find_elements(By.CSS_SELECTOR, "#doctext a.fig.added")] \
        == [third_text]
    row = _one(url, """SELECT metric_code, region_name, reviewed, corrected_fields
                       FROM bi.observation WHERE document_name = %s AND value_text = %s
                       ORDER BY span_start LIMIT 1""", DOC, value_text)
    assert row[:3] == ("industrial_value_added", "南阳市", True)
    assert set(row[3]) == {"metric", "region"}
    assert _one(url, "SELECT count(*) FROM correction WHERE state = 'orphaned'") == (0,)

    # the screenshots of docs/REVIEW.md
    shots = _screenshot_dir(tmp_path)
    corrected[0].click()
    driver.save_screenshot(str(shots / "review-document.png"))
    region = _one(url, "SELECT id FROM region WHERE code = '411300'")[0]
    driver.get(f"{base}/series?metric=gdp&kind=region&subject={region}")
    points = driver.find_elements(By.CSS_SELECTOR, "#series-chart svg a")
    assert len(points) == 6
    driver.save_screenshot(str(shots / "review-series.png"))
    links = driver.execute_script(  # each point links to its sentence
        "return Array.from(document.querySelectorAll('#series-chart svg a'))"
        ".map(a => [a.getAttribute('href'), a.textContent])")
    target = next(href for href, title in links if title.startswith("2020 target"))
    driver.get(base + target)
    assert driver.find_element(By.CSS_SELECTOR, "#doctext a.fig.sel").text == "3600亿元"
