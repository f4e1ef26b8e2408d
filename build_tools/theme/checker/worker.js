// Module worker: runs the checker's Python engine in Pyodide, off the page's main thread.
// Loads the self-hosted runtime with a precompiled, pruned stdlib, installs the checker wheel with
// unpackArchive (no micropip, no lock file), then answers {type: "advise"} messages.
// Messages out: progress {loaded, total, stage}, ready {version}, advice {id, advice}, error {reason, detail}.

// This file lives in checker/ (not assets/) so that it is inside the service worker's scope: a dedicated
// worker is matched to a service worker by its own URL, and only a controlled worker loads offline.
const here = new URL("../assets/checker/", import.meta.url);
const pyodideBase = new URL("../assets/pyodide/", import.meta.url);
const nativeFetch = self.fetch.bind(self);
let loaded = 0;
let total = 0;

const post = (message) => self.postMessage(message);
// Messages that arrive before the engine is ready wait here instead of being dropped.
const waiting = [];
self.onmessage = (event) => waiting.push(event.data);
const progress = (stage) => post({ type: "progress", loaded, total, stage });

// Counting body bytes as they arrive gives the page real progress (loadPyodide fetches the stdlib itself).
async function countedFetch(input, init) {
  const response = await nativeFetch(input, init);
  if (!response.ok) throw new Error(`HTTP ${response.status} voor ${new URL(response.url).pathname}`);
  if (!response.body) return response;
  const counter = new TransformStream({
    transform(chunk, controller) {
      loaded += chunk.byteLength;
      progress("download");
      controller.enqueue(chunk);
    },
  });
  const { status, statusText, headers } = response;
  return new Response(response.body.pipeThrough(counter), { status, statusText, headers });
}

// The wasm is compiled (streaming) from the moment this worker starts, while pyodide.mjs and its 1.2 MB
// JS glue still load; loadPyodide then gets that module instead of fetching and compiling it again.
const wasmURL = new URL("pyodide.asm.wasm", pyodideBase).href;
const stdlibURL = new URL("python_stdlib.zip", pyodideBase).href;
const early = new Map(); // url -> response promise started before loadPyodide asks for it
const placeholders = new WeakSet(); // what loadPyodide's own wasm fetch gets instead of a second download
let wasmModule = null;

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

function precompile() {
  wasmModule = WebAssembly.compileStreaming(countedFetch(wasmURL));
  early.set(stdlibURL, countedFetch(stdlibURL));
  const instantiateStreaming = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = async (source, imports) => {
    const response = await source;
    if (!placeholders.has(response)) return instantiateStreaming(response, imports);
    const module = await wasmModule;
    return { module, instance: await WebAssembly.instantiate(module, imports) };
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
  const manifest = await response.json();
  const f = manifest.files;
  total += f["pyodide.asm.wasm"].size + f.stdlib.size + f.wheel.size;
  progress("download");
  return manifest;
}

async function fetchWheel(manifest) {
  const response = await self.fetch(new URL(manifest.files.wheel.path, here));
  return new Uint8Array(await response.arrayBuffer());
}

async function start() {
  if (typeof WebAssembly !== "object") throw Object.assign(new Error("WebAssembly ontbreekt"), { reason: "wasm" });
  precompile().catch(fail);
  const manifest = fetchManifest();
  const wheel = manifest.then(fetchWheel); // in parallel with the runtime
  const { loadPyodide } = await import(new URL("pyodide.mjs", pyodideBase).href);
  progress("runtime");
  const pyodide = await loadPyodide({
    indexURL: pyodideBase.href,
    stdLibURL: new URL("python_stdlib.zip", pyodideBase).href,
    // No packages are loaded, so the lock file's info block (from the manifest) replaces fetching it.
    lockFileContents: manifest.then((m) => ({ info: m.lockInfo, packages: {} })),
    stdout: () => {},
    stderr: () => {},
  });
  progress("install");
  const sitePackages = pyodide.runPython("__import__('site').getsitepackages()[0]");
  pyodide.unpackArchive(await wheel, "wheel", { extractDir: sitePackages });
  const advise = pyodide.pyimport("checker.web").advise;
  goOffline();
  self.onmessage = (event) => handle(event.data, advise);
  post({ type: "ready", version: (await manifest).version });
  waiting.splice(0).forEach((message) => handle(message, advise));
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
    // Benchmark hook: per-call latency of advise() inside the worker, in milliseconds.
    const input = JSON.stringify(message.answers);
    const times = [];
    for (let i = 0; i < message.runs; i += 1) {
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
