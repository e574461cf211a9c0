/** A topic: its description and the latest of each kind of item on it. */
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { TopicPageDocument } from "@/gql/graphql";
import { queryData } from "@/lib/api";
import { CMS_PUBLIC_URL } from "@/lib/config";
import { allLocales, pageContext, pageMetadata, type PageContext } from "@/lib/context";
import { topicFeedLinks } from "@/lib/feeds";
import { localePath } from "@/lib/locales";
import { loadShell } from "@/lib/shell";
import Frame from "@/components/Frame";
import { Count, PositionCard, PressReleaseCard, PublicationCard } from "@/components/Cards";
import { metadataOrUnavailable, orUnavailable } from "@/components/Unavailable";

type Props = { params: Promise<{ locale: string; slug: string }> };

const load = cache(async (ctx: PageContext, slug: string) => {
  const data = await queryData(TopicPageDocument, { site: ctx.site, locale: ctx.locale, topic: slug });
  const topic = data.topics.find((t) => t.slug === slug) ?? data.defaultTopics.find((t) => t.slug === slug);
  if (!topic) notFound();
  return { ...data, topic };
});

async function makeMetadata({ params }: Props): Promise<Metadata> {
  const { locale, slug } = await params;
  const ctx = await pageContext(locale);
  const { topic } = await load(ctx, decodeURIComponent(slug));
  const path = `/topics/${topic.slug}/`;
  return pageMetadata({ ctx, title: topic.name, description: topic.description || `${ctx.m.topicItems}: ${topic.name}`, path: localePath(ctx.locale, path), alternates: allLocales(path), feeds: topicFeedLinks(CMS_PUBLIC_URL, ctx.site, ctx.locale, topic.slug, topic.name) });
}

async function renderTopicPage({ params }: Props) {
  const { locale, slug } = await params;
  const ctx = await pageContext(locale);
  const data = await load(ctx, decodeURIComponent(slug));
  const shell = await loadShell(ctx.site, ctx.locale);
  const { m } = ctx;
  const more = (type: string) => {
    const section = shell.sections.find((s) => s.pageType === type);
    return section ? `${section.path}?topic=${encodeURIComponent(data.topic.slug)}` : null;
  };
  const groups = [
    { title: m.publications, total: data.publications.pagination.total, more: more("PublicationIndexPage"), cards: data.publications.items.map((i) => <PublicationCard key={i.id} item={i} ctx={ctx} />) },
    { title: m.positions, total: data.positionPapers.pagination.total, more: more("PositionIndexPage"), cards: data.positionPapers.items.map((i) => <PositionCard key={i.id} item={i} ctx={ctx} />) },
    { title: m.pressReleases, total: data.pressReleases.pagination.total, more: more("PressReleaseIndexPage"), cards: data.pressReleases.items.map((i) => <PressReleaseCard key={i.id} item={i} ctx={ctx} />) },
  ].filter((g) => g.total > 0);
  return (
    <Frame ctx={ctx} alternates={allLocales(`/topics/${data.topic.slug}/`)}>
      <p className="tag">{m.topic}</p>
      <h1>{data.topic.name}</h1>
      {data.topic.description ? <p className="intro">{data.topic.description}</p> : null}
      {groups.length ? null : <p className="empty-state">{m.noResults}</p>}
      {groups.map((group) => (
        <section key={group.title} className="home-section">
          <h2>{group.title}</h2>
          <Count count={group.total} ctx={ctx} />
          <div className="cards">{group.cards}</div>
          {group.more && group.total > group.cards.length ? (
            <p>
              <a href={group.more}>{m.seeAll}: {group.title.toLowerCase()}</a>
            </p>
          ) : null}
        </section>
      ))}
    </Frame>
  );
}

export default async function TopicPage(props: Props) {
  return orUnavailable((await props.params).locale, () => renderTopicPage(props));
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  return metadataOrUnavailable((await props.params).locale, () => makeMetadata(props));
}
