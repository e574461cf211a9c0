/** The page when the CMS's API does not answer (server.mjs makes it a 503): what happened
 * and what to do, in the reader's language; no header, since it too comes from the API. */
import type { Metadata } from "next";
import type { ReactNode } from "react";
import { ApiUnavailable } from "@/lib/api";
import { isLocale } from "@/lib/locales";
import { messages } from "@/lib/messages";

function words(locale: string) {
  return messages(isLocale(locale) ? locale : "en");
}

export default function Unavailable({ locale }: { locale: string }) {
  const m = words(locale);
  return (
    <main id="main" className="wrap">
      <h1>{m.unavailableTitle}</h1>
      <p>{m.unavailableText}</p>
    </main>
  );
}

/** The page `render` makes, or the outage message if the API is down. */
export async function orUnavailable(locale: string, render: () => Promise<ReactNode>): Promise<ReactNode> {
  try {
    return await render();
  } catch (error) {
    if (error instanceof ApiUnavailable) {
      console.error(error.message); // the outage, once per page, in the server's log
      return <Unavailable locale={locale} />;
    }
    throw error;
  }
}

export async function metadataOrUnavailable(locale: string, make: () => Promise<Metadata>): Promise<Metadata> {
  try {
    return await make();
  } catch (error) {
    if (error instanceof ApiUnavailable) return { title: words(locale).unavailableTitle, robots: { index: false } };
    throw error;
  }
}
