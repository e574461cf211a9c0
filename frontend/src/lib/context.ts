/** What every page starts from: its locale and words, its site, this front end's origin. */
import { notFound } from "next/navigation";
import { cache } from "react";
import type { Metadata } from "next";
import { isLocale, LOCALES, localePath, type Locale } from "./locales";
import { messages, type Messages } from "./messages";
import { loadShell } from "./shell";
import { requestSite } from "./site";
import type { Feed } from "./feeds";

export type PageContext = { locale: Locale; m: Messages; site: string; origin: string };

export const pageContext = cache(async (locale: string): Promise<PageContext> => {
  if (!isLocale(locale)) notFound();
  const { site, origin } = await requestSite();
  // Every page's header needs the shell: asked now, beside the page's own first query rather
  // than after it (cached for the request; a failure is the caller's to see when it awaits).
  loadShell(site, locale).catch(() => undefined);
  return { locale, m: messages(locale), site, origin };
});

export type Alternate = { locale: Locale; path: string; title?: string };

/** Every locale at the same path: the interface exists in all six (lists, search, topics). */
export function allLocales(path: string): Alternate[] {
  return LOCALES.map((locale) => ({ locale, path: localePath(locale, path) }));
}

type MetaInput = {
  ctx: PageContext;
  title: string;
  description?: string | null;
  path: string;
  alternates: Alternate[];
  feeds?: Feed[];
  image?: { url: string; width?: number; height?: number; alt?: string } | null;
  noindex?: boolean;
  type?: "website" | "article";
};

/** Title, description, canonical, hreflang alternates, feeds and Open Graph of a page. */
export function pageMetadata({ ctx, title, description, path, alternates, feeds = [], image, noindex, type = "website" }: MetaInput): Metadata {
  const languages: Record<string, string> = {};
  for (const alternate of alternates) languages[alternate.locale] = ctx.origin + alternate.path;
  const english = alternates.find((a) => a.locale === "en");
  if (english) languages["x-default"] = ctx.origin + english.path;
  const types: Record<string, { url: string; title: string }[]> = {};
  for (const feed of feeds) (types[feed.type] ??= []).push({ url: feed.href, title: feed.title });
  return {
    title,
    description: description || undefined,
    metadataBase: new URL(ctx.origin),
    alternates: { canonical: ctx.origin + path, languages, types },
    openGraph: {
      title,
      description: description || undefined,
      url: ctx.origin + path,
      locale: ctx.locale,
      type,
      images: image ? [{ url: image.url, width: image.width, height: image.height, alt: image.alt }] : undefined,
    },
    robots: noindex ? { index: false, follow: false } : undefined,
  };
}

/** Rich text's plain words, for a meta description. */
export function plainText(html: string | null | undefined, max = 200): string {
  const text = (html ?? "").replace(/<[^>]*>/g, " ").replace(/&nbsp;/g, " ").replace(/&amp;/g, "&").replace(/\s+/g, " ").trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}
