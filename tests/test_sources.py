"""mkdocs.yml as the pipeline reads it: our settings validated, each mistake one message naming file and field."""

from __future__ import annotations

import pytest

from build_tools.errors import SourceError
from build_tools.publisher import slug
from build_tools.sources import load_project, plugin_options
from conftest import copy_fixture


def test_the_settings_are_read_with_their_defaults(tmp_path):
    project = load_project(copy_fixture("minimal", tmp_path))
    assert (project.settings.pdf, project.settings.checker, project.settings.versions_dir) == (False, False, "versies")
    assert project.settings.cache_dir == ".cache" and project.site_url == "https://fixture.example/beleid/"
    assert project.build_date().isoformat() == "2024-01-01"


@pytest.mark.parametrize("edit, field, fragment", [
    (lambda t: t.replace("pdf: false", 'pdf: "misschien"'), "plugins.cvo.pdf", "bool"),
    (lambda t: t.replace('build_date: "2024-01-01"', 'build_date: "1 januari"'), "plugins.cvo.build_date", "geen datum"),
    (lambda t: t.replace("  - cvo:\n", "  - andere:\n"), "plugins", "ontbreekt"),
    (lambda t: t + "\nnav: [: oeps\n", None, "geen geldige YAML"),
])
def test_each_settings_mistake_is_one_message_naming_file_and_field(tmp_path, edit, field, fragment):
    config = copy_fixture("minimal", tmp_path)
    config.write_text(edit(config.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(SourceError) as caught:
        load_project(config).build_date()
    assert caught.value.file == str(config) and caught.value.field == field and fragment in str(caught.value)


def test_plugin_options_accept_mkdocs_list_and_mapping_forms():
    assert plugin_options(["search", {"cvo": {"pdf": False}}]) == {"pdf": False}
    assert plugin_options(["search", "cvo"]) == {}
    assert plugin_options({"search": {}, "cvo": None}) == {}
    assert plugin_options(["search"]) is None


def test_slugs_for_file_names():
    assert slug("Richtlijnen gebruik sociale media CVO") == "richtlijnen-gebruik-sociale-media-cvo"
    assert slug("Afspraken über Fryslân!") == "afspraken-uber-fryslan"
    assert slug("…") == "protocol"
