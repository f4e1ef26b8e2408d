"""HTML and Markdown fragments for the site: the protocol page, approval record, status notices and page metadata."""

from __future__ import annotations

import json
from html import escape

from .dates import long_date, period
from .protocol import Article, Protocol
from .publisher import Publisher
from .versions import Version, VersionRegistry

def pdf_filename(version: Version, publisher: Publisher) -> str:
    return publisher.pdf_filename(version.versie)


def period_text(version: Version) -> str:
    if version.geldig_vanaf is None:
        return "nog geen geldigheidsdatum"
    return "geldig " + period(version.geldig_vanaf, version.geldig_tot)


def notice_text(version: Version, registry: VersionRegistry) -> str | None:
    """The marking of a version not in force on the build date, on its pages and every PDF page; None if in force."""
    standing = version.standing_on(registry.build_date)
    if standing == "geldend":
        return None
    if standing == "concept":
        return "Concept — nog niet vastgesteld"
    if standing == "nog niet geldend":
        return f"Deze versie geldt nog niet ({period_text(version)})"
    return f"Deze versie is vervallen ({period_text(version)})"


def protocol_markdown(protocol: Protocol, version: Version, registry: VersionRegistry) -> str:
    """The protocol page as Markdown: sections, one heading per article (so search lists articles), approvals."""
    lines = [f"# {protocol.title}", "", "<!-- cvo:status -->", ""]
    for section in protocol.sections:
        lines += [f"{'#' * section.level} {section.title} {{#{section.anchor}}}", ""]
        for paragraph in section.paragraphs:
            lines += [paragraph, ""]
        for article in section.articles:
            lines += _article_markdown(article, section.level + 1, version)
    lines += ["## Vaststelling en instemming {#vaststelling}", "", "<!-- cvo:goedkeuring -->", ""]
    return "\n".join(lines)


def _article_markdown(article: Article, level: int, version: Version) -> list[str]:
    this_version = f"../../{version.versie}/protocol/#{article.anchor}"
    in_force = f"../../latest/protocol/#{article.anchor}"
    links = (
        f'<p class="cvo-artikel-links" data-search-exclude>'
        f'<span class="cvo-permalink">Permanente link naar {article.label}: '
        f'<a class="cvo-link-versie" href="{this_version}" data-cvo-copy>deze versie ({escape(version.versie)})</a> · '
        f'<a class="cvo-link-geldend" href="{in_force}" data-cvo-copy>de geldende versie</a></span> · '
        f'<a class="cvo-link-checker" href="../checker/">Toets je bericht met de checker</a></p>'
    )
    return [f"{'#' * level} {article.label} {{#{article.anchor} .cvo-artikel-kop}}", "", article.text, "", links, ""]


def approval_tables_html(version: Version, publisher: Publisher) -> str:
    """The adopted text's own approval tables, now rendered from the structured metadata."""
    parts = []
    for title, approval in ((f"Vastgesteld door {publisher.afkorting}", version.vaststelling), ("Instemming door GMR", version.instemming)):
        parts.append(f'<h3 class="cvo-goedkeuring-kop">{title}</h3>')
        if approval is None:
            parts.append('<p class="cvo-goedkeuring-leeg">Nog niet gegeven.</p>')
            continue
        parts.append(
            '<table class="cvo-goedkeuring"><thead><tr><th scope="col">Versie</th><th scope="col">Datum</th>'
            '<th scope="col">Naam</th><th scope="col">Functie</th></tr></thead><tbody><tr>'
            f'<td>{escape(approval.versie)}</td><td><time datetime="{approval.datum.isoformat()}">{long_date(approval.datum)}</time></td>'
            f"<td>{escape(approval.naam)}</td><td>{escape(approval.functie)}</td></tr></tbody></table>"
        )
    return "\n".join(parts)


def status_block_html(version: Version, registry: VersionRegistry, pdf_href: str) -> str:
    """The short approval block shown at the top of the home and protocol pages."""
    rows = [
        ("Versie", escape(version.versie)),
        ("Status", escape(version.standing_on(registry.build_date))),
        ("Geldigheid", escape(period_text(version))),
    ]
    if version.instemming:
        rows.append(("Instemming GMR", _approval_line(version.instemming)))
    if version.vaststelling:
        rows.append(("Vaststelling CvB", _approval_line(version.vaststelling)))
    items = "".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows)
    return (
        f'<section class="cvo-status" aria-label="Status van deze versie"><dl>{items}</dl>'
        f'<p class="cvo-pdf"><a href="{pdf_href}" download>Download deze versie als PDF</a></p></section>'
    )


def _approval_line(approval) -> str:
    return (f'<time datetime="{approval.datum.isoformat()}">{long_date(approval.datum)}</time>, '
            f"{escape(approval.naam)} ({escape(approval.functie)})")


def history_html(registry: VersionRegistry, to_root: str) -> str:
    """The Versiegeschiedenis: every version, newest first, with status, dates, approvals and summary."""
    rows = []
    for version in reversed(registry.versions):
        approvals = []
        if version.instemming:
            approvals.append("GMR: " + _approval_line(version.instemming))
        if version.vaststelling:
            approvals.append("CvB: " + _approval_line(version.vaststelling))
        rows.append(
            f'<tr><th scope="row"><a href="{to_root}{escape(version.versie)}/protocol/">{escape(version.versie)}</a></th>'
            f"<td>{escape(version.standing_on(registry.build_date))}</td><td>{escape(period_text(version))}</td>"
            f"<td>{'<br>'.join(approvals) or 'nog geen'}</td><td>{escape(version.samenvatting)}</td></tr>"
        )
    return (
        '<table class="cvo-versies"><thead><tr><th scope="col">Versie</th><th scope="col">Status</th>'
        '<th scope="col">Geldigheid</th><th scope="col">Goedkeuring</th><th scope="col">Samenvatting</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def head_metadata_html(protocol: Protocol, version: Version, registry: VersionRegistry, page_url: str | None,
                       publisher: Publisher) -> str:
    """Machine-readable metadata for every page's head: schema.org Legislation JSON-LD plus Dublin Core."""
    data = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "name": protocol.title,
        "legislationIdentifier": publisher.identifier(version.versie),
        "version": version.versie,
        "inLanguage": "nl",
        "legislationLegalForce": "InForce" if version.in_force_on(registry.build_date) else "NotInForce",
        "creativeWorkStatus": version.status,
        "publisher": {"@type": "Organization", "name": publisher.naam},
        "legislationJurisdiction": publisher.naam,
    }
    if version.vaststelling:
        data["legislationDate"] = version.vaststelling.datum.isoformat()
        data["legislationPassedBy"] = _person(version.vaststelling, "college van bestuur")
    if version.instemming:
        data["contributor"] = _person(version.instemming, "GMR (instemming)")
    if version.geldig_vanaf:
        data["legislationDateVersion"] = version.geldig_vanaf.isoformat()
        end = version.geldig_tot.isoformat() if version.geldig_tot else ".."
        data["temporalCoverage"] = f"{version.geldig_vanaf.isoformat()}/{end}"
    if page_url:
        data["url"] = page_url
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    meta = [
        ("DC.title", protocol.title), ("DC.language", "nl"), ("DC.publisher", publisher.naam),
        ("DC.type", "Legislation"), ("DCTERMS.hasVersion", version.versie), ("cvo:status", version.status),
    ]
    if version.vaststelling:
        meta.append(("DCTERMS.issued", version.vaststelling.datum.isoformat()))
        meta.append(("cvo:vaststelling", _approval_meta(version.vaststelling)))
    if version.instemming:
        meta.append(("DCTERMS.dateAccepted", version.instemming.datum.isoformat()))
        meta.append(("cvo:instemming", _approval_meta(version.instemming)))
    if version.geldig_vanaf:
        meta.append(("DCTERMS.valid", data["temporalCoverage"]))
    tags = "".join(f'<meta name="{name}" content="{escape(value)}">' for name, value in meta)
    return f'<script type="application/ld+json">{payload}</script>{tags}'


def _person(approval, role: str) -> dict:
    return {"@type": "Person", "name": approval.naam, "jobTitle": approval.functie,
            "description": f"{role}, {long_date(approval.datum)}", "identifier": approval.datum.isoformat()}


def _approval_meta(approval) -> str:
    return f"{approval.datum.isoformat()}; {approval.naam}; {approval.functie}"
