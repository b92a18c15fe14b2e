// A compiled WebAssembly.Module made in another realm (an iframe, a vm context, Next's
// edge sandbox) fails `instanceof WebAssembly.Module` in this one, and wasm-bindgen's
// initSync then mistakes it for bytes. It is still a module: give it this realm's
// prototype. Anything else is returned as it is.
export function sameRealm(module) {
  if (
    typeof WebAssembly !== "undefined" &&
    module !== null &&
    typeof module === "object" &&
    !(module instanceof WebAssembly.Module) &&
    Object.prototype.toString.call(module) === "[object WebAssembly.Module]"
  ) {
    Object.setPrototypeOf(module, WebAssembly.Module.prototype);
  }
  return module;
}
