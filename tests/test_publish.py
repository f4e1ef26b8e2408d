"""Unit tests for build_tools.publish: versions.json, redirect stubs and the atomic swap."""

from dataclasses import replace
from datetime import date
from build_tools import publish
from test_render import registry, version


def test_versions_json_is_newest_first_with_latest_on_the_version_in_force():
    old = version(tot=date(2023, 7, 31))
    new = replace(version(vanaf=date(2023, 8, 1)), versie="2.0")
    entries = publish.versions_json(registry(old, new))
    assert [e["version"] for e in entries] == ["2.0", "1.0"]
    assert entries[0]["aliases"] == ["latest"] and entries[1]["aliases"] == []
    assert entries[1]["title"] == "1.0 (vervallen)" and entries[0]["title"] == "2.0 (geldend)"


def test_redirect_stubs_forward_every_page_to_latest_but_not_assets(tmp_path):
    for page in ("index.html", "protocol/index.html", "checker/embed/index.html", "assets/x/index.html"):
        (tmp_path / "2.0" / page).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "2.0" / page).write_text("page")
    assert publish.write_redirects(tmp_path, "2.0") == 3
    assert 'content="../../latest/checker/embed/"' in (tmp_path / "checker/embed/index.html").read_text()
    assert 'src="../../cvo-redirect.js"' in (tmp_path / "checker/embed/index.html").read_text()
    assert not (tmp_path / "assets").exists()
    assert "location.hash" in (tmp_path / publish.REDIRECT_SCRIPT).read_text()


def test_swap_replaces_the_old_site_only_as_a_whole(tmp_path):
    final, stage = tmp_path / "site", tmp_path / ".site.building"
    final.mkdir()
    (final / "old.html").write_text("old")
    stage.mkdir()
    (stage / "new.html").write_text("new")
    publish.swap_into_place(stage, final)
    assert sorted(p.name for p in final.iterdir()) == ["new.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
