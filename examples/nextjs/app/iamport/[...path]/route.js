// Next.js App Router: one route handler serves the whole proxy, on the Edge runtime (the
// package's edge-light entry; Vercel hands over its wasm as a compiled module). Vercel sets
// x-real-ip, which the proxy trusts there by default. Secrets: IMP_KEY and IMP_SECRET in
// the project's environment variables, read from process.env.
import { createProxy } from "iamport-keyin";
import { proxyOptions } from "../../../../shop.mjs";

export const runtime = "edge";

const proxy = createProxy(proxyOptions);
const handle = (request) => proxy.fetch(request);
export { handle as GET, handle as POST, handle as DELETE, handle as OPTIONS };
