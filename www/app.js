// The demo card form: every check runs in the iamport-keyin wasm module.
import init, {
  checkBirth,
  checkCard,
  checkCardNumber,
  checkExpiry,
  checkPwd2Digit,
  formatCardNumberInput,
  setLocale,
} from "/pkg/index.js";

const TEXT = {
  ko: {
    title: "카드 정보 입력",
    corporate: "법인카드 (사업자등록번호로 인증, 비밀번호 불필요)",
    card_number: "카드번호",
    expiry: "유효기간",
    pwd_2digit: "비밀번호 앞 2자리",
    birth: "생년월일 6자리 (YYMMDD)",
    birth_business: "사업자등록번호 10자리",
    submit: "카드 확인",
    cards: "테스트 카드",
    footer: "카드 정보는 이 페이지의 WebAssembly 모듈에서만 검사되며, 어디에도 전송되지 않습니다.",
    ok: "카드 정보가 올바릅니다.",
    domestic: "국내전용",
  },
  en: {
    title: "Card details",
    corporate: "Corporate card (business registration number, no PIN)",
    card_number: "Card number",
    expiry: "Expiry",
    pwd_2digit: "First 2 PIN digits",
    birth: "Date of birth (YYMMDD)",
    birth_business: "Business registration number (10 digits)",
    submit: "Check card",
    cards: "Test cards",
    footer: "Card details are checked only by this page's WebAssembly module and are sent nowhere.",
    ok: "The card details are valid.",
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
  { label: "법인 / Corporate", number: "5555555555554444", expiry: "2029-07", birth: "116-82-00276", pwd: "", corporate: true },
];

let locale = "ko";
const $ = (id) => document.getElementById(id);
const form = $("card-form");
const fields = ["card_number", "expiry", "birth", "pwd_2digit"];
const corporate = () => $("corporate").checked;
const opts = () => ({ locale, kind: corporate() ? "business" : "personal" });

function showError(field, check) {
  const input = $(field);
  const out = $(`${field}-error`);
  // While typing, only what can no longer become valid is an error; submit shows the rest.
  const show = check.error !== null && !check.isPotentiallyValid;
  out.textContent = show ? check.error.message : "";
  input.setAttribute("aria-invalid", show ? "true" : "false");
}

const checks = {
  card_number: (v) => checkCardNumber(v, opts()),
  expiry: (v) => checkExpiry(v, opts()),
  birth: (v) => checkBirth(v, opts()),
  pwd_2digit: (v) => checkPwd2Digit(v, opts()),
};

function renderBrand(check) {
  const brand = check.brand;
  $("brand").textContent = brand === "domestic" ? TEXT[locale].domestic : (brand ?? "");
}

// Card number: reformat on every edit and keep the caret beside the same digit.
const number = $("card_number");
number.addEventListener("keydown", (e) => {
  // Backspace just after a group space deletes the digit before it, not only the space.
  const at = number.selectionStart;
  if (e.key === "Backspace" && at === number.selectionEnd && at > 0 && number.value[at - 1] === " ") {
    number.setSelectionRange(at - 1, at - 1);
  }
});
number.addEventListener("input", () => {
  const { value, caret } = formatCardNumberInput(number.value, number.selectionStart ?? number.value.length);
  if (value !== number.value) number.value = value;
  if (document.activeElement === number) number.setSelectionRange(caret, caret);
  const check = checks.card_number(value);
  renderBrand(check);
  showError("card_number", check);
});

for (const field of ["expiry", "birth", "pwd_2digit"]) {
  $(field).addEventListener("input", () => showError(field, checks[field]($(field).value)));
}
function applyCorporate() {
  $("pwd-field").hidden = corporate();
  $("birth-label").textContent = corporate() ? TEXT[locale].birth_business : TEXT[locale].birth;
  $("birth").placeholder = corporate() ? "123-45-67890" : "820213";
  showError("birth", checks.birth($("birth").value));
}
$("corporate").addEventListener("change", applyCorporate);

function applyLocale(next) {
  locale = next;
  setLocale(next);
  document.documentElement.lang = next;
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = TEXT[next][el.dataset.i18n];
  for (const b of document.querySelectorAll("[data-lang]")) b.setAttribute("aria-pressed", String(b.dataset.lang === next));
  applyCorporate();
  for (const field of fields) if ($(field).value !== "") showError(field, checks[field]($(field).value));
}
for (const b of document.querySelectorAll("[data-lang]")) b.addEventListener("click", () => applyLocale(b.dataset.lang));

form.addEventListener("submit", (e) => {
  e.preventDefault();
  const values = Object.fromEntries(fields.map((f) => [f, $(f).value]));
  if (corporate()) delete values.pwd_2digit;
  const result = checkCard(values, opts());
  for (const field of fields) showError(field, { isValid: true, isPotentiallyValid: true, error: null });
  for (const err of result.errors) {
    $(`${err.field}-error`).textContent = err.message;
    $(err.field).setAttribute("aria-invalid", "true");
  }
  if (!result.isValid) {
    $("result").textContent = "";
    $(result.errors[0].field).focus();
    return;
  }
  // From here on only the masked number is shown; the sensitive fields are cleared.
  const card = checkCardNumber(values.card_number);
  const expiry = checkExpiry(values.expiry).value;
  $("result").textContent = `${TEXT[locale].ok}\n${card.masked} · ${expiry}`;
  $("result").dataset.masked = card.masked;
  for (const field of ["card_number", "birth", "pwd_2digit"]) $(field).value = "";
  renderBrand({ brand: null });
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
    button.addEventListener("click", () => {
      $("corporate").checked = Boolean(card.corporate);
      applyCorporate();
      number.value = card.number;
      number.dispatchEvent(new Event("input"));
      $("expiry").value = card.expiry;
      $("birth").value = card.birth;
      $("pwd_2digit").value = card.pwd;
      for (const field of ["expiry", "birth", "pwd_2digit"]) showError(field, checks[field]($(field).value));
    });
    li.append(button);
    return li;
  }));
}

await init();
renderTestCards();
applyLocale("ko");
document.body.dataset.ready = "true";
