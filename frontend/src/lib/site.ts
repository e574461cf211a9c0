/** Which Wagtail site a request is for (its Host), and this front end's own origin. */
import { headers } from "next/headers";
import { SITES } from "./config";

/** The site's hostname for a Host header: "conference.localhost:3000" → "conference.localhost". */
export function siteFor(host: string | null | undefined, sites: readonly string[] = SITES): string {
  const hostname = (host ?? "").replace(/:\d+$/, "").toLowerCase();
  return sites.includes(hostname) ? hostname : sites[0];
}

export type RequestSite = { site: string; origin: string };

export async function requestSite(): Promise<RequestSite> {
  const all = await headers();
  const host = all.get("x-forwarded-host") ?? all.get("host") ?? "localhost";
  const proto = all.get("x-forwarded-proto") ?? "http";
  return { site: siteFor(host), origin: `${proto}://${host}` };
}
