/** Dates, numbers and file sizes written the way each locale writes them. */
import type { Locale } from "./locales";

// Building an Intl formatter costs far more than using one, and a page formats dozens of
// dates and numbers in one of six locales: each kind is built once per locale and options.
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.DisplayNames | Intl.PluralRules>();

function formatter<T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.DisplayNames | Intl.PluralRules>(key: string, make: () => T): T {
  let found = formatters.get(key) as T | undefined;
  if (!found) {
    found = make();
    formatters.set(key, found);
  }
  return found;
}

/** The API's displayDate ("2017", "2025-04", "2024-12-05"), to its known precision. */
export function formatDisplayDate(value: string | null | undefined, locale: Locale): string {
  if (!value) return "";
  const [year, month, day] = value.split("-").map(Number);
  if (!month) return String(year);
  const date = new Date(Date.UTC(year, month - 1, day || 1));
  const options: Intl.DateTimeFormatOptions = day
    ? { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" }
    : { year: "numeric", month: "long", timeZone: "UTC" };
  return formatter(`date ${locale} ${day ? "day" : "month"}`, () => new Intl.DateTimeFormat(locale, options)).format(date);
}

export function formatNumber(value: number, locale: Locale): string {
  return formatter(`number ${locale}`, () => new Intl.NumberFormat(locale)).format(value);
}

/** 1536000 → "1.5 MB" / "1,5 Mo" (decimal units, as file managers show them). */
export function formatFileSize(bytes: number | null | undefined, locale: Locale): string {
  if (bytes == null) return "";
  const units = ["byte", "kilobyte", "megabyte", "gigabyte"] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const make = () =>
    new Intl.NumberFormat(locale, {
      style: "unit",
      unit: units[unit],
      unitDisplay: "short",
      maximumFractionDigits: unit === 0 ? 0 : 1,
    });
  return formatter(`size ${locale} ${units[unit]}`, make).format(value);
}

/** A language's name in the reader's language: "fr" → "French" / "français". */
export function languageName(code: string, locale: Locale): string {
  try {
    return formatter(`language ${locale}`, () => new Intl.DisplayNames([locale], { type: "language" })).of(code) ?? code;
  } catch {
    return code;
  }
}

/** Whether `count` takes the singular in `locale` (European Portuguese's rules for "pt"). */
export function isSingular(count: number, locale: Locale): boolean {
  const rules = formatter(`plural ${locale}`, () => new Intl.PluralRules(locale === "pt" ? "pt-PT" : locale));
  return rules.select(count) === "one";
}
