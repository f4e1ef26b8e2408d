// The checker page: shows and hides questions at once, runs the engine in a module worker and renders
// its advice. User text is only ever set with textContent / text nodes, never parsed as HTML.
// One self-contained file: every module import would be one more main-thread round trip before the worker starts.

const WATCHDOG_MS = 20000; // loadPyodide hangs for ever when WebAssembly is blocked; give up after this long without progress
const TEXT_DEBOUNCE_MS = 150;
const VERDICT_LABELS = {
  toegestaan: "Toegestaan",
  toegestaan_mits: "Toegestaan, mits",
  niet_toegestaan: "Niet toegestaan",
  buiten_reikwijdte: "Valt buiten het protocol",
};
const ERRORS = {
  wasm: "Je browser ondersteunt geen WebAssembly, of het staat uit.",
  worker: "Je browser is te oud voor de checker (geen module-workers).",
  timeout: "Het laden duurde te lang of werd geblokkeerd, bijvoorbeeld door beveiligingsinstellingen van je browser of netwerk.",
  load: "Een onderdeel van de checker kon niet worden geladen.",
};

function Checker(root) {
  this.root = root;
  this.form = root.querySelector("#cvo-form");
  this.embed = root.dataset.embed === "true";
  this.protocolHref = root.dataset.protocolHref;
  this.kindLabels = JSON.parse(this.form.dataset.kindLabels || "{}");
  // The version's questions, routing included, exactly as the engine has them (vragen.toml, written by the build).
  this.questions = JSON.parse(this.form.dataset.vragen).map((q) => ({
    el: this.form.querySelector(`[data-sleutel="${CSS.escape(q.sleutel)}"]`),
    key: q.sleutel,
    type: q.type,
    clauses: q.clauses,
    label: q.label,
  }));
  this.textarea = this.form.querySelector("textarea");
  this.marking = this.form.querySelector(".cvo-markering");
  this.requestId = 0;
  this.lastLiveKey = "";
  this.textTimer = 0;
}

Checker.prototype.start = function (early) {
  if (this.embed) {
    this.applyFragment();
    // The event's own newURL: a pending text-input evaluation may have rewritten location.hash meanwhile.
    // A pending typing debounce is cancelled: the new fragment's evaluation already includes the text.
    window.addEventListener("hashchange", (event) => {
      clearTimeout(this.textTimer);
      this.applyFragment(new URL(event.newURL).hash);
      this.changed();
    });
  }
  this.updateVisibility();
  this.form.addEventListener("input", (event) => {
    clearTimeout(this.textTimer);
    if (event.target === this.textarea) this.textTimer = setTimeout(() => this.changed(), TEXT_DEBOUNCE_MS);
    else this.changed();
  });
  this.startWorker(early);
};

// --- relevance ------------------------------------------------------------------------------------

// Evaluated in the page so questions show or hide at once, before the engine has loaded. The clauses come
// parsed from the version's vragen.toml (checker.questions.Clause.to_json); this is only their evaluation,
// the same as checker.questions.Questions.relevant_answers. Answers here are strings as in the URL fragment:
// option values, and "ja"/"nee" for yes/no questions.

// An unanswered key fails key=value and satisfies key!=value.
function holds(clauses, answers) {
  return clauses.every(({ key, negated, values }) => {
    const matched = Object.hasOwn(answers, key) && values.includes(answers[key]);
    return negated ? !matched : matched;
  });
}

// One pass top to bottom: only answers to relevant questions count, and they decide later relevance.
// questions: [{key, clauses}] in display order; answers: {key: string}. Returns {kept, visible}.
function relevance(questions, answers) {
  const kept = {};
  const visible = new Set();
  for (const q of questions) {
    if (!holds(q.clauses, kept)) continue;
    visible.add(q.key);
    if (Object.hasOwn(answers, q.key)) kept[q.key] = answers[q.key];
  }
  return { kept, visible };
}

// --- answers and relevance -------------------------------------------------------------------------

// Every answer in the form as fragment strings ("ja"/"nee" for yes/no), relevant or not.
Checker.prototype.rawAnswers = function () {
  const answers = {};
  for (const q of this.questions) {
    if (q.type === "tekst") {
      if (this.textarea.value) answers[q.key] = this.textarea.value;
    } else {
      const checked = q.el.querySelector("input:checked");
      if (checked) answers[q.key] = checked.value;
    }
  }
  return answers;
};

Checker.prototype.updateVisibility = function () {
  const { kept, visible } = relevance(this.questions, this.rawAnswers());
  for (const q of this.questions) q.el.hidden = !visible.has(q.key);
  return kept;
};

// The engine's answers: only relevant ones, yes/no as booleans.
function typedAnswers(questions, kept) {
  const typed = {};
  for (const q of questions) {
    if (!Object.hasOwn(kept, q.key)) continue;
    typed[q.key] = q.type === "janee" ? kept[q.key] === "ja" : kept[q.key];
  }
  return typed;
}

Checker.prototype.changed = function () {
  const kept = this.updateVisibility();
  if (this.embed) this.writeFragment(kept);
  if (this.state === "ready") this.evaluate(typedAnswers(this.questions, kept));
};

// --- URL fragment (embed page) ---------------------------------------------------------------------

// #rol=medewerker&situatie=prive&over_cvo=ja sets the radios; the text is never read from the URL.
Checker.prototype.applyFragment = function (hash = location.hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  for (const q of this.questions) {
    if (q.type === "tekst") continue;
    const value = params.get(q.key);
    for (const input of q.el.querySelectorAll("input")) input.checked = input.value === value;
  }
};

Checker.prototype.writeFragment = function (kept) {
  const params = new URLSearchParams();
  for (const q of this.questions) {
    if (q.type !== "tekst" && Object.hasOwn(kept, q.key)) params.append(q.key, kept[q.key]);
  }
  const fragment = params.toString();
  history.replaceState(history.state, "", fragment ? "#" + fragment : location.pathname + location.search);
};

// --- worker and loading state ----------------------------------------------------------------------

Checker.prototype.setState = function (state) {
  this.state = state;
  this.root.dataset.state = state;
  document.documentElement.dataset.state = state;
};

// The worker's name says whether a service worker controls this page, and so the worker: worker.js then asks it for
// the decoded wasm (V8 keeps its compiled code only for such a response) instead of reading its copy itself. The
// checker page's inline script (checker.html) names it the same way.
function workerName() {
  return navigator.serviceWorker && navigator.serviceWorker.controller ? "cvo-checker (service worker)" : "cvo-checker";
}

// Started by the checker page's inline script (or else as soon as this async module runs), so the engine's
// downloads and start overlap with the page's own; messages wait in a queue until the form is wired up.
function spawnWorker() {
  const early = { worker: null, queue: [], listener: null, failure: null };
  if (typeof WebAssembly !== "object") {
    early.failure = ["wasm"];
    return early;
  }
  const deliver = (item) => (early.listener ? early.listener(item) : early.queue.push(item));
  const started = window.cvoEngine; // the checker page starts the worker from an inline script in its <head>
  if (started && started.worker) {
    early.worker = started.worker;
    started.deliver = deliver;
    started.queue.splice(0).forEach(deliver);
    return early;
  }
  try {
    early.worker = new Worker(new URL("../../checker/worker.js", import.meta.url), { type: "module", name: workerName() });
  } catch (error) {
    early.failure = ["worker", String(error)];
    return early;
  }
  early.worker.addEventListener("message", (event) => deliver({ message: event.data }));
  early.worker.addEventListener("error", (event) => {
    event.preventDefault();
    deliver({ error: event.message || "" });
  });
  return early;
}

Checker.prototype.startWorker = function (early) {
  this.setState("loading");
  this.armWatchdog();
  if (early.failure) return this.fail(...early.failure);
  this.worker = early.worker;
  early.listener = (item) => (item.message ? this.onMessage(item.message) : this.fail("load", item.error));
  early.queue.splice(0).forEach(early.listener);
};

Checker.prototype.armWatchdog = function () {
  if (this.state !== "loading") return; // once ready (or failed) the watchdog is gone for good
  clearTimeout(this.watchdog);
  this.watchdog = setTimeout(() => this.fail("timeout"), WATCHDOG_MS);
};

Checker.prototype.onMessage = function (message) {
  if (this.state === "error") return;
  if (message.type === "progress") {
    if (this.state !== "loading") return; // a late progress message must not re-arm the watchdog
    this.armWatchdog();
    this.showProgress(message);
  } else if (message.type === "ready") {
    if (this.state === "ready") return;
    clearTimeout(this.watchdog);
    this.version = message.version;
    this.setState("ready");
    this.root.dataset.readyMs = String(Math.round(performance.now()));
    this.statusText("De checker is klaar. Het advies verandert mee met je antwoorden.");
    this.root.querySelector("#cvo-progress").hidden = true;
    if (this.embed) postToParent({ type: "cvo-checker:ready", version: message.version });
    document.dispatchEvent(new CustomEvent("cvo-checker:ready"));
    registerServiceWorker();
    this.changed();
  } else if (message.type === "advice" && message.id === this.requestId) {
    this.show(message.advice);
  } else if (message.type === "error") {
    this.fail(message.reason, message.detail);
  }
};

Checker.prototype.showProgress = function ({ loaded, total, stage }) {
  const bar = this.root.querySelector("#cvo-progress");
  const mb = (bytes) => (bytes / 1e6).toLocaleString("nl-NL", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  if (stage === "download" && total) {
    bar.max = total;
    bar.value = Math.min(loaded, total);
    this.statusText(`De checker wordt geladen: ${mb(loaded)} van ${mb(total)} MB. Je kunt de vragen alvast invullen.`);
  } else if (stage === "install") {
    bar.value = bar.max;
    this.statusText("De checker wordt gestart…");
  }
};

Checker.prototype.statusText = function (text) {
  this.root.querySelector("#cvo-status-text").textContent = text;
};

Checker.prototype.fail = function (reason, detail) {
  if (this.state === "error") return;
  clearTimeout(this.watchdog);
  this.setState("error");
  if (this.worker) this.worker.terminate();
  this.root.querySelector("#cvo-status").hidden = true;
  this.root.querySelector("#cvo-error-detail").textContent = ERRORS[reason] || ERRORS.load;
  this.root.querySelector("#cvo-error").hidden = false;
  const body = this.root.querySelector("#cvo-advies-inhoud");
  body.replaceChildren(el("p", "cvo-advies__wacht", "Geen advies: de checker kon niet starten. Gebruik de beslistabel."));
  if (detail) console.warn("cvo-checker:", reason, detail);
};

Checker.prototype.evaluate = function (answers) {
  this.requestId += 1;
  this.answers = answers;
  this.worker.postMessage({ type: "advise", id: this.requestId, answers });
};

// The service worker (build_tools/service_worker.py) precaches the engine for offline use. Registered only
// once the engine is ready, so its precache never competes with the first load (it mostly hits the HTTP cache).
function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  const scope = new URL("../../checker/", import.meta.url);
  navigator.serviceWorker.register(new URL("sw.js", scope), { scope }).catch(() => {});
}

function postToParent(message) {
  // The advice holds no typed text (only finding positions), so any embedding page may receive it.
  if (window.parent !== window) window.parent.postMessage(message, "*");
}

// --- rendering -------------------------------------------------------------------------------------

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function articleLabel(id) {
  return id.replace(/^([A-Za-z]+)(\d+)$/, "$1.$2");
}

Checker.prototype.articleLink = function (id) {
  const link = el("a", "cvo-artikel", articleLabel(id));
  link.href = this.protocolHref + "#" + id.toLowerCase();
  if (this.embed) Object.assign(link, { target: "_blank", rel: "noopener" }); // keep the iframe on the checker
  return link;
};

Checker.prototype.articlesLine = function (ids) {
  const line = el("p", "cvo-artikelen", ids.length > 1 ? "Artikelen " : "Artikel ");
  ids.forEach((id, i) => {
    if (i) line.append(", ");
    line.append(this.articleLink(id));
  });
  return line;
};

Checker.prototype.answerText = function (key, value) {
  const q = this.questions.find((question) => question.key === key);
  if (!q) return `${key}: ${value}`;
  let shown = value === true ? "ja" : value === false ? "nee" : String(value);
  const option = q.el.querySelector(`input[value="${CSS.escape(shown)}"]`);
  if (option) shown = option.parentElement.textContent.trim();
  return `${q.label} ${shown}`;
};

Checker.prototype.groundsLine = function (grounds, fromText) {
  const keys = Object.keys(grounds);
  if (!keys.length) return null;
  const line = el("div", "cvo-gronden", "Op grond van: ");
  const list = el("ul", "cvo-gronden__lijst");
  for (const key of keys) {
    const suffix = fromText.includes(key) ? " (gevonden in je tekst)" : "";
    list.append(el("li", null, this.answerText(key, grounds[key]) + suffix));
  }
  line.append(list);
  return line;
};

function section(title, className) {
  const part = el("div", "cvo-advies__deel " + className);
  part.append(el("h3", null, title));
  return part;
}

Checker.prototype.itemsWithArticles = function (title, className, items) {
  if (!items.length) return null;
  const part = section(title, className);
  const list = el("ul");
  for (const item of items) {
    const li = el("li");
    li.append(el("p", null, item.text));
    const ids = item.articles || (item.article ? [item.article] : []);
    if (ids.length) li.append(this.articlesLine(ids));
    if (item.grounds) {
      const grounds = this.groundsLine(item.grounds, this.fromText);
      if (grounds) li.append(grounds);
    }
    list.append(li);
  }
  part.append(list);
  return part;
};

Checker.prototype.show = function (advice) {
  if (this.embed) postToParent({ type: "cvo-checker:advice", advice });
  this.showHighlights(advice);
  const body = this.root.querySelector("#cvo-advies-inhoud");
  if (advice.error) {
    body.replaceChildren(el("p", "cvo-advies__fout", "Deze antwoorden kan de checker niet beoordelen: " + advice.error.message));
    this.lastLiveKey = "";
    return;
  }
  // Only re-render (and so re-announce) the live region when its content changes, not on every keystroke.
  const { tekst, ...answers } = this.answers || {};
  const liveKey = JSON.stringify({ ...advice, findings: advice.findings.map((f) => f.kind), answers });
  if (liveKey === this.lastLiveKey) return;
  this.lastLiveKey = liveKey;
  this.fromText = advice.from_text || [];
  body.replaceChildren(...this.adviceNodes(advice));
};

Checker.prototype.adviceNodes = function (advice) {
  const verdict = el("div", `cvo-oordeel cvo-oordeel--${advice.verdict}`);
  verdict.dataset.verdict = advice.verdict;
  verdict.append(el("h3", "cvo-oordeel__label", advice.verdict_label || VERDICT_LABELS[advice.verdict] || advice.verdict));
  if (advice.summary) verdict.append(el("p", "cvo-oordeel__samenvatting", advice.summary));
  const nodes = [verdict];
  const add = (node) => node && nodes.push(node);
  add(this.itemsWithArticles("Controleer dit zelf", "cvo-controle", advice.checks || []));
  add(this.itemsWithArticles("Waarom", "cvo-redenen", advice.reasons));
  if (advice.actions.length) {
    const part = section("Wat je moet doen", "cvo-acties");
    const list = el("ul");
    for (const action of advice.actions) list.append(el("li", null, action));
    part.append(list);
    nodes.push(part);
  }
  add(this.itemsWithArticles("Mogelijke gevolgen", "cvo-gevolgen", advice.consequences));
  add(this.itemsWithArticles("Goed om te weten", "cvo-info", advice.info || []));
  add(this.itemsWithArticles("Denk er ook aan", "cvo-herinneringen", advice.reminders));
  add(this.findingsSummary(advice.findings));
  add(this.answersSummary());
  const version = el("p", "cvo-advies__versie", `Volgens versie ${advice.version} van de richtlijnen.`);
  nodes.push(version);
  return nodes;
};

Checker.prototype.findingsSummary = function (findings) {
  if (!findings.length) return null;
  const part = section("Gevonden in je tekst", "cvo-vondsten");
  const counts = new Map();
  for (const f of findings) counts.set(f.kind, (counts.get(f.kind) || 0) + 1);
  const list = el("ul");
  for (const [kind, count] of counts) list.append(el("li", null, `${this.kindLabels[kind] || kind}: ${count}×`));
  part.append(list, el("p", "cvo-vondsten__uitleg", "De plekken zijn gemarkeerd in je tekst, onder het tekstveld."));
  return part;
};

Checker.prototype.answersSummary = function () {
  const keys = Object.keys(this.answers || {}).filter((key) => key !== "tekst");
  if (!keys.length) return null;
  const part = section("Je antwoorden", "cvo-antwoorden");
  const list = el("ul");
  for (const key of keys) list.append(el("li", null, this.answerText(key, this.answers[key])));
  part.append(list);
  return part;
};

// Under the text field: the draft with each finding wrapped in <mark> where it is, followed by its kind, the
// question it bears on and what it did, built from text nodes only (never parsed as HTML). The region is
// reachable with Tab and labelled, so a screen reader reads the draft with the findings in place.
// Finding offsets count Unicode code points (Python str indices), so slice by code points, not UTF-16 units.
Checker.prototype.showHighlights = function (advice) {
  const box = this.marking;
  if (!box) return;
  const findings = advice.findings || [];
  const text = this.answers && this.answers.tekst;
  if (!findings.length || !text) {
    box.replaceChildren();
    box.hidden = true;
    return;
  }
  const points = Array.from(text);
  const quote = el("p", "cvo-markering__tekst");
  let at = 0;
  for (const f of [...findings].sort((a, b) => a.start - b.start)) {
    if (f.start < at) continue;
    quote.append(document.createTextNode(points.slice(at, f.start).join("")));
    const kind = this.kindLabels[f.kind] || f.kind;
    const mark = el("mark", `cvo-vondst cvo-vondst--${f.kind} cvo-vondst--${f.effect || "geen"}`, points.slice(f.start, f.end).join(""));
    mark.dataset.effect = f.effect || "geen";
    // The note (what the finding did, naming its question) is the version's wording from regels.toml.
    quote.append(mark, el("span", "cvo-vondst__soort", ` [${kind}: ${f.note || ""}]`));
    at = f.end;
  }
  quote.append(document.createTextNode(points.slice(at).join("")));
  const title = el("p", "cvo-markering__titel", "Wat de checker in je tekst zag");
  title.id = box.id + "-titel";
  Object.assign(box, { tabIndex: 0 });
  box.setAttribute("role", "region");
  box.setAttribute("aria-labelledby", title.id);
  box.replaceChildren(title, quote);
  box.hidden = false;
};


const early = spawnWorker();
function boot() {
  const root = document.getElementById("cvo-checker");
  if (root) new Checker(root).start(early);
  else if (early.worker) early.worker.terminate();
}
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot, { once: true });
else boot();
