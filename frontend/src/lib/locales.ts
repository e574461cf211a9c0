/** The six languages of the CMS (WAGTAIL_CONTENT_LANGUAGES); English paths have no prefix. */
export const LOCALES = ["en", "fr", "es", "it", "de", "pt"] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = "en";

export const LOCALE_NAMES: Record<Locale, string> = {
  en: "English",
  fr: "Français",
  es: "Español",
  it: "Italiano",
  de: "Deutsch",
  pt: "Português",
};

export function isLocale(value: string | undefined): value is Locale {
  return (LOCALES as readonly string[]).includes(value ?? "");
}

/** "/publications/x/" in `locale`: the path Wagtail gives that page's translation. */
export function localePath(locale: Locale, path: string): string {
  const clean = path.startsWith("/") ? path : `/${path}`;
  return locale === DEFAULT_LOCALE ? clean : `/${locale}${clean}`;
}

/** The locale a path is in, and the path without its prefix. */
export function splitLocale(path: string): { locale: Locale; rest: string } {
  const match = /^\/([a-z]{2})(\/.*|$)/.exec(path);
  if (match && isLocale(match[1]) && match[1] !== DEFAULT_LOCALE) {
    return { locale: match[1], rest: match[2] || "/" };
  }
  return { locale: DEFAULT_LOCALE, rest: path };
}
