// The sections of BENCHMARKS.md that a bench script of its own writes, between
// `<!-- name:begin … -->` and `<!-- name:end -->` markers: bench/run.mjs rewrites the
// rest of the file and keeps them.
import { readFileSync, writeFileSync } from "node:fs";

export const FILE = new URL("../BENCHMARKS.md", import.meta.url).pathname;
export const KEPT = ["profile", "runtimes", "limits"];

const marked = (name) => new RegExp(`<!-- ${name}:begin[\\s\\S]*?<!-- ${name}:end -->\\n?`);

/** Writes `section` (which carries its own markers) in place of the old one, or at the end. */
export function writeSection(name, section) {
  const md = readFileSync(FILE, "utf8");
  const re = marked(name);
  writeFileSync(FILE, re.test(md) ? md.replace(re, section) : `${md.trimEnd()}\n\n${section}`);
}

/** The kept sections as they stand in `md`, joined. */
export function keptSections(md) {
  return KEPT.map((name) => marked(name).exec(md)?.[0] ?? "").filter(Boolean).join("\n");
}
