"""`python -m build_tools build|serve|controleer|nieuwe-versie`: the thin command over the pipeline.

Every expected problem (a bad source file, a rule citing an unknown article, an engine refusing the pages) ends
as one ERROR line naming the file and field, and exit status 1; never a traceback.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from .engines import DEFAULT_ENGINE, ENGINES

log = logging.getLogger("build_tools")


class _Formatter(logging.Formatter):
    """MkDocs' own line format, so messages from our steps and from the engine read alike."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname:<8}-  {record.getMessage()}"


def _setup_logging(quiet: bool, verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter())
    level = logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO
    for name in ("build_tools", "mkdocs"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False


def _expected_errors() -> tuple[type[BaseException], ...]:
    from checker.questions import QuestionsError
    from checker.rules import RulesError

    from .engines import EngineError
    from .errors import SourceError
    from .pyodide_runtime import PyodideSetupError

    return SourceError, RulesError, QuestionsError, EngineError, PyodideSetupError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_tools", description=__doc__.splitlines()[0])
    parser.add_argument("-f", "--config-file", type=Path, default=Path("mkdocs.yml"), help="mkdocs.yml van het project")
    parser.add_argument("-q", "--quiet", action="store_true", help="alleen waarschuwingen en fouten")
    parser.add_argument("-v", "--verbose", action="store_true", help="ook de meldingen van de engine")
    commands = parser.add_subparsers(dest="command", required=True)
    engine_help = f"de engine die de pagina's maakt ({', '.join(ENGINES)}; standaard {DEFAULT_ENGINE} of $ENGINE)"
    build = commands.add_parser("build", help="bouw de hele site (alle versies, PDF's, checker)")
    build.add_argument("-d", "--site-dir", type=Path, help="doelmap (standaard site_dir uit mkdocs.yml)")
    build.add_argument("--engine", choices=ENGINES, default=os.environ.get("ENGINE") or DEFAULT_ENGINE, help=engine_help)
    build.add_argument("--keep-generated", type=Path, metavar="MAP", help="bewaar de gegenereerde docs per versie in MAP")
    serve = commands.add_parser("serve", help="bouw en toon de site, en bouw opnieuw bij elke wijziging in docs/")
    serve.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", metavar="HOST:POORT")
    serve.add_argument("--engine", choices=ENGINES, default=os.environ.get("ENGINE") or DEFAULT_ENGINE, help=engine_help)
    commands.add_parser("controleer", help="controleer alle bronnen zonder te bouwen")
    new = commands.add_parser("nieuwe-versie", help="maak een conceptversie op basis van de geldende versie")
    new.add_argument("versie", help="het nieuwe versienummer, bijvoorbeeld 2.1")
    args = parser.parse_args(argv)
    _setup_logging(args.quiet, args.verbose)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

    try:
        return _run(args)
    except _expected_errors() as error:
        log.error("%s", error)
        return 1
    except KeyboardInterrupt:
        return 130


def _run(args) -> int:
    if args.command == "build":
        from .pipeline import build

        build(args.config_file, args.site_dir, args.engine, work_dir=args.keep_generated)
        return 0
    if args.command == "serve":
        from .serve import serve

        host, _, port = args.dev_addr.rpartition(":")
        serve(args.config_file, args.engine, host or "127.0.0.1", int(port),
              on_error=lambda error: log.error("%s", error))
        return 0
    from . import officer

    if args.command == "controleer":
        return officer.check(args.config_file, log)
    return officer.new_version(args.config_file, args.versie, log)


if __name__ == "__main__":
    raise SystemExit(main())
