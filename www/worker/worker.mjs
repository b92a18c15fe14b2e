// The merchant proxy as a Cloudflare Worker: `wrangler deploy` from this folder.
// Secrets: `wrangler secret put IMP_KEY` and `wrangler secret put IMP_SECRET`.
// IAMPORT_API_URL defaults to https://api.iamport.kr (the demo points it at the sandbox).
import { createProxy } from "iamport-keyin";

// Replace these two hooks with your own session check and order look-up.
const PRICES = { "demo-monthly": 9900 };

export default createProxy({
  basePath: "/iamport",
  // Same-origin only by default; list the shop's origins if the page is elsewhere.
  allowedOrigins: [],
  // Your session check: return false to answer 403.
  authorize: async (request, operation) => true,
  // The server-side price: a charge whose amount differs is refused with 409.
  // Return null/undefined to skip the check for an operation.
  resolveAmount: async (operation) => PRICES[operation.orderName] ?? operation.amount,
  // One event per request (never card data): ship it to your logs.
  log: (event) => console.log(JSON.stringify(event)),
});
