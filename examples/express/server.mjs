// Express 5: mount the proxy's fetch handler under /iamport with @hono/node-server's
// adapter. Put it before any body parser: the proxy reads (and bounds) the body itself.
// The client's address is the socket's peer; behind a load balancer, name the header it
// sets instead (one address, e.g. clientIp: "x-real-ip").
import express from "express";
import { getRequestListener } from "@hono/node-server";
import { createProxy } from "iamport-keyin";
import { proxyOptions } from "../shop.mjs";

const proxy = createProxy(proxyOptions);
const iamport = getRequestListener(proxy.fetch);

export const app = express();
app.all("/iamport/*path", (req, res) => iamport(req, res));
app.use(express.json()); // your own routes' parser, after the proxy
if (process.argv[1] === new URL(import.meta.url).pathname) app.listen(Number(process.env.PORT ?? 8787));
