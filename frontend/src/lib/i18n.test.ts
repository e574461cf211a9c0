import { describe, expect, it } from "vitest";
// @ts-expect-error -- Next.js bundles path-to-regexp (what its rewrites use) without types.
import { pathToRegexp } from "next/dist/compiled/path-to-regexp";
import { formatDisplayDate, formatFileSize } from "./format";
import { localePath, splitLocale } from "./locales";
import { fill, MESSAGES, messages } from "./messages";
import { localeRewrites } from "./routing";

describe("interface strings", () => {
  it("are complete in French", () => {
    for (const [key, value] of Object.entries(MESSAGES.en)) {
      expect(MESSAGES.fr[key as keyof typeof MESSAGES.en], key).toBeTruthy();
      expect(typeof value).toBe("string");
    }
  });

  it("fall back to English word by word in the other languages", () => {
    expect(messages("de").search).toBe("Suche");
    expect(messages("de").didYouMean).toBe(MESSAGES.en.didYouMean);
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
