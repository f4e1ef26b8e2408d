"""Printable, tagged (PDF/UA-1) and reproducible PDF of one protocol version, rendered with WeasyPrint."""

from __future__ import annotations

import hashlib
import io
import logging
import os
import re
import tempfile
import time
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterator

import markdown
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from .dates import long_date, period
from .protocol import Protocol
from .publisher import Publisher
from .render import notice_text
from .versions import Version, VersionRegistry

TEMPLATES = Path(__file__).parent / "templates"
# Used only when a caller passes no publisher; the build passes the project's own (mkdocs.yml, see publisher.py).
AUTHOR = "CVO"
ORGANISATION = "vereniging voor CVO in Noord- en West-Fryslân"
KEYWORDS = ("sociale media", "protocol", "richtlijnen", "CVO", "Noord- en West-Fryslân")
FALLBACK_PUBLISHER = Publisher(naam=ORGANISATION, afkorting=AUTHOR, titel="", bestandsnaam="", trefwoorden=KEYWORDS)
PDF_VARIANT = "pdf/ua-1"

_TAG_SPLIT = re.compile(r"(<[^>]*>)")
# A word joined by a hyphen or slash ("privé-situaties", "en/of"): a line break there would change the extracted text.
_COMPOUND = re.compile(r"(\s?)(\S*\w[-/]\w\S*)")


def write_pdf(protocol: Protocol, version: Version, registry: VersionRegistry, decision_rows: list[dict],
              out_path: Path, log: logging.Logger, publisher: Publisher | None = None) -> None:
    """Render the protocol of `version` to `out_path`; replace the file only once the PDF is complete."""
    from weasyprint import HTML  # imported here so modules that only need the HTML do not pay WeasyPrint's start-up

    from .pdf_tagging import make_accessible

    started = time.perf_counter()
    out_path = Path(out_path)
    html = render_html(protocol, version, registry, decision_rows, publisher)
    with _forward_weasyprint_warnings(log):
        document = HTML(string=html, base_url=str(TEMPLATES), url_fetcher=_no_fetch).render()
        out_path.parent.mkdir(parents=True, exist_ok=True)
        handle = tempfile.NamedTemporaryFile(dir=out_path.parent, prefix=f".{out_path.name}.", suffix=".tmp", delete=False)
        try:
            with handle:
                written = io.BytesIO()
                document.write_pdf(written, pdf_variant=PDF_VARIANT, pdf_identifier=_identifier(version))
                handle.write(make_accessible(written.getvalue(), link_descriptions(protocol)))
            # NamedTemporaryFile creates 0600; the published PDF must be readable by the web server.
            os.chmod(handle.name, 0o644)
            os.replace(handle.name, out_path)
        except BaseException:
            Path(handle.name).unlink(missing_ok=True)
            raise
    elapsed = time.perf_counter() - started
    log.info("PDF %s (versie %s, %d pagina's) in %.1f s", out_path, version.versie, len(document.pages), elapsed)


def render_html(protocol: Protocol, version: Version, registry: VersionRegistry, decision_rows: list[dict],
                publisher: Publisher | None = None) -> str:
    """The print HTML (with its stylesheet inlined) that WeasyPrint turns into the PDF."""
    publisher = publisher or FALLBACK_PUBLISHER
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                              trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    environment.filters["long_date"] = long_date
    environment.filters["css_string"] = css_string
    environment.filters["keep_compounds"] = lambda text: keep_compounds(escape(text))
    template = environment.get_template("print.html")
    stamp = _timestamp(version)
    return template.render(
        title=protocol.title,
        version=version,
        status_label=version.status,
        validity=_validity(version),
        marking=notice_text(version, registry),
        current=registry.current,
        is_current=registry.is_current(version),
        versions=registry.versions,
        sections=_sections(protocol),
        decision_rows=_decision_rows(protocol, decision_rows),
        author=publisher.afkorting,
        organisation=publisher.naam,
        subject=f"{protocol.title}, versie {version.versie}, van de {publisher.naam}",
        keywords=", ".join(publisher.trefwoorden),
        created=stamp,
        css=Markup((TEMPLATES / "print.css").read_text(encoding="utf-8")),
    )


def link_descriptions(protocol: Protocol) -> dict[str, str]:
    """What each internal link target is, in words: a link's description for screen readers (its /Contents)."""
    descriptions = {"colofon": "Colofon", "bijlage-beslistabel": "Bijlage: Beslistabel"}
    for section in protocol.sections:
        descriptions[section.anchor] = section.title
        for article in section.articles:
            descriptions[article.anchor] = f"Artikel {article.label}"
    return descriptions


def css_string(value: str) -> Markup:
    """Quote text as a CSS string for the inline stylesheet; '<' is escaped so it cannot close the style element."""
    escaped = "".join(f"\\{ord(char):x} " if char in '\\"<>\n\r' else char for char in str(value))
    return Markup(f'"{escaped}"')


def keep_compounds(html: str) -> Markup:
    """Wrap hyphen/slash compounds in no-break spans, so text extracted from the PDF equals the source text."""
    parts = _TAG_SPLIT.split(str(html))
    for index in range(0, len(parts), 2):
        parts[index] = _COMPOUND.sub(_no_break, parts[index])
    return Markup("".join(parts))


def _no_break(match: re.Match) -> str:
    # The preceding space goes inside the span: WeasyPrint 70 mis-breaks a line whose text run ends in a space
    # right before an unbreakable box (it keeps only the first word), so no run may end that way.
    space = " " if match.group(1) else ""
    return f'<span class="nobr">{space}{match.group(2)}</span>'


def _markdown(text: str) -> str:
    # Plain Python-Markdown without smarty/typographer extensions: the adopted wording must come out unchanged.
    return markdown.markdown(text, output_format="html")


def _article_markdown(text: str) -> Markup:
    """Markdown for an article; a single paragraph is unwrapped so the label shares its first line."""
    html = _markdown(text)
    match = re.fullmatch(r"<p>(.*)</p>", html, re.DOTALL)
    if match and "<p>" not in match.group(1):
        return keep_compounds(match.group(1))
    return keep_compounds(html)


def _sections(protocol: Protocol) -> list[dict]:
    sections = []
    for section in protocol.sections:
        articles = []
        for article in section.articles:
            articles.append({"id": article.id, "label": article.label, "anchor": article.anchor,
                             "html": _article_markdown(article.text)})
        sections.append({
            "anchor": section.anchor,
            "title": section.title,
            "level": min(section.level, 5),
            "paragraphs": [keep_compounds(_markdown(paragraph)) for paragraph in section.paragraphs],
            "articles": articles,
            # Articles sit one outline level below the heading they belong to.
            "article_level": min(section.level + 1, 6),
        })
    return sections


def _decision_rows(protocol: Protocol, rows: list[dict]) -> list[dict]:
    """The checker's decision-table rows for the appendix; article IDs become the printed labels ("A6" -> "A.6")."""
    articles = {article.id: article for article in protocol.articles}
    return [{
        "number": row["number"],
        # The checker splits a condition into clauses that must all hold; a list reads better than one long line.
        "condition_parts": [_text(part) for part in row["condition_parts"]],
        "verdict": _text(row["verdict"]),
        "articles": [{"label": articles[a].label, "anchor": articles[a].anchor} for a in row["articles"]],
        "reason": _text(row["reason"]),
        "actions": [_text(action) for action in row["actions"]],
    } for row in rows]


def _text(value: str) -> Markup:
    return keep_compounds(escape(value))


def _validity(version: Version) -> str | None:
    if version.geldig_vanaf is None and version.geldig_tot is None:
        return None
    return f"Geldig {period(version.geldig_vanaf, version.geldig_tot)}"


def _timestamp(version: Version) -> str | None:
    """The PDF's creation date: SOURCE_DATE_EPOCH if set, else the adoption date; never the wall clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    for approval in (version.vaststelling, version.instemming):
        if approval is not None:
            return _w3c(approval.datum)
    if version.geldig_vanaf is not None:
        return _w3c(version.geldig_vanaf)
    return None


def _w3c(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _identifier(version: Version) -> bytes:
    # pydyf writes /ID [this, md5(content)]: a stable first half marks all renders of one version as the same document.
    return hashlib.md5(f"cvo-richtlijnen-sociale-media/{version.versie}".encode()).hexdigest().encode()


def _no_fetch(url: str, *args, **kwargs):
    # The print template is self-contained; refusing fetches keeps builds offline and reproducible.
    raise ValueError(f"PDF-opmaak haalt geen externe bronnen op: {url}")


@contextmanager
def _forward_weasyprint_warnings(log: logging.Logger) -> Iterator[None]:
    """Repeat WeasyPrint's warnings on the build log, so a strict build notices them."""
    weasy_logger = logging.getLogger("weasyprint")

    class Forward(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            log.warning("PDF: WeasyPrint meldt: %s", record.getMessage())

    handler = Forward(level=logging.WARNING)
    weasy_logger.addHandler(handler)
    try:
        yield
    finally:
        weasy_logger.removeHandler(handler)
