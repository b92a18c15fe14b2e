// Plain node:http: the proxy is a fetch handler, so a Node server needs the adapter
// @hono/node-server gives (IncomingMessage -> Request, Response -> ServerResponse).
// The client's address is the socket's peer (the adapter hands it over); behind a reverse
// proxy, name the header it sets, one that holds a single address: clientIp: "x-real-ip".
// Secrets come from the process env: IMP_KEY, IMP_SECRET (and IAMPORT_API_URL), and the
// shop's SESSION_SECRET (examples/shop.mjs).
import { createServer } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { createProxy } from "iamport-keyin";
import { proxyOptions } from "../shop.mjs";

const proxy = createProxy(proxyOptions);
const iamport = getRequestListener(proxy.fetch);

export const server = createServer((req, res) => {
  if (req.url.startsWith("/iamport/")) return iamport(req, res);
  res.writeHead(404).end();
});
if (process.argv[1] === new URL(import.meta.url).pathname) server.listen(Number(process.env.PORT ?? 8787));
