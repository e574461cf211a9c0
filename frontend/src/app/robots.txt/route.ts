/** robots.txt: everything may be crawled but the preview; the CMS writes the sitemap. */
import { CMS_PUBLIC_URL } from "@/lib/config";
import { sitemapUrl } from "@/lib/feeds";
import { siteFor } from "@/lib/site";

export const dynamic = "force-dynamic";

export function GET(request: Request): Response {
  const site = siteFor(request.headers.get("host"));
  const body = [
    "User-agent: *",
    "Disallow: /preview/",
    "Disallow: /*/preview/",
    "",
    `Sitemap: ${sitemapUrl(CMS_PUBLIC_URL, site)}`,
    "",
  ].join("\n");
  return new Response(body, { headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
