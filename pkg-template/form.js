// <keyin-card-form>: the Korean key-in card form (카드번호, 유효기간, 생년월일 or
// 사업자등록번호, 비밀번호 앞 2자리, and the corporate toggle), as a custom element.
//
// Browser only. Every rule comes from the package's Rust (formatFieldInput for the
// layout, the caret and separator deletion; the checks for validity and the messages in
// the current locale). This file only wires DOM events to them:
// - formatting runs on `input` (and `compositionend`), never on `keydown`: Android
//   keyboards send no key events for text, and paste, autofill and drag and drop send
//   none either;
// - card data stays in the inputs: never in an attribute, an event, the console, or a
//   property other than `.value`.
import { init, checkCardNumber, checkExpiry, checkBirth, checkPwd2Digit, formatFieldInput, getLocale } from "./index.js";

const FIELDS = ["card_number", "expiry", "birth", "pwd_2digit"];

// Labels only: every message shown under a field comes from the package, in its locale.
const TEXT = {
  ko: {
    legend: "카드 정보", corporate: "법인카드", card_number: "카드번호", expiry: "유효기간 (MM/YY)",
    birth: "생년월일 (YYMMDD)", business: "사업자등록번호", pwd_2digit: "비밀번호 앞 2자리",
  },
  en: {
    legend: "Card details", corporate: "Corporate card", card_number: "Card number", expiry: "Expiry (MM/YY)",
    birth: "Date of birth (YYMMDD)", business: "Business registration number", pwd_2digit: "First 2 PIN digits",
  },
};
const PLACEHOLDER = { card_number: "0000 0000 0000 0000", expiry: "MM/YY", birth: "YYMMDD", business: "000-00-00000", pwd_2digit: "••" };

const STYLE = `
:host { display: block; font: var(--keyin-font, 16px/1.4 system-ui, -apple-system, "Apple SD Gothic Neo", "Malgun Gothic", sans-serif); color: var(--keyin-color, #1f2328); max-width: 28rem; }
:host([hidden]) { display: none; }
fieldset { border: 0; margin: 0; padding: 0; min-width: 0; display: grid; grid-template-columns: 1fr 1fr; gap: var(--keyin-gap, 0.75rem); }
legend { padding: 0; margin-bottom: var(--keyin-gap, 0.75rem); font-weight: 600; }
.field { display: flex; flex-direction: column; gap: 0.25rem; min-width: 0; }
.wide { grid-column: 1 / -1; }
label { font-size: 0.875em; color: var(--keyin-label-color, #57606a); }
input[type="text"], input[type="password"] {
  font: inherit; color: inherit; background: var(--keyin-background, #fff); box-sizing: border-box; width: 100%;
  padding: 0.6em 0.75em; border: 1px solid var(--keyin-border-color, #8c959f); border-radius: var(--keyin-radius, 6px);
  font-variant-numeric: tabular-nums; letter-spacing: 0.02em;
}
input:focus { outline: 2px solid var(--keyin-focus-color, #0969da); outline-offset: 1px; border-color: var(--keyin-focus-color, #0969da); }
input[aria-invalid="true"] { border-color: var(--keyin-error-color, #cf222e); }
input:disabled { opacity: 0.6; }
.error { min-height: 1.2em; font-size: 0.8125em; color: var(--keyin-error-color, #cf222e); }
.toggle { grid-column: 1 / -1; display: flex; align-items: center; gap: 0.5rem; font-size: 0.875em; }
.toggle input { width: 1.1em; height: 1.1em; margin: 0; accent-color: var(--keyin-focus-color, #0969da); }
[hidden] { display: none !important; }
`;

const Base = globalThis.HTMLElement ?? class {};

export class KeyinCardForm extends Base {
  static observedAttributes = ["locale", "corporate", "disabled"];

  #inputs = {};
  #errors = {};
  #labels = {};
  #rows = {};
  #toggle = null;
  #legend = null;
  #toggleText = null;
  #ready = false;
  #previous = null; // the value before the edit in progress (between beforeinput and input)
  #shown = {}; // field -> the error shown, or null
  #wasComplete = false;

  constructor() {
    super();
    const root = this.attachShadow({ mode: "open", delegatesFocus: true });
    const style = document.createElement("style");
    style.textContent = STYLE;
    const fieldset = document.createElement("fieldset");
    fieldset.setAttribute("part", "fieldset");
    this.#legend = document.createElement("legend");
    this.#legend.setAttribute("part", "legend");
    fieldset.append(this.#legend);

    const toggle = document.createElement("label");
    toggle.className = "toggle";
    toggle.setAttribute("part", "toggle");
    this.#toggle = document.createElement("input");
    this.#toggle.type = "checkbox";
    this.#toggle.id = "corporate";
    this.#toggle.setAttribute("part", "corporate");
    this.#toggleText = document.createElement("span");
    toggle.append(this.#toggle, this.#toggleText);
    this.#toggle.addEventListener("change", () => {
      this.corporate = this.#toggle.checked;
    });
    fieldset.append(toggle);

    for (const name of FIELDS) {
      const row = document.createElement("div");
      row.className = name === "card_number" ? "field wide" : "field";
      row.setAttribute("part", `field field-${name}`);
      const label = document.createElement("label");
      label.htmlFor = name;
      label.setAttribute("part", "label");
      const input = document.createElement("input");
      input.id = name;
      input.name = name;
      input.type = name === "pwd_2digit" ? "password" : "text";
      input.inputMode = "numeric";
      input.autocomplete = { card_number: "cc-number", expiry: "cc-exp" }[name] ?? "off";
      input.spellcheck = false;
      input.setAttribute("autocorrect", "off");
      input.setAttribute("autocapitalize", "off");
      input.setAttribute("part", `input input-${name}`);
      input.setAttribute("aria-invalid", "false");
      input.setAttribute("aria-describedby", `${name}-error`);
      const error = document.createElement("div");
      error.id = `${name}-error`;
      error.className = "error";
      error.setAttribute("part", "error");
      error.setAttribute("aria-live", "polite");
      row.append(label, input, error);
      fieldset.append(row);
      this.#inputs[name] = input;
      this.#errors[name] = error;
      this.#labels[name] = label;
      this.#rows[name] = row;
      this.#shown[name] = null;

      input.addEventListener("beforeinput", (e) => {
        this.#previous = input.value;
        if (e.inputType === "deleteContentBackward" && input.value === "") this.#back(name);
      });
      input.addEventListener("input", (e) => {
        // Mid-composition the IME owns the text; it is formatted once composition ends.
        if (e.isComposing) return;
        this.#apply(name, e.inputType ?? "");
      });
      input.addEventListener("compositionend", () => this.#apply(name, "insertCompositionText"));
      // Navigation only (no text is changed here): Backspace in an empty field goes back.
      input.addEventListener("keydown", (e) => {
        if (e.key === "Backspace" && input.value === "" && !e.isComposing) {
          e.preventDefault();
          this.#back(name);
        }
      });
      input.addEventListener("blur", () => {
        if (!this.#ready || input.value === "") return;
        const checks = this.#checks();
        this.#show(name, checks[name], false);
        this.#emit(checks);
      });
    }
    root.append(style, fieldset);
    this.#render();
  }

  connectedCallback() {
    init().then(
      () => {
        this.#ready = true;
        this.#render();
        // Anything typed or autofilled before the checks were ready.
        for (const name of FIELDS) if (this.#inputs[name].value !== "") this.#apply(name, "");
      },
      () => {
        // The wasm could not load: the fields stay usable; `validate()` will report it.
      },
    );
  }

  attributeChangedCallback(name) {
    if (name === "corporate") {
      // The birth field changes meaning: what it held is cleared, never reinterpreted.
      this.#inputs.birth.value = "";
      this.#inputs.pwd_2digit.value = "";
      this.#clear("birth");
      this.#clear("pwd_2digit");
    }
    this.#render();
    if (name === "corporate" && this.#ready) this.#emit();
  }

  get locale() {
    const l = this.getAttribute("locale");
    if (l === "ko" || l === "en") return l;
    return this.#ready ? getLocale() : "ko";
  }
  set locale(v) {
    this.setAttribute("locale", v);
  }
  get corporate() {
    return this.hasAttribute("corporate");
  }
  set corporate(v) {
    this.toggleAttribute("corporate", Boolean(v));
  }
  get disabled() {
    return this.hasAttribute("disabled");
  }
  set disabled(v) {
    this.toggleAttribute("disabled", Boolean(v));
  }

  /** The fields as the builders take them (`KeyinClient`'s card fields). */
  get value() {
    const v = this.#checks();
    // Valid fields in their wire form; anything else as typed (the builders say why).
    const out = {
      card_number: v.card_number.isValid ? v.card_number.formatted : this.#inputs.card_number.value,
      expiry: v.expiry.value ?? this.#inputs.expiry.value,
      birth: v.birth.value ?? this.#inputs.birth.value,
    };
    if (!this.corporate) out.pwd_2digit = v.pwd_2digit.value ?? this.#inputs.pwd_2digit.value;
    return out;
  }

  /** Checks every field and shows every error. */
  validate() {
    const checks = this.#checks();
    const errors = [];
    for (const name of this.#visible()) {
      this.#show(name, checks[name], false, true);
      if (checks[name].error) errors.push(checks[name].error);
    }
    this.#emit(checks);
    if (errors.length > 0) this.#inputs[errors[0].field]?.focus();
    return { isValid: errors.length === 0, errors };
  }

  /** Clears every field (call it after a successful payment). */
  reset() {
    for (const name of FIELDS) {
      this.#inputs[name].value = "";
      this.#clear(name);
    }
    this.#wasComplete = false;
    this.#emit();
  }

  focus(options) {
    this.#inputs.card_number.focus(options);
  }

  #visible() {
    return this.corporate ? FIELDS.filter((f) => f !== "pwd_2digit") : FIELDS;
  }

  #render() {
    const t = TEXT[this.locale] ?? TEXT.ko;
    const corporate = this.corporate;
    this.#legend.textContent = t.legend;
    this.#toggleText.textContent = t.corporate;
    this.#toggle.checked = corporate;
    for (const name of FIELDS) {
      const key = name === "birth" && corporate ? "business" : name;
      this.#labels[name].textContent = t[key];
      this.#inputs[name].placeholder = PLACEHOLDER[key];
      this.#inputs[name].disabled = this.disabled;
    }
    this.#inputs.birth.autocomplete = "off";
    this.#toggle.disabled = this.disabled;
    this.#rows.pwd_2digit.hidden = corporate;
    // Messages follow the locale.
    if (this.#ready) for (const name of FIELDS) if (this.#shown[name]) this.#show(name, this.#check(name), false, true);
  }

  #check(name) {
    const input = this.#inputs[name].value;
    const options = { locale: this.locale };
    switch (name) {
      case "card_number":
        return checkCardNumber(input, options);
      case "expiry":
        return checkExpiry(input, options);
      case "birth":
        return checkBirth(input, { ...options, kind: this.corporate ? "business" : "personal" });
      default:
        return checkPwd2Digit(input, options);
    }
  }

  #checks() {
    return Object.fromEntries(FIELDS.map((name) => [name, this.#check(name)]));
  }

  #apply(name, inputType) {
    if (!this.#ready) return;
    const input = this.#inputs[name];
    const kind = name === "birth" && this.corporate ? "business" : name;
    const focused = this.shadowRoot.activeElement === input;
    const caret = focused ? (input.selectionStart ?? input.value.length) : input.value.length;
    const r = formatFieldInput(kind, input.value, caret, this.#previous ?? undefined, inputType);
    this.#previous = null;
    if (input.value !== r.value) input.value = r.value;
    if (focused) input.setSelectionRange(r.caret, r.caret);
    // Every field checked once per edit: this one's verdict, and the form's state.
    const checks = this.#checks();
    const check = checks[name];
    this.#show(name, check, true);
    this.#emit(checks);
    // A complete, valid field typed up to its end: on to the next one.
    if (focused && r.complete && check.isValid && r.caret === r.value.length && !inputType.startsWith("delete")) {
      const visible = this.#visible();
      const next = visible[visible.indexOf(name) + 1];
      if (next) this.#inputs[next].focus();
    }
  }

  #back(name) {
    const visible = this.#visible();
    const prev = visible[visible.indexOf(name) - 1];
    if (!prev) return;
    const input = this.#inputs[prev];
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  }

  // While typing, only an error that can no longer become valid; on blur and on
  // validate(), every error (`all`: an empty field's too).
  #show(name, check, typing, all = false) {
    const input = this.#inputs[name];
    const error = typing ? (check.isPotentiallyValid ? null : check.error) : input.value === "" && !all ? null : check.error;
    this.#shown[name] = error;
    this.#errors[name].textContent = error ? error.message : "";
    input.setAttribute("aria-invalid", String(error !== null));
  }

  #clear(name) {
    this.#shown[name] = null;
    this.#errors[name].textContent = "";
    this.#inputs[name].setAttribute("aria-invalid", "false");
  }

  #emit(checks) {
    if (!this.#ready) return;
    checks ??= this.#checks();
    const visible = this.#visible();
    const complete = visible.every((name) => checks[name].isValid);
    const detail = {
      complete,
      brand: checks.card_number.brand,
      errors: visible.map((name) => this.#shown[name]).filter(Boolean),
      empty: visible.every((name) => this.#inputs[name].value === ""),
    };
    this.dispatchEvent(new CustomEvent("keyin-change", { detail, bubbles: true, composed: true }));
    if (complete && !this.#wasComplete) this.dispatchEvent(new CustomEvent("keyin-complete", { detail, bubbles: true, composed: true }));
    this.#wasComplete = complete;
  }
}

if (globalThis.customElements && !customElements.get("keyin-card-form")) {
  customElements.define("keyin-card-form", KeyinCardForm);
}
