/** The home page: the site's introduction and its latest publications, positions and press releases. */
import type { Metadata } from "next";
import { cache } from "react";
import { HomeDocument } from "@/gql/graphql";
import { queryData } from "@/lib/api";
import { CMS_PUBLIC_URL } from "@/lib/config";
import { allLocales, pageContext, pageMetadata, plainText, type PageContext } from "@/lib/context";
import { feedLinks } from "@/lib/feeds";
import { localePath } from "@/lib/locales";
import { loadShell } from "@/lib/shell";
import Frame from "@/components/Frame";
import { PositionCard, PressReleaseCard, PublicationCard } from "@/components/Cards";
import { metadataOrUnavailable, orUnavailable } from "@/components/Unavailable";

type Props = { params: Promise<{ locale: string }> };

const load = cache(async (ctx: PageContext) => queryData(HomeDocument, { site: ctx.site, locale: ctx.locale, home: localePath(ctx.locale, "/") }));

function feeds(ctx: PageContext) {
  const { m, site, locale } = ctx;
  return [
    ...feedLinks(CMS_PUBLIC_URL, site, locale, "publications", m.publications),
    ...feedLinks(CMS_PUBLIC_URL, site, locale, "positions", m.positions),
    ...feedLinks(CMS_PUBLIC_URL, site, locale, "press-releases", m.pressReleases),
  ];
}

async function makeMetadata({ params }: Props): Promise<Metadata> {
  const ctx = await pageContext((await params).locale);
  const [data, shell] = await Promise.all([load(ctx), loadShell(ctx.site, ctx.locale)]);
  return pageMetadata({
    ctx,
    title: data.page?.seoTitle || shell.title,
    description: data.page?.searchDescription || plainText(data.page && "intro" in data.page ? data.page.intro : "") || shell.title,
    path: localePath(ctx.locale, "/"),
    alternates: allLocales("/"),
    feeds: feeds(ctx),
  });
}

async function renderHomePage({ params }: Props) {
  const ctx = await pageContext((await params).locale);
  const [data, shell] = await Promise.all([load(ctx), loadShell(ctx.site, ctx.locale)]);
  const { m } = ctx;
  const intro = data.page && "intro" in data.page ? data.page.intro : null;
  const section = (type: string) => shell.sections.find((s) => s.pageType === type)?.path;
  const blocks = [
    { title: m.latestPublications, more: section("PublicationIndexPage"), items: data.publications.items.map((item) => <PublicationCard key={item.id} item={item} ctx={ctx} />) },
    { title: m.latestPositions, more: section("PositionIndexPage"), items: data.positionPapers.items.map((item) => <PositionCard key={item.id} item={item} ctx={ctx} />) },
    { title: m.latestPressReleases, more: section("PressReleaseIndexPage"), items: data.pressReleases.items.map((item) => <PressReleaseCard key={item.id} item={item} ctx={ctx} />) },
  ].filter((block) => block.items.length);
  return (
    <Frame ctx={ctx} alternates={allLocales("/")}>
      <h1>{shell.title}</h1>
      {intro ? <div className="intro" dangerouslySetInnerHTML={{ __html: intro }} /> : null}
      {blocks.map((block) => (
        <section key={block.title} className="home-section">
          <h2>{block.title}</h2>
          <div className="cards">{block.items}</div>
          {block.more ? (
            <p>
              <a href={block.more}>{m.seeAll}: {block.title.toLowerCase()}</a>
            </p>
          ) : null}
        </section>
      ))}
    </Frame>
  );
}

export default async function HomePage(props: Props) {
  return orUnavailable((await props.params).locale, () => renderHomePage(props));
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  return metadataOrUnavailable((await props.params).locale, () => makeMetadata(props));
}
