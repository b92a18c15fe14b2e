// The demo checkout: the package's <keyin-card-form> (every format and check runs in the
// iamport-keyin wasm module), a pay button, and KeyinClient.
import init, { KeyinClient, checkCardNumber, formatCardNumberInput, setLocale } from "/pkg/index.js";
import "/pkg/form.js";

const TEXT = {
  ko: {
    title: "카드 정보 입력",
    flows: "결제 (테스트 금액 3,000원)",
    pay: "결제하기",
    pay_save: "결제하고 카드 저장",
    save: "카드만 저장",
    saved: "저장된 카드",
    none: "없음",
    charge_saved: "저장된 카드로 결제",
    delete_saved: "카드 삭제",
    paid: "결제 완료",
    declined: "결제 거절",
    unknown: "결과 확인 중: 같은 주문번호로 다시 조회합니다. 새로 결제하지 마세요.",
    saved_ok: "카드가 저장되었습니다",
    deleted: "저장된 카드를 삭제했습니다",
    error: "요청이 거절되었습니다",
    schedule: "매월 3회 정기결제 예약",
    run_month: "샌드박스 시계 +1개월, 예약 실행",
    scheduled: "예약됨",
    executed: "실행됨",
    revoked: "취소됨",
    cards: "테스트 카드",
    footer: "카드 정보는 WebAssembly 모듈이 검사한 뒤 가맹점 프록시로만 전송됩니다. REST 키는 프록시에만 있습니다.",
    domestic: "국내전용",
  },
  en: {
    title: "Card details",
    flows: "Payment (test amount 3,000 KRW)",
    pay: "Pay",
    pay_save: "Pay and save the card",
    save: "Save the card only",
    saved: "Saved card",
    none: "None",
    charge_saved: "Charge the saved card",
    delete_saved: "Delete the card",
    paid: "Paid",
    declined: "Declined",
    unknown: "Outcome unknown: look the same order up later; do not pay again.",
    saved_ok: "The card was saved",
    deleted: "The saved card was deleted",
    error: "The request was refused",
    schedule: "Schedule 3 monthly charges",
    run_month: "Sandbox clock +1 month, run due charges",
    scheduled: "scheduled",
    executed: "executed",
    revoked: "revoked",
    cards: "Test cards",
    footer: "Card details are checked by the WebAssembly module, then sent only to the merchant's proxy, which alone holds the REST key.",
    domestic: "Domestic",
  },
};

// Public test numbers (all pass Luhn); one click fills the form.
const TEST_CARDS = [
  { label: "Visa", number: "4111111111111111", expiry: "12/28", birth: "820213", pwd: "12" },
  { label: "Mastercard (2-series)", number: "2230000000000008", expiry: "01/30", birth: "900101", pwd: "00" },
  { label: "Amex", number: "378282246310005", expiry: "06/29", birth: "820213", pwd: "12" },
  { label: "Discover", number: "6011111111111117", expiry: "12/27", birth: "820213", pwd: "12" },
  { label: "국내전용 / Domestic", number: "9410123412341237", expiry: "03/29", birth: "820213", pwd: "12" },
  { label: "법인 / Corporate", number: "5555555555554444", expiry: "07/29", birth: "116-82-00276", pwd: "", corporate: true },
];

let locale = "ko";
const $ = (id) => document.getElementById(id);
const form = $("card-form");
const card = $("card");

// The brand badge, from the element's event (which never carries card data).
card.addEventListener("keyin-change", (e) => {
  const brand = e.detail.brand;
  $("brand").textContent = brand === "domestic" ? TEXT[locale].domestic : (brand ?? "");
});

function applyLocale(next) {
  locale = next;
  setLocale(next);
  card.setAttribute("locale", next);
  document.documentElement.lang = next;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = TEXT[next][el.dataset.i18n];
  for (const b of document.querySelectorAll("[data-lang]")) b.setAttribute("aria-pressed", String(b.dataset.lang === next));
}
for (const b of document.querySelectorAll("[data-lang]")) b.addEventListener("click", () => applyLocale(b.dataset.lang));

let client; // created once the wasm module is initialised (below)
// The shop's server decides who the customer is and what an order costs: the session
// (an HttpOnly cookie) carries the customer_uid, and every merchant_uid and amount
// comes from POST /shop/orders. The page never chooses either.
let customerUid;
async function shopPost(path, body) {
  const res = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body ?? {}) });
  const answer = await res.json();
  if (!res.ok) throw Object.assign(new Error(answer.error?.message ?? "refused"), { code: answer.error?.code ?? `HTTP_${res.status}` });
  return answer;
}
/** New orders for a product: `{ merchantUids, amount }`, issued (and priced) by the server. */
const order = (product, count = 1) => shopPost("/shop/orders", { product, count });

function showResult(status, text) {
  $("result").dataset.status = status;
  $("result").textContent = text;
}

function describe(outcome) {
  const t = TEXT[locale];
  const card = outcome.payment?.card_number ? ` · ${outcome.payment.card_number}` : "";
  switch (outcome.status) {
    case "paid":
      return ["paid", `${t.paid}: ${outcome.payment.amount.toLocaleString()}원${card}\n${outcome.payment.merchant_uid}${outcome.resolvedByLookup ? " (✓ lookup)" : ""}`];
    case "failed":
      return ["failed", `${t.declined}: ${outcome.failReason ?? outcome.message ?? ""}${card}`];
    default:
      return ["unknown", `${t.unknown}\n${outcome.message ?? ""}`];
  }
}

async function refreshSaved() {
  try {
    const key = await client.getBillingKey(customerUid);
    $("saved-card").textContent = key ? `${key.card_name} ${key.card_number}` : TEXT[locale].none;
    $("charge-saved").disabled = $("delete-saved").disabled = $("schedule").disabled = !key;
  } catch (e) {
    $("saved-card").textContent = `${TEXT[locale].error}: ${e.code}`;
  }
}

form.addEventListener("submit", async (e) => {
  e.preventDefault();
  const flow = e.submitter?.dataset.flow ?? "pay";
  // validate() shows every error and focuses the first wrong field.
  if (!card.validate().isValid) {
    showResult("", "");
    return;
  }
  // From here on only the masked number is shown; the fields are cleared.
  const values = card.value;
  const masked = checkCardNumber(values.card_number).masked;
  card.reset();
  showResult("", `… ${masked}`);
  try {
    if (flow === "save") {
      const key = await client.registerBillingKey(customerUid, values);
      showResult("saved", `${TEXT[locale].saved_ok}: ${key.card_number}`);
    } else {
      const { merchantUids, amount } = await order("once");
      const input = { merchant_uid: merchantUids[0], amount, name: "데모 결제", ...values };
      if (flow === "pay-save") input.customer_uid = customerUid;
      showResult(...describe(await client.payOnetime(input)));
    }
  } catch (err) {
    showResult("error", `${TEXT[locale].error}: ${err.code} ${err.message}`);
  }
  refreshSaved();
});

$("charge-saved").addEventListener("click", async () => {
  try {
    const { merchantUids, amount } = await order("once");
    const outcome = await client.payAgain({ customer_uid: customerUid, merchant_uid: merchantUids[0], amount, name: "데모 정기결제" });
    showResult(...describe(outcome));
  } catch (err) {
    showResult("error", `${TEXT[locale].error}: ${err.code} ${err.message}`);
  }
});
// Schedules: three monthly charges on the saved card, run by moving the sandbox clock.
const scheduled = [];
async function renderSchedules() {
  const items = [];
  for (const uid of scheduled) {
    const s = await client.getSchedule(uid);
    if (!s) continue;
    const li = document.createElement("li");
    const status = s.payment_status ?? s.schedule_status;
    li.dataset.status = status;
    li.dataset.merchantUid = uid;
    const when = new Date(s.schedule_at * 1000).toISOString().slice(0, 10);
    li.textContent = `${when} · ${s.amount.toLocaleString()}원 · ${TEXT[locale][s.schedule_status] ?? s.schedule_status}${s.payment_status ? ` (${s.payment_status}${s.fail_reason ? `: ${s.fail_reason}` : ""})` : ""}`;
    items.push(li);
  }
  $("schedules").replaceChildren(...items);
}
$("schedule").addEventListener("click", async () => {
  const clock = await fetch("/sandbox/__sandbox/clock").then((r) => (r.ok ? r.json() : null)).catch(() => null);
  const now = clock?.now ?? Math.floor(Date.now() / 1000);
  const month = 30 * 86400;
  try {
    const { merchantUids, amount } = await order("monthly", 3);
    const batch = merchantUids.map((uid, i) => ({ merchant_uid: uid, schedule_at: now + (i + 1) * month, amount, name: `정기결제 ${i + 1}회차` }));
    await client.schedule({ customer_uid: customerUid, schedules: batch });
    scheduled.push(...batch.map((b) => b.merchant_uid));
    $("run-month").disabled = false;
    showResult("saved", `${TEXT[locale].scheduled}: 3 × 9,900원`);
  } catch (err) {
    showResult("error", `${TEXT[locale].error}: ${err.code} ${err.message}`);
  }
  renderSchedules();
});
$("run-month").addEventListener("click", async () => {
  const post = (path, body) => fetch(`/sandbox/__sandbox/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  await post("clock", { advance: 30 * 86400 + 60 });
  await post("schedules/run", {});
  renderSchedules();
});

$("delete-saved").addEventListener("click", async () => {
  try {
    await client.deleteBillingKey(customerUid, "demo");
    showResult("saved", TEXT[locale].deleted);
  } catch (err) {
    showResult("error", `${TEXT[locale].error}: ${err.code} ${err.message}`);
  }
  refreshSaved();
});

function renderTestCards() {
  const list = $("card-list");
  list.replaceChildren(...TEST_CARDS.map((card) => {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.innerHTML = `<strong></strong> · <code></code>`;
    button.querySelector("strong").textContent = card.label;
    button.querySelector("code").textContent = formatCardNumberInput(card.number, 0).value;
    // As a browser's autofill does: each field's value set, then an input event.
    button.addEventListener("click", () => {
      $("card").corporate = Boolean(card.corporate);
      const inputs = $("card").shadowRoot;
      for (const [id, v] of [["card_number", card.number], ["expiry", card.expiry], ["birth", card.birth], ["pwd_2digit", card.pwd]]) {
        const input = inputs.getElementById(id);
        input.value = v;
        input.dispatchEvent(new Event("input", { bubbles: true }));
      }
    });
    li.append(button);
    return li;
  }));
}

await init();
client = new KeyinClient({ proxyUrl: "/iamport" });
({ customerUid } = await shopPost("/shop/session"));
// In sandbox mode, the sandbox's own test cards (declines, dropped connections, …) join the list.
try {
  const res = await fetch("/sandbox/__sandbox/cards");
  if (res.ok) {
    for (const c of (await res.json()).cards) {
      TEST_CARDS.push({ label: `sandbox: ${c.behaviour}`, number: c.number, expiry: "12/30", birth: "820213", pwd: "12" });
    }
  }
} catch {
  // not in sandbox mode
}
renderTestCards();
refreshSaved();
applyLocale("ko");
document.body.dataset.ready = "true";
