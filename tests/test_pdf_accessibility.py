"""The PDF of every version, of the real site and of the three-version fixture, read by two independent PDF/UA-1
checkers (outloud, pdfua) and by our own reading of its structure tree."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

from conftest import DATA, REPO

BIN = Path(sys.executable).parent
SITES = {"real": REPO / "docs" / "versies", "three-versions": DATA / "three-versions" / "docs" / "versies"}
CASES = [(site, folder.name) for site, versions in SITES.items() for folder in sorted(versions.iterdir())
         if (folder / "versie.toml").is_file()]
ids = [f"{site}-{version}" for site, version in CASES]



@pytest.fixture(scope="session")
def site_pdfs(built_site, three_versions_site) -> dict[str, Path]:
    """Every version's PDF, by "site-version"."""
    pdfs = {}
    for site, version in CASES:
        root = {"real": built_site, "three-versions": three_versions_site}[site]
        found = sorted((root / version / "pdf").glob("*.pdf"))
        assert len(found) == 1, f"{site} {version}: expected one PDF, found {found}"
        pdfs[f"{site}-{version}"] = found[0]
    return pdfs


@pytest.fixture(scope="session")
def outloud_reports(site_pdfs, tmp_path_factory) -> dict[str, dict]:
    """outloud's JSON report per PDF, from one run over all of them with warnings made fatal."""
    report = tmp_path_factory.mktemp("outloud") / "report.json"
    paths = list(site_pdfs.values())
    result = subprocess.run([str(BIN / "outloud"), "--fail-on", "warning", "--json", str(report), *map(str, paths)],
                            capture_output=True, text=True)
    assert result.returncode in (0, 1), f"outloud could not check the PDFs:\n{result.stdout}\n{result.stderr}"
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["tool"] == {"name": "outloud", "version": "0.2.1"}
    by_path = {Path(entry["path"]): entry for entry in data["results"]}
    reports = {name: by_path[path] for name, path in site_pdfs.items()}
    failing = any(r["counts"]["error"] or r["counts"]["warning"] for r in reports.values())
    assert (result.returncode == 1) == failing, "outloud's exit status disagrees with its report"
    return reports


def run_pdfua(path: Path) -> tuple[int, dict]:
    result = subprocess.run([str(BIN / "pdfua"), "check", "--format", "json", str(path)], capture_output=True, text=True)
    assert result.returncode in (0, 1, 2, 3), f"pdfua could not check {path}:\n{result.stdout}\n{result.stderr}"
    return result.returncode, json.loads(result.stdout)


@pytest.mark.parametrize("name", ids)
def test_outloud_reports_no_error_and_no_warning(name, outloud_reports, site_pdfs):
    report = outloud_reports[name]
    assert report["error"] is None, report["error"]
    problems = [f"{f['rule']} p.{f['page']}: {f['message']}" for f in report["findings"]
                if f["severity"] in ("error", "warning")]
    assert not problems and report["counts"]["error"] == report["counts"]["warning"] == 0, problems


@pytest.mark.parametrize("name", ids)
def test_pdfua_check_has_no_findings(name, site_pdfs):
    code, report = run_pdfua(site_pdfs[name])
    assert report["pdfua_version"] == "PDF/UA-1"
    assert report["findings"] == [] and report["summary"]["findings"] == 0 and code == 0, report["findings"]
    # Every rule ran: pdfua skips a rule that raises (UA-14-001 did on a heading whose /K was an array).
    assert report.get("skipped", []) == [] and report["summary"]["rules_skipped"] == 0, report.get("skipped")
    assert report["summary"]["rules_run"] >= 12


def test_the_checkers_fail_on_weasyprints_own_output(tmp_path, monkeypatch):
    # The checks above can fail: the same render without make_accessible fails both checkers.
    import logging

    from build_tools import pdf_tagging
    from build_tools.pdf import write_pdf
    from test_pdf import _current_registry, load_protocol

    monkeypatch.setattr(pdf_tagging, "make_accessible", lambda data, descriptions=None: data)
    version, registry = _current_registry()
    out = tmp_path / "untreated.pdf"
    write_pdf(load_protocol(version.protocol_path), version, registry, [], out, logging.getLogger("test.untreated"))
    code, report = run_pdfua(out)
    assert code == 2 and {f["rule_id"] for f in report["findings"]} == {"UA-15-003"}
    assert [s["rule_id"] for s in report["skipped"]] == ["UA-14-001"]  # WeasyPrint's headings: /K [/Span [n]]
    result = subprocess.run([str(BIN / "outloud"), "--json", str(tmp_path / "report.json"), "--quiet", str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    findings = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))["results"][0]["findings"]
    assert {"LNK-001", "LNK-004", "PAG-001"} <= {f["rule"] for f in findings}


@pytest.mark.parametrize("name", ["real-2.0", "three-versions-1.0"])
def test_the_post_processing_changes_no_pixel(name, tmp_path, monkeypatch):
    # make_accessible rewrites content streams (artifacts, joined heading sequences): every page must look the same.
    import logging

    import pymupdf

    from build_tools import pdf_tagging
    from build_tools.pdf import write_pdf
    from build_tools.sources import check_all

    site, version = name.rsplit("-", 1)
    project, registry, loaded = check_all(SITES[site].parent.parent / "mkdocs.yml")
    sources = loaded[version]
    seen = {}
    finish = pdf_tagging.make_accessible

    def recorded(data, descriptions=None):
        seen["weasyprint"], seen["finished"] = data, finish(data, descriptions)
        return seen["finished"]

    monkeypatch.setattr(pdf_tagging, "make_accessible", recorded)
    write_pdf(sources.protocol, sources.version, registry, sources.decision_rows, tmp_path / "out.pdf",
              logging.getLogger("test.pixels"), sources.publisher)
    assert seen["weasyprint"] != seen["finished"]
    with pymupdf.open(stream=seen["weasyprint"]) as before, pymupdf.open(stream=seen["finished"]) as after:
        assert before.page_count == after.page_count >= 5
        for number in range(before.page_count):
            pixels = [document[number].get_pixmap(dpi=72).samples for document in (before, after)]
            assert pixels[0] == pixels[1], f"page {number + 1} looks different after make_accessible"


# --- our own reading of the structure ---------------------------------------------------------------------

def open_pdf(path: Path) -> pikepdf.Pdf:
    return pikepdf.open(path)


def walk(node):
    value = node.get("/K")
    for kid in (list(value) if isinstance(value, pikepdf.Array) else [] if value is None else [value]):
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            yield kid
            yield from walk(kid)


def marks_content(element) -> bool:
    value = element.get("/K")
    for kid in (list(value) if isinstance(value, pikepdf.Array) else [] if value is None else [value]):
        if isinstance(kid, int) or (isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR"):
            return True
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid and marks_content(kid):
            return True
    return False


@pytest.mark.parametrize("name", ids)
def test_every_link_annotation_is_in_one_link_element_and_prints(name, site_pdfs):
    with open_pdf(site_pdfs[name]) as pdf:
        parents = pikepdf.NumberTree(pdf.Root.StructTreeRoot.ParentTree)
        owners: dict[tuple, list] = {}
        for element in walk(pdf.Root.StructTreeRoot):
            for kid in element.get("/K", []) if isinstance(element.get("/K"), pikepdf.Array) else []:
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                    owners.setdefault(kid.Obj.objgen, []).append(element)
        links = 0
        for page in pdf.pages:
            for annotation in page.get("/Annots", []):
                links += 1
                held_by = owners.get(annotation.objgen, [])
                assert [str(e.S) for e in held_by] == ["/Link"], annotation
                assert parents[int(annotation.StructParent)].objgen == held_by[0].objgen
                assert int(annotation.F) & 4, "Print flag"
                assert not str(annotation.Contents).islower(), f"described by its fragment: {annotation.Contents}"
        assert links > 0
        nested = [e for e in walk(pdf.Root.StructTreeRoot) if str(e.S) == "/Link" and str(e.P.S) == "/Link"]
        assert not nested


@pytest.mark.parametrize("name", ids)
def test_running_head_page_number_and_marking_are_pagination_artifacts(name, site_pdfs):
    from outloud.model import Document

    doc = Document(str(site_pdfs[name]))
    try:
        pages = doc.pages
        feet = set()
        for page in pages:
            content = doc.content(page.index)
            artifacts = " ".join(r.text for r in content.runs if r.artifact)
            text = " ".join(r.text for r in content.runs if not r.artifact)
            assert f"pagina {page.number} van {len(pages)}" in artifacts
            assert f"pagina {page.number} van" not in text
            if page.index:  # the title page shows title and version in its body instead of a running head
                assert "versie" in artifacts
            # The foot (bottom margin, 22 mm) is one recurring line: the title page's too, so no reader takes it for prose.
            foot = [line for line in content.lines if line.bbox[3] < 62]
            assert foot and all(line.artifact_share == 1 for line in foot)
            feet.add(re.sub(r"\d+", "#", " ".join(" ".join(line.text for line in foot).split())))
        assert len(feet) == 1, feet
    finally:
        doc.close()


@pytest.mark.parametrize("name", ids)
def test_header_cells_carry_a_scope(name, site_pdfs):
    with open_pdf(site_pdfs[name]) as pdf:
        headers = [e for e in walk(pdf.Root.StructTreeRoot) if str(e.S) == "/TH"]
        assert headers
        for header in headers:
            assert header.A.get("/Scope") == "/Column" and str(header.P.P.S) == "/THead"


@pytest.mark.parametrize("name", ids)
def test_every_heading_owns_its_text_as_one_marked_content_sequence(name, site_pdfs):
    with open_pdf(site_pdfs[name]) as pdf:
        headings = [e for e in walk(pdf.Root.StructTreeRoot) if str(e.S) in {f"/H{n}" for n in range(1, 7)}]
        assert len(headings) >= 5
        assert all(marks_content(h) for h in headings)
        # One MCID, no array: the form pdfua 0.1.3's UA-14-001 (empty headings) can read.
        assert all(isinstance(h.K, int) for h in headings), [repr(h.K) for h in headings]
