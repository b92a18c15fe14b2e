//! Recovery after a trap.
//!
//! A panic in wasm32 aborts with `unreachable`, and any trap (a panic, an
//! out-of-bounds access after a shadow-stack overflow, an allocation failure)
//! leaves the instance in an undefined state: its stack pointer and heap may be
//! mid-update. Nothing may run in it again. wasm-bindgen's reinit machinery
//! (emitted because this module calls `schedule_reinit`) makes the next call
//! to any export build a fresh `WebAssembly.Instance` from the same module.
//!
//! Three paths schedule it:
//! - a panic. In the browser build the panic handler (`on_panic` in lib.rs)
//!   schedules it and traps; in the checks-only build it only traps, and the JS
//!   entry's `__reinit` (below) schedules it. In the server build std's
//!   panic hook, set when the instance starts, schedules it and tells the JS
//!   entry (the listener given to `__adopt`), which fails the async work in
//!   flight (a proxied request's future dies with the instance). Neither prints
//!   anything: a panic message could hold whatever the panicking code
//!   formatted, and card data must never leave.
//! - the package's JS entry, which calls `__reinit` when an export throws a
//!   `WebAssembly.RuntimeError` (the traps that never reach a panic handler).
//!   `__reinit` touches neither the shadow stack nor the heap, so it is safe to
//!   call on a trapped instance.
//! - a trap in one of a client operation's steps (`client/web.rs`'s `Task`),
//!   which throws into its JS driver (`drive.js`) and rejects the operation's
//!   promise: the JS entry (`clients.js`) then recovers as it does from a
//!   synchronous trap.

#[cfg(feature = "full")]
use core::sync::atomic::{AtomicU32, Ordering};
#[cfg(feature = "std")]
use std::cell::RefCell;

use wasm_bindgen::prelude::*;

/// The epoch the JS entry gave this instance (0: none yet). `__adopt` serves the
/// objects that outlive a call (a client, a proxy), which the checks-only build (no
/// `full` feature) has none of: there, a trap is always inside a synchronous call,
/// which the JS entry catches, and `__reinit` is all it takes (tested by the
/// recovery suite's checks-only case).
#[cfg(feature = "full")]
static EPOCH: AtomicU32 = AtomicU32::new(0);

#[cfg(feature = "std")]
thread_local! {
    static LISTENER: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

#[cfg(feature = "std")]
#[wasm_bindgen(start, skip_typescript)]
fn start() {
    std::panic::set_hook(Box::new(|_| {
        wasm_bindgen::handler::schedule_reinit();
        // Tell the JS entry, so that it fails the operations this instance was
        // running (their futures die with it) instead of leaving them pending.
        let _ = LISTENER.try_with(|l| {
            if let Ok(l) = l.try_borrow() {
                if let Some(f) = l.as_ref() {
                    let _ = f.call0(&JsValue::NULL);
                }
            }
        });
    }));
}

/// For the JS entry: the first call on an instance stores `epoch` (and, in the
/// server build, the trap `listener` its panic hook calls) and returns `epoch`;
/// later calls return the stored epoch. So a changed answer means a fresh
/// instance, whose objects must be rebuilt.
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = __adopt, skip_typescript)]
pub fn adopt(epoch: u32, listener: js_sys::Function) -> u32 {
    if EPOCH.load(Ordering::Relaxed) == 0 {
        EPOCH.store(epoch, Ordering::Relaxed);
        #[cfg(feature = "std")]
        LISTENER.with(|l| *l.borrow_mut() = Some(listener));
    }
    #[cfg(not(feature = "std"))]
    drop(listener);
    EPOCH.load(Ordering::Relaxed)
}

/// Schedules a fresh instance for the next call. For the JS entry only.
#[wasm_bindgen(js_name = __reinit, skip_typescript)]
pub fn reinit() {
    wasm_bindgen::handler::schedule_reinit();
}

/// Test builds only (feature `test-trap`): traps the instance on purpose.
/// `kind`: 0 a panic, 1 `unreachable`, 2 a shadow-stack overflow, 3 an
/// allocation failure. Anything else returns `kind`.
#[cfg(feature = "test-trap")]
#[wasm_bindgen(js_name = __testTrap, skip_typescript)]
pub fn test_trap(kind: u32) -> u32 {
    match kind {
        0 => panic!("test trap"),
        1 => core::arch::wasm32::unreachable(),
        2 => recurse(u32::MAX, &mut [0; 64]),
        3 => {
            let mut hoard: alloc::vec::Vec<alloc::vec::Vec<u8>> = alloc::vec::Vec::new();
            loop {
                hoard.push(alloc::vec![1; 64 << 20]);
            }
        }
        other => other,
    }
}

#[cfg(feature = "test-trap")]
fn recurse(depth: u32, frame: &mut [u8; 64]) -> u32 {
    frame[0] = frame[0].wrapping_add(1);
    let mut next = [frame[0]; 64];
    let below = if depth == 0 {
        0
    } else {
        recurse(depth - 1, &mut next)
    };
    core::hint::black_box(below + u32::from(next[63]))
}

/// Test builds only (feature `test-trap`): a promise whose async work panics
/// one microtask later, as a bug inside a proxied request would (the server build:
/// its panic hook tells the JS entry).
#[cfg(all(feature = "test-trap", feature = "std"))]
#[wasm_bindgen(js_name = __testTrapAsync, skip_typescript)]
pub fn test_trap_async() -> js_sys::Promise {
    wasm_bindgen_futures::future_to_promise(async {
        let tick = js_sys::Promise::resolve(&JsValue::NULL);
        let _ = wasm_bindgen_futures::JsFuture::from(tick).await;
        panic!("test trap in async work");
    })
}
