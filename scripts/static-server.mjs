// A minimal static file server for www/ and test pages: correct MIME types
// (application/wasm for streaming instantiation), no directory escapes, no deps.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ts": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
};

/**
 * Serves files under `mounts` (URL prefix → directory). Resolves to the server,
 * listening on 127.0.0.1:`port` (0 picks a free port).
 */
export function serveStatic(mounts, port = 0) {
  const roots = Object.entries(mounts).map(([prefix, dir]) => [prefix, resolve(dir)]);
  roots.sort((a, b) => b[0].length - a[0].length);
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, "http://localhost");
      let path;
      try {
        path = decodeURIComponent(url.pathname);
      } catch {
        throw Object.assign(new Error("bad request"), { status: 400 }); // a malformed %-escape
      }
      if (path.endsWith("/")) path += "index.html";
      const mount = roots.find(([prefix]) => path.startsWith(prefix));
      if (!mount || path.includes("\0")) throw Object.assign(new Error("not found"), { status: 404 });
      const [prefix, dir] = mount;
      const file = normalize(join(dir, path.slice(prefix.length)));
      if (file !== dir && !file.startsWith(dir + sep)) throw Object.assign(new Error("forbidden"), { status: 403 });
      const info = await stat(file);
      if (!info.isFile()) throw Object.assign(new Error("not found"), { status: 404 });
      const body = await readFile(file);
      res.writeHead(200, {
        "content-type": TYPES[extname(file)] ?? "application/octet-stream",
        "cache-control": "no-store",
      });
      res.end(req.method === "HEAD" ? undefined : body);
    } catch (err) {
      const status = err.status ?? (err.code === "ENOENT" ? 404 : 500);
      res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
      res.end(status === 404 ? "not found\n" : status === 403 ? "forbidden\n" : status === 400 ? "bad request\n" : "error\n");
    }
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => ok(server));
  });
}

// CLI: node scripts/static-server.mjs PORT /prefix=dir [/prefix=dir …]
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [port, ...specs] = process.argv.slice(2);
  const mounts = Object.fromEntries(specs.map((s) => s.split("=")));
  const server = await serveStatic(mounts, Number(port ?? 0));
  console.log(`http://127.0.0.1:${server.address().port}/`);
}
