/** The CMS's feeds and sitemap (the editorial app's URL contract). */
import type { Locale } from "./locales";

export type FeedName = "publications" | "positions" | "press-releases";
export type Feed = { type: "application/rss+xml" | "application/atom+xml"; href: string; title: string };

export function feedLinks(cmsUrl: string, site: string, locale: Locale, name: FeedName, title: string): Feed[] {
  const base = `${cmsUrl}/feeds/${site}/${locale}/${name}`;
  return [
    { type: "application/rss+xml", href: `${base}.rss`, title: `${title} (RSS)` },
    { type: "application/atom+xml", href: `${base}.atom`, title: `${title} (Atom)` },
  ];
}

export function topicFeedLinks(cmsUrl: string, site: string, locale: Locale, slug: string, title: string): Feed[] {
  const base = `${cmsUrl}/feeds/${site}/${locale}/topics/${encodeURIComponent(slug)}`;
  return [
    { type: "application/rss+xml", href: `${base}.rss`, title: `${title} (RSS)` },
    { type: "application/atom+xml", href: `${base}.atom`, title: `${title} (Atom)` },
  ];
}

export function sitemapUrl(cmsUrl: string, site: string): string {
  return `${cmsUrl}/sitemaps/${site}.xml`;
}

/** The feed of what an index page lists. */
export const FEED_OF_INDEX: Record<string, FeedName> = {
  PublicationIndexPage: "publications",
  PositionIndexPage: "positions",
  PressReleaseIndexPage: "press-releases",
  PublicationPage: "publications",
  PositionPaperPage: "positions",
  PressReleasePage: "press-releases",
};
