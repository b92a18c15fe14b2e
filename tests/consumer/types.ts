// Type test: compiled with `tsc --noEmit` against the installed package's .d.ts.
import init, {
  checkBirth,
  checkCard,
  checkCardNumber,
  checkExpiry,
  checkPwd2Digit,
  formatCardNumberInput,
  getLocale,
  initSync,
  isValidCardNumber,
  maskCardNumber,
  setLocale,
  type Brand,
  type CardNumberCheck,
  type FieldError,
  type Locale,
} from "iamport-keyin";

export async function typed(): Promise<void> {
  await init();
  const c: CardNumberCheck = checkCardNumber("4111");
  const brand: Brand | null = c.brand;
  const brands: Brand[] = c.possibleBrands;
  const err: FieldError | null = c.error;
  const masked: string = c.masked;
  const expiry: string | null = checkExpiry("12/28", { today: "2026-11-28", locale: "en" }).value;
  const kind: "personal" | "business" | null = checkBirth("820213", { kind: "personal" }).kind;
  const pwd: string | null = checkPwd2Digit("12").value;
  const card: { isValid: boolean; errors: FieldError[] } = checkCard({
    card_number: "4111",
    expiry: "12/28",
    birth: "820213",
  });
  const f: { value: string; caret: number } = formatCardNumberInput("4111", 4);
  const m: string | null = maskCardNumber("4111");
  const ok: boolean = setLocale("en") && isValidCardNumber("4111");
  const loc: Locale = getLocale();
  const sync: typeof initSync = initSync;
  void [brand, brands, err, masked, expiry, kind, pwd, card, f, m, ok, loc, sync];

  // @ts-expect-error: only "ko" and "en" exist
  setLocale("fr");
  // @ts-expect-error: a brand is a string union, not a number
  const wrong: number = c.brand;
  // @ts-expect-error: misspelt option
  checkExpiry("12/28", { todday: "2026-11-28" });
  // @ts-expect-error: kind is "personal" | "business"
  checkBirth("820213", { kind: "corporate" });
  void wrong;
}
