import { describe, expect, it } from "vitest";
import { INDEXABLE_QUERY_LENGTH, normalizeQuery, readSearch, searchCanonical, searchIndexable } from "./searchState";

describe("search pages and search engines", () => {
  it("normalizes a query: one space between words, lower case", () => {
    expect(normalizeQuery("  Urban   SECURITY\t")).toBe("urban security");
    // Composed and decomposed accents are one query.
    expect(normalizeQuery("se\u0301curite\u0301")).toBe(normalizeQuery("sécurité"));
  });

  it("lets the landing page and a plain query's first page with results be indexed", () => {
    expect(searchIndexable(readSearch({}), null)).toBe(true);
    expect(searchIndexable(readSearch({ q: "police" }), 12)).toBe(true);
  });

  it("keeps filtered, sorted, later, empty, failed and long searches out of the index", () => {
    expect(searchIndexable(readSearch({ q: "police", type: "report" }), 3)).toBe(false);
    expect(searchIndexable(readSearch({ q: "police", topic: "drugs" }), 3)).toBe(false);
    expect(searchIndexable(readSearch({ q: "police", language: "fr" }), 3)).toBe(false);
    expect(searchIndexable(readSearch({ q: "police", year: "2019" }), 3)).toBe(false);
    expect(searchIndexable(readSearch({ q: "police", sort: "date" }), 12)).toBe(false);
    expect(searchIndexable(readSearch({ q: "police", page: "2" }), 12)).toBe(false);
    expect(searchIndexable(readSearch({ q: "zzqx" }), 0)).toBe(false);
    expect(searchIndexable(readSearch({ q: "police" }), null)).toBe(false); // the search did not answer
    const long = "police ".repeat(10);
    expect(normalizeQuery(long).length).toBeGreaterThan(INDEXABLE_QUERY_LENGTH);
    expect(searchIndexable(readSearch({ q: long }), 12)).toBe(false);
  });

  it("gives an indexable page the normalized query as canonical, any other page itself", () => {
    expect(searchCanonical("/search/", readSearch({}), true)).toBe("/search/");
    expect(searchCanonical("/fr/search/", readSearch({ q: " Urban  Security " }), true)).toBe("/fr/search/?q=urban+security");
    const filtered = readSearch({ q: "Police", type: "report", page: "2" });
    expect(searchCanonical("/search/", filtered, false)).toBe("/search/?q=Police&type=report&page=2");
  });
});
