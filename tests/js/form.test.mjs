// <keyin-card-form> in headless Chromium (playwright-core) and Firefox ESR (WebDriver,
// through geckodriver): the same scenarios in both, on the real package (pkg/) served
// as a merchant's page would load it. Screenshots go to test-output/.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serveStatic } from "../../scripts/static-server.mjs";
import { launchChromium } from "./chromium.mjs";

const root = new URL("../../", import.meta.url).pathname;
const OUT = join(root, "test-output");
mkdirSync(OUT, { recursive: true });
const AXE = readFileSync(join(root, "node_modules/axe-core/axe.min.js"), "utf8");

let server;
let base;
before(async () => {
  server = await serveStatic({ "/pkg/": join(root, "pkg"), "/": join(root, "tests/form") });
  base = `http://127.0.0.1:${server.address().port}/`;
});
after(() => server?.close());

// ---- drivers: the same small interface over playwright (Chromium) and WebDriver (Firefox)

async function chromiumDriver() {
  const browser = await launchChromium();
  const page = await browser.newPage();
  const cdp = await page.context().newCDPSession(page);
  return {
    name: "chromium",
    async goto(query = "") {
      await page.goto(base + query);
      await page.waitForFunction(() => window.__ready === true);
    },
    eval: (fn, ...args) => page.evaluate(({ src, args }) => new Function(`return (${src})(...arguments)`)(...args), { src: fn.toString(), args }),
    type: (text) => page.keyboard.type(text),
    press: (key) => page.keyboard.press(key),
    // As an Android IME sends text: composition, then the committed text, no key events.
    async compose(text) {
      await cdp.send("Input.imeSetComposition", { text, selectionStart: text.length, selectionEnd: text.length });
      await cdp.send("Input.insertText", { text });
    },
    insertText: (text) => cdp.send("Input.insertText", { text }),
    async screenshot(name) {
      await page.evaluate(redact);
      await page.locator("keyin-card-form").screenshot({ path: join(OUT, `form-${name}.png`) });
    },
    close: () => browser.close(),
  };
}

const freePort = () =>
  new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

async function firefoxDriver() {
  const port = await freePort();
  const gecko = spawn(process.env.GECKODRIVER ?? "geckodriver", ["--port", String(port), "--host", "127.0.0.1"], { stdio: "ignore" });
  process.once("exit", () => gecko.kill("SIGKILL"));
  const wd = `http://127.0.0.1:${port}`;
  const call = async (method, path, body) => {
    const res = await fetch(wd + path, { method, headers: { "content-type": "application/json" }, body: body ? JSON.stringify(body) : undefined });
    const j = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${JSON.stringify(j.value).slice(0, 400)}`);
    return j.value;
  };
  for (let i = 0; ; i++) {
    try {
      await call("GET", "/status");
      break;
    } catch (e) {
      if (i > 100) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const profile = mkdtempSync(join(tmpdir(), "keyin-ff-"));
  const session = await call("POST", "/session", {
    capabilities: {
      alwaysMatch: {
        browserName: "firefox",
        "moz:firefoxOptions": { binary: process.env.FIREFOX ?? "/usr/bin/firefox-esr", args: ["-headless", "-profile", profile], prefs: { "network.proxy.type": 0 } },
      },
    },
  });
  const s = `/session/${session.sessionId}`;
  const KEYS = { Backspace: "\uE003", Delete: "\uE017", Tab: "\uE004" };
  const keys = (values) =>
    call("POST", `${s}/actions`, {
      actions: [{ type: "key", id: "kbd", actions: values.flatMap((v) => [{ type: "keyDown", value: v }, { type: "keyUp", value: v }]) }],
    });
  const evaluate = (fn, ...args) => call("POST", `${s}/execute/async`, { script: `const done = arguments[arguments.length - 1]; Promise.resolve((${fn})(...Array.from(arguments).slice(0, -1))).then(done, (e) => done({ __error: String(e) }));`, args }).then((v) => {
    if (v && v.__error) throw new Error(v.__error);
    return v;
  });
  return {
    name: "firefox",
    async goto(query = "") {
      await call("POST", `${s}/url`, { url: base + query });
      await evaluate(() => new Promise((resolve) => { const t = setInterval(() => window.__ready && (clearInterval(t), resolve()), 20); }));
    },
    eval: evaluate,
    type: (text) => keys([...text]),
    press: (key) => keys([KEYS[key]]),
    // WebDriver has no IME: the events an Android IME produces, dispatched as it would.
    compose: (text) => evaluate(imeInsert, text, true),
    insertText: (text) => evaluate(imeInsert, text, false),
    async screenshot(name) {
      await evaluate(redact);
      const png = await call("GET", `${s}/screenshot`);
      const { writeFileSync } = await import("node:fs");
      writeFileSync(join(OUT, `form-${name}.png`), Buffer.from(png, "base64"));
    },
    async close() {
      await call("DELETE", s).catch(() => {});
      gecko.kill();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

// In the page: what an IME does to the focused field, without a key event.
function imeInsert(text, composing) {
  const el = document.querySelector("keyin-card-form").shadowRoot.activeElement;
  const at = el.selectionStart;
  const fire = (type, init) => el.dispatchEvent(new InputEvent(type, { bubbles: true, composed: true, ...init }));
  if (composing) el.dispatchEvent(new CompositionEvent("compositionstart", { bubbles: true, data: "" }));
  fire("beforeinput", { inputType: composing ? "insertCompositionText" : "insertText", data: text, isComposing: composing });
  el.setRangeText(text, at, el.selectionEnd, "end");
  fire("input", { inputType: composing ? "insertCompositionText" : "insertText", data: text, isComposing: composing });
  if (composing) el.dispatchEvent(new CompositionEvent("compositionend", { bubbles: true, data: text }));
}

// Screenshots show the look, not the data: the number and the birth date are blurred
// (only public test values are typed, but no card data is kept in an artifact).
function redact() {
  if (document.getElementById("redact")) return;
  const style = document.createElement("style");
  style.id = "redact";
  style.textContent = "keyin-card-form::part(input-card_number), keyin-card-form::part(input-birth) { color: transparent; text-shadow: 0 0 7px rgba(0, 0, 0, 0.6); }";
  document.head.append(style);
}

// ---- page helpers (run in the page)

function focusField(id, caret) {
  const el = document.querySelector("keyin-card-form").shadowRoot.getElementById(id);
  el.focus();
  if (caret !== undefined) el.setSelectionRange(caret, caret);
}
function field(id) {
  const root = document.querySelector("keyin-card-form").shadowRoot;
  const el = root.getElementById(id);
  const errorId = el.getAttribute("aria-describedby");
  return {
    value: el.value,
    caret: el.selectionStart,
    focused: root.activeElement === el,
    invalid: el.getAttribute("aria-invalid"),
    error: root.getElementById(errorId)?.textContent ?? null,
    label: root.querySelector(`label[for="${id}"]`)?.textContent ?? null,
    hidden: el.closest("[hidden]") !== null,
  };
}
function formValue() {
  return document.querySelector("keyin-card-form").value;
}
// Every attribute in the document and the form's shadow root, the events, and the
// element's own properties: where card data must never be.
function observable() {
  const form = document.querySelector("keyin-card-form");
  const attrs = [];
  for (const el of [...document.querySelectorAll("*"), ...form.shadowRoot.querySelectorAll("*")]) {
    for (const a of el.attributes) attrs.push(`${a.name}=${a.value}`);
  }
  const own = Object.getOwnPropertyNames(form).map((k) => `${k}=${String(form[k])}`);
  return JSON.stringify({ attrs, events: window.__events, own, text: form.shadowRoot.textContent });
}
// Fires an edit the way paste or autofill delivers it: the value changed, then `input`.
function deliver(id, text, inputType) {
  const el = document.querySelector("keyin-card-form").shadowRoot.getElementById(id);
  el.focus();
  el.value = "";
  el.setRangeText(text, 0, 0, "end");
  el.dispatchEvent(new InputEvent("input", { bubbles: true, composed: true, ...(inputType ? { inputType } : {}) }));
}

const FULL = "4111111111111111";

// ---- the scenarios, run in each browser

const scenarios = {
  async "typing key by key: formatted as typed, focus moves on, .value is wire-ready"(d) {
    await d.goto();
    await d.eval(focusField, "card_number");
    await d.type("41111");
    assert.deepEqual(await d.eval(field, "card_number").then((f) => [f.value, f.caret]), ["4111 1", 6]);
    await d.screenshot(`${d.name}-typing-ko`);
    await d.type("11111111111");
    let f = await d.eval(field, "card_number");
    assert.equal(f.value, "4111 1111 1111 1111");
    assert.equal(f.focused, false, "a complete, valid number moves focus on");
    assert.equal((await d.eval(field, "expiry")).focused, true);
    await d.type("1230");
    assert.equal((await d.eval(field, "expiry")).value, "12/30");
    assert.equal((await d.eval(field, "birth")).focused, true);
    await d.type("820213");
    assert.equal((await d.eval(field, "pwd_2digit")).focused, true);
    await d.type("12");
    assert.deepEqual(await d.eval(formValue), { card_number: "4111-1111-1111-1111", expiry: "2030-12", birth: "820213", pwd_2digit: "12" });
    const events = await d.eval(() => window.__events);
    const complete = events.filter((e) => e.type === "keyin-complete");
    assert.equal(complete.length, 1);
    assert.deepEqual(Object.keys(complete[0].detail).sort(), ["brand", "complete", "empty", "errors"]);
    assert.deepEqual(complete[0].detail, { complete: true, brand: "visa", errors: [], empty: false });
    await d.screenshot(`${d.name}-complete-ko`);
    // The canary: no card data anywhere but the inputs' values.
    const seen = await d.eval(observable);
    // (The message names the value by its position: a failure must not print card data.)
    for (const [i, secret] of [FULL, "4111 1111", "1111", "820213", "2030-12", "12/30"].entries()) assert.ok(!seen.includes(secret), `canary value #${i} is observable`);
    // reset() clears everything.
    await d.eval(() => document.querySelector("keyin-card-form").reset());
    assert.deepEqual(await d.eval(formValue), { card_number: "", expiry: "", birth: "", pwd_2digit: "" });
    const last = await d.eval(() => window.__events.at(-1).detail);
    assert.deepEqual(last, { complete: false, brand: null, errors: [], empty: true });
  },

  async "an IME's insertText and composition, with no keydown at all"(d) {
    await d.goto();
    await d.eval(focusField, "card_number");
    await d.eval(() => (window.__keydowns = 0));
    await d.compose("4111");
    await d.insertText("11");
    await d.compose("1111");
    let f = await d.eval(field, "card_number");
    assert.deepEqual([f.value, f.caret], ["4111 1111 11", 12]);
    await d.insertText("111111");
    f = await d.eval(field, "card_number");
    assert.equal(f.value, "4111 1111 1111 1111");
    assert.equal((await d.eval(field, "expiry")).focused, true);
    await d.compose("1230");
    assert.equal((await d.eval(field, "expiry")).value, "12/30");
    assert.equal(await d.eval(() => window.__keydowns), 0);
  },

  async "paste and autofill are formatted"(d) {
    await d.goto();
    for (const [i, pasted] of ["4111-1111-1111-1111", " 4111 1111 1111 1111 "].entries()) {
      await d.eval(deliver, "card_number", pasted, "insertFromPaste");
      assert.equal((await d.eval(field, "card_number")).value, "4111 1111 1111 1111", `paste #${i}`);
    }
    // Autofill: the value set, then an input event with no inputType.
    await d.eval(deliver, "card_number", "5555555555554444", undefined);
    assert.equal((await d.eval(field, "card_number")).value, "5555 5555 5555 4444");
    await d.eval(deliver, "expiry", "12/30", undefined);
    assert.equal((await d.eval(field, "expiry")).value, "12/30");
    await d.eval(deliver, "expiry", "4", "insertFromPaste");
    assert.equal((await d.eval(field, "expiry")).value, "04");
  },

  async "backspace and delete over separators, the caret checked after each step"(d) {
    await d.goto();
    await d.eval(focusField, "card_number");
    await d.type("41112222");
    const at = async () => d.eval(field, "card_number").then((f) => [f.value, f.caret]);
    assert.deepEqual(await at(), ["4111 2222", 9]);
    // Backspace just after the space: the 1 before it goes.
    await d.eval(focusField, "card_number", 5);
    await d.press("Backspace");
    assert.deepEqual(await at(), ["4112 222", 3]);
    // Delete just before the space: the digit after it goes.
    await d.eval(focusField, "card_number", 4);
    await d.press("Delete");
    assert.deepEqual(await at(), ["4112 22", 4]);
    // Backspace at the end, over the last digit and then the group's edge.
    await d.eval(focusField, "card_number", 7);
    await d.press("Backspace");
    assert.deepEqual(await at(), ["4112 2", 6]);
    await d.press("Backspace");
    assert.deepEqual(await at(), ["4112", 4]);
    // The expiry's slash.
    await d.eval(focusField, "expiry");
    await d.type("123");
    assert.deepEqual(await d.eval(field, "expiry").then((f) => [f.value, f.caret]), ["12/3", 4]);
    await d.eval(focusField, "expiry", 3);
    await d.press("Backspace");
    assert.deepEqual(await d.eval(field, "expiry").then((f) => [f.value, f.caret]), ["13", 1]);
  },

  async "errors: while typing only what can no longer be valid; on blur every error; back on Backspace"(d) {
    await d.goto();
    await d.eval(focusField, "expiry");
    await d.type("13");
    let e = await d.eval(field, "expiry");
    assert.equal(e.invalid, "true", "month 13 can never be valid: shown while typing");
    assert.ok(e.error.length > 0);
    await d.press("Backspace");
    await d.press("Backspace");
    e = await d.eval(field, "expiry");
    assert.deepEqual([e.value, e.invalid, e.error], ["", "false", ""]);
    // A complete but wrong number: quiet while typing, named on blur.
    await d.eval(focusField, "card_number");
    await d.type("4111111111111112");
    let c = await d.eval(field, "card_number");
    assert.deepEqual([c.invalid, c.error, c.focused], ["false", "", true], "not complete: no move, no error yet");
    await d.screenshot(`${d.name}-typing-wrong-ko`);
    await d.eval(focusField, "expiry");
    c = await d.eval(field, "card_number");
    assert.equal(c.invalid, "true");
    assert.match(c.error, /카드/);
    await d.screenshot(`${d.name}-error-ko`);
    // Backspace in the empty expiry goes back to the number, caret at its end.
    await d.press("Backspace");
    c = await d.eval(field, "card_number");
    assert.deepEqual([c.focused, c.caret], [true, c.value.length]);
    // validate() shows every error, the empty fields' too.
    const v = await d.eval(() => document.querySelector("keyin-card-form").validate());
    assert.equal(v.isValid, false);
    assert.deepEqual(v.errors.map((x) => x.field).sort(), ["birth", "card_number", "expiry", "pwd_2digit"]);
    for (const id of ["expiry", "birth", "pwd_2digit"]) assert.equal((await d.eval(field, id)).invalid, "true", id);
    const seen = await d.eval(observable);
    assert.ok(!seen.includes("4111111111111112") && !seen.includes("1112"), "no digits in errors or events");
  },

  async "the corporate toggle: a business number, no PIN"(d) {
    await d.goto();
    await d.eval(() => document.querySelector("keyin-card-form").shadowRoot.getElementById("corporate").click());
    assert.equal(await d.eval(() => document.querySelector("keyin-card-form").corporate), true);
    const b = await d.eval(field, "birth");
    assert.equal(b.label, "사업자등록번호");
    assert.equal((await d.eval(field, "pwd_2digit")).hidden, true);
    await d.eval(focusField, "card_number");
    await d.type(`${FULL}1230`);
    assert.equal((await d.eval(field, "birth")).focused, true);
    await d.type("1168200276");
    assert.equal((await d.eval(field, "birth")).value, "116-82-00276");
    assert.deepEqual(await d.eval(formValue), { card_number: "4111-1111-1111-1111", expiry: "2030-12", birth: "1168200276" });
    const events = await d.eval(() => window.__events.filter((e) => e.type === "keyin-complete"));
    assert.equal(events.length, 1);
    await d.screenshot(`${d.name}-corporate-ko`);
  },

  async "ko and en: labels and the package's messages follow the locale"(d) {
    await d.goto("?locale=en");
    assert.equal((await d.eval(field, "card_number")).label, "Card number");
    await d.screenshot(`${d.name}-empty-en`);
    await d.eval(focusField, "card_number");
    await d.type("4111111111111112");
    await d.screenshot(`${d.name}-typing-en`);
    await d.eval(focusField, "expiry");
    const en = (await d.eval(field, "card_number")).error;
    assert.match(en, /[A-Za-z]/);
    assert.doesNotMatch(en, /[가-힣]/);
    await d.screenshot(`${d.name}-error-en`);
    await d.eval(() => document.querySelector("keyin-card-form").setAttribute("locale", "ko"));
    const ko = await d.eval(field, "card_number");
    assert.equal(ko.label, "카드번호");
    assert.match(ko.error, /[가-힣]/);
    await d.eval(() => document.querySelector("keyin-card-form").setAttribute("locale", "en"));
    await d.eval(() => document.querySelector("keyin-card-form").reset());
    await d.eval(focusField, "card_number");
    await d.type(`${FULL}1230820213` + "12");
    await d.screenshot(`${d.name}-complete-en`);
    await d.goto();
    await d.screenshot(`${d.name}-empty-ko`);
  },

  async "disabled, and focus() on the card number"(d) {
    await d.goto();
    await d.eval(() => document.querySelector("keyin-card-form").focus());
    assert.equal((await d.eval(field, "card_number")).focused, true);
    await d.eval(() => (document.querySelector("keyin-card-form").disabled = true));
    const disabled = await d.eval(() => [...document.querySelector("keyin-card-form").shadowRoot.querySelectorAll("input")].map((i) => i.disabled));
    assert.deepEqual(disabled, [true, true, true, true, true]);
    assert.equal(await d.eval(() => document.querySelector("keyin-card-form").hasAttribute("disabled")), true);
    await d.eval(() => document.querySelector("keyin-card-form").removeAttribute("disabled"));
    await d.eval(focusField, "card_number");
    await d.type("4111");
    assert.equal((await d.eval(field, "card_number")).value, "4111");
  },

  async "axe-core finds no accessibility violation, empty and with errors"(d) {
    await d.goto();
    await d.eval(new Function("src", "(0, eval)(src)"), AXE);
    const run = () => window.axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`));
    assert.deepEqual(await d.eval(run), []);
    await d.eval(() => document.querySelector("keyin-card-form").validate());
    assert.deepEqual(await d.eval(run), []);
  },
};

for (const [browser, make] of [["chromium", chromiumDriver], ["firefox", firefoxDriver]]) {
  for (const [name, run] of Object.entries(scenarios)) {
    test(`${browser}: ${name}`, async () => {
      const d = await make();
      try {
        await run(d);
      } finally {
        await d.close();
      }
    });
  }
}
