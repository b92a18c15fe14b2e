// The package as a consumer gets it: `npm pack` of pkg/, installed from the tarball
// into a fresh project, then used from plain Node ESM, type-checked by tsc, and
// bundled by Vite and run in headless Chromium.
import { test, before } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import { serveStatic } from "../../scripts/static-server.mjs";
import { launchChromium } from "./chromium.mjs";

const root = fileURLToPath(new URL("../../", import.meta.url));
const out = join(root, "test-output", "consumer");
const bin = (name) => join(root, "node_modules", ".bin", name);
const run = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

let tarball;
before(() => {
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", out, join(root, "pkg")], root));
  tarball = packed[0];
  cpSync(join(root, "tests", "consumer"), out, { recursive: true });
  writeFileSync(join(out, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", `./${tarball.filename}`], out);
});

test("the tarball holds exactly the published files", () => {
  const files = tarball.files.map((f) => f.path).sort();
  assert.deepEqual(files, [
    "README.md",
    "checks.d.ts",
    "checks.js",
    "checks/iamport_keyin.d.ts",
    "checks/iamport_keyin.js",
    "checks/iamport_keyin_bg.wasm",
    "checks/iamport_keyin_bg.wasm.d.ts",
    "clients.js",
    "deno.js",
    "drive.js",
    "edge-light.js",
    "facade.js",
    "fast.js",
    "form.d.ts",
    "form.js",
    "iamport_keyin.d.ts",
    "iamport_keyin.js",
    "iamport_keyin_bg.wasm",
    "iamport_keyin_bg.wasm.d.ts",
    "index.d.ts",
    "index.js",
    "limiter.js",
    "node.js",
    "package.json",
    "ready.js",
    "realm.js",
    "server.js",
    "server/iamport_keyin.d.ts",
    "server/iamport_keyin.js",
    "server/iamport_keyin_bg.wasm",
    "server/iamport_keyin_bg.wasm.d.ts",
    "workerd.js",
  ]);
});

test("plain Node ESM: the node export initialises on import", async () => {
  const keyin = await import(join(out, "node-entry.mjs"));
  await keyin.default(); // init() is a no-op here
  await keyin.init();
  const c = keyin.checkCardNumber("5555 5555 5555 4444");
  assert.equal(c.brand, "mastercard");
  assert.equal(c.isValid, true);
  assert.equal(keyin.checkExpiry("2028-12", { today: "2026-11-28" }).value, "2028-12");
  // The resolved file is the installed package's node.js, not the workspace's pkg/.
  const resolved = run(process.execPath, ["--input-type=module", "-e", 'console.log(import.meta.resolve("iamport-keyin"))'], out).trim();
  assert.match(resolved, /consumer\/node_modules\/iamport-keyin\/node\.js$/);
});

test("wrangler deploy --dry-run bundles www/worker offline through the workerd export", () => {
  const dir = join(out, "worker");
  cpSync(join(root, "www", "worker"), dir, { recursive: true });
  cpSync(join(out, "node_modules"), join(dir, "node_modules"), { recursive: true });
  const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", CI: "true" };
  try {
    execFileSync(bin("wrangler"), ["deploy", "--dry-run", "--outdir", "dist"], { cwd: dir, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    assert.fail(`wrangler failed:\n${e.stdout}${e.stderr}`);
  }
  const files = readdirSync(join(dir, "dist"));
  assert.ok(files.some((f) => f.endsWith(".wasm")), `the wasm is a module of the bundle: ${files}`);
  const bundle = readdirSync(join(dir, "dist")).filter((f) => f.endsWith(".js")).map((f) => readFileSync(join(dir, "dist", f), "utf8")).join("\n");
  assert.ok(bundle.includes("createProxy"), "the proxy is in the bundle");
  assert.ok(bundle.includes("KeyinLimiter"), "the card-testing Durable Object is exported");
  assert.ok(!bundle.includes("readFileSync"), "the node entry was not picked");
});

test("tsc --noEmit accepts the contract and rejects misuse", () => {
  try {
    run(bin("tsc"), ["--noEmit", "-p", "tsconfig.json"], out);
  } catch (e) {
    assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
});

test("Vite bundle runs in headless Chromium through the default export", async (t) => {
  run(bin("vite"), ["build", "--logLevel", "error", "--outDir", "dist"], out);
  const assets = readdirSync(join(out, "dist", "assets"));
  assert.ok(assets.some((f) => f.endsWith(".wasm")), `Vite emitted the wasm: ${assets}`);
  const server = await serveStatic({ "/": join(out, "dist") });
  const browser = await launchChromium();
  t.after(async () => { await browser.close(); server.close(); });
  const page = await browser.newPage();
  const consoleErrors = [];
  const failed = [];
  page.on("console", (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource") && consoleErrors.push(m.text()));
  page.on("response", (res) => res.status() >= 400 && !res.url().endsWith("/favicon.ico") && failed.push(res.url()));
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 15000 });
  const r = await page.evaluate(() => window.__result);
  assert.equal(r.error, undefined, r.error);
  assert.equal(r.discover.brand, "discover");
  assert.equal(r.discover.isValid, true);
  assert.equal(r.domestic.brand, "domestic");
  assert.equal(r.domestic.isValid, true);
  assert.equal(r.expiry.value, "2028-12");
  assert.deepEqual(r.card, { isValid: true, errors: [] });
  assert.deepEqual(r.formatted, { value: "3782 822463", caret: 11 });
  const node = await import(join(root, "pkg", "node.js"));
  assert.deepEqual(r.exports, Object.keys(node).sort(), "browser and node entries export the same names");
  assert.deepEqual(consoleErrors, []);
  assert.deepEqual(failed, []);
});

