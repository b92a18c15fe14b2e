// Plain node:http: the proxy is a fetch handler, so a Node server needs the adapter
// @hono/node-server gives (IncomingMessage -> Request, Response -> ServerResponse).
// The socket's address is the client's only when nothing sits in front of this server.
// Secrets come from the process env: IMP_KEY, IMP_SECRET (and IAMPORT_API_URL).
import { createServer } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { createProxy } from "iamport-keyin";
import { proxyOptions } from "../shop.mjs";

const proxy = createProxy({
  ...proxyOptions,
  clientIp: (request, arg) => arg?.incoming?.socket?.remoteAddress ?? null,
});
const iamport = getRequestListener(proxy.fetch);

export const server = createServer((req, res) => {
  if (req.url.startsWith("/iamport/")) return iamport(req, res);
  res.writeHead(404).end();
});
if (process.argv[1] === new URL(import.meta.url).pathname) server.listen(Number(process.env.PORT ?? 8787));
