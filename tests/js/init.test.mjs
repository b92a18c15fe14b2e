// init() of each browser entry (index.js and checks.js), in headless Chromium, for every
// input its typings take (pkg-template/facade.js `loader`): nothing (the .wasm beside the
// entry), a URL's text, a URL, a Request, a Response, a promise of one, the bytes (an
// ArrayBuffer, a Uint8Array), a compiled WebAssembly.Module; a wasm served with another
// MIME type (compiled from its bytes); a failed fetch, then a retry; and initSync with
// `{ module }` and with the bytes alone. Each case imports the entry afresh (a query
// string makes a new module: the bundles import nothing), so each starts uninitialised.
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serveStatic } from "../../scripts/static-server.mjs";
import { launchChromium } from "./chromium.mjs";

const root = new URL("../../", import.meta.url).pathname;
const ENTRIES = [
  { entry: "/pkg/index.js", wasm: "/pkg/iamport_keyin_bg.wasm", file: "pkg/iamport_keyin_bg.wasm" },
  { entry: "/pkg/checks.js", wasm: "/pkg/checks/iamport_keyin_bg.wasm", file: "pkg/checks/iamport_keyin_bg.wasm" },
];

test("init() takes every input its typings name, in Chromium, for both browser entries", async (t) => {
  // The same wasm files, served as application/octet-stream (not .wasm).
  const other = mkdtempSync(join(tmpdir(), "keyin-init-"));
  ENTRIES.forEach(({ file }, i) => copyFileSync(join(root, file), join(other, `entry${i}.bin`)));
  const server = await serveStatic({ "/pkg/": join(root, "pkg"), "/other/": other, "/": join(root, "tests/form") });
  const browser = await launchChromium();
  t.after(async () => {
    await browser.close();
    server.close();
    rmSync(other, { recursive: true, force: true });
  });
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/blank.html`);

  for (const [i, { entry, wasm }] of ENTRIES.entries()) {
    const results = await page.evaluate(
      async ({ entry, wasm, bin }) => {
        let fresh = 0;
        const load = () => import(`${entry}?case=${fresh++}`);
        const visa = (k) => k.checkCardNumber("4111 1111 1111 1111").brand;
        const absolute = new URL(wasm, location.href);
        const inputs = {
          nothing: () => undefined,
          "a URL's text": () => wasm,
          "a URL": () => absolute,
          "a Request": () => new Request(absolute),
          "a Response": () => fetch(wasm), // awaited below: the Response itself
          "a promise of a Response": () => fetch(wasm),
          "an ArrayBuffer": async () => (await fetch(wasm)).arrayBuffer(),
          "a Uint8Array": async () => new Uint8Array(await (await fetch(wasm)).arrayBuffer()),
          "a WebAssembly.Module": async () => WebAssembly.compile(await (await fetch(wasm)).arrayBuffer()),
          "another MIME type": () => bin,
        };
        const out = {};
        for (const [name, input] of Object.entries(inputs)) {
          const k = await load();
          try {
            let arg = input();
            if (name !== "a promise of a Response") arg = await arg;
            await k.init(arg);
            out[name] = visa(k);
          } catch (e) {
            out[name] = `threw ${e}`;
          }
        }
        // A failed fetch rejects, and a later call may try again.
        const k = await load();
        out["404"] = await k.init("/pkg/missing.wasm").then(() => "resolved", (e) => e.message);
        await k.init();
        out["after a 404"] = visa(k);
        out["init() once"] = k.init() === k.init();
        // initSync with `{ module }`, and with the bytes alone.
        const bytes = await (await fetch(wasm)).arrayBuffer();
        const a = await load();
        a.initSync({ module: bytes });
        out["initSync({ module })"] = visa(a);
        await a.init(); // resolves at once: already instantiated
        const b = await load();
        b.initSync(new Uint8Array(bytes));
        out["initSync(bytes)"] = visa(b);
        return out;
      },
      { entry, wasm, bin: `/other/entry${i}.bin` },
    );
    const { ["404"]: failed, ["init() once"]: once, ...answers } = results;
    for (const [name, answer] of Object.entries(answers)) assert.equal(answer, "visa", `${entry}, ${name}: ${answer}`);
    assert.match(failed, /failed to fetch the wasm: 404/, entry);
    assert.equal(once, true, entry);
  }
});
