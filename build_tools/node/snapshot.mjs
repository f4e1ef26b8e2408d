// Build-time helper: a memory snapshot of the pinned Pyodide with the checker imported and warmed up.
//   make:   loadPyodide({_makeSnapshot: true}), install the wheel, import checker.web, evaluate the samples,
//           then write Pyodide's snapshot with its static-data region XORed with the wasm's own data segments
//           (those bytes ship in pyodide.asm.wasm already; XOR turns the unchanged ones into zeros that compress away);
//   verify: restore that file with an empty stdlib zip, as the browser worker does, and check that every sample
//           gives the same answer and that nothing new is imported.
// Usage: node snapshot.mjs <job.json>
//   job = {pyodideDir, lockInfo, wheel, stdlib, emptyStdlib, samples, out}
// Prints one JSON summary line: {xorLength, bytes, modules, outputs}.
import nodeCrypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const job = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));

// Everything that would differ between two builds is pinned: MEMFS timestamps (a clock that ticks 1 ms per reading,
// so directory mtimes still change), the monotonic clock, and the bytes Emscripten's getrandom() hands Python (PYTHONHASHSEED fixes the
// hash secret). The worker re-seeds `random` after a restore.
let clock = 315532800000;
Date.now = () => (clock += 1);
let monotonic = 0;
performance.now = () => (monotonic += 1);
let seed = 0x9e3779b9;
function fillDeterministic(view) {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
  for (let i = 0; i < bytes.length; i += 1) {
    seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5;
    bytes[i] = seed & 0xff;
  }
  return view;
}
nodeCrypto.randomFillSync = fillDeterministic; // what Emscripten's getrandom() calls on Node

// The memory as instantiation leaves it (data segments only, nothing run yet), and a switch that makes heap growth
// fail, so the free-memory wipe below fills existing free chunks instead of growing the memory.
let pristine = null;
let allowGrowth = true;
const instantiate = WebAssembly.instantiate;
WebAssembly.instantiate = async (source, imports) => {
  if (imports?.env?.emscripten_resize_heap) {
    const resize = imports.env.emscripten_resize_heap;
    imports.env.emscripten_resize_heap = (size) => (allowGrowth ? resize(size) : 0);
  }
  const result = await instantiate.call(WebAssembly, source, imports);
  const instance = result.instance || result;
  pristine = new Uint8Array(instance.exports.memory.buffer).slice();
  return result;
};

const { loadPyodide } = await import(pathToFileURL(path.join(job.pyodideDir, "pyodide.mjs")).href);
const MAGIC_HEADER_WORDS = 4; // Pyodide's header: magic, memory offset, JSON length, reserved (then the build id)

function options(extra) {
  return {
    indexURL: job.pyodideDir + "/",
    lockFileContents: { info: job.lockInfo, packages: {} },
    env: { PYTHONHASHSEED: "0" },
    _sysExecutable: "./this.program", // what a browser has; Node would put this script's path in sys.executable
    stdout: () => {},
    stderr: (line) => process.stderr.write(line + "\n"),
    ...extra,
  };
}

function answersOf(py) {
  const advise = py.pyimport("checker.web").advise;
  const outputs = job.samples.map((sample) => advise(sample));
  advise.destroy();
  return outputs;
}

function moduleCount(py) {
  return py.runPython("import sys; len(sys.modules)");
}

// calloc every free chunk (growth disabled, so only existing free memory), then free it: freed garbage becomes zeros.
function wipeFreeMemory(py) {
  const M = py._module;
  const chunks = [];
  allowGrowth = false;
  try {
    for (let size = 1 << 24; size >= 16; size >>= 1) {
      for (let p = M._calloc(1, size); p; p = M._calloc(1, size)) chunks.push(p);
    }
  } finally {
    for (const p of chunks) M._free(p);
    allowGrowth = true;
  }
}

async function make() {
  const py = await loadPyodide(options({ stdLibURL: job.stdlib, _makeSnapshot: true }));
  const sitePackages = py.runPython("__import__('site').getsitepackages()[0]");
  const wheel = fs.readFileSync(job.wheel);
  py.unpackArchive(new Uint8Array(wheel.buffer, wheel.byteOffset, wheel.byteLength), "wheel", { extractDir: sitePackages });
  const outputs = answersOf(py);
  // Caches that hold build-time paths or directory times, then a collection, so that only live state is kept; what
  // is left lives for the whole visit, so it is frozen out of the collector's way (gc.freeze, as after a fork).
  py.runPython(`
import gc, linecache, sys, tempfile
linecache.clearcache()
tempfile._name_sequence = None
for finder in list(sys.path_importer_cache.values()):
    if type(finder).__name__ == "FileFinder":
        finder.invalidate_caches()
gc.collect()
gc.freeze()
`);
  const modules = moduleCount(py);
  wipeFreeMemory(py);
  const snapshot = py.makeMemorySnapshot();
  const header = new Uint32Array(snapshot.buffer, snapshot.byteOffset, MAGIC_HEADER_WORDS);
  const memory = snapshot.subarray(header[1]);
  let xorLength = pristine.length;
  while (xorLength > 0 && pristine[xorLength - 1] === 0) xorLength -= 1;
  xorLength = Math.ceil(xorLength / 4) * 4;
  for (let i = 0; i < xorLength; i += 1) memory[i] ^= pristine[i];
  fs.writeFileSync(job.out, snapshot);
  return { xorLength, bytes: snapshot.length, modules, outputs };
}

// The browser worker's restore, step for step: decode the XOR against the fresh instance's memory, empty stdlib.
async function verify(made) {
  const encoded = fs.readFileSync(job.out);
  const snapshot = new Uint8Array(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  const restoreInstantiate = WebAssembly.instantiate;
  WebAssembly.instantiate = async (source, imports) => {
    const result = await restoreInstantiate(source, imports);
    const header = new Uint32Array(snapshot.buffer, snapshot.byteOffset, MAGIC_HEADER_WORDS);
    const memory = snapshot.subarray(header[1]);
    for (let i = 0; i < made.xorLength; i += 1) memory[i] ^= pristine[i];
    return result;
  };
  try {
    const py = await loadPyodide(options({ stdLibURL: job.emptyStdlib, _loadSnapshot: snapshot }));
    const outputs = answersOf(py);
    outputs.forEach((output, i) => {
      if (output !== made.outputs[i]) throw new Error(`sample ${i}: restored snapshot answers differently`);
    });
    const modules = moduleCount(py);
    if (modules !== made.modules) throw new Error(`restored snapshot imported ${modules - made.modules} more modules`);
    if (!py.runPython("import gc; gc.get_freeze_count()")) throw new Error("restored snapshot lost its frozen objects (gc.freeze)");
  } finally {
    WebAssembly.instantiate = restoreInstantiate;
  }
}

const made = await make();
await verify(made);
process.stdout.write(JSON.stringify({ xorLength: made.xorLength, bytes: made.bytes, modules: made.modules }) + "\n");
process.exit(0);
