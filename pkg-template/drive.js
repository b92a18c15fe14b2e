// Runs one client operation to its end: `task` is what `KeyinClient.call` answers (a
// `Task`, src/client/web.rs). Every decision is the task's, in Rust; this loop only does
// the I/O each step asks for and hands the answer back: a `fetch` with the ask's
// timeout (a response's status and body text; no response is a timeout or a network
// error), or a wait. It answers the operation's answer; a step's `KeyinError` is thrown
// from `next` and rejects, and so does a trap, which the entry then recovers from
// (clients.js). It imports nothing, so the wasm tests run it too (tests/common/client.rs).
export async function drive(task) {
  let status = 0;
  let text;
  let timedOut = false;
  for (;;) {
    const ask = task.next(status, text, timedOut);
    if ("done" in ask) return ask.done;
    [status, text, timedOut] = [0, undefined, false];
    if (ask.sleep !== undefined) {
      await new Promise((wake) => setTimeout(wake, ask.sleep));
      continue;
    }
    const signal = AbortSignal.timeout(ask.timeoutMs);
    try {
      const res = await fetch(ask.url, { ...ask.init, signal });
      [status, text] = [res.status, await res.text()];
    } catch {
      [status, text, timedOut] = [0, undefined, signal.aborted];
    }
  }
}
