"""Unit tests for build_tools.brotli_decoder: the pinned decoder and where its checksum errors point."""

import pytest

from build_tools import brotli_decoder
from build_tools import pyodide_runtime as runtime


def test_the_committed_pin_names_the_module_the_wasm_and_the_licence():
    pin = runtime.load_pin(brotli_decoder.PIN_PATH)
    assert pin.package == "brotli-dec-wasm" and len(pin.sha256) == 64 and pin.pin_file == "brotli_decoder.pin.json"
    assert {name.rsplit("/", 1)[-1] for name in pin.runtime_files} == {
        "brotli_dec_wasm.js", "brotli_dec_wasm_bg.wasm", "LICENSE-MIT.txt"}


def test_a_checksum_mismatch_names_the_decoder_pin_file(tmp_path):
    pin = runtime.load_pin(brotli_decoder.PIN_PATH)
    wrong = tmp_path / "brotli-dec-wasm-2.3.2.tgz"
    wrong.write_bytes(b"not the package")
    with pytest.raises(runtime.PyodideSetupError, match="brotli_decoder.pin.json"):
        runtime.verify_checksum(wrong, pin.sha256, pin.pin_file)


def test_the_built_engine_folder_holds_the_decoder_flat_with_its_licence(built_site):
    import json

    from build_tools.checker_assets import CHECKER_DIR, MANIFEST, engine_dir
    from conftest import CURRENT

    engine = engine_dir(built_site / CURRENT)
    for name in ("brotli_dec_wasm.js", "brotli_dec_wasm_bg.wasm", "brotli-dec-wasm-LICENSE-MIT.txt"):
        assert (engine / name).is_file(), name
    assert (engine / "brotli_dec_wasm_bg.wasm").read_bytes()[:4] == b"\0asm"
    manifest = json.loads((built_site / CURRENT / CHECKER_DIR / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["files"]["brotli_dec_wasm_bg.wasm"]["sha256"] == runtime.sha256_file(engine / "brotli_dec_wasm_bg.wasm")
