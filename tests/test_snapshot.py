"""Unit tests for build_tools.snapshot: what the cache key depends on, byte-identical snapshots, the manifest entry."""

from __future__ import annotations

import json
import logging
import zipfile

import pytest

from build_tools import pyodide_runtime as runtime
from build_tools import snapshot
from build_tools.checker_assets import engine_dir, sample_answers
from build_tools.sparse_snapshot import unpack
from conftest import CURRENT, REPO

LOG = logging.getLogger("test")


def zip_with(path, entries: dict[str, bytes], date) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(zipfile.ZipInfo(name, date), data)


def test_entry_dates_do_not_change_the_digest_but_contents_do(tmp_path):
    zip_with(tmp_path / "a.zip", {"x.pyc": b"1", "y/": b""}, (1980, 1, 1, 0, 0, 0))
    zip_with(tmp_path / "b.zip", {"y/": b"", "x.pyc": b"1"}, (2026, 11, 24, 3, 0, 0))
    zip_with(tmp_path / "c.zip", {"x.pyc": b"2", "y/": b""}, (1980, 1, 1, 0, 0, 0))
    assert snapshot.entries_digest(tmp_path / "a.zip") == snapshot.entries_digest(tmp_path / "b.zip")
    assert snapshot.entries_digest(tmp_path / "a.zip") != snapshot.entries_digest(tmp_path / "c.zip")


def test_another_pyodide_release_is_refused_with_a_clear_message(tmp_path):
    with pytest.raises(runtime.PyodideSetupError, match="alleen gecontroleerd voor 314.0.7"):
        snapshot.build_snapshot(tmp_path, tmp_path, tmp_path, [], tmp_path, LOG, "315.0.0")


def test_the_manifest_records_the_snapshot_checksum_and_the_wasm_it_belongs_to(built_site):
    manifest = json.loads((built_site / CURRENT / "assets/checker/manifest.json").read_text(encoding="utf-8"))
    entry = manifest["files"]["snapshot"]
    shipped = built_site / CURRENT / "assets/checker" / entry["path"]
    assert runtime.sha256_file(shipped) == entry["sha256"] and shipped.stat().st_size == entry["size"]
    wasm = engine_dir(built_site / CURRENT) / "pyodide.asm.wasm"
    assert manifest["snapshot"]["wasmSha256"] == runtime.sha256_file(wasm) == manifest["files"]["pyodide.asm.wasm"]["sha256"]
    assert 0 < manifest["snapshot"]["xorLength"] < entry["size"] and manifest["snapshot"]["xorLength"] % 4 == 0


def test_two_snapshots_made_from_zips_with_other_dates_are_byte_identical(built_site, tmp_path):
    """Made twice from scratch (separate caches), once with every zip date changed: the same bytes."""
    package = runtime.prepare_package(REPO / ".cache", LOG)
    checker = built_site / CURRENT / "assets/checker"
    manifest = json.loads((checker / "manifest.json").read_text(encoding="utf-8"))
    stdlib, wheel = checker / manifest["files"]["stdlib"]["path"], checker / manifest["files"]["wheel"]["path"]
    samples = sample_answers(REPO / "docs/versies/2.0/regels.toml")
    made = []
    for run, date in enumerate([(1980, 1, 1, 0, 0, 0), (2030, 6, 1, 12, 0, 0)]):
        copies = {}
        for name, source in (("stdlib.zip", stdlib), ("checker.whl", wheel)):
            with zipfile.ZipFile(source) as opened:
                entries = {n: opened.read(n) for n in opened.namelist()}
            copies[name] = tmp_path / f"{run}-{name}"
            zip_with(copies[name], entries, date)
        made.append(snapshot.build_snapshot(package, copies["stdlib.zip"], copies["checker.whl"], samples,
                                            tmp_path / f"cache-{run}", LOG, "314.0.7"))
    assert made[0].path.read_bytes() == made[1].path.read_bytes()
    shipped = (checker / manifest["files"]["snapshot"]["path"]).read_bytes()
    assert made[0].path.read_bytes() == unpack(shipped, manifest["snapshot"]["sparse"])


def test_the_shipped_bytecode_has_no_docstrings_so_the_snapshot_holds_none(built_site):
    """optimize=2 .pyc (stdlib zip and the wheel's cached bytecode): docstrings cost snapshot bytes nobody reads."""
    checker = built_site / "2.0/assets/checker"
    manifest = json.loads((checker / "manifest.json").read_text(encoding="utf-8"))
    with zipfile.ZipFile(checker / manifest["files"]["stdlib"]["path"]) as stdlib:
        json_pyc = stdlib.read("json/__init__.pyc")
    with zipfile.ZipFile(checker / manifest["files"]["wheel"]["path"]) as wheel:
        engine_pyc = wheel.read("checker/__pycache__/engine.cpython-314.pyc")
    assert b"JSON (JavaScript Object Notation)" not in json_pyc and b"JSONDecoder" in json_pyc
    assert b"The one rule engine" not in engine_pyc and b"evaluate" in engine_pyc
