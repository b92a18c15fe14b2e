// End to end: the demo command's stack (page → proxy in workerd → sandbox) driven
// in headless Chromium by playwright-core. A screenshot of the completed checkout
// is saved to test-output/e2e/checkout.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { request as httpRequest } from "node:http";
import { mkdirSync } from "node:fs";
import { createInterface } from "node:readline";
import { launchChromium } from "./chromium.mjs";
import { CANARY, DIGITS, leaks } from "./canary.mjs";

const root = new URL("../../", import.meta.url);
const outDir = new URL("test-output/e2e/", root).pathname;
let demo;
let base;
let browser;
let page;
const logs = [];
const proxyRequests = [];
const proxyResponses = [];

before(async () => {
  mkdirSync(outDir, { recursive: true });
  demo = spawn(process.execPath, ["scripts/demo-server.mjs"], { cwd: root.pathname, env: { ...process.env, PORT: "0" }, stdio: ["ignore", "pipe", "pipe"] });
  process.once("exit", () => demo.kill("SIGKILL"));
  createInterface({ input: demo.stderr }).on("line", (l) => logs.push(l));
  base = await new Promise((resolve, reject) => {
    createInterface({ input: demo.stdout }).on("line", (l) => {
      logs.push(l);
      const m = l.match(/demo checkout: (http:\/\/\S+)/);
      if (m) resolve(m[1]);
    });
    demo.once("exit", (code) => reject(new Error(`demo exited ${code}: ${logs.join("\n")}`)));
  });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 900, height: 1400 } });
  page.on("pageerror", (e) => logs.push(`pageerror: ${e.message}\n${e.stack}`));
  page.on("console", (m) => logs.push(`console.${m.type()}: ${m.text()}`));
  page.on("request", (r) => r.url().includes("/iamport/") && proxyRequests.push(r.postData() ?? ""));
  page.on("response", (r) => {
    if (r.url().includes("/iamport/")) proxyResponses.push(r.text().then((t) => `${r.status()} ${JSON.stringify(r.headers())}\n${t}`, () => ""));
  });
  await page.goto(base);
  await page.waitForSelector("body[data-ready=true]", { timeout: 15000 });
});

after(async () => {
  await browser?.close();
  if (demo && demo.exitCode === null) {
    const exited = new Promise((r) => demo.once("exit", r));
    demo.kill("SIGINT");
    await exited;
  }
});

// The fields live in <keyin-card-form>'s open shadow root (playwright's CSS selectors
// reach into it; page scripts go through shadowRoot).
const value = () => page.inputValue("#card_number");
const caret = () => page.evaluate(() => document.getElementById("card").shadowRoot.getElementById("card_number").selectionStart);
const setCaret = (n) => page.evaluate((n) => document.getElementById("card").shadowRoot.getElementById("card_number").setSelectionRange(n, n), n);
const result = () => page.textContent("#result");
const count = (uid) => page.evaluate((uid) => fetch(`/sandbox/__sandbox/payments/count/${uid}`).then((r) => r.json()).then((r) => r.count), uid);

async function clearCard() {
  await page.fill("#card_number", "");
  await page.dispatchEvent("#card_number", "input");
}

async function fillCard(number, { expiry = "12/30", birth = "820213", pwd = "12" } = {}) {
  await clearCard();
  await page.click("#card_number");
  await page.keyboard.type(number);
  await page.fill("#expiry", expiry);
  await page.fill("#birth", birth);
  if (pwd !== null) await page.fill("#pwd_2digit", pwd);
}

/** Clicks a flow button and waits for the honest outcome. */
async function submit(button) {
  await page.evaluate(() => { delete document.getElementById("result").dataset.status; });
  await page.click(button);
  await page.waitForFunction(() => ["paid", "failed", "unknown", "error", "saved"].includes(document.getElementById("result").dataset.status), null, { timeout: 20000 });
  return { status: await page.getAttribute("#result", "data-status"), text: await result() };
}

test("typing keeps the caret beside the same digit", async () => {
  await clearCard();
  await page.click("#card_number");
  await page.keyboard.type("41111111");
  assert.equal(await value(), "4111 1111");
  assert.equal(await caret(), 9);
  // Insert in the middle: before the 3rd digit.
  await setCaret(2);
  await page.keyboard.type("9");
  assert.equal(await value(), "4191 1111 1");
  assert.equal(await caret(), 3);
  // Delete in the middle.
  await page.keyboard.press("Backspace");
  assert.equal(await value(), "4111 1111");
  assert.equal(await caret(), 2);
  // Backspace just after a group space deletes the digit before it.
  await setCaret(5);
  await page.keyboard.press("Backspace");
  assert.equal(await value(), "4111 111");
  assert.equal(await caret(), 3);
  // Paste in the middle (with dashes and spaces).
  await setCaret(4);
  await page.keyboard.insertText("22-33 ");
  assert.equal(await value(), "4111 2233 111");
  assert.equal(await caret(), 9);
  // Autofill replaces everything.
  await page.fill("#card_number", "378282246310005");
  await page.dispatchEvent("#card_number", "input");
  assert.equal(await value(), "3782 822463 10005");
  assert.equal(await page.textContent("#brand"), "amex");
});

test("brand badge knows domestic cards; errors only when no longer potentially valid", async () => {
  await fillCard("9410123412341237");
  assert.equal(await page.textContent("#brand"), "국내전용");
  await clearCard();
  await page.click("#card_number");
  await page.keyboard.type("4111 11");
  assert.equal(await page.textContent("#card_number-error"), "", "a partial number shows no error");
  await page.fill("#expiry", "13");
  await page.dispatchEvent("#expiry", "input");
  assert.notEqual(await page.textContent("#expiry-error"), "");
  assert.equal(await page.getAttribute("#expiry", "aria-invalid"), "true");
  assert.equal(await page.getAttribute("#expiry", "aria-describedby"), "expiry-error");
  assert.equal(await page.getAttribute("#card_number", "autocomplete"), "cc-number");
  assert.equal(await page.getAttribute("#card_number", "inputmode"), "numeric");
});

test("pay once: paid, and only the masked number is shown", async () => {
  await fillCard("4111111111111111");
  const r = await submit("#pay");
  assert.equal(r.status, "paid", r.text);
  assert.match(r.text, /411111\*{6}1111/);
  assert.equal(await value(), "", "the number is cleared after submit");
  assert.equal(await page.inputValue("#pwd_2digit"), "");
  // Nothing outside the test-card panel (which lists public test numbers) holds the number.
  const shown = await page.evaluate(() => {
    const panel = document.querySelector(".cards");
    const clone = document.body.cloneNode(true);
    clone.querySelector(".cards")?.remove();
    const inputs = [...document.querySelectorAll("input"), ...document.getElementById("card").shadowRoot.querySelectorAll("input")].map((i) => i.value).join(" ");
    return clone.textContent + inputs + (panel ? "" : "");
  });
  assert.ok(!shown.replace(/\s/g, "").includes("4111111111111111"), shown);
});

test("a decline is shown with its reason", async () => {
  await fillCard("4000000000000010");
  const r = await submit("#pay");
  assert.equal(r.status, "failed");
  assert.match(r.text, /한도금액 초과/);
});

test("committed, then the connection dropped: paid, exactly one payment", async () => {
  await fillCard("4000000000000069");
  const r = await submit("#pay");
  assert.equal(r.status, "paid", r.text);
  assert.match(r.text, /lookup/);
  const uid = r.text.match(/demo-once-[\w-]+/)[0];
  assert.equal(await count(uid), 1);
});

test("corporate card: business number, no PIN", async () => {
  await page.check("#corporate");
  assert.equal(await page.isVisible("#pwd_2digit"), false);
  await fillCard("5555555555554444", { birth: "116-82-00276", pwd: null });
  const r = await submit("#pay");
  assert.equal(r.status, "paid", r.text);
  await page.uncheck("#corporate");
});

test("save, charge the saved card, schedule three months and run them, delete", async () => {
  await fillCard("4111111111111111");
  let r = await submit("#pay-save");
  assert.equal(r.status, "paid", r.text);
  await page.waitForFunction(() => !document.getElementById("charge-saved").disabled);
  assert.match(await page.textContent("#saved-card"), /411111\*{6}1111/);
  r = await submit("#charge-saved");
  assert.equal(r.status, "paid", r.text);
  await fillCard("5555555555554444");
  r = await submit("#save");
  assert.equal(r.status, "saved", r.text);
  await page.waitForFunction(() => document.getElementById("saved-card").textContent.includes("4444"));
  r = await submit("#schedule");
  assert.equal(r.status, "saved", r.text);
  await page.waitForFunction(() => document.querySelectorAll("#schedules li").length === 3);
  await page.click("#run-month");
  await page.waitForFunction(() => document.querySelectorAll('#schedules li[data-status="paid"]').length === 1);
  await page.click("#run-month");
  await page.waitForFunction(() => document.querySelectorAll('#schedules li[data-status="paid"]').length === 2);
  await page.click("#run-month");
  await page.waitForFunction(() => document.querySelectorAll('#schedules li[data-status="paid"]').length === 3);
  await page.screenshot({ path: `${outDir}checkout.png`, fullPage: true });
  r = await submit("#delete-saved");
  assert.equal(r.status, "saved");
  await page.waitForFunction(() => document.getElementById("charge-saved").disabled);
});

test("the ko/en switch", async () => {
  await page.click('[data-lang="en"]');
  assert.equal(await page.textContent("h1"), "Card details");
  assert.equal(await page.getAttribute("html", "lang"), "en");
  // One PIN digit, then on to the next field: the blur names the error, in the page's language.
  await page.fill("#pwd_2digit", "1");
  await page.focus("#card_number");
  const en = await page.textContent("#pwd_2digit-error");
  assert.match(en, /^[A-Z][a-z]/);
  assert.doesNotMatch(en, /[가-힣]/);
  assert.equal(await page.textContent("label[for=card_number]"), "Card number");
  await page.click('[data-lang="ko"]');
  assert.equal(await page.textContent("h1"), "카드 정보 입력");
  assert.match(await page.textContent("#pwd_2digit-error"), /[가-힣]/);
  assert.equal(await page.textContent("label[for=card_number]"), "카드번호");
  await page.fill("#pwd_2digit", "");
  assert.deepEqual(logs.filter((l) => l.startsWith("pageerror")), []);
});

test("canary: card data goes only into the requests to the proxy; the page, its console, the answers and the server logs hold none", async () => {
  await page.click('[data-lang="en"]');
  await fillCard(CANARY.card, { birth: CANARY.birth, pwd: CANARY.pin });
  let r = await submit("#pay");
  assert.equal(r.status, "paid", r.text);
  assert.match(r.text, /540987\*{6}4828/);
  await fillCard(CANARY.card, { birth: CANARY.birth, pwd: CANARY.pin }); // the page clears the fields after a charge
  r = await submit("#pay-save");
  assert.equal(r.status, "paid", r.text);
  r = await submit("#charge-saved");
  assert.equal(r.status, "paid", r.text);
  // Refused in the page: bad check digit, bad birth, bad PIN, with the canaries typed.
  await fillCard(DIGITS.slice(0, 15) + "9", { birth: "881314", pwd: CANARY.pin + "x" });
  await page.click("#pay");
  await page.waitForFunction(() => document.getElementById("card").shadowRoot.getElementById("card_number-error").textContent !== "");
  const dom = await page.evaluate(() => document.body.innerText);
  const responses = await Promise.all(proxyResponses);
  await page.click('[data-lang="ko"]');
  const texts = [["page text", dom], ...responses.map((t) => ["proxy answer", t]), ...logs.map((l) => ["demo logs/console", l])];
  const found = texts.flatMap(([where, t]) => leaks(t).map((l) => `${where}: ${l}`));
  assert.deepEqual(found, []);
  // The capture is real: the requests to the proxy did carry the card, and the server logged.
  assert.ok(proxyRequests.some((b) => leaks(b).includes("card number (middle digits)")), "the card went to the proxy");
  assert.ok(responses.length >= 3, `${responses.length} answers captured`);
  assert.ok(logs.some((l) => l.includes('"event":"request"')), "the proxy's log lines were captured");
});

/** A page of its own (its own cookie jar: its own session), loaded and ready. */
async function sessionPage() {
  const context = await browser.newContext({ viewport: { width: 900, height: 1400 } });
  const p = await context.newPage();
  p.on("pageerror", (e) => logs.push(`pageerror: ${e.message}`));
  await p.goto(base);
  await p.waitForSelector("body[data-ready=true]", { timeout: 15000 });
  return { page: p, context };
}

/** Fills the card form of page `p` and clicks `button`; waits for a paid outcome. */
async function payIn(p, number, button) {
  await p.fill("#card_number", number);
  await p.dispatchEvent("#card_number", "input");
  await p.fill("#expiry", "12/30");
  await p.fill("#birth", "820213");
  await p.fill("#pwd_2digit", "12");
  await p.evaluate(() => { delete document.getElementById("result").dataset.status; });
  await p.click(button);
  await p.waitForFunction(() => document.getElementById("result").dataset.status === "paid", null, { timeout: 20000 });
}

test("two sessions: B can neither charge, read, delete nor schedule A's stored key, nor read A's orders", async () => {
  const a = await sessionPage();
  const b = await sessionPage();
  try {
    // A saves a card and pays; the page never chose the customer_uid: the session did.
    await payIn(a.page, "4111111111111111", "#pay-save");
    const aOrder = (await a.page.textContent("#result")).match(/demo-once-[\w-]+/)[0];
    const aCustomer = await a.page.evaluate(() => fetch("/shop/session", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }).then((r) => r.json()).then((r) => r.customerUid));
    const bCustomer = await b.page.evaluate(() => fetch("/shop/session", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }).then((r) => r.json()).then((r) => r.customerUid));
    assert.notEqual(aCustomer, bCustomer);
    // B, with its own session cookie and its own orders, aims at A's key and orders.
    const attempts = await b.page.evaluate(async ({ aCustomer, aOrder }) => {
      const k = await import("/pkg/index.js");
      const client = new k.KeyinClient({ proxyUrl: "/iamport" });
      const order = (product, count = 1) => fetch("/shop/orders", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ product, count }) }).then((r) => r.json());
      const mine = await order("once");
      const monthly = await order("monthly");
      const code = (p) => p.then(() => "ALLOWED", (e) => e.code);
      return {
        charge: await code(client.payAgain({ customer_uid: aCustomer, merchant_uid: mine.merchantUids[0], amount: mine.amount, name: "x" })),
        read: await code(client.getBillingKey(aCustomer)),
        remove: await code(client.deleteBillingKey(aCustomer, "x")),
        schedule: await code(client.schedule({ customer_uid: aCustomer, schedules: [{ merchant_uid: monthly.merchantUids[0], schedule_at: Math.floor(Date.now() / 1000) + 86400 * 40, amount: monthly.amount }] })),
        readOrder: await code(client.findPayment(aOrder)),
        // An order id B made up, with a price B likes, on B's own customer:
        forged: await code(client.payAgain({ customer_uid: aCustomer.replace(/.$/, "x"), merchant_uid: "demo-once-AAAAAAAA-BBBBBBBBBBBB", amount: 1, name: "x" })),
      };
    }, { aCustomer, aOrder });
    assert.deepEqual(attempts, { charge: "FORBIDDEN", read: "FORBIDDEN", remove: "FORBIDDEN", schedule: "FORBIDDEN", readOrder: "FORBIDDEN", forged: "FORBIDDEN" });
    // A's key is still there, and A's page still works on it.
    await a.page.evaluate(() => { delete document.getElementById("result").dataset.status; });
    await a.page.click("#charge-saved");
    await a.page.waitForFunction(() => document.getElementById("result").dataset.status === "paid", null, { timeout: 20000 });
    // B's page works end to end on B's own key.
    await payIn(b.page, "5555555555554444", "#pay-save");
    await b.page.waitForFunction(() => document.getElementById("saved-card").textContent.includes("4444"));
    assert.match(await a.page.textContent("#saved-card"), /1111/, "A still sees A's card, not B's");
  } finally {
    await a.context.close();
    await b.context.close();
  }
});

/** A raw HTTP request to the demo front, with the Host and framing a test chooses. */
function raw(path, { method = "GET", headers = {}, chunks } = {}) {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, path, method, headers }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body }));
    });
    req.on("error", reject);
    for (const c of chunks ?? []) req.write(c);
    req.end();
  });
}

test("the demo server: checks Host, works at localhost, streams chunked bodies, refuses bad escapes", async () => {
  const { port } = new URL(base);
  // DNS rebinding: a hostile name resolving to 127.0.0.1 is refused before the proxy.
  const rebound = await raw("/iamport/payments/find/x", { headers: { host: `evil.example:${port}` } });
  assert.equal(rebound.status, 421);
  // localhost works as well as 127.0.0.1: a same-origin POST is not refused for its Origin.
  const session = await raw("/shop/session", { method: "POST", headers: { host: `localhost:${port}`, origin: `http://localhost:${port}`, "content-type": "application/json" }, chunks: ["{}"] });
  assert.equal(session.status, 200, session.body);
  const cookie = session.headers["set-cookie"][0].split(";")[0];
  const find = await raw("/iamport/payments/find/demo-once-AAAAAAAA-BBBBBBBBBBBB", { headers: { host: `localhost:${port}`, origin: `http://localhost:${port}`, cookie } });
  assert.equal(JSON.parse(find.body).error.code, "FORBIDDEN", "past the origin check, refused by authorize (not this session's order)");
  // A chunked POST (no Content-Length) is streamed through.
  const chunked = await raw("/shop/orders", { method: "POST", headers: { host: `127.0.0.1:${port}`, "content-type": "application/json", "transfer-encoding": "chunked", cookie }, chunks: ['{"product":', '"once"}'] });
  assert.equal(chunked.status, 200, chunked.body);
  assert.equal(JSON.parse(chunked.body).amount, 3000);
  // Malformed escapes: 400, never 500.
  for (const path of ["/pkg/%c0%ae%c0%ae/x", "/iamport/%zz", "/%E0%A4%A"]) {
    const r = await raw(path, { headers: { host: `127.0.0.1:${port}` } });
    assert.equal(r.status, 400, path);
  }
});
