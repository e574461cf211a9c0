/**
 * Locale routing: English pages have no prefix (as Wagtail's paths), the other five have
 * theirs (/fr/...). Unprefixed paths are rewritten to the app's [locale] = "en" routes
 * (next.config.ts; a rewrite there stays inside the server, whatever the Host).
 */
import { DEFAULT_LOCALE, LOCALES } from "./locales";

const prefixed = [...LOCALES, "_next"].join("|");

/** Next.js rewrites (path-to-regexp): any path whose first segment is not a locale. */
export const localeRewrites = [
  { source: "/", destination: `/${DEFAULT_LOCALE}/` },
  {
    source: `/:first((?!(?:${prefixed}|robots\\.txt|favicon\\.ico)(?:/|$))[^/]+)/:rest*`,
    destination: `/${DEFAULT_LOCALE}/:first/:rest*`,
  },
];
