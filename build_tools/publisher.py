"""Who publishes the protocol, from mkdocs.yml: the only place an organisation's name, abbreviation and file names live."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class Publisher:
    """The organisation and the document's names, as the site, its metadata and the PDF show them."""

    naam: str                 # the organisation's full name, e.g. in "Uitgave van de …"
    afkorting: str            # its short name, e.g. in "Vastgesteld door …"
    titel: str                # the document's title (site_name)
    bestandsnaam: str         # stem of the PDF's file name; the version number is appended
    trefwoorden: tuple[str, ...] = ()

    def pdf_filename(self, versie: str) -> str:
        return f"{self.bestandsnaam}-{versie}.pdf"

    def identifier(self, versie: str) -> str:
        """A stable identifier of one version, for schema.org's legislationIdentifier."""
        return f"{self.bestandsnaam}-{versie}"

    @classmethod
    def from_config(cls, config: dict, settings) -> "Publisher":
        titel = str(config.get("site_name") or "").strip()
        naam = settings.organisatie or str(config.get("site_author") or "").strip() or titel
        afkorting = settings.afkorting or naam
        return cls(naam=naam, afkorting=afkorting, titel=titel,
                   bestandsnaam=settings.bestandsnaam or slug(f"{titel} {settings.afkorting}"),
                   trefwoorden=tuple(settings.trefwoorden))


def slug(text: str) -> str:
    """ASCII, lower case, words joined by hyphens: "Richtlijnen sociale media CVO" -> "richtlijnen-sociale-media-cvo"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "protocol"
