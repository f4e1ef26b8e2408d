// The engine's two large files (pyodide.asm.wasm and the snapshot) are fetched as their brotli siblings (x.br,
// written by build_tools/compress.py) and decoded here by the pinned wasm brotli decoder (npm brotli-dec-wasm, in
// the engine's folder): 5.2 instead of 6.6 MB gzip on a first visit from a server without brotli (README, "A first
// visit's bytes"). Imported by worker.js for the wasm (decoded as it arrives, for compileStreaming), and run as its
// own worker (name "cvo-decode") for the snapshot, so that decoding it takes the other core. The decoder's wasm is
// fetched and compiled once, by worker.js (decoderWasm), and handed to the second worker as a compiled module.

const DECODER_MODULE = "brotli_dec_wasm.js";
export const DECODER_WASM = "brotli_dec_wasm_bg.wasm";
const OUTPUT_CHUNK = 1 << 20;
// brotli-dec-wasm's BrotliStreamResultCode.
const RESULT_SUCCESS = 1;
const NEEDS_MORE_OUTPUT = 3;

let decoder = null;

function loadDecoder(engineBase, wasmModule) {
  decoder ||= import(new URL(DECODER_MODULE, engineBase).href).then(async (module) => {
    await module.default({ module_or_path: await wasmModule() });
    return module;
  });
  return decoder;
}

// The decoded stream of a brotli body; a truncated or damaged stream ends in an error, never in short output.
function decoding(body, engineBase, wasmModule) {
  let stream = null;
  let finished = false;
  return body.pipeThrough(new TransformStream({
    async transform(chunk, controller) {
      stream ||= new (await loadDecoder(engineBase, wasmModule)).DecompressStream();
      let input = chunk;
      for (;;) {
        const result = stream.decompress(input, OUTPUT_CHUNK);
        if (result.buf.byteLength) controller.enqueue(result.buf);
        input = input.subarray(result.input_offset);
        finished = result.code === RESULT_SUCCESS;
        if (result.code !== NEEDS_MORE_OUTPUT) break;
      }
    },
    flush() {
      if (!finished) throw new Error("brotli: onvolledig bestand");
    },
  }));
}

// The decoded body of `url` as a Response of `contentType`, from `url.br` where the server has it. A server that
// labels .br files Content-Encoding: br where the request offers br (the Apache rules of build_tools/deploy.py) has
// the browser decode them already; without the sibling (a deployment that left it out) the original file is
// fetched. `wasmModule` is a function that returns (a promise of) the decoder's compiled WebAssembly.Module; it is
// called only if needed.
export async function fetchDecoded(url, engineBase, contentType, wasmModule, fetcher = fetch) {
  const compressed = await fetcher(url + ".br").catch(() => null);
  if (!compressed || !compressed.ok) return fetcher(url);
  const decodedByBrowser = /\bbr\b/.test(compressed.headers.get("content-encoding") || "");
  const body = decodedByBrowser ? compressed.body : decoding(compressed.body, engineBase, wasmModule);
  return new Response(body, { headers: { "Content-Type": contentType } });
}

// As a worker: {url, engine} in (its fetch starts at once); out {needDecoder} when there is brotli to decode, answered
// with {decoder} (the compiled module from worker.js); out {loaded} while the body arrives, then {bytes}
// (transferred) or {error}.
if (self.name === "cvo-decode") {
  let decoderArrived;
  const decoderModule = new Promise((resolve) => { decoderArrived = resolve; });
  let asked = false;
  const askForDecoder = () => {
    if (!asked) self.postMessage({ needDecoder: true });
    asked = true;
    return decoderModule;
  };
  self.onmessage = async ({ data }) => {
    if (data.decoder) {
      decoderArrived(data.decoder);
      return;
    }
    try {
      const response = await fetchDecoded(data.url, data.engine, "application/octet-stream", askForDecoder);
      if (!response.ok) throw new Error(`HTTP ${response.status} voor ${new URL(data.url).pathname}`);
      const counted = response.body.pipeThrough(new TransformStream({
        transform(chunk, controller) {
          self.postMessage({ loaded: chunk.byteLength });
          controller.enqueue(chunk);
        },
      }));
      const bytes = await new Response(counted).arrayBuffer();
      self.postMessage({ bytes }, [bytes]);
    } catch (error) {
      self.postMessage({ error: String((error && error.message) || error) });
    }
  };
}
