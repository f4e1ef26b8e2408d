"""The engines behind the pipeline: each renders the generated project, and each reports a broken link the same way."""

from __future__ import annotations

import pytest

from build_tools.engines import ENGINES, zensical_report
from conftest import copy_fixture, run_build


@pytest.mark.parametrize("engine", ENGINES)
def test_a_broken_internal_link_fails_the_build_on_each_engine_naming_page_and_target(tmp_path, engine):
    config = copy_fixture("minimal", tmp_path)
    index = config.parent / "docs" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + "\nZie [de bijlage](bijlage.md).\n", encoding="utf-8")
    result = run_build(config, tmp_path / "site", check=False, engine=engine)
    assert result.returncode == 1
    assert "index.md" in result.stderr and "bijlage.md" in result.stderr
    assert "Traceback" not in result.stderr and "\x1b[" not in result.stderr
    assert not (tmp_path / "site").exists() and not list(tmp_path.glob(".site.*"))


@pytest.mark.parametrize("engine", ENGINES)
def test_the_minimal_fixture_builds_on_each_engine(tmp_path, engine):
    config = copy_fixture("minimal", tmp_path)
    run_build(config, tmp_path / "site", engine=engine)
    html = (tmp_path / "site" / "latest" / "protocol" / "index.html").read_text(encoding="utf-8")
    assert 'id="a1"' in html and '"@type": "Legislation"' in html


def test_zensicals_report_keeps_its_findings_and_drops_colour_and_traceback():
    output = ("Build started\n\x1b[33mWarning:\x1b[0m page does not exist\n"
              "Traceback (most recent call last):\n  File \"x.py\", line 1, in <module>\n    cli()\n"
              "RuntimeError: Aborted because --strict flag is set\n")
    assert zensical_report(output) == ("Build started\nWarning: page does not exist\n"
                                       "Aborted because --strict flag is set")
