// Build-time helper: runs the pinned Pyodide on Node.js to
//   trace:   record which stdlib files the checker's real load path imports (as the browser worker does it),
//   compile: compile those files to .pyc inside Pyodide itself (no native CPython 3.14 is available here),
//   verify:  replay the load path with only the pruned zip as the stdlib,
//   sources: compile given host .py files (the checker's modules) the same way.
// Usage: node stdlib.mjs <job.json>
//   job = {pyodideDir, lockInfo, wheel, samples, trace, compile, modules, verifyStdlib?, sources?, outDir}
// Writes outDir/modules.json (trace) and outDir/pyc/<path>.pyc (compile); prints a JSON summary line.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const job = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const { loadPyodide } = await import(pathToFileURL(path.join(job.pyodideDir, "pyodide.mjs")).href);
const STDLIB_PREFIX = "/lib/python314.zip/";

// The worker's options (no packages, lock info inline); a fixed hash seed keeps marshalled frozensets
// in one order, and no column tables keep the .pyc small (tracebacks still show file and line).
async function freshPyodide(stdLibURL) {
  return loadPyodide({
    indexURL: job.pyodideDir + "/",
    ...(stdLibURL ? { stdLibURL } : {}),
    lockFileContents: { info: job.lockInfo, packages: {} },
    env: { PYTHONHASHSEED: "0", PYTHONNODEBUGRANGES: "1" },
    stdout: () => {},
    stderr: (line) => process.stderr.write(line + "\n"),
  });
}

// The worker's steps: unpackArchive the wheel into site-packages, import checker.web, evaluate.
async function runCheckerLoadPath(py) {
  const sitePackages = py.runPython("__import__('site').getsitepackages()[0]");
  const wheel = fs.readFileSync(job.wheel);
  // unpackArchive rejects a Node Buffer; the browser passes a plain Uint8Array as well.
  py.unpackArchive(new Uint8Array(wheel.buffer, wheel.byteOffset, wheel.byteLength), "wheel", { extractDir: sitePackages });
  const advise = py.pyimport("checker.web").advise;
  for (const sample of job.samples) JSON.parse(advise(sample));
}

async function trace() {
  const py = await freshPyodide();
  await runCheckerLoadPath(py);
  // A comprehension over sys.modules imports nothing itself; frozen modules never read the zip.
  const loaded = py.runPython(`
import sys
[(getattr(m, '__file__', None) or '', getattr(getattr(m, '__spec__', None), 'origin', None) == 'frozen')
 for m in list(sys.modules.values())]`).toJs();
  const files = new Set();
  for (const [file, frozen] of loaded) {
    if (!frozen && file.startsWith(STDLIB_PREFIX) && file.endsWith(".py")) files.add(file.slice(STDLIB_PREFIX.length));
  }
  const modules = [...files].sort();
  fs.writeFileSync(path.join(job.outDir, "modules.json"), JSON.stringify(modules, null, 1) + "\n");
  return modules;
}

// Unchecked-hash .pyc (no mtime inside), legacy layout: foo/bar.py becomes foo/bar.pyc in the zip.
// optimize=2 drops docstrings and asserts: nothing here reads them, and they would fill the memory snapshot.
async function compile(modules) {
  const py = await freshPyodide();
  py.globals.set("names", py.toPy(modules));
  py.runPython(`
import os, py_compile, zipfile
stock = zipfile.ZipFile("/lib/python314.zip")
for name in names:
    source = "/tmp/src/" + name
    os.makedirs(os.path.dirname(source), exist_ok=True)
    with open(source, "wb") as handle:
        handle.write(stock.read(name))
    py_compile.compile(source, cfile="/tmp/pyc/" + name[:-3] + ".pyc", dfile="/lib/python314.zip/" + name,
                       doraise=True, invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH, optimize=2)
`);
  let bytes = 0;
  for (const name of modules) {
    const pyc = name.slice(0, -3) + ".pyc";
    const data = py.FS.readFile("/tmp/pyc/" + pyc);
    const target = path.join(job.outDir, "pyc", pyc);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, data);
    bytes += data.length;
  }
  return bytes;
}

// Host source files (the checker's own modules) compiled the same way, written as outDir/pyc/<name>c.
async function compileSources(sources) {
  const py = await freshPyodide();
  for (const { name, path: hostPath } of sources) {
    py.FS.mkdirTree(path.posix.dirname("/tmp/src/" + name));
    py.FS.writeFile("/tmp/src/" + name, fs.readFileSync(hostPath));
  }
  py.globals.set("sources", py.toPy(sources.map(({ name, dfile }) => [name, dfile])));
  const tag = py.runPython(`
import os, py_compile, sys
for name, dfile in sources:
    py_compile.compile("/tmp/src/" + name, cfile="/tmp/pyc/" + name + "c", dfile=dfile, doraise=True,
                       invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH, optimize=2)
sys.implementation.cache_tag
`);
  for (const { name } of sources) {
    const target = path.join(job.outDir, "pyc", name + "c");
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, py.FS.readFile("/tmp/pyc/" + name + "c"));
  }
  return tag;
}

async function verify(zipPath) {
  const py = await freshPyodide(zipPath);
  await runCheckerLoadPath(py);
  const stray = py.runPython(`
import sys
[n for n, m in list(sys.modules.items()) if (getattr(m, '__file__', None) or '').endswith('.py')
 and m.__file__.startswith('${STDLIB_PREFIX}') and getattr(m.__spec__, 'origin', None) != 'frozen']`).toJs();
  if (stray.length) throw new Error("modules loaded from source instead of .pyc: " + stray.join(", "));
}

const summary = {};
if (job.sources) {
  summary.cacheTag = await compileSources(job.sources);
} else if (job.verifyStdlib) {
  await verify(job.verifyStdlib);
  summary.verified = true;
} else {
  const modules = job.trace ? await trace() : job.modules;
  summary.modules = modules.length;
  if (job.compile) summary.pycBytes = await compile(modules);
}
process.stdout.write(JSON.stringify(summary) + "\n");
process.exit(0);
