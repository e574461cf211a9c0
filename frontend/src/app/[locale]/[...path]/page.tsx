/**
 * Any page of the site by its path, as the API routes it: an index page (a catalogue) or an
 * item (publication, position paper, press release). An index page not translated into the
 * reader's language is shown from the default language's, listing the reader's items.
 */
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { RouteDocument, type RouteQuery } from "@/gql/graphql";
import { queryData } from "@/lib/api";
import { CMS_PUBLIC_URL } from "@/lib/config";
import { allLocales, pageContext, pageMetadata, plainText, type Alternate, type PageContext } from "@/lib/context";
import { FEED_OF_INDEX, feedLinks } from "@/lib/feeds";
import { isLocale, localePath } from "@/lib/locales";
import { loadShell, SECTION_TYPES } from "@/lib/shell";
import Catalogue from "@/components/Catalogue";
import Frame from "@/components/Frame";
import Item from "@/components/Item";
import { metadataOrUnavailable, orUnavailable } from "@/components/Unavailable";

type Props = { params: Promise<{ locale: string; path: string[] }>; searchParams: Promise<Record<string, string | string[] | undefined>> };
type Found = NonNullable<RouteQuery["page"]>;

// Keyed by the path as a string: the metadata's and the page's `params` are not the same
// array, and the page would ask the API for its route twice.
const resolvePath = cache(async (ctx: PageContext, joined: string) => {
  const rest = `/${joined}/`;
  const path = localePath(ctx.locale, rest);
  const page = (await queryData(RouteDocument, { site: ctx.site, path })).page;
  if (page) return { page, path, rest };
  if (ctx.locale !== "en") {
    const fallback = (await queryData(RouteDocument, { site: ctx.site, path: rest })).page;
    if (fallback && SECTION_TYPES.includes(fallback.__typename)) return { page: fallback, path, rest };
  }
  notFound();
});

function resolve(ctx: PageContext, segments: string[]) {
  return resolvePath(ctx, segments.map(decodeURIComponent).join("/"));
}

function alternatesOf(page: Found, rest: string, ctx: PageContext): Alternate[] {
  if (SECTION_TYPES.includes(page.__typename)) return allLocales(rest);
  const all: Alternate[] = [{ locale: ctx.locale, path: page.urlPath, title: page.title }];
  for (const t of page.translations) if (isLocale(t.locale)) all.push({ locale: t.locale, path: t.urlPath, title: t.title });
  return all.sort((a, b) => a.locale.localeCompare(b.locale));
}

function feedsOf(page: Found, ctx: PageContext) {
  const feed = FEED_OF_INDEX[page.__typename];
  const label = feed === "publications" ? ctx.m.publications : feed === "positions" ? ctx.m.positions : ctx.m.pressReleases;
  return feed ? feedLinks(CMS_PUBLIC_URL, ctx.site, ctx.locale, feed, label) : [];
}

async function makeMetadata({ params }: Props): Promise<Metadata> {
  const { locale, path: segments } = await params;
  const ctx = await pageContext(locale);
  const [{ page, path, rest }, shell] = await Promise.all([resolve(ctx, segments), loadShell(ctx.site, ctx.locale)]);
  const summary = "summary" in page ? page.summary : "intro" in page ? page.intro : "";
  const cover = page.__typename === "PublicationPage" ? page.coverImage : null;
  return pageMetadata({
    ctx,
    title: page.seoTitle || page.title,
    // A page without a search description nor a summary (a list, often) still gets one.
    description: page.searchDescription || plainText(summary) || `${page.title} · ${shell.title}`,
    path,
    alternates: alternatesOf(page, rest, ctx),
    feeds: feedsOf(page, ctx),
    image: cover?.rendition ? { ...cover.rendition, alt: cover.description || page.title } : null,
    type: SECTION_TYPES.includes(page.__typename) ? "website" : "article",
  });
}

async function renderRoutedPage({ params, searchParams }: Props) {
  const { locale, path: segments } = await params;
  const ctx = await pageContext(locale);
  const { page, path, rest } = await resolve(ctx, segments);
  const alternates = alternatesOf(page, rest, ctx);
  if (page.__typename === "PublicationPage" || page.__typename === "PositionPaperPage" || page.__typename === "PressReleasePage") {
    return (
      <Frame ctx={ctx} alternates={alternates}>
        <Item item={page} ctx={ctx} />
      </Frame>
    );
  }
  if (!SECTION_TYPES.includes(page.__typename)) notFound();
  const intro = "intro" in page ? page.intro : null;
  return (
    <Frame ctx={ctx} alternates={alternates}>
      <h1>{page.title}</h1>
      {intro ? <div className="intro" dangerouslySetInnerHTML={{ __html: intro }} /> : null}
      <Catalogue kind={page.__typename} path={path} ctx={ctx} params={await searchParams} />
    </Frame>
  );
}

export default async function RoutedPage(props: Props) {
  return orUnavailable((await props.params).locale, () => renderRoutedPage(props));
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  return metadataOrUnavailable((await props.params).locale, () => makeMetadata(props));
}
