import { describe, expect, it } from "vitest";
// @ts-expect-error -- Next.js bundles path-to-regexp (what its rewrites use) without types.
import { pathToRegexp } from "next/dist/compiled/path-to-regexp";
import { formatDisplayDate, formatFileSize } from "./format";
import { LOCALES, localePath, splitLocale, type Locale } from "./locales";
import { fill, inSentence, MESSAGES, messages, resultCount } from "./messages";
import { localeRewrites } from "./routing";

// Words each language writes as English does, checked by a reader of that language; any
// other string equal to its English one is an untranslated leftover.
const SAME_AS_ENGLISH: Record<Exclude<Locale, "en">, string[]> = {
  fr: ["suggestions", "type", "pagination", "date", "pages", "facetType", "publications", "publication", "fileSize"],
  de: ["downloads", "fileSize"],
  es: ["fileSize"],
  it: ["home", "fileSize"],
  pt: ["fileSize"],
};
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
const english = MESSAGES.en as Record<string, string>;

describe("interface strings", () => {
  it("exist for every locale", () => {
    expect(Object.keys(MESSAGES).sort()).toEqual([...LOCALES].sort());
  });

  describe.each(LOCALES.filter((locale) => locale !== "en"))("in %s", (locale) => {
    const words = MESSAGES[locale] as Record<string, string>;

    it("have every key of the English ones, and no other", () => {
      expect(Object.keys(words).sort()).toEqual(Object.keys(english).sort());
    });

    it("are all translated, not left in English", () => {
      const same = Object.keys(english).filter((key) => words[key] === english[key]);
      expect(same.sort()).toEqual([...SAME_AS_ENGLISH[locale]].sort());
    });

    it("keep the English strings' {placeholders}", () => {
      for (const key of Object.keys(english)) {
        expect(words[key].trim(), key).not.toBe("");
        expect(placeholders(words[key]), key).toEqual(placeholders(english[key]));
      }
    });

    it("are what messages() gives", () => {
      expect(messages(locale)).toBe(MESSAGES[locale]);
    });
  });

  it("read as their language does", () => {
    expect(messages("de").search).toBe("Suche");
    expect(messages("es").didYouMean).toBe("¿Quiso decir");
    expect(fill(messages("it").pageOf, { page: 2, pages: 9 })).toBe("Pagina 2 di 9");
    expect(fill(messages("pt").searchResults, { query: "mediação" })).toBe("Resultados da pesquisa por «mediação»");
  });

  it("put a heading in a sentence in lower case, but keep German nouns' capitals", () => {
    expect(inSentence(MESSAGES.fr.latestPublications, "fr")).toBe("dernières publications");
    expect(inSentence(MESSAGES.de.latestPublications, "de")).toBe("Neueste Publikationen");
  });

  it("count results in each language's plural forms", () => {
    expect(resultCount(MESSAGES.en, 1, "en")).toBe("1 result");
    expect(resultCount(MESSAGES.en, 1234, "en")).toBe("1,234 results");
    expect(resultCount(MESSAGES.fr, 0, "fr")).toBe("0 résultat");
    expect(resultCount(MESSAGES.de, 1, "de")).toBe("1 Ergebnis");
    expect(resultCount(MESSAGES.de, 1234, "de")).toBe("1.234 Ergebnisse");
    expect(resultCount(MESSAGES.pt, 0, "pt")).toBe("0 resultados");
    expect(resultCount(MESSAGES.pt, 1, "pt")).toBe("1 resultado");
  });

  it("take their values", () => {
    expect(fill(MESSAGES.fr.pageOf, { page: 2, pages: 9 })).toBe("Page 2 sur 9");
  });
});

describe("dates and sizes per locale", () => {
  it("give a date to its known precision", () => {
    expect(formatDisplayDate("2017", "fr")).toBe("2017");
    expect(formatDisplayDate("2025-04", "en")).toBe("April 2025");
    expect(formatDisplayDate("2025-04", "fr")).toBe("avril 2025");
    expect(formatDisplayDate("2024-12-05", "fr")).toBe("5 décembre 2024");
  });

  it("write file sizes with the locale's decimal mark", () => {
    expect(formatFileSize(1_536_000, "en")).toBe("1.5 MB");
    expect(formatFileSize(1_536_000, "fr")).toMatch(/^1,5\s?Mo$/);
  });
});

describe("locale paths", () => {
  it("have no prefix in English and one in the other languages", () => {
    expect(localePath("en", "/publications/")).toBe("/publications/");
    expect(localePath("fr", "/publications/")).toBe("/fr/publications/");
    expect(splitLocale("/fr/publications/x/")).toEqual({ locale: "fr", rest: "/publications/x/" });
    expect(splitLocale("/french-cities/")).toEqual({ locale: "en", rest: "/french-cities/" });
  });

  it("are rewritten to the English routes only when unprefixed", () => {
    const rule = localeRewrites[1];
    const pattern = pathToRegexp(rule.source);
    expect(pattern.test("/publications/x/")).toBe(true);
    expect(pattern.test("/french-cities/")).toBe(true);
    expect(pattern.test("/fr/publications/")).toBe(false);
    expect(pattern.test("/fr")).toBe(false);
    expect(pattern.test("/_next/static/x.js")).toBe(false);
    expect(pattern.test("/robots.txt")).toBe(false);
  });
});
