/** The header's data: the site's name and sections, in the reader's language where the
 * pages are translated. A section not translated still opens in the reader's language:
 * its list shows the items of that language (app/[locale]/[...path]). */
import { cache } from "react";
import { ShellDocument } from "@/gql/graphql";
import { queryData } from "./api";
import { localePath, splitLocale, type Locale } from "./locales";

export const SECTION_TYPES = ["PublicationIndexPage", "PositionIndexPage", "PressReleaseIndexPage"];

export type Section = { title: string; path: string; pageType: string };

export const loadShell = cache(async (site: string, locale: Locale) => {
  const data = await queryData(ShellDocument, { site, home: localePath(locale, "/") });
  const local = new Map((data.local?.children ?? []).map((c) => [c.pageType, c.title]));
  const sections: Section[] = (data.root?.children ?? [])
    .filter((c) => SECTION_TYPES.includes(c.pageType ?? ""))
    .map((c) => ({
      title: local.get(c.pageType) ?? c.title,
      path: localePath(locale, splitLocale(c.urlPath).rest),
      pageType: c.pageType ?? "",
    }));
  return { title: data.local?.title ?? data.root?.title ?? site, sections };
});
