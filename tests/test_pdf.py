"""The printable PDF: rendered for real with WeasyPrint and read back with pypdf."""

from __future__ import annotations

import dataclasses
import io
import logging
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pypdf
import pytest

from build_tools import pdf as pdf_module
from conftest import SEED
from build_tools.protocol import load_protocol
from build_tools.render import notice_text
from build_tools.versions import VersionRegistry, load_version, load_versions
from checker.decision_table import decision_table
from checker.rules import load_ruleset

REPO = Path(__file__).resolve().parent.parent
VERSIONS = REPO / "docs" / "versies"
A4 = (595.28, 841.89)
VERVALLEN_MARKING = "Deze versie is vervallen (geldig van 1 januari 2019 t/m 31 juli 2020)"
CONCEPT_MARKING = "Concept — nog niet vastgesteld"


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


def normalise(text: str) -> str:
    return " ".join(text.split())


def adopted_sentences() -> list[str]:
    """Every sentence of the adopted text's prose and articles (headings and approval tables left out)."""
    text = SEED.read_text(encoding="utf-8").split("### Vastgesteld door CVO")[0]
    sentences = []
    for block in re.split(r"\n\s*\n|\n(?=\d+\.\s)", text):
        block = block.strip()
        if not block or block.startswith("#") or block == "---":
            continue
        block = re.sub(r"^\d+\.\s+", "", block).replace("*", "")
        sentences += [normalise(s) for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", block) if s.strip()]
    return sentences


def render(version, registry, rows, out: Path):
    """One real render; returns (reader, extracted page texts, weasyprint records, build-log records)."""
    weasy, build = Collect(), Collect()
    weasy_logger = logging.getLogger("weasyprint")
    build_logger = logging.getLogger(f"test.pdf.{out.stem}")
    build_logger.setLevel(logging.DEBUG)
    weasy_logger.addHandler(weasy)
    build_logger.addHandler(build)
    try:
        protocol = load_protocol(version.protocol_path)
        pdf_module.write_pdf(protocol, version, registry, rows, out, build_logger)
    finally:
        weasy_logger.removeHandler(weasy)
        build_logger.removeHandler(build)
    reader = pypdf.PdfReader(out)
    pages = [page.extract_text() for page in reader.pages]
    return reader, pages, weasy.records, build.records


@pytest.fixture(scope="module")
def current():
    version = load_version(VERSIONS / "2.0")
    # A build date inside 2.0's validity keeps this independent of versions added later.
    registry = load_versions(VERSIONS, version.geldig_vanaf)
    return registry.get("2.0"), registry


@pytest.fixture(scope="module")
def rows(current):
    version, _ = current
    return decision_table(load_ruleset(version.rules_path))


@pytest.fixture(scope="module")
def real(current, rows, tmp_path_factory, monkeypatch_module):
    monkeypatch_module.delenv("SOURCE_DATE_EPOCH", raising=False)
    version, registry = current
    out = tmp_path_factory.mktemp("pdf") / "richtlijnen-2.0.pdf"
    reader, pages, weasy, build = render(version, registry, rows, out)
    return {"path": out, "reader": reader, "pages": pages, "text": normalise("\n".join(pages)),
            "weasy": weasy, "build": build, "version": version, "registry": registry,
            "protocol": load_protocol(version.protocol_path)}


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def _old_and_concept(version):
    old = dataclasses.replace(
        version, versie="1.0", status="vervallen", geldig_vanaf=date(2019, 1, 1), geldig_tot=date(2020, 7, 31),
        samenvatting="Vorige versie.",
        vaststelling=dataclasses.replace(version.vaststelling, versie="1.0", datum=date(2018, 12, 20)),
        instemming=dataclasses.replace(version.instemming, versie="1.0", datum=date(2018, 12, 1)),
    )
    concept = dataclasses.replace(
        version, versie="3.0", status="concept", geldig_vanaf=None, geldig_tot=None, vaststelling=None,
        samenvatting="Voorstel voor een nieuwe versie.",
        instemming=None,
    )
    return old, concept


def _not_in_force_pdf(current, tmp_path_factory, which: str) -> dict:
    """Render the expired ("old") or the draft ("concept") fixture version beside the real current one."""
    version, _ = current
    old, concept = _old_and_concept(version)
    registry = VersionRegistry((old, version, concept), version, date(2021, 1, 1))
    chosen = {"old": old, "concept": concept}[which]
    reader, pages, weasy, _ = render(chosen, registry, [], tmp_path_factory.mktemp(which) / f"{which}.pdf")
    return {"pages": pages, "weasy": weasy}


@pytest.fixture(scope="module")
def expired(current, tmp_path_factory):
    return _not_in_force_pdf(current, tmp_path_factory, "old")


@pytest.fixture(scope="module")
def draft(current, tmp_path_factory):
    return _not_in_force_pdf(current, tmp_path_factory, "concept")


# --- the adopted text ---------------------------------------------------------------------------------

def test_seed_has_the_expected_amount_of_prose():
    assert len(adopted_sentences()) >= 44


def test_every_sentence_of_the_adopted_text_is_in_the_pdf(real):
    missing = [s for s in adopted_sentences() if s not in real["text"]]
    assert not missing, f"{len(missing)} sentence(s) missing from the PDF text, first: {missing[0]!r}"


def test_article_labels_are_present_in_document_order(real):
    labels = [article.label for article in real["protocol"].articles]
    assert labels[0] == "U.1" and labels[-1] == "S.6" and len(labels) == 28
    position = 0
    for label in labels:
        match = re.compile(rf"(?<![\w.]){re.escape(label)}(?![\d])").search(real["text"], position)
        assert match, f"label {label} missing or out of order"
        position = match.end()


def test_section_headings_are_present(real):
    for section in real["protocol"].sections:
        assert normalise(section.title) in real["text"]


# --- structure, metadata, accessibility ------------------------------------------------------------------

def _outline_titles(outline, depth=0):
    for item in outline:
        if isinstance(item, list):
            yield from _outline_titles(item, depth + 1)
        else:
            yield item.title, depth


def test_outline_has_sections_and_article_labels(real):
    titles = dict(_outline_titles(real["reader"].outline))
    for section in real["protocol"].sections:
        assert section.title in titles
        for article in section.articles:
            assert article.label in titles
            # Articles sit below their own heading.
            assert titles[article.label] == titles[section.title] + 1
    assert "Colofon" in titles and "Bijlage: Beslistabel" in titles


def test_document_metadata(real):
    reader = real["reader"]
    assert reader.metadata.title == real["protocol"].title
    assert reader.metadata.author == "CVO"
    assert "versie 2.0" in reader.metadata.subject
    assert "Noord- en West-Fryslân" in reader.metadata.subject
    assert "sociale media" in reader.metadata["/Keywords"]
    assert reader.trailer["/Root"]["/Lang"] == "nl"


def test_pdf_ua_identification_and_tags(real):
    root = real["reader"].trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data()
    assert b"pdfuaid" in xmp and b'pdfuaid:part="1"' in xmp
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"] in (True, "true")


def test_links_are_described_by_their_target_in_words(real):
    descriptions = pdf_module.link_descriptions(real["protocol"])
    annotations = [a.get_object() for page in real["reader"].pages for a in page.get("/Annots", [])]
    assert len(annotations) > 28
    for annotation in annotations:
        assert annotation["/Contents"] == descriptions[annotation["/Dest"]]
    assert descriptions["a7"] == "Artikel A.7"


def test_html_declares_dutch():
    html = pdf_module.render_html(*_minimal_inputs())
    assert '<html lang="nl">' in html


def test_every_page_is_a4(real):
    for page in real["reader"].pages:
        size = sorted((float(page.mediabox.width), float(page.mediabox.height)))
        assert size == pytest.approx(sorted(A4), abs=0.5)


def test_page_numbers_and_running_header(real):
    pages = real["pages"]
    total = len(pages)
    assert total >= 5
    for number, text in enumerate(pages[1:], start=2):
        flat = normalise(text)
        assert f"pagina {number} van {total}" in flat
        assert real["protocol"].title in flat and "versie 2.0" in flat


def test_title_page_has_version_status_validity_and_approvals(real):
    title_page = normalise(real["pages"][0])
    for expected in ("Versie 2.0", "Status: vastgesteld", "Geldig vanaf 1 augustus 2020",
                     "Vastgesteld door het college van bestuur op 1 augustus 2020",
                     "Dhr. M.C.J. Visser, Voorzitter college van bestuur",
                     "Instemming van de GMR op 15 januari 2019", "Dhr. E. Persoon, Voorzitter GMR"):
        assert expected in title_page


def test_colophon_has_the_approval_record_and_summary(real):
    text = real["text"]
    assert "Vastgesteld door CVO Versie Datum Naam Functie 2.0 1 augustus 2020 Dhr. M.C.J. Visser Voorzitter college van bestuur" in text
    assert "Instemming door GMR Versie Datum Naam Functie 2.0 15 januari 2019 Dhr. E. Persoon Voorzitter GMR" in text
    assert normalise(real["version"].samenvatting) in text


def test_decision_table_is_an_appendix(real, rows):
    text = real["text"]
    appendix = text[text.rindex("Bijlage: Beslistabel"):]
    assert "Situatie" in appendix and "Oordeel" in appendix
    for row in rows:
        assert normalise(row["verdict"]) in appendix
    # Article IDs are printed as the labels the reader sees in the text.
    assert "R.2" in appendix and "R2 " not in appendix


def test_current_version_has_no_marking(real):
    assert "vervallen" not in real["text"] and "Concept" not in real["text"]


# --- build behaviour -------------------------------------------------------------------------------------

def test_no_weasyprint_warnings(real, expired, draft):
    for records in (real["weasy"], expired["weasy"], draft["weasy"]):
        problems = [r.getMessage() for r in records if r.levelno >= logging.WARNING]
        assert not problems, problems


def test_render_time_is_logged(real):
    messages = [r.getMessage() for r in real["build"] if r.levelno == logging.INFO]
    assert any(re.search(r"^PDF .* in \d+\.\d s$", m) for m in messages), messages


def test_two_renders_are_byte_identical(real, current, rows, tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    version, registry = current
    again = tmp_path / "again.pdf"
    pdf_module.write_pdf(real["protocol"], version, registry, rows, again, logging.getLogger("test.pdf.again"))
    assert again.read_bytes() == real["path"].read_bytes()


def test_render_in_another_process_is_byte_identical(real, tmp_path):
    # A different hash seed catches output that depends on set or dict-of-hash ordering.
    out = tmp_path / "other-process.pdf"
    script = (
        "import logging, sys; from pathlib import Path; sys.path.insert(0, 'tests');"
        "from test_pdf import _current_registry, load_protocol, decision_table, load_ruleset;"
        "from build_tools.pdf import write_pdf;"
        "version, registry = _current_registry();"
        "rows = decision_table(load_ruleset(version.rules_path));"
        "write_pdf(load_protocol(version.protocol_path), version, registry, rows, Path(sys.argv[1]), logging.getLogger('x'))"
    )
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    subprocess.run([sys.executable, "-c", script, str(out)], cwd=REPO, check=True,
                   env={**env, "PYTHONHASHSEED": "12345"})
    assert out.read_bytes() == real["path"].read_bytes()


def test_dates_come_from_the_adoption_not_the_clock(real):
    assert real["reader"].metadata["/CreationDate"] == "D:20200801000000Z"
    assert real["reader"].metadata["/ModDate"] == "D:20200801000000Z"


def test_source_date_epoch_sets_the_dates(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    protocol, version, registry, rows = _minimal_inputs()
    out = tmp_path / "epoch.pdf"
    pdf_module.write_pdf(protocol, version, registry, rows, out, logging.getLogger("test.pdf.epoch"))
    assert pypdf.PdfReader(out).metadata["/CreationDate"] == "D:20231114221320Z"


def test_file_is_readable_and_no_temp_files_remain(real):
    assert real["path"].stat().st_mode & 0o777 == 0o644
    assert [p.name for p in real["path"].parent.iterdir()] == [real["path"].name]


def test_failed_render_leaves_no_file(tmp_path, monkeypatch):
    import weasyprint

    def broken(self, target=None, **options):
        target.write(b"%PDF-1.7\n% half a document")
        raise RuntimeError("render failed")

    monkeypatch.setattr(weasyprint.Document, "write_pdf", broken)
    protocol, version, registry, rows = _minimal_inputs()
    new = tmp_path / "new" / "protocol.pdf"
    with pytest.raises(RuntimeError):
        pdf_module.write_pdf(protocol, version, registry, rows, new, logging.getLogger("test.pdf.broken"))
    assert list(new.parent.iterdir()) == []

    existing = tmp_path / "existing.pdf"
    existing.write_bytes(b"previous good PDF")
    with pytest.raises(RuntimeError):
        pdf_module.write_pdf(protocol, version, registry, rows, existing, logging.getLogger("test.pdf.broken"))
    assert existing.read_bytes() == b"previous good PDF"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing.pdf", "new"]


# --- versions that are not in force ---------------------------------------------------------------------

def test_expired_version_is_marked_on_every_page(expired):
    assert len(expired["pages"]) >= 5
    for number, text in enumerate(expired["pages"], start=1):
        assert VERVALLEN_MARKING in normalise(text), f"page {number} lacks the marking"
    assert "De geldende versie is versie 2.0." in normalise(expired["pages"][0])


def test_concept_is_marked_on_every_page(draft):
    for number, text in enumerate(draft["pages"], start=1):
        assert CONCEPT_MARKING in normalise(text), f"page {number} lacks the marking"
    title_page = normalise(draft["pages"][0])
    assert "nog niet vastgesteld" in title_page and "Instemming van de GMR: nog niet verleend" in title_page


def test_marking_texts():
    version, registry = _current_registry()
    old, concept = _old_and_concept(version)
    later = dataclasses.replace(version, versie="3.0", geldig_vanaf=date(2030, 8, 1))
    assert notice_text(version, registry) is None
    assert notice_text(old, registry) == VERVALLEN_MARKING
    assert notice_text(concept, registry) == CONCEPT_MARKING
    assert notice_text(later, registry) == "Deze versie geldt nog niet (geldig vanaf 1 augustus 2030)"


# --- helpers -------------------------------------------------------------------------------------------

def test_css_string_cannot_break_out_of_the_stylesheet():
    assert str(pdf_module.css_string('a "b" </style>\\')) == '"a \\22 b\\22  \\3c /style\\3e \\5c "'


def test_compounds_are_kept_on_one_line_without_touching_markup():
    html = str(pdf_module.keep_compounds('<a href="#x-y">school- en/of privé-situaties</a>'))
    assert html == ('<a href="#x-y">school-<span class="nobr"> en/of</span>'
                    '<span class="nobr"> privé-situaties</span></a>')


@pytest.mark.parametrize("width_mm", [150.0, 160.0, 167.0, 168.5])
def test_compounds_survive_any_line_width(width_mm):
    # At 167 mm plain text breaks inside "zijn/haar"; at 160 mm a naive no-break span made WeasyPrint 70
    # put "Als" alone on the first line.
    import weasyprint

    sentence = ("Als online communicatie dreigt te ontsporen dient de medewerker direct contact op te nemen "
                "met zijn/haar leidinggevende om de te volgen strategie te bespreken.")
    html = (f'<html lang="nl"><body style="margin: 0; font: 10.5pt \'Liberation Sans\', \'DejaVu Sans\', sans-serif">'
            f'<style>.nobr {{ white-space: nowrap }}</style><p style="width: {width_mm}mm">'
            f'{pdf_module.keep_compounds(sentence)}</p></body></html>')
    data = weasyprint.HTML(string=html).write_pdf()
    text = pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert normalise(text) == sentence
    assert min(len(line) for line in text.splitlines()[:-1] or ["x" * 20]) > 10


def _current_registry():
    version = load_version(VERSIONS / "2.0")
    registry = load_versions(VERSIONS, version.geldig_vanaf)
    return registry.get("2.0"), registry


def _minimal_inputs():
    version, registry = _current_registry()
    return load_protocol(version.protocol_path), version, registry, []
