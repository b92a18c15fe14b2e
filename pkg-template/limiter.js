// The Durable Object that holds the proxy's card-testing counters for every worker (bound
// as KEYIN_LIMITER; server entries only). It only moves bytes: the decisions, and what to
// persist, come from Rust (src/proxy/limit.rs). The counters are written to the object's
// storage on every change, so they outlive its eviction; after a trap they are rebuilt
// from there.
export function limiterClass(raw, live, trapped) {
  return class KeyinLimiter {
    constructor(state) {
      this.storage = state.storage;
      this.core = null;
      this.epoch = 0;
      state.blockConcurrencyWhile(() => this.load());
    }

    async load() {
      this.epoch = live();
      const core = new raw.__LimiterCore();
      const stored = await this.storage.list();
      const expired = JSON.parse(core.restore(JSON.stringify(Object.fromEntries(stored)), Date.now()));
      if (expired.length > 0) await this.storage.delete(expired);
      this.core = core;
    }

    async fetch(request) {
      const body = await request.text();
      let out;
      try {
        if (this.core === null || live() !== this.epoch) await this.load();
        out = JSON.parse(this.core.serve(body, Date.now()));
      } catch (err) {
        trapped(err);
        this.core = null;
        return new Response(null, { status: 500 });
      }
      if (Object.keys(out.put).length > 0) await this.storage.put(out.put);
      if (out.delete.length > 0) await this.storage.delete(out.delete);
      return out.body === null
        ? new Response(null, { status: 400 })
        : new Response(out.body, { headers: { "content-type": "application/json" } });
    }
  };
}
