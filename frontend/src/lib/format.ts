/** Dates, numbers and file sizes written the way each locale writes them. */
import type { Locale } from "./locales";

/** The API's displayDate ("2017", "2025-04", "2024-12-05"), to its known precision. */
export function formatDisplayDate(value: string | null | undefined, locale: Locale): string {
  if (!value) return "";
  const [year, month, day] = value.split("-").map(Number);
  if (!month) return String(year);
  const date = new Date(Date.UTC(year, month - 1, day || 1));
  const options: Intl.DateTimeFormatOptions = day
    ? { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" }
    : { year: "numeric", month: "long", timeZone: "UTC" };
  return new Intl.DateTimeFormat(locale, options).format(date);
}

export function formatNumber(value: number, locale: Locale): string {
  return new Intl.NumberFormat(locale).format(value);
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
  return new Intl.NumberFormat(locale, {
    style: "unit",
    unit: units[unit],
    unitDisplay: "short",
    maximumFractionDigits: unit === 0 ? 0 : 1,
  }).format(value);
}

/** A language's name in the reader's language: "fr" → "French" / "français". */
export function languageName(code: string, locale: Locale): string {
  try {
    return new Intl.DisplayNames([locale], { type: "language" }).of(code) ?? code;
  } catch {
    return code;
  }
}
