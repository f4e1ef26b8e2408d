"""End-to-end: the three-version fixture (vervallen, vastgesteld, concept) built for real and read as a reader would."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest

from build_tools.checker_assets import engine_dir
from build_tools.engines import DEFAULT_ENGINE, ENGINES
from conftest import DATA, run_build, serve_directory
from axe import axe_violations
from sitetext import visible_text

EXPIRED = "Deze versie is vervallen (geldig van 1 augustus 2022 t/m 31 juli 2023)"
CONCEPT = "Concept — nog niet vastgesteld"


@pytest.fixture(scope="module", params=ENGINES)
def three_versions(tmp_path_factory, request, three_versions_site) -> Path:
    """The fixture built once per engine (the default engine's build is the session's shared one)."""
    if request.param == DEFAULT_ENGINE:
        return three_versions_site
    out = tmp_path_factory.mktemp(f"three-versions-{request.param}") / "site"
    run_build(DATA / "three-versions" / "mkdocs.yml", out, engine=request.param)
    return out


def text(site: Path, path: str) -> str:
    return visible_text((site / path).read_text(encoding="utf-8"))


def test_each_version_has_its_own_address_and_versions_json(three_versions):
    assert json.loads((three_versions / "versions.json").read_text()) == [
        {"version": "3.0", "title": "3.0 (concept)", "aliases": []},
        {"version": "2.0", "title": "2.0 (geldend)", "aliases": ["latest"]},
        {"version": "1.0", "title": "1.0 (vervallen)", "aliases": []},
    ]
    assert "liefst met toestemming" in text(three_versions, "1.0/protocol/index.html")
    assert "alleen met toestemming" in text(three_versions, "2.0/protocol/index.html")
    assert "kwetsende berichten" in text(three_versions, "3.0/protocol/index.html")
    assert (three_versions / "latest/protocol/index.html").read_bytes() == (three_versions / "2.0/protocol/index.html").read_bytes()
    assert 'content="../latest/protocol/"' in (three_versions / "protocol/index.html").read_text()


@pytest.mark.parametrize("version, banner", [("1.0", EXPIRED), ("3.0", CONCEPT), ("2.0", None)])
def test_pages_of_versions_not_in_force_carry_a_banner_linking_to_the_version_in_force(three_versions, version, banner):
    for page in ("index.html", "protocol/index.html", "beslistabel/index.html", "wijzigingen/index.html"):
        html = (three_versions / version / page).read_text(encoding="utf-8")
        if banner is None:
            assert 'class="cvo-notice"' not in html
            continue
        assert banner in visible_text(html), (version, page)
        target = "../latest/" if page == "index.html" else f"../../latest/{page.removesuffix('index.html')}"
        assert f'<a href="{target}">Lees deze pagina in de geldende versie</a>' in html


def test_the_permalink_box_offers_this_version_and_the_version_in_force(three_versions):
    html = (three_versions / "1.0/protocol/index.html").read_text(encoding="utf-8")
    assert 'href="../../1.0/protocol/#a3"' in html and 'href="../../latest/protocol/#a3"' in html


def changes(site: Path, version: str) -> dict[str, tuple[str, str]]:
    html = (site / version / "wijzigingen/index.html").read_text(encoding="utf-8")
    found = re.findall(r'<section class="cvo-wijziging[^"]*" data-artikel="(\w+)" data-soort="(\w+)">(.*?)</section>', html, re.S)
    return {article: (kind, body) for article, kind, body in found}


def test_wijzigingen_lists_exactly_the_changed_articles_with_the_changed_words(three_versions):
    two = changes(three_versions, "2.0")
    assert {k: v[0] for k, v in two.items()} == {"A1": "gewijzigd", "A3": "verwijderd"}
    assert '<del class="cvo-oud">liefst</del>' in two["A1"][1] and '<ins class="cvo-nieuw">alleen</ins>' in two["A1"][1]
    three = changes(three_versions, "3.0")
    assert {k: v[0] for k, v in three.items()} == {"A2": "gewijzigd", "A3": "toegevoegd"}
    assert '<ins class="cvo-nieuw">of adressen</ins>' in three["A2"][1]
    assert '<del class="cvo-oud">niet</del>' in three["A2"][1] and '<ins class="cvo-nieuw">nooit</ins>' in three["A2"][1]
    assert "eerste versie" in text(three_versions, "1.0/wijzigingen/index.html")


def test_versiegeschiedenis_lists_every_version_with_status_dates_and_approvals(three_versions):
    page = text(three_versions, "2.0/versiegeschiedenis/index.html")
    for expected in ("3.0 concept nog geen geldigheidsdatum", "2.0 geldend geldig vanaf 1 augustus 2023",
                     "1.0 vervallen geldig van 1 augustus 2022 t/m 31 juli 2023", "FIXTURE: samenvatting van versie 1.0."):
        assert expected in page


@pytest.mark.parametrize("version", ["1.0", "2.0", "3.0"])
def test_each_version_ships_a_checker_wheel_with_its_own_rules(three_versions, version):
    wheels = list((three_versions / version).rglob("*.whl"))
    assert len(wheels) == 1
    with zipfile.ZipFile(wheels[0]) as wheel:
        rules = wheel.read("checker/regels.toml").decode("utf-8")
    assert f'versie = "{version}"' in rules


def test_the_version_selector_switches_to_the_same_article(three_versions, browser):
    with serve_directory(three_versions) as url:
        page = browser.new_page()
        page.goto(url + "1.0/protocol/#a2")
        page.locator(".md-version").hover()
        page.locator('.md-version__link[href$="/2.0/"]').click()
        page.wait_for_url(re.compile(r".*/2\.0/protocol/#a2$"))
        assert page.locator(".md-version__current").inner_text().startswith("2.0")
        page.close()


def test_an_old_unversioned_address_redirects_to_the_version_in_force_with_its_fragment(three_versions, browser):
    with serve_directory(three_versions) as url:
        page = browser.new_page()
        page.goto(url + "protocol/#a2")
        page.wait_for_url(re.compile(r".*/latest/protocol/#a2$"))
        assert "alleen met toestemming" in page.inner_text("article")
        page.goto(url)
        page.wait_for_url(re.compile(r".*/latest/$"))
        page.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_banners_pass_axe_in_both_palettes(three_versions, browser, scheme):
    with serve_directory(three_versions) as url:
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        for path in ("1.0/protocol/", "3.0/wijzigingen/"):
            page.goto(url + path)
            assert page.locator(".cvo-notice").count() == 1
            assert axe_violations(page) == [], path
        context.close()


@pytest.mark.parametrize("version, marking", [("1.0", EXPIRED), ("3.0", CONCEPT)])
def test_the_pdf_of_a_version_not_in_force_is_marked_on_every_page(three_versions, version, marking):
    from pypdf import PdfReader

    reader = PdfReader(three_versions / version / "pdf" / f"fixture-drie-versies-{version}.pdf")
    assert len(reader.pages) >= 2
    for number, page in enumerate(reader.pages, start=1):
        assert marking in " ".join(page.extract_text().split()), f"page {number}"


def test_the_pdf_of_the_version_in_force_carries_no_marking(three_versions):
    from pypdf import PdfReader

    reader = PdfReader(three_versions / "2.0" / "pdf" / "fixture-drie-versies-2.0.pdf")
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "vervallen (geldig" not in text and "Concept" not in text


@pytest.mark.parametrize("version, verdict", [("1.0", "toegestaan_mits"), ("2.0", "niet_toegestaan"), ("3.0", "niet_toegestaan")])
def test_each_versions_checker_answers_with_its_own_rules(three_versions, browser, version, verdict):
    collect = """window.__advice = []; window.addEventListener("message", (e) => {
        if (e.data && e.data.type === "cvo-checker:advice") window.__advice.push(e.data.advice); });"""
    with serve_directory(three_versions) as url:
        context = browser.new_context()
        page = context.new_page()
        page.add_init_script(collect)
        page.goto(url + "2.0/")  # any page of that origin hosts the iframe, as an intranet page would
        page.evaluate("src => { document.body.innerHTML = ''; const f = document.createElement('iframe');"
                      " f.title = 'checker'; f.src = src; document.body.append(f); }",
                      url + f"{version}/checker/embed/#rol=leerling&situatie=prive&schoolgerelateerd=ja&beeldmateriaal=ja")
        page.wait_for_function("window.__advice.length > 0", timeout=60000)
        advice = page.evaluate("window.__advice[window.__advice.length - 1]")
        assert advice["version"] == version
        assert advice["verdict"] == verdict
        assert f"FIXTURE {version}" in advice["reasons"][0]["text"]
        context.close()


def test_the_cli_and_the_site_pick_the_same_version_and_give_the_same_advice(three_versions):
    """`python -m checker` in the fixture's tree takes the version in force by the site's own rule."""
    import subprocess
    import sys

    latest = next(v["version"] for v in json.loads((three_versions / "versions.json").read_text()) if "latest" in v["aliases"])
    answers = json.dumps({"rol": "leerling", "situatie": "prive", "persoonsgegevens": True})
    env = {"PYTHONPATH": str(Path(__file__).resolve().parent.parent), "PATH": "/usr/bin:/bin"}
    cli = subprocess.run([sys.executable, "-m", "checker"], input=answers, capture_output=True, text=True,
                         cwd=DATA / "three-versions" / "docs", env=env, check=True)
    assert json.loads(cli.stdout)["version"] == latest == "2.0"
    for versie in ("1.0", "2.0", "3.0"):
        chosen = subprocess.run([sys.executable, "-m", "checker", "--versie", versie], input=answers, capture_output=True,
                                text=True, cwd=DATA / "three-versions", env=env, check=True)
        wheel = next(engine_dir(three_versions / versie).glob("*.whl"))
        with zipfile.ZipFile(wheel) as archive:
            # The site's checker for that version bundles exactly that version's rules and questions.
            for name in ("regels.toml", "vragen.toml"):
                assert archive.read(f"checker/{name}") == (DATA / "three-versions/docs/versies" / versie / name).read_bytes()
        assert json.loads(chosen.stdout)["version"] == versie
