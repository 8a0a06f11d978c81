"""The runner's contract (etl/extract/doc.py `Stage`, etl/extract/stages `run`): a stage
refuses a document without what it needs, fails by its name when it does not add its layer,
and the registered stages form a chain where every need was added earlier."""

from __future__ import annotations

import pytest

from etl.extract.doc import Doc, Stage, StageError
from etl.extract.stages import STAGES, profile_lines, run, stage

# a short report every stage has something to do with
TEXT = "清河区工作报告\n2013年2月20日\n今年，全区实现地区生产总值23.5亿元，同比增长15%。\n"


def test_a_stage_run_before_its_needs_names_itself_and_the_missing_layer() -> None:
    # link_time on a document that is only normalised: no figures, no mentions yet
    doc = run(Doc("t.txt", TEXT), until="normalise")
    with pytest.raises(StageError) as err:
        stage("link_time")(doc)
    message = str(err.value)
    assert "'link_time'" in message
    assert "figures" in message and "mentions" in message
    assert doc.layers == ["text", "normalised"]  # nothing was added


def test_the_first_stage_after_the_text_needs_only_the_text() -> None:
    with pytest.raises(StageError, match=r"'segment' needs normalised"):
        stage("segment")(Doc("t.txt", TEXT))


def test_a_stage_that_does_not_add_its_layer_fails_by_its_name() -> None:
    # a stage that declares quantities and forgets to set them
    lazy = Stage("lazy_quantities", lambda d: d, ("articles",), ("quantities",))
    doc = run(Doc("t.txt", TEXT), until="segment")
    with pytest.raises(StageError, match=r"'lazy_quantities' did not add quantities"):
        lazy(doc)
    assert "quantities" not in doc.layers


def test_a_stage_that_returns_another_document_fails() -> None:
    other = Stage("copy", lambda d: Doc(d.name, d.source), ("text",), ("normalised",))
    with pytest.raises(StageError, match=r"'copy' returned another document"):
        other(Doc("t.txt", TEXT))


def test_a_figure_left_without_its_metric_fails_the_metric_layer() -> None:
    # link_metric's check holds for every figure: one figure with no links is caught
    doc = run(Doc("t.txt", TEXT), until="mentions")
    no_links = Stage("no_links", lambda d: d, ("figures", "mentions"), ("metric",))
    assert [f for *_, f in doc.figures()]  # there are figures to leave unlinked
    with pytest.raises(StageError, match=r"'no_links' did not add metric"):
        no_links(doc)


def test_run_until_stops_at_that_stage() -> None:
    doc = run(Doc("t.txt", TEXT), until="quantities")
    assert doc.layers == ["text", "normalised", "articles", "quantities"]
    assert doc.quantities  # its own layer is there …
    assert all(s.figures is None for a in doc.article_list() for _, s in a.sentences())


def test_run_without_until_runs_every_stage() -> None:
    doc = run(Doc("t.txt", TEXT))
    assert doc.layers[-1] == STAGES[-1].adds[-1] == "record_subjects"
    assert doc.raw_records()


def test_an_unknown_stage_name_is_a_key_error_before_anything_runs() -> None:
    doc = Doc("t.txt", TEXT)
    with pytest.raises(KeyError):
        run(doc, until="tokenise")
    with pytest.raises(KeyError):
        stage("tokenise")
    assert doc.layers == ["text"] and doc.norm is None


def test_stage_names_are_unique_and_every_need_was_added_earlier() -> None:
    names = [s.name for s in STAGES]
    assert len(names) == len(set(names))
    added = {"text"}  # the caller's layer
    for s in STAGES:
        assert set(s.needs) <= added, f"{s.name} needs {set(s.needs) - added}"
        assert not set(s.adds) & added, f"{s.name} adds a layer added before"
        added |= set(s.adds)
        assert s.doc and "\n" not in s.doc, f"{s.name} has no one-line doc for --profile"


def test_profile_lines_list_the_stages_in_pipeline_order() -> None:
    profile: dict[str, float] = {}
    run(Doc("t.txt", TEXT), profile=profile)
    assert list(profile) == [s.name for s in STAGES]
    lines = profile_lines({"validate": 0.5, **profile, "read": 0.25})
    names = [line.split()[0] for line in lines]
    assert names == ["stage", "read", *(s.name for s in STAGES), "validate", "total"]
    assert lines[-1].endswith("100.0%")
    # a step no stage is named for comes after the known ones, by name
    lines = profile_lines({"zeta": 1.0, "segment": 1.0, "alpha": 2.0})
    assert [line.split()[0] for line in lines] == ["stage", "segment", "alpha", "zeta", "total"]
    assert "25.0%" in lines[1] and "50.0%" in lines[2]
