import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { persistedUrl } from "./api";
import { feedLinks, sitemapUrl, topicFeedLinks } from "./feeds";
import { safeHighlight, searchHref, readSearch } from "./searchState";
import { siteFor } from "./site";

describe("persisted queries over GET", () => {
  const query = "{ topics { name slug } }";
  const hash = createHash("sha256").update(query).digest("hex");

  it("send the hash alone first", () => {
    const url = new URL(persistedUrl("http://cms", query, { a: 1 }, false));
    expect(url.pathname).toBe("/graphql/");
    expect(url.searchParams.get("query")).toBeNull();
    expect(JSON.parse(url.searchParams.get("extensions")!)).toEqual({ persistedQuery: { version: 1, sha256Hash: hash } });
    expect(JSON.parse(url.searchParams.get("variables")!)).toEqual({ a: 1 });
  });

  it("send the query with its hash when the API asks for it", () => {
    const url = new URL(persistedUrl("http://cms", query, {}, true));
    expect(url.searchParams.get("query")).toBe(query);
  });
});

describe("the CMS's feeds and sitemap", () => {
  it("follow the editorial app's URL contract", () => {
    expect(feedLinks("http://cms", "localhost", "fr", "press-releases", "x").map((f) => f.href)).toEqual([
      "http://cms/feeds/localhost/fr/press-releases.rss",
      "http://cms/feeds/localhost/fr/press-releases.atom",
    ]);
    expect(topicFeedLinks("http://cms", "conference.localhost", "en", "drugs", "x")[1].href).toBe("http://cms/feeds/conference.localhost/en/topics/drugs.atom");
    expect(sitemapUrl("http://cms", "localhost")).toBe("http://cms/sitemaps/localhost.xml");
  });
});

describe("search", () => {
  it("keeps the API's <mark> and nothing else of a highlight", () => {
    expect(safeHighlight("a <mark>police</mark> &lt;b&gt; <img src=x onerror=alert(1)>")).toBe("a <mark>police</mark> &lt;b&gt; ");
  });

  it("resets to page 1 when the words change", () => {
    const state = readSearch({ q: "polise", page: "3", topic: "drugs" });
    expect(searchHref("/search/", state, { q: "police" })).toBe("/search/?q=police&topic=drugs");
  });
});

describe("the site of a request", () => {
  it("is the Host's name, or the first site for any other host", () => {
    const sites = ["localhost", "conference.localhost"];
    expect(siteFor("conference.localhost:3000", sites)).toBe("conference.localhost");
    expect(siteFor("127.0.0.1:3000", sites)).toBe("localhost");
  });
});
