// Hono on Node (@hono/node-server). The same app runs on Bun and Deno (export it as the
// default), and on Workers, where the env is the worker's.
import { Hono } from "hono";
import { serve } from "@hono/node-server";
import { createProxy } from "iamport-keyin";
import { proxyOptions } from "../shop.mjs";

const proxy = createProxy(proxyOptions);

export const app = new Hono();
app.all("/iamport/*", (c) => proxy.fetch(c.req.raw, c.env));
if (process.argv[1] === new URL(import.meta.url).pathname) serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 8787) });
