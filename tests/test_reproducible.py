"""Two builds of the same sources produce byte-identical sites, PDF, wheel and Pyodide files included."""

from __future__ import annotations

import hashlib

from conftest import BUILD_ENV, REPO, run_build


def tree_digest(root) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(built_site, tmp_path):
    second = tmp_path / "site"
    run_build(REPO / "mkdocs.yml", second, env=BUILD_ENV)
    first_files, second_files = tree_digest(built_site), tree_digest(second)
    assert sorted(first_files) == sorted(second_files)
    assert any(name.endswith(".pdf") for name in first_files) and any(name.endswith(".whl") for name in first_files)
    assert [name for name in first_files if first_files[name] != second_files[name]] == []
