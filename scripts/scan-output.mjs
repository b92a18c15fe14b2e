// The last step of the test command: no full card number in anything any suite printed.
// Every Luhn-valid card number that the tests and the sandbox use (13–19 digits, found in
// their sources) is searched for in the captured output of the whole run, with or without
// separators. Masked forms (6 + 4) never match. Usage: node scripts/scan-output.mjs LOG
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const root = new URL("../", import.meta.url).pathname;
const log = readFileSync(process.argv[2], "utf8");

const luhn = (d) => [...d].reverse().reduce((s, c, i) => s + (i % 2 ? [0, 2, 4, 6, 8, 1, 3, 5, 7, 9][+c] : +c), 0) % 10 === 0;
const files = (dir) =>
  readdirSync(join(root, dir)).flatMap((f) => {
    const p = join(dir, f);
    return statSync(join(root, p)).isDirectory() ? files(p) : [p];
  });
const sources = [...files("tests"), ...files("sandbox/src"), ...files("src")].filter((f) => /\.(rs|mjs|js|json)$/.test(f));
const numbers = new Set();
for (const f of sources) {
  for (const m of readFileSync(join(root, f), "utf8").matchAll(/(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])/g)) {
    const d = m[0].replace(/[ -]/g, "");
    // Card-like: a known brand's first digit, Luhn-valid, not a timestamp-like run.
    if (d.length >= 13 && d.length <= 19 && /^[3456]/.test(d) && luhn(d)) numbers.add(d);
  }
}
const found = [];
for (const d of numbers) {
  const re = new RegExp(d.split("").join("[ -]?"));
  const m = log.match(re);
  if (m) {
    const at = log.lastIndexOf("\n", m.index) + 1;
    found.push(`${d.slice(0, 6)}…${d.slice(-4)} in: ${log.slice(at, log.indexOf("\n", m.index)).slice(0, 160).replace(/[0-9]{7,}/g, "<digits>")}`);
  }
}
console.log(`scanned ${log.length} bytes of output for ${numbers.size} card numbers used by the suites`);
if (found.length) {
  console.error(`card numbers in the output:\n${found.join("\n")}`);
  process.exit(1);
}
