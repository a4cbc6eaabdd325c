// Guanai widgets — the one script a host page includes:
//   <script type="module" src="https://EDGE/guanai.js"></script>
//   <guanai-benefit-finder lang="zh-CN"><a href="https://EDGE/catalog">查看福利目录</a></guanai-benefit-finder>
// or, pinned to one release (the immutable copy, or a self-hosted npm package):
//   <script type="module" src="https://EDGE/v/VERSION/guanai.js" integrity="sha384-…" crossorigin="anonymous"></script>
//
// Defines every element. The WebAssembly comes in per-page bundles: the finder's, the sign-up
// form's, the partner application's, and the map's (which also mounts finders, since the map
// page shows both). Once the elements of a page have connected, this picks the bundles that
// cover them — a page with only a finder never downloads the map — and fetches, all at once in
// the first round trip after this script, their wasm and the stylesheet.
//
// Everything this script runs or applies is verified against SHA-256 hashes built into this
// file, and a file that does not match is refused — `guanai:error`, nothing runs. The wasm and
// the stylesheets are fetched with `fetch(url, {integrity})`. Each bundle's wasm-bindgen glue is
// a classic script of its own (`<script integrity>`: an `import()` cannot carry an integrity hash
// on older WebViews), fetched with its wasm, so a page downloads only its own bundle's glue.
//
// Each element renders into its own open shadow root. Until it mounts, and again if it cannot,
// the shadow root shows what the host page put inside the element (a <slot>), so a link to the
// plain catalogue stays usable on phones without WebAssembly. Space is reserved from the start
// (min-height `--guanai-reserve`), so mounting does not push the host page's content around.
//
// Styles: one stylesheet fetched once and adopted by every shadow root (no inline <style>, so a
// strict host CSP works; it needs 'wasm-unsafe-eval' in script-src and the edge in
// connect-src; a host allowing scripts by nonce alone gets the glue with this script's nonce).
// Browsers without adoptedStyleSheets get a <link> to the same file (then the host's style-src
// must allow the edge).
//
// `cargo xtask build` fills in the release version, the bundle directory (named by the hash of
// its content) and the bundles with the elements each mounts.
/** The release: the workspace version in Cargo.toml, as in package.json and /v1/health. */
export const VERSION = "__GUANAI_VERSION__";
const BUNDLE = new URL("__GUANAI_BUNDLE__", import.meta.url);
/** `[{elements: [...], glue, wasm, css, integrity: {glue, wasm, css}}]`, smallest first: which files
 * mount which elements, and the hash each file must have. */
const BUNDLES = "__GUANAI_BUNDLES__";

// Where this script came from (the edge, for the hosted copy and its pinned `/v/<version>/`
// twin): the default for each element's `api` attribute. A self-hosted copy sets `api`.
const DEFAULT_API = new URL(".", import.meta.url).href
  .replace(/\/v\/[^/]+\/$/, "/")
  .replace(/\/$/, "");

/** Element name → the wasm export that mounts it, the space it reserves, whether it reads the
 * catalogue (fetched ahead, in parallel with the wasm) and whether it shows it (and so can point
 * to the plain catalogue pages when it cannot load). */
const ELEMENTS = {
  "guanai-benefit-finder": { mount: "mount_benefit_finder", reserve: "40rem", reads: true, shows: true },
  "guanai-signup-form": { mount: "mount_signup_form", reserve: "60rem", reads: true },
  "guanai-my-signup": { mount: "mount_my_signup", reserve: "40rem", reads: true },
  "guanai-partner-apply": { mount: "mount_partner_apply", reserve: "60rem" },
  "guanai-partner-map": { mount: "mount_partner_map", reserve: "44rem", reads: true, shows: true },
};

const OBSERVED = [
  "api", "lang", "area", "region", "partner", "association",
  "tiles", "tiles-key", "tiles-crs", "tiles-attribution", "finder", "pick", "picked",
  "lang-switch",
];

const LOADING = { "zh-CN": "正在加载…", en: "Loading…" };
const UNSUPPORTED = [
  "此浏览器无法运行福利组件（不支持 WebAssembly）。",
  "This browser cannot run the widget (no WebAssembly support).",
];
const LOAD_FAILED = [
  "福利组件加载失败，请检查网络后刷新页面。",
  "The widget could not be loaded; check your connection and reload the page.",
];
const CATALOGUE_LINK = ["查看福利目录（简明版）", "View the benefit catalogue (plain version)"];

// A module using an externref table: it validates only where reference types are supported,
// which our wasm needs (with multi-value, bulk memory and non-trapping float conversions, which
// every engine with reference types also has: Chrome 96, Safari 15, Firefox 79).
const PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 4, 4, 1, 111, 0, 1]);

/** Whether this engine can run our wasm, asked once: the answer cannot change on a page. */
const WASM_WORKS = (() => {
  try {
    return typeof WebAssembly === "object" && WebAssembly.validate(PROBE);
  } catch {
    return false;
  }
})();

/** An error meaning: this engine cannot run our wasm (as opposed to a network failure). */
class Unsupported extends Error {}

// Fetches started ahead, by URL; each is handed out once (a response body is read once).
const ahead = new Map();

/** Starts fetching `url`; with `integrity`, the browser refuses a body that does not match. */
function fetchAhead(url, integrity) {
  const href = String(url);
  if (!ahead.has(href)) {
    const response = request(href, integrity);
    response.catch(() => {}); // reported when it is used
    ahead.set(href, response);
  }
}

function request(href, integrity) {
  return fetch(href, integrity ? { credentials: "omit", integrity } : { credentials: "omit" });
}

/** The response for `url`: the one fetched ahead, or a new fetch (checked against `integrity`). */
function take(url, integrity) {
  return takeAhead(url) ?? request(String(url), integrity);
}

/** The response fetched ahead for `url`, once; otherwise undefined. */
function takeAhead(url) {
  const href = String(url);
  const started = ahead.get(href);
  ahead.delete(href);
  return started;
}

// The wasm asks here before it fetches (`widgets/src/http.rs`): the catalogue a page's elements
// read is fetched with their bundle, one round trip sooner than the wasm could ask for it.
globalThis[Symbol.for("guanai.fetched-ahead")] = takeAhead;

/** Where an element's API is: its `api` attribute, else where this script came from. */
function apiOf(element) {
  return (element.getAttribute("api")?.trim() || DEFAULT_API).replace(/\/$/, "");
}

async function ok(source) {
  const response = await source;
  if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status}`);
  return response;
}

// A glue script hands its exports to the resolver registered under its URL, then is removed.
// The registry is shared by every copy of this loader on a page (URLs name their release).
const GLUES = Symbol.for("guanai.glue");
// A host whose CSP allows scripts by nonce allows this one by its nonce: the glue carries it too.
const NONCE = [...document.querySelectorAll("script[nonce]")].find(
  (script) => script.src === import.meta.url,
)?.nonce;

/** The exports of the glue script at `url`, once the browser has checked it against `integrity`. */
function glueScript(url, integrity) {
  const href = String(url);
  return new Promise((resolve, reject) => {
    const registry = (globalThis[GLUES] ??= new Map());
    registry.set(href, resolve);
    const script = document.createElement("script");
    script.src = href;
    script.integrity = integrity;
    script.crossOrigin = "anonymous";
    if (NONCE) script.nonce = NONCE;
    // After a load the glue has already resolved; a refused or failed file never does.
    script.onload = script.onerror = () => {
      registry.delete(href);
      script.remove();
      reject(new Error(`${href}: not loaded`));
    };
    (document.head ?? document.documentElement).append(script);
  });
}

/**
 * Instantiates the wasm answered by `source` (a promise of a Response) through `glue` (a promise
 * of its glue's exports), returning the glue. The glue
 * streams it (`WebAssembly.instantiateStreaming`). Some Android WebViews break streaming
 * although plain instantiation works: a failure is retried once from the same bytes without
 * streaming. An engine that cannot compile our wasm at all is `Unsupported`.
 */
async function instantiate(glueLoaded, source) {
  const [glue, response] = await Promise.all([glueLoaded, ok(source)]);
  const copy = response.clone();
  try {
    await glue.default({ module_or_path: response });
    return glue;
  } catch (error) {
    if (error instanceof WebAssembly.CompileError) throw new Unsupported(String(error));
    console.warn("guanai: streaming instantiation failed; trying without streaming", error);
  }
  try {
    await glue.default({ module_or_path: await copy.arrayBuffer() });
    return glue;
  } catch (error) {
    throw error instanceof WebAssembly.CompileError ? new Unsupported(String(error)) : error;
  }
}

// Stylesheet URL → the promise of its constructed sheet (one per bundle, shared by its elements).
const sheets = new Map();

/** `bundle`'s stylesheet as one shared constructed sheet, or null where it cannot be. */
function stylesheet(bundle) {
  const url = new URL(bundle.css, BUNDLE).href;
  if (!sheets.has(url)) {
    const sheet = (async () => {
      if (!adoptable()) return null;
      const css = await (await ok(take(url, bundle.integrity.css))).text();
      const constructed = new CSSStyleSheet();
      constructed.replaceSync(css);
      return constructed;
    })();
    // As for the wasm: after a network failure, the next element to connect tries again.
    sheet.catch(() => sheets.delete(url));
    sheets.set(url, sheet);
  }
  return sheets.get(url);
}

function adoptable() {
  return "adoptedStyleSheets" in ShadowRoot.prototype && "replaceSync" in CSSStyleSheet.prototype;
}

// Bundle → the promise of its loaded glue (each bundle is loaded at most once per page).
const loaded = new Map();

/** Loads `bundle` (its wasm, through its glue) once. */
function load(bundle) {
  let loading = loaded.get(bundle);
  if (!loading) {
    // The glue and the wasm are requested together, in the same round trip as the stylesheet.
    loading = WASM_WORKS
      ? instantiate(
          glueScript(new URL(bundle.glue, BUNDLE), bundle.integrity.glue),
          take(new URL(bundle.wasm, BUNDLE), bundle.integrity.wasm),
        )
      : Promise.reject(new Unsupported("no WebAssembly with reference types"));
    // A network failure may pass: the next element to connect tries again.
    loading.catch((error) => {
      if (!(error instanceof Unsupported)) loaded.delete(bundle);
    });
    loaded.set(bundle, loading);
  }
  return loading;
}

// Elements waiting for a bundle to be chosen: all those that connect in one task (the host
// page's elements are upgraded together when this script defines them).
const waiting = new Set();

/** The bundle for an element of kind `name`: one already chosen that mounts it, otherwise the
 * one that mounts the most of the kinds still waiting (then the smallest, listed first). */
function bundleFor(name, kinds) {
  const chosen = [...loaded.keys()].find((bundle) => bundle.elements.includes(name));
  if (chosen) return chosen;
  const covering = BUNDLES.filter((bundle) => bundle.elements.includes(name));
  const score = (bundle) => bundle.elements.filter((kind) => kinds.has(kind)).length;
  return covering.reduce((best, bundle) => (score(bundle) > score(best) ? bundle : best));
}

function plan() {
  const elements = [...waiting];
  waiting.clear();
  const kinds = new Set(elements.map((element) => element.localName));
  for (const element of elements) {
    const bundle = bundleFor(element.localName, kinds);
    load(bundle);
    stylesheet(bundle);
    if (ELEMENTS[element.localName].reads && WASM_WORKS) {
      fetchAhead(`${apiOf(element)}/v1/catalog`);
    }
    element._choose(bundle);
  }
}

function emit(element, name, detail) {
  element.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true, detail }));
}

function paragraph(role, lines) {
  const p = document.createElement("p");
  p.setAttribute("role", role);
  p.className = "guanai-message";
  lines.forEach((line, index) => {
    if (index > 0) p.append(document.createElement("br"));
    p.append(line);
  });
  return p;
}

class GuanaiElement extends HTMLElement {
  static get observedAttributes() {
    return OBSERVED;
  }

  connectedCallback() {
    if (this._widget || this._mounting) return;
    this._mounting = true;
    this._changed = new Set();
    const kind = ELEMENTS[this.localName];
    if (!waiting.size) queueMicrotask(plan);
    waiting.add(this);
    // `plan` chooses the bundle once every element of this task has connected.
    const bundle = new Promise((resolve) => (this._choose = resolve));
    const shadow = this.shadowRoot ?? this.attachShadow({ mode: "open" });
    // The reserved box: set through the CSSOM, which a strict style-src allows.
    const box = document.createElement("div");
    box.setAttribute("part", "box");
    box.style.setProperty("display", "block");
    box.style.setProperty("min-height", `var(--guanai-reserve, ${kind.reserve})`);
    const english = (this.getAttribute("lang") ?? "").toLowerCase().startsWith("en");
    box.append(document.createElement("slot"), paragraph("status", [LOADING[english ? "en" : "zh-CN"]]));
    shadow.replaceChildren(box);
    bundle
      .then((bundle) => Promise.all([load(bundle), stylesheet(bundle), bundle]))
      .then(async ([glue, sheet, bundle]) => {
        if (!this.isConnected) {
          this._mounting = false;
          return;
        }
        const root = document.createElement("div");
        if (sheet) {
          shadow.adoptedStyleSheets = [sheet];
        } else {
          const link = document.createElement("link");
          link.rel = "stylesheet";
          link.href = new URL(bundle.css, BUNDLE).href;
          link.integrity = bundle.integrity.css;
          link.crossOrigin = "anonymous";
          const linked = new Promise((resolve) => {
            link.onload = link.onerror = resolve;
          });
          shadow.prepend(link);
          await linked;
        }
        // Each element mounts in a task of its own, so the page can paint and answer input
        // between them (a phone's CPU takes tens of milliseconds per widget).
        await new Promise((resolve) => setTimeout(resolve));
        if (!this.isConnected) {
          this._mounting = false;
          return;
        }
        const widget = glue[kind.mount](this, root, DEFAULT_API);
        this._mounting = false;
        if (!this.isConnected || this._widget) {
          widget.unmount();
          widget.free();
          return;
        }
        box.replaceChildren(root);
        this._widget = widget;
        // Attributes changed while the element's code was loading.
        for (const name of this._changed) widget.set_attribute(name, this.getAttribute(name));
      })
      .catch((error) => {
        this._mounting = false;
        const unsupported = error instanceof Unsupported;
        console.error("guanai: the widget could not be loaded", error);
        const message = paragraph("alert", unsupported ? UNSUPPORTED : LOAD_FAILED);
        box.replaceChildren(document.createElement("slot"), message);
        // With nothing of the host's own to fall back on, point to the plain catalogue.
        if (kind.shows && !this.childElementCount && !this.textContent.trim()) {
          const link = document.createElement("a");
          link.href = `${apiOf(this)}/catalog${english ? "?lang=en" : ""}`;
          link.textContent = CATALOGUE_LINK[english ? 1 : 0];
          message.after(link);
        }
        emit(this, "guanai:error", {
          code: unsupported ? "unsupported" : "load_failed",
          version: VERSION,
        });
      });
  }

  disconnectedCallback() {
    // Moving an element disconnects and reconnects it in one task: unmount only if it stays out.
    queueMicrotask(() => {
      if (this.isConnected || !this._widget) return;
      const widget = this._widget;
      this._widget = null;
      widget.unmount();
      widget.free();
      this.shadowRoot?.replaceChildren();
    });
  }

  attributeChangedCallback(name, oldValue, newValue) {
    if (oldValue === newValue) return;
    if (this._widget) this._widget.set_attribute(name, newValue);
    else this._changed?.add(name);
  }
}

for (const [name, { mount }] of Object.entries(ELEMENTS)) {
  if (!customElements.get(name)) {
    customElements.define(name, class extends GuanaiElement {
      static mountFunction = mount;
    });
  }
}
