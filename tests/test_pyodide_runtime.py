"""The pinned Pyodide runtime: checksum verification, the download cache, and the stdlib zip's layout."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import zipfile

import pytest

from build_tools import pyodide_runtime as runtime
from build_tools.wheel import write_zip

LOG = logging.getLogger("test")


def fake_pin(data: bytes) -> runtime.Pin:
    return runtime.Pin("pyodide", "314.0.7", hashlib.sha256(data).hexdigest(), ("pyodide.mjs",))


def packer(data: bytes, calls: list):
    def pack(spec, destination):
        calls.append(spec)
        path = destination / "pyodide-314.0.7.tgz"
        path.write_bytes(data)
        return path
    return pack


def test_the_committed_pin_names_a_version_and_a_sha256():
    pin = runtime.load_pin()
    assert pin.spec == "pyodide@314.0.7"
    assert re.fullmatch(r"[0-9a-f]{64}", pin.sha256)
    assert set(pin.runtime_files) == {"pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm"}


def test_a_checksum_mismatch_fails_clearly_and_leaves_nothing_behind(tmp_path):
    pin = fake_pin(b"the real tarball")
    with pytest.raises(runtime.PyodideSetupError) as error:
        runtime.fetch_tarball(tmp_path, pin, LOG, pack=packer(b"tampered tarball", []))
    message = str(error.value)
    assert pin.sha256 in message and hashlib.sha256(b"tampered tarball").hexdigest() in message
    assert "pyodide.pin.json" in message and "niet gebruikt" in message
    assert [p.name for p in (tmp_path / "pyodide").iterdir()] == []  # no tarball, no temporary folder


def test_a_verified_download_is_cached_and_reused(tmp_path):
    data = b"the real tarball"
    calls = []
    first = runtime.fetch_tarball(tmp_path, fake_pin(data), LOG, pack=packer(data, calls))
    second = runtime.fetch_tarball(tmp_path, fake_pin(data), LOG, pack=packer(data, calls))
    assert first == second and first.read_bytes() == data
    assert calls == ["pyodide@314.0.7"]


def test_a_corrupted_cache_entry_is_fetched_again(tmp_path):
    data = b"the real tarball"
    calls = []
    cached = runtime.fetch_tarball(tmp_path, fake_pin(data), LOG, pack=packer(data, calls))
    cached.write_bytes(b"bit rot")
    assert runtime.fetch_tarball(tmp_path, fake_pin(data), LOG, pack=packer(data, calls)).read_bytes() == data
    assert len(calls) == 2


def test_verify_checksum_accepts_the_right_file(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"x")
    runtime.verify_checksum(path, hashlib.sha256(b"x").hexdigest())


def test_a_missing_npm_is_reported_in_plain_words(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(runtime.PyodideSetupError, match="niet gevonden; installeer Node.js"):
        runtime.npm_pack("pyodide@314.0.7", tmp_path)


def test_the_stdlib_zip_has_directory_entries_and_is_stored_uncompressed(tmp_path):
    entries = runtime.zip_entries({"json/__init__.pyc": b"a", "zipfile/_path/glob.pyc": b"b", "abc.pyc": b"c"})
    assert set(entries) == {"json/", "json/__init__.pyc", "zipfile/", "zipfile/_path/", "zipfile/_path/glob.pyc",
                            "abc.pyc"}
    path = tmp_path / "stdlib.zip"
    write_zip(path, entries)
    with zipfile.ZipFile(path) as archive:
        assert {i.compress_type for i in archive.infolist()} == {zipfile.ZIP_STORED}
        assert archive.namelist() == sorted(entries)


def test_lock_info_is_read_from_the_package(tmp_path):
    (tmp_path / "pyodide-lock.json").write_text(json.dumps({"info": {"abi_version": "2026_0"}, "packages": {}}))
    assert runtime.lock_info(tmp_path) == {"abi_version": "2026_0"}
