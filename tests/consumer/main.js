// A bundled (Vite) browser app that uses the package through its default entry.
import init, * as keyin from "iamport-keyin";

async function run() {
  await init();
  await init(); // a second call is a harmless no-op
  return {
    exports: Object.keys(keyin).sort(),
    discover: keyin.checkCardNumber("6011 1111 1111 1117"),
    domestic: keyin.checkCardNumber("9410-1234-1234-1237"),
    expiry: keyin.checkExpiry("1228", { today: "2026-11-28" }),
    card: keyin.checkCard({ card_number: "4111111111111111", expiry: "12/28", birth: "116-82-00276" }, { today: "2026-11-28" }),
    formatted: keyin.formatCardNumberInput("3782822463", 10),
  };
}

run().then(
  (r) => { window.__result = r; document.getElementById("out").textContent = JSON.stringify(r, null, 2); },
  (e) => { window.__result = { error: String(e) }; },
);
