// <keyin-card-form>: `import "iamport-keyin/form"` defines it (browser only).
import type { Brand, FieldError, Locale } from "./index.js";

/** The card fields as `KeyinClient` takes them (wire-ready when valid). */
export interface KeyinCardValue {
  card_number: string;
  /** `YYYY-MM` when valid. */
  expiry: string;
  /** 6 digits (YYMMDD), or a corporate card's 10-digit business number. */
  birth: string;
  /** Absent for a corporate card. */
  pwd_2digit?: string;
}
/** `keyin-change` and `keyin-complete`: never card data. */
export interface KeyinChangeDetail {
  /** Every field is valid. */
  complete: boolean;
  brand: Brand | null;
  /** The errors shown now. */
  errors: FieldError[];
  /** Every field is empty. */
  empty: boolean;
}
export declare class KeyinCardForm extends HTMLElement {
  /** `ko` or `en` (attribute `locale`); default: `setLocale`'s. */
  locale: Locale;
  /** A corporate card: a business number in place of the birth date, and no PIN (attribute `corporate`). */
  corporate: boolean;
  disabled: boolean;
  /** The fields, for `KeyinClient` (the only property that carries card data). */
  readonly value: KeyinCardValue;
  /** Checks every field, shows every error, focuses the first wrong field. */
  validate(): { isValid: boolean; errors: FieldError[] };
  /** Clears every field: call it after a successful payment. */
  reset(): void;
  focus(options?: FocusOptions): void;
}
declare global {
  interface HTMLElementTagNameMap {
    "keyin-card-form": KeyinCardForm;
  }
  interface HTMLElementEventMap {
    "keyin-change": CustomEvent<KeyinChangeDetail>;
    "keyin-complete": CustomEvent<KeyinChangeDetail>;
  }
}
