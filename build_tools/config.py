"""Settings of the cvo MkDocs plugin."""

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config


class CvoConfig(Config):
    # Folder under docs_dir holding one sub-folder per protocol version (versie.toml, protocol.md, regels.toml).
    versions_dir = opt.Type(str, default="versies")
    # Date that decides which version is in force (YYYY-MM-DD); empty means SOURCE_DATE_EPOCH or today.
    build_date = opt.Type(str, default="")
    # Render each version's PDF with WeasyPrint (slow-ish; fixtures that test no PDF may turn it off).
    pdf = opt.Type(bool, default=True)
    # Ship the in-browser checker (self-hosted Pyodide plus the checker wheel) with each version.
    checker = opt.Type(bool, default=True)
    # Cache for the Pyodide npm package and its precompiled standard library, relative to mkdocs.yml.
    cache_dir = opt.Type(str, default=".cache")
    # Origins (https://host[:port]) of intranet pages that may frame the embed page; 'self' is always allowed.
    frame_ancestors = opt.ListOfItems(opt.Type(str), default=[])
    # The publishing organisation's full name (PDF colophon, page metadata); empty means site_author.
    organisatie = opt.Type(str, default="")
    # Its short name, as in "Vastgesteld door CVO"; empty means the full name.
    afkorting = opt.Type(str, default="")
    # Stem of each version's PDF file name ("<stem>-<versie>.pdf"); empty means site_name and afkorting as a slug.
    bestandsnaam = opt.Type(str, default="")
    # Keywords in the PDF's metadata.
    trefwoorden = opt.Type(list, default=[])
