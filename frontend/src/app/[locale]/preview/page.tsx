/**
 * The admin's Preview button lands here (wagtail-headless-preview's CLIENT_URLS):
 * ?content_type=publications.publicationpage&token=... The draft is asked for with the
 * token (the API never caches it), shown under a banner, and kept out of search engines.
 */
import type { Metadata } from "next";
import { PreviewPositionDocument, PreviewPressReleaseDocument, PreviewPublicationDocument } from "@/gql/graphql";
import { errorCode, query } from "@/lib/api";
import { pageContext } from "@/lib/context";
import { isLocale } from "@/lib/locales";
import { messages } from "@/lib/messages";
import Frame from "@/components/Frame";
import Item, { type ItemData } from "@/components/Item";
import { orUnavailable } from "@/components/Unavailable";

type Props = { params: Promise<{ locale: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export const metadata: Metadata = { title: "Preview", robots: { index: false, follow: false } };

async function loadDraft(contentType: string, token: string) {
  if (contentType === "positions.positionpaperpage") {
    const result = await query(PreviewPositionDocument, { token }, { preview: true });
    return { item: result.data?.positionPaper ?? null, code: errorCode(result) };
  }
  if (contentType === "positions.pressreleasepage") {
    const result = await query(PreviewPressReleaseDocument, { token }, { preview: true });
    return { item: result.data?.pressRelease ?? null, code: errorCode(result) };
  }
  const result = await query(PreviewPublicationDocument, { token }, { preview: true });
  return { item: result.data?.publication ?? null, code: errorCode(result) };
}

async function renderPreviewPage({ params, searchParams }: Props) {
  const search = await searchParams;
  const token = String(search.token ?? "");
  const contentType = String(search.content_type ?? "");
  const { item, code } = token ? await loadDraft(contentType, token) : { item: null, code: "FORBIDDEN" };
  const base = await pageContext((await params).locale);
  // The draft's own language for the interface around it.
  const ctx = item && isLocale(item.locale) ? { ...base, locale: item.locale, m: messages(item.locale) } : base;
  const banner = (
    <div className="preview-banner" role="status">
      <strong>{ctx.m.previewBanner}</strong>
    </div>
  );
  return (
    <Frame ctx={ctx} alternates={[{ locale: ctx.locale, path: "#" }]} banner={banner}>
      {item ? (
        <Item item={item as ItemData} ctx={ctx} />
      ) : (
        <div className="notice" role="alert">
          <h1>{ctx.m.previewBanner}</h1>
          <p>{code === "PREVIEW_TOKEN_EXPIRED" ? ctx.m.previewExpired : ctx.m.previewInvalid}</p>
        </div>
      )}
    </Frame>
  );
}

export default async function PreviewPage(props: Props) {
  return orUnavailable((await props.params).locale, () => renderPreviewPage(props));
}
