"""The checker's engine in its content-hashed folder: the folder name, the worker and the manifest that point to it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import CURRENT

from build_tools import checker_assets as assets
from build_tools.pyodide_runtime import PyodideSetupError


def engine_files(root, **contents):
    root.mkdir(parents=True, exist_ok=True)
    for name, body in contents.items():
        (root / name).write_bytes(body)
    return [root / name for name in contents]


def test_the_folder_name_follows_names_and_contents_only(tmp_path):
    first = assets.engine_digest(engine_files(tmp_path / "a", **{"x.wasm": b"1", "y.mjs": b"2"}))
    assert re.fullmatch("[0-9a-f]{%d}" % assets.ENGINE_HASH_LENGTH, first)
    assert assets.engine_digest(engine_files(tmp_path / "b", **{"y.mjs": b"2", "x.wasm": b"1"})) == first
    assert assets.engine_digest(engine_files(tmp_path / "c", **{"x.wasm": b"1", "y.mjs": b"3"})) != first
    assert assets.engine_digest(engine_files(tmp_path / "d", **{"x.wasm": b"1", "z.mjs": b"2"})) != first


def test_the_files_move_into_the_hashed_folder(tmp_path):
    files = dict(zip(("wasm", "glue"), engine_files(tmp_path, **{"x.wasm": b"1", "y.mjs": b"2"})))
    digest = assets.engine_digest(list(files.values()))
    moved = assets.move_to_hashed_folder(files, tmp_path)
    assert moved == {"wasm": tmp_path / digest / "x.wasm", "glue": tmp_path / digest / "y.mjs"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [digest]


def test_the_worker_is_pointed_at_the_hashed_folder(tmp_path):
    worker = tmp_path / assets.WORKER
    worker.parent.mkdir()
    worker.write_text("// start\n" + assets.WORKER_ENGINE_LINE + "\nconst x = 1;\n", encoding="utf-8")
    assets.point_worker_at(tmp_path, tmp_path / "assets/pyodide/0123456789abcdef")
    assert worker.read_text(encoding="utf-8") == (
        '// start\nconst pyodideBase = new URL("../assets/pyodide/0123456789abcdef/", import.meta.url);\nconst x = 1;\n')


def test_a_worker_without_the_engine_line_stops_the_build_naming_it(tmp_path):
    worker = tmp_path / assets.WORKER
    worker.parent.mkdir()
    worker.write_text("const pyodideBase = somewhereElse;\n", encoding="utf-8")
    with pytest.raises(PyodideSetupError, match="worker.js.*pyodideBase"):
        assets.point_worker_at(tmp_path, tmp_path / "assets/pyodide/0123456789abcdef")


def test_the_theme_worker_has_the_engine_line_once():
    theme_worker = Path(assets.__file__).parent / "theme" / assets.WORKER
    assert theme_worker.read_text(encoding="utf-8").count(assets.WORKER_ENGINE_LINE) == 1


@pytest.mark.parametrize("version", [CURRENT, "latest"])
def test_the_built_worker_and_manifest_name_the_hashed_folder(built_site, version):
    site = built_site / version
    engine = assets.engine_dir(site)
    assert engine.parent == site / assets.PYODIDE_DIR and sorted(p.name for p in engine.parent.iterdir()) == [engine.name]
    worker = (site / assets.WORKER).read_text(encoding="utf-8")
    assert f'new URL("../assets/pyodide/{engine.name}/", import.meta.url)' in worker
    manifest = json.loads((site / assets.CHECKER_DIR / assets.MANIFEST).read_text(encoding="utf-8"))
    for entry in manifest["files"].values():
        assert entry["path"].startswith(f"../pyodide/{engine.name}/")
        assert (site / assets.CHECKER_DIR / entry["path"]).is_file()
    assert not list((site / assets.CHECKER_DIR).glob("*.whl"))
