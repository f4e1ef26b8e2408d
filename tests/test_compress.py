"""Precompressed siblings: by rule (size and format, not a list), reproducible, and decompressing to the original."""

from __future__ import annotations

import gzip
import random

import brotli
import pytest

from build_tools.checker_assets import engine_dir
from build_tools.compress import precompress


def make_site(root):
    (root / "assets").mkdir(parents=True)
    text = ("<p>Richtlijnen gebruik sociale media</p>\n" * 400).encode()
    (root / "index.html").write_bytes(text)
    (root / "assets" / "snapshot.bin").write_bytes(bytes(20000))  # any large compressible file, whatever its name
    (root / "klein.js").write_bytes(b"let a = 1;\n")  # under the size limit
    (root / "al.png").write_bytes(bytes(5000))  # already compressed format
    noise = random.Random(1).randbytes(5000)
    (root / "ruis.json").write_bytes(noise)  # compresses by less than a tenth
    return text


def test_siblings_by_rule_and_decompressing_to_the_original(tmp_path):
    text = make_site(tmp_path)
    precompress(tmp_path)
    names = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.br")) + \
        sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.gz"))
    assert names == ["assets/snapshot.bin.br", "index.html.br", "assets/snapshot.bin.gz", "index.html.gz"]
    assert brotli.decompress((tmp_path / "index.html.br").read_bytes()) == text
    assert gzip.decompress((tmp_path / "index.html.gz").read_bytes()) == text


def test_siblings_are_byte_identical_across_builds_and_cached(tmp_path):
    a, b, cache = tmp_path / "a", tmp_path / "b", tmp_path / "cache"
    make_site(a)
    make_site(b)
    precompress(a, cache)
    precompress(b, cache)
    for sibling in a.rglob("*.[bg][rz]"):
        assert sibling.read_bytes() == (b / sibling.relative_to(a)).read_bytes()
    assert len(list((cache / "compressed").iterdir())) == 3 * 2  # three candidates, two encodings, once for both
    # gzip without name or time: the header's mtime field is zero
    assert (a / "index.html.gz").read_bytes()[4:8] == b"\0\0\0\0"


def test_the_built_site_has_siblings_for_the_engine_and_the_pages(built_site):
    engine = engine_dir(built_site / "2.0").relative_to(built_site).as_posix()
    for path in (f"{engine}/pyodide.asm.wasm", f"{engine}/python_stdlib.zip", f"{engine}/pyodide.asm.mjs",
                 "2.0/checker/embed/index.html", "latest/protocol/index.html"):
        assert (built_site / (path + ".br")).is_file() and (built_site / (path + ".gz")).is_file(), path


def test_siblings_started_early_are_waited_for_not_made_twice(tmp_path, monkeypatch):
    from build_tools import compress

    site, cache = tmp_path / "site", tmp_path / "cache"
    make_site(site)
    made = []
    real_brotli = compress._brotli
    monkeypatch.setattr(compress, "_brotli", lambda data: made.append(len(data)) or real_brotli(data))
    compress.compress_soon(site / "assets" / "snapshot.bin", cache)  # as the build does right after the snapshot
    precompress(site, cache)
    assert brotli.decompress((site / "assets" / "snapshot.bin.br").read_bytes()) == bytes(20000)
    assert sorted(made) == sorted([20000, 5000, len((site / "index.html").read_bytes())])  # each candidate once
    assert not compress._started and not list((cache / "compressed").glob("*.tmp"))
    compress.compress_soon(site / "assets" / "snapshot.bin", cache)  # already in the cache: nothing started
    assert not compress._started


def test_a_failure_in_an_early_sibling_reaches_the_build(tmp_path, monkeypatch):
    from build_tools import compress

    site, cache = tmp_path / "site", tmp_path / "cache"
    make_site(site)

    def broken(data):
        raise MemoryError("brotli")

    monkeypatch.setattr(compress, "_brotli", broken)
    compress.compress_soon(site / "assets" / "snapshot.bin", cache)
    with pytest.raises(MemoryError, match="brotli"):
        precompress(site, cache)
