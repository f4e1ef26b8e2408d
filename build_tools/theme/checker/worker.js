// Module worker: runs the checker's Python engine in Pyodide, off the page's main thread.
// Starts from the build-time memory snapshot (interpreter started, checker imported and warmed up; see
// build_tools/snapshot.py); if that fails it says so in the console and starts the normal way: the precompiled,
// pruned stdlib and the checker wheel installed with unpackArchive (no micropip, no lock file).
// The wasm and the snapshot come as brotli and are decoded here (decode.js); the decoded copies go to Cache Storage
// after the first start, so a later visit decodes nothing and fetches neither.
// Then answers {type: "advise"} messages.
import { DECODER_WASM, fetchDecoded } from "./decode.js";

// Messages out: progress {loaded, total, stage}, ready {version}, advice {id, advice}, error {reason, detail},
// warm {steps} (warming up done, see warmUp), stored {files} (decoded engine files kept for later visits).

// This file lives in checker/ (not assets/) so that it is inside the service worker's scope: a dedicated
// worker is matched to a service worker by its own URL, and only a controlled worker loads offline.
const here = new URL("../assets/checker/", import.meta.url);
// The build replaces this folder with the engine's content-hashed one (assets/pyodide/<hash>/, cached for a year).
const pyodideBase = new URL("../assets/pyodide/", import.meta.url);
// The build writes the snapshot's file name and SHA-256 here, so its read starts at once, beside the wasm's,
// instead of after the manifest (null: wait for the manifest).
const snapshotHint = null;
const nativeFetch = self.fetch.bind(self);
let loaded = 0;
let total = 0;

const post = (message) => self.postMessage(message);
// Messages that arrive before the engine is ready wait here instead of being dropped.
const waiting = [];
self.onmessage = (event) => waiting.push(event.data);
// At most one progress message per PROGRESS_MS: a read from the cache delivers hundreds of chunks a second.
const PROGRESS_MS = 50;
let lastProgress = -Infinity;
const progress = (stage) => {
  const now = performance.now();
  if (stage === "download" && now - lastProgress < PROGRESS_MS) return;
  lastProgress = now;
  post({ type: "progress", loaded, total, stage });
};
// Body bytes as they arrive, from the network, the decoding worker or Cache Storage: real progress for the page.
const count = (bytes) => {
  loaded += bytes;
  progress("download");
};

// Counting body bytes as they arrive gives the page real progress (loadPyodide fetches the stdlib itself).
async function countedFetch(input, init) {
  const response = await nativeFetch(input, init);
  if (!response.ok) throw new Error(`HTTP ${response.status} voor ${new URL(response.url).pathname}`);
  if (!response.body) return response;
  const counter = new TransformStream({
    transform(chunk, controller) {
      count(chunk.byteLength);
      controller.enqueue(chunk);
    },
  });
  const { status, statusText, headers } = response;
  return new Response(response.body.pipeThrough(counter), { status, statusText, headers });
}

// The wasm goes to compileStreaming decoded as it arrives, or as the decoded copy an earlier visit left (storedWasm).
// A clone is read just to count the bytes for the progress bar; a first start keeps another to store once ready.
async function wasmFetch() {
  const cached = await storedWasm();
  const response = cached || await fetchDecoded(wasmURL, pyodideBase.href, "application/wasm", decoderWasm, nativeFetch);
  if (!response.ok) throw new Error(`HTTP ${response.status} voor ${new URL(wasmURL).pathname}`);
  if (!cached) toStore.set(wasmURL, response.clone());
  const reader = response.clone().body.getReader();
  const pump = () => reader.read().then(({ done, value }) => {
    if (done) return undefined;
    count(value.byteLength);
    return pump();
  });
  pump().catch(() => {});
  return response;
}

// The wasm is compiled (streaming) from the moment this worker starts, while pyodide.mjs and its 1.2 MB
// JS glue still load; loadPyodide then gets that module instead of fetching and compiling it again.
const wasmURL = new URL("pyodide.asm.wasm", pyodideBase).href;
const stdlibURL = new URL("python_stdlib.zip", pyodideBase).href;
const early = new Map(); // url -> response promise started before loadPyodide asks for it
const placeholders = new WeakSet(); // what loadPyodide's own wasm fetch gets instead of a second download
const toStore = new Map(); // url -> decoded Response, put in Cache Storage once the checker is ready
// The decoded engine files of this scope; a later build (another engine folder) replaces them (storeDecoded).
const DECODED_CACHE = "cvo-engine-" + new URL("./", self.location).pathname;
let wasmModule = null;
let afterInstantiate = null; // run on the fresh instance, before any of its code (the snapshot's XOR needs its memory)

self.fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : input, self.location).href;
  if (url === wasmURL && wasmModule) {
    const placeholder = new Response(null);
    placeholders.add(placeholder);
    return Promise.resolve(placeholder);
  }
  const started = early.get(url);
  early.delete(url);
  return started || countedFetch(input, init);
};

// How this start went, sent with "ready" (the benchmark reads it): snapshot or fresh, the wasm compile time, and
// when each step ended (ms since this worker's timeOrigin, which is sent along to place them on the page's clock).
const report = { start: "fresh", compileMs: null, timeOrigin: performance.timeOrigin, marks: {} };
const mark = (name) => { report.marks[name] = Math.round(performance.now()); };
mark("worker");

function precompile() {
  const started = performance.now();
  wasmModule = wasmFetch().then((response) => WebAssembly.compileStreaming(response)).then((module) => {
    report.compileMs = Math.round(performance.now() - started);
    mark("compiled");
    return module;
  });
  const instantiateStreaming = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = async (source, imports) => {
    const response = await source;
    if (!placeholders.has(response)) return instantiateStreaming(response, imports);
    const module = await wasmModule;
    const instance = await WebAssembly.instantiate(module, imports);
    mark("instantiated");
    if (afterInstantiate) afterInstantiate(instance);
    return { module, instance };
  };
  // loadPyodide would swallow this failure and wait for ever; report it at once instead.
  return wasmModule;
}

// After loading nothing may go over the network: whatever is typed stays in this worker.
function goOffline() {
  self.fetch = () => Promise.reject(new Error("De checker werkt offline."));
  self.XMLHttpRequest = undefined;
}

async function fetchManifest() {
  const response = await nativeFetch(new URL("manifest.json", here)); // not counted: it holds the total
  if (!response.ok) throw new Error(`HTTP ${response.status} voor manifest.json`);
  return response.json();
}

async function fetchBytes(entry, base, init) {
  const response = await countedFetch(new URL(entry.path, base), init);
  return new Uint8Array(await response.arrayBuffer());
}

// "sha256-<base64>" for fetch's integrity check, from the manifest's hex digest.
function integrity(hex) {
  const bytes = hex.match(/../g).map((pair) => parseInt(pair, 16));
  return "sha256-" + btoa(String.fromCharCode(...bytes));
}

// The snapshot's bytes, refused unless their SHA-256 is the manifest's. WebCrypto hashes the finished buffer,
// much faster here than fetch's integrity option (README, "Second visit"); without WebCrypto (a plain-HTTP page
// is no secure context) fetch's integrity option checks it.
async function verifiedBytes(url, sha256) {
  const subtle = self.crypto && self.crypto.subtle;
  if (!subtle) return fetchBytes({ path: url }, here, { integrity: integrity(sha256) });
  const cached = await cachedBytes(url);
  const bytes = cached || await decodedBytes(url);
  const digest = Array.from(new Uint8Array(await subtle.digest("SHA-256", bytes)), (b) => b.toString(16).padStart(2, "0")).join("");
  if (digest !== sha256) throw new Error(`SHA-256 van ${new URL(url).pathname} klopt niet`);
  if (!cached) toStore.set(url, new Response(bytes));
  return bytes;
}

// The brotli decoder's wasm, compiled once for this worker and the decoding one (and only if something is decoded).
let decoderModule = null;
function decoderWasm() {
  decoderModule ||= WebAssembly.compileStreaming(nativeFetch(new URL(DECODER_WASM, pyodideBase)));
  return decoderModule;
}

// The snapshot fetched and decoded by a second worker (decode.js), on the other core while this one starts Pyodide.
function decodedBytes(url) {
  const decoding = new Worker(new URL("decode.js", import.meta.url), { type: "module", name: "cvo-decode" });
  return new Promise((resolve, reject) => {
    decoding.onmessage = ({ data }) => {
      if (data.needDecoder) {
        decoderWasm().then((decoder) => decoding.postMessage({ decoder }), reject);
        return;
      }
      if (data.loaded) {
        count(data.loaded);
        return;
      }
      decoding.terminate();
      if (data.bytes) resolve(new Uint8Array(data.bytes));
      else reject(new Error(data.error));
    };
    decoding.onerror = (event) => {
      decoding.terminate();
      reject(new Error(`decode.js: ${event.message || "laden mislukt"}`));
    };
    decoding.postMessage({ url, engine: pyodideBase.href });
  });
}

// The decoded copy an earlier visit stored (storeDecoded), or undefined.
async function cachedResponse(url) {
  return self.caches ? self.caches.match(url).catch(() => undefined) : undefined;
}

// The decoded wasm an earlier visit stored, through the service worker where one controls this worker (the page
// names the worker so, checker.js workerName): it answers from the same cache, and Chromium keeps V8's compiled code
// beside a Cache Storage entry only for a response that a service worker served (README, "Does V8's wasm code cache
// apply"). Otherwise, or if that fails, the copy is read here; "only-if-cached" keeps the fetch off the network.
const controlledByServiceWorker = self.name === "cvo-checker (service worker)";

async function storedWasm() {
  const stored = await cachedResponse(wasmURL);
  if (!stored || !controlledByServiceWorker) return stored;
  const served = await nativeFetch(wasmURL, { cache: "only-if-cached", mode: "same-origin" }).catch(() => null);
  return served && served.ok ? served : stored;
}

// A snapshot that did not restore is neither stored nor kept: the next visit fetches it again.
function forgetSnapshot(url) {
  toStore.delete(url);
  if (self.caches) self.caches.open(DECODED_CACHE).then((cache) => cache.delete(url)).catch(() => {});
}

// Once ready: the decoded files of this start into Cache Storage, and those of other engine folders out of it.
async function storeDecoded() {
  if (!self.caches || !toStore.size) return;
  try {
    const cache = await self.caches.open(DECODED_CACHE);
    for (const [url, response] of toStore) await cache.put(url, response);
    for (const request of await cache.keys()) {
      if (!request.url.startsWith(pyodideBase.href)) await cache.delete(request);
    }
    post({ type: "stored", files: [...toStore.keys()].map((url) => new URL(url).pathname) });
  } catch (error) {
    console.warn("cvo-checker: gedecodeerde bestanden niet bewaard:", String(error && error.message || error));
  } finally {
    toStore.clear();
  }
}

// After one visit the service worker holds the snapshot: read it from Cache Storage here, not through the service
// worker's fetch handler, which then also serves the manifest and the JS glue later (README, "Second visit").
async function cachedBytes(url) {
  const cached = await cachedResponse(url);
  if (!cached) return null;
  const bytes = new Uint8Array(await cached.arrayBuffer());
  count(bytes.byteLength);
  return bytes;
}

const EMPTY_ZIP = new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]);
const SNAPSHOT_HEADER_WORDS = 2; // Pyodide's snapshot header: magic, then the offset of the memory image

// The snapshot's memory image has its static-data region XORed with the wasm's own data segments (build_tools/
// snapshot.py); a fresh instance's memory holds exactly those, so XORing again with them restores the image.
function undoXor(image, pristine) {
  const words = new Uint32Array(image.buffer, image.byteOffset, pristine.length);
  for (let i = 0; i < words.length; i += 1) words[i] ^= pristine[i];
}

// Interpreter, modules and the checker's rules come back from the snapshot: no stdlib, no wheel needed.
function fetchSnapshot(url, sha256) {
  const bytes = verifiedBytes(url, sha256); // a corrupt copy fails here
  bytes.catch(() => {}); // handled where restore() awaits it
  return { url, sha256, bytes };
}

// The read started from the hint, if the manifest names the same file and checksum; else a read of what it names.
function snapshotFor(manifest, early) {
  const entry = manifest.files.snapshot;
  const url = new URL(entry.path, here).href;
  return early && early.url === url && early.sha256 === entry.sha256 ? early : fetchSnapshot(url, entry.sha256);
}

// The shipped snapshot leaves out the memory image's all-zero pages (build_tools/sparse_snapshot.py): put the
// others back in place in the zeroed buffer that Pyodide already holds, as Pyodide wrote it.
function expandInto(full, packed, sparse) {
  const start = new Uint32Array(packed.buffer, packed.byteOffset, SNAPSHOT_HEADER_WORDS)[1];
  full.set(packed.subarray(0, start));
  let taken = start;
  for (const [first, count] of sparse.runs) {
    const at = start + first * sparse.pageSize;
    const size = Math.min(count * sparse.pageSize, sparse.length - at);
    full.set(packed.subarray(taken, taken + size), at);
    taken += size;
  }
  if (taken !== packed.byteLength) throw new Error(`snapshot: ${packed.byteLength} bytes, de pagina's beschrijven er ${taken}`);
  return start;
}

// Pyodide needs only the snapshot's length to size the memory and instantiate; it reads the image after its
// file-system set-up, which waits for the stdlib zip. So it gets a zeroed buffer of that length at once, and the
// stdlib's fetch is answered once the snapshot is read, verified and written into that buffer: instantiating
// overlaps the snapshot's read.
async function restore(loadPyodide, manifest, snapshotBytes) {
  const { sparse, xorLength } = manifest.snapshot;
  const image = new Uint8Array(sparse.length);
  let pristineData;
  const pristine = new Promise((resolve) => { pristineData = resolve; });
  afterInstantiate = (instance) => pristineData(new Uint32Array(instance.exports.memory.buffer.slice(0, xorLength)));
  let failure = null;
  const filled = Promise.all([snapshotBytes, pristine]).then(([packed, data]) => {
    undoXor(image.subarray(expandInto(image, packed, sparse)), data);
    mark("snapshot");
  });
  // On failure the image is zeroed again, so Pyodide's magic check refuses it, and the real reason is reported.
  const stdlib = filled.catch((error) => { failure = error; image.fill(0); }).then(() => new Response(EMPTY_ZIP));
  early.set(stdlibURL, stdlib); // everything the checker imports is already in memory
  try {
    const pyodide = await loadPyodide({
      indexURL: pyodideBase.href,
      stdLibURL: stdlibURL,
      lockFileContents: { info: manifest.lockInfo, packages: {} },
      _loadSnapshot: image,
      stdout: () => {},
      stderr: () => {},
    });
    if (failure) throw failure;
    mark("restored");
    pyodide.pyimport("random").seed(); // the build pinned its randomness; this visit gets its own
    return pyodide.pyimport("checker.web");
  } catch (error) {
    throw failure || error;
  } finally {
    afterInstantiate = null;
    early.delete(stdlibURL);
  }
}

// The normal start: precompiled, pruned stdlib and the checker wheel installed with unpackArchive.
async function startFresh(loadPyodide, manifest) {
  early.set(stdlibURL, countedFetch(stdlibURL));
  const wheel = fetchBytes(manifest.files.wheel, here);
  const pyodide = await loadPyodide({
    indexURL: pyodideBase.href,
    stdLibURL: stdlibURL,
    // No packages are loaded, so the lock file's info block (from the manifest) replaces fetching it.
    lockFileContents: { info: manifest.lockInfo, packages: {} },
    stdout: () => {},
    stderr: () => {},
  });
  progress("install");
  const sitePackages = pyodide.runPython("__import__('site').getsitepackages()[0]");
  pyodide.unpackArchive(await wheel, "wheel", { extractDir: sitePackages });
  const web = pyodide.pyimport("checker.web");
  pyodide.runPython("import gc; gc.collect(); gc.freeze()"); // as in the snapshot (build_tools/node/snapshot.mjs)
  return web;
}

async function start() {
  if (typeof WebAssembly !== "object") throw Object.assign(new Error("WebAssembly ontbreekt"), { reason: "wasm" });
  precompile().catch(fail);
  const early = snapshotHint && fetchSnapshot(new URL(snapshotHint.path, pyodideBase).href, snapshotHint.sha256);
  const manifestPromise = fetchManifest();
  const pyodideScript = import(new URL("pyodide.mjs", pyodideBase).href);
  // loadPyodide imports this 1.2 MB glue only once it runs; started now, the module map has it ready by then.
  import(new URL("pyodide.asm.mjs", pyodideBase).href).catch(() => {});
  const manifest = await manifestPromise;
  mark("manifest");
  const f = manifest.files;
  const useSnapshot = Boolean(manifest.snapshot && f.snapshot);
  total += f["pyodide.asm.wasm"].size + (useSnapshot ? f.snapshot.size : f.stdlib.size + f.wheel.size);
  const snapshotBytes = useSnapshot ? snapshotFor(manifest, early).bytes : null; // in parallel with the JS glue
  progress("download");
  const { loadPyodide } = await pyodideScript;
  mark("glue");
  progress("runtime");
  let web = null;
  if (useSnapshot) {
    try {
      web = await restore(loadPyodide, manifest, snapshotBytes);
      report.start = "snapshot";
    } catch (error) {
      console.warn("cvo-checker: starten vanuit de snapshot mislukt, de checker start op de gewone manier:", String(error && error.message || error));
      forgetSnapshot(new URL(f.snapshot.path, here).href);
      total += f.stdlib.size + f.wheel.size;
    }
  }
  web = web || await startFresh(loadPyodide, manifest);
  const advise = web.advise;
  goOffline();
  self.onmessage = (event) => handle(event.data, advise);
  mark("ready");
  post({ type: "ready", version: manifest.version, ...report });
  waiting.splice(0).forEach((message) => handle(message, advise));
  warmUp(web.warm_up);
}

// V8 runs the interpreter's wasm in a baseline tier first and optimises what gets hot, so the first long draft in a
// fresh worker took about twice its steady time. One short evaluation per task (checker.web.warm_up: the version's
// own wording) while the reader has not typed yet; a message that arrives meanwhile waits for one step at most.
function warmUp(step) {
  let next = 0;
  const run = () => {
    let more = false;
    try {
      more = step(next);
    } catch (error) {
      console.error(error); // warming up is an optimisation: a failure changes no advice
    }
    next += 1;
    if (more) setTimeout(run, 0);
    else {
      post({ type: "warm", steps: next });
      storeDecoded();
    }
  };
  setTimeout(run, 0);
}

function handle(message, advise) {
  if (message.type === "advise") {
    let advice;
    try {
      advice = JSON.parse(advise(JSON.stringify(message.answers)));
    } catch (error) {
      // A bug in one evaluation must not take the checker down; the page shows it as an error advice.
      advice = { error: { field: null, message: "interne fout in de checker" } };
      console.error(error);
    }
    post({ type: "advice", id: message.id, advice });
  } else if (message.type === "time") {
    // Benchmark hook: per-call latency of advise() inside the worker, in milliseconds. With `texts`, call i
    // evaluates the answers with texts[i] as its tekst (typing: the text changes from one call to the next).
    const inputs = (message.texts || [undefined]).map((tekst) => JSON.stringify(tekst === undefined ? message.answers : { ...message.answers, tekst }));
    const times = [];
    for (let i = 0; i < message.runs; i += 1) {
      const input = inputs[i % inputs.length];
      const t0 = performance.now();
      advise(input);
      times.push(performance.now() - t0);
    }
    post({ type: "times", times });
  }
}

function fail(error) {
  post({ type: "error", reason: error.reason || "load", detail: String(error && error.message) });
}

start().catch(fail);
