// Guanai widgets — the one script a host page includes:
//   <script type="module" src="https://EDGE/guanai.js"></script>
//   <guanai-benefit-finder lang="zh-CN"></guanai-benefit-finder>
//
// Defines every element, loads the WebAssembly once per page when the first element connects,
// and reuses it for all elements. Each element renders into its own open shadow root styled by
// one shared constructed stylesheet (no inline <style>, so a strict host CSP still works; the
// host must allow 'wasm-unsafe-eval' in script-src and the edge in connect-src).
//
// `cargo xtask build` fills in the two content-hashed file names below.
const GLUE = "__GUANAI_GLUE__";
const WASM = "__GUANAI_WASM__";

// Where this script came from: the default for each element's `api` attribute.
const DEFAULT_API = new URL(".", import.meta.url).href.replace(/\/$/, "");

const ELEMENTS = {
  "guanai-benefit-finder": "mount_benefit_finder",
  "guanai-signup-form": "mount_signup_form",
  "guanai-partner-apply": "mount_partner_apply",
  "guanai-partner-map": "mount_partner_map",
};

const OBSERVED = [
  "api", "lang", "area", "region", "partner", "association",
  "tiles", "tiles-key", "tiles-crs", "tiles-attribution", "finder", "pick", "picked",
];

const LOAD_FAILED = "福利组件加载失败，请刷新页面重试。The widget could not be loaded; please reload the page.";

let loading;

/** Loads and initialises the wasm once; every element awaits the same promise. */
function load() {
  loading ??= import(new URL(GLUE, import.meta.url).href).then(async (glue) => {
    await glue.default({ module_or_path: new URL(WASM, import.meta.url) });
    let sheet = null;
    try {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(glue.stylesheet());
    } catch {
      sheet = null; // very old browsers: fall back to a <style> element below
    }
    return { glue, sheet };
  });
  return loading;
}

function emit(element, name, detail) {
  element.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true, detail }));
}

class GuanaiElement extends HTMLElement {
  static get observedAttributes() {
    return OBSERVED;
  }

  connectedCallback() {
    if (this._widget || this._mounting) return;
    this._mounting = true;
    const shadow = this.shadowRoot ?? this.attachShadow({ mode: "open" });
    load()
      .then(({ glue, sheet }) => {
        this._mounting = false;
        if (!this.isConnected || this._widget) return;
        const root = document.createElement("div");
        if (sheet && "adoptedStyleSheets" in shadow) {
          shadow.adoptedStyleSheets = [sheet];
          shadow.replaceChildren(root);
        } else {
          const style = document.createElement("style");
          style.textContent = glue.stylesheet();
          shadow.replaceChildren(style, root);
        }
        this._widget = glue[this.constructor.mountFunction](this, root, DEFAULT_API);
      })
      .catch((error) => {
        this._mounting = false;
        console.error("guanai: the widgets could not be loaded", error);
        const message = document.createElement("p");
        message.setAttribute("role", "alert");
        message.textContent = LOAD_FAILED;
        shadow.replaceChildren(message);
        emit(this, "guanai:error", { code: "load_failed" });
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
    if (oldValue !== newValue) this._widget?.set_attribute(name, newValue);
  }
}

for (const [name, mountFunction] of Object.entries(ELEMENTS)) {
  if (!customElements.get(name)) {
    customElements.define(name, class extends GuanaiElement {
      static mountFunction = mountFunction;
    });
  }
}
