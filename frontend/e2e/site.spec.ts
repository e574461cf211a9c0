/** The public's paths through the site, in a real browser, against the real CMS. */
import { expect, test } from "@playwright/test";
import { api, CONFERENCE, screenshot, TRANSLATED } from "./helpers";

test("the home page lists the latest of each kind of item", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("European Forum for Urban Security");
  await expect(page.getByRole("heading", { name: "Latest publications" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Latest press releases" })).toBeVisible();
  // Feed readers find the CMS's feeds from the page.
  const feeds = page.locator('link[rel="alternate"][type="application/rss+xml"]');
  await expect(feeds.first()).toHaveAttribute("href", /\/feeds\/localhost\/en\/publications\.rss$/);
  await screenshot(page, "home");
});

test("the catalogue is browsed and filtered by links, every state in the URL", async ({ page }) => {
  await page.goto("/publications/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Publications");
  const count = page.locator(".count");
  await expect(count).toHaveText("45 results");
  const region = (name: string) => page.getByRole("region", { name });
  const link = (filter: string, name: string) => region(filter).getByRole("link", { name, exact: true });

  // Every filter's counts are exact (the demo content's, with e2e/cms_setup.py's additions):
  // what choosing the value would list, the other filters applied.
  await expect(link("Type", "Report (16)")).toBeVisible();
  await expect(link("Type", "Other (11)")).toBeVisible();
  await expect(region("Type").locator(".empty")).toHaveText(["Newsletter (0)"]); // shown, not a link
  await expect(link("Topic", "radicalisation (8)")).toBeVisible();
  await expect(link("Topic", "urban security policy (6)")).toBeVisible();
  await expect(region("Year").getByRole("link")).toHaveCount(16); // the years with items, newest first
  await expect(region("Year").getByRole("link").first()).toHaveText("2025 (1)");
  await expect(link("Year", "2021 (4)")).toBeVisible();
  await expect(link("Language", "English (32)")).toBeVisible();
  await expect(link("Language", "French (19)")).toBeVisible();

  await link("Type", "Report (16)").click();
  await expect(page).toHaveURL(/\/publications\/\?type=report$/);
  await expect(count).toHaveText("16 results");
  for (const tag of await page.locator(".cards .tag").allTextContents()) expect(tag).toBe("Report");
  // A facet leaves its own filter out: the other types still count as before; the rest narrow.
  await expect(link("Type", "Guide (4)")).toBeVisible();
  await expect(region("Type").locator('[aria-current="true"]')).toHaveText("Report (16)");
  await expect(link("Topic", "radicalisation (5)")).toBeVisible();
  await expect(link("Year", "2016 (2)")).toBeVisible();

  await link("Language", "French (6)").click();
  await expect(page).toHaveURL(/type=report&language=fr/);
  await expect(count).toHaveText("6 results");
  await expect(region("Type").locator('[aria-current="true"]')).toHaveText("Report (6)");
  await expect(link("Type", "Guide (2)")).toBeVisible();
  await expect(region("Type").locator(".empty")).toHaveText(["Methodological tool (0)", "Policy paper (0)", "Newsletter (0)"]);
  await expect(region("Language").locator('[aria-current="true"]')).toHaveText("French (6)");
  await expect(link("Language", "English (11)")).toBeVisible();
  await expect(region("Year").getByRole("link")).toHaveText(["2017 (1)", "2016 (2)", "2015 (1)", "2013 (1)"]);

  await page.getByRole("navigation", { name: "Sort" }).getByRole("link", { name: "Title A–Z" }).click();
  await expect(page).toHaveURL(/order=title/);
  const titles = await page.locator(".cards h3").allTextContents();
  // Ordered by their first letter (how the database orders case within a letter varies).
  const initials = titles.map((t) => t[0].toLowerCase());
  expect(initials).toEqual([...initials].sort());
  await screenshot(page, "catalogue");

  // Without JavaScript too: the same URL answers with the filtered list and its counts.
  const html = await (await page.request.get("/publications/?type=report")).text();
  expect(html).toContain("16 results");
  const text = html.replace(/<!-- -->/g, "").replace(/<[^>]+>/g, "");
  expect(text).toContain("radicalisation (5)");
  expect(text).toContain("Guide (4)");
});

test("a publication shows its cover, downloads and topics, and its PDF downloads", async ({ page, request }) => {
  const data = await api<{ publications: { items: { urlPath: string; downloads: { url: string; mimeType: string }[] }[] } }>(
    request,
    `{ publications(site: "localhost", perPage: 60) { items { urlPath downloads { url mimeType } } } }`,
  );
  const item = data.publications.items.find((i) => i.downloads.some((d) => d.mimeType === "application/pdf"))!;
  await page.goto(item.urlPath);
  const cover = page.locator("img.cover");
  await expect(cover).toHaveAttribute("srcset", /320w/);
  await expect(cover).toHaveAttribute("alt", /.+/);
  await expect(page.getByRole("heading", { name: "Downloads" })).toBeVisible();
  await expect(page.locator('meta[property="og:image"]')).toHaveAttribute("content", /fill-600x848/);
  await expect(page.locator('link[rel="canonical"]')).toHaveAttribute("href", new RegExp(`${item.urlPath}$`));
  await screenshot(page, "publication");

  const pdfUrl = item.downloads.find((d) => d.mimeType === "application/pdf")!.url;
  const pdf = page.locator(`.downloads a[href="${pdfUrl}"]`);
  await expect(pdf.locator("xpath=..")).toContainText(/\(PDF, [\d.]+\s?[kMG]?B\)/);
  const href = (await pdf.getAttribute("href"))!;
  const [response] = await Promise.all([page.waitForResponse((r) => r.url() === href), pdf.click()]);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("application/pdf");
  // The bytes, fetched in the browser's context (Chromium's PDF viewer shows, not gives, them).
  const file = await page.context().request.get(href);
  expect((await file.body()).subarray(0, 5).toString()).toBe("%PDF-");
});

test("a position paper and a press release show their own details", async ({ page, request }) => {
  const data = await api<{ positionPapers: { items: { urlPath: string }[] }; pressReleases: { items: { urlPath: string }[] } }>(
    request,
    `{ positionPapers(site: "localhost", kind: "declaration", perPage: 1) { items { urlPath } }
       pressReleases(site: "localhost", perPage: 1) { items { urlPath } } }`,
  );
  await page.goto(data.positionPapers.items[0].urlPath);
  await expect(page.locator(".item .tag").first()).toHaveText("Declaration");
  await screenshot(page, "position");
  await page.goto(data.pressReleases.items[0].urlPath);
  await expect(page.locator(".item .tag").first()).toHaveText("Press release");
  await screenshot(page, "press-release");
  await page.goto("/positions/");
  await screenshot(page, "positions-catalogue");
});

test("a topic page lists what is on the topic", async ({ page }) => {
  await page.goto("/topics/drugs/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("drugs");
  await expect(page.locator(".card").first()).toBeVisible();
  await expect(page.locator('link[type="application/atom+xml"]').first()).toHaveAttribute("href", /\/feeds\/localhost\/en\/topics\/drugs\.atom$/);
  await screenshot(page, "topic");
  // Not translated into French yet: the page is there, in French, with the French items.
  const french = await page.goto("/fr/topics/drugs/");
  expect(french?.status()).toBe(200);
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("drugs");
});

test("a search with a typo offers the right word, and its results are highlighted", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("combobox", { name: "Search the catalogue" }).fill("polise");
  await page.getByRole("combobox", { name: "Search the catalogue" }).press("Enter");
  await expect(page).toHaveURL(/\/search\/\?q=polise/);
  const suggestion = page.locator(".did-you-mean a");
  await expect(suggestion).toHaveText("police");
  await suggestion.click();
  await expect(page).toHaveURL(/\?q=police$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Search results for “police”");
  await expect(page.locator(".hits mark").first()).toBeVisible();
  await expect(page.getByRole("region", { name: "Type" }).getByRole("link").first()).toBeVisible();
  await screenshot(page, "search");

  await page.getByRole("region", { name: "Type" }).getByRole("link", { name: /^Publication/ }).click();
  await expect(page).toHaveURL(/type=publication/);
  for (const tag of await page.locator(".hits .tag").allTextContents()) expect(tag).toBe("Publication");
});

test("search engines may index a plain query's first page, not its variations", async ({ page }) => {
  const robots = page.locator('meta[name="robots"]');
  const canonical = page.locator('link[rel="canonical"]');
  // The landing page and a plain query with results: indexable, the query normalized.
  await page.goto("/search/");
  await expect(robots).toHaveCount(0);
  await expect(canonical).toHaveAttribute("href", /\/search\/$/);
  await page.goto("/search/?q=%20Police%20%20");
  await expect(page.locator(".hits li").first()).toBeVisible();
  await expect(robots).toHaveCount(0);
  await expect(canonical).toHaveAttribute("href", /\/search\/\?q=police$/);
  await expect(page.locator('meta[name="description"]')).toHaveAttribute("content", /^\d+ results: .+/);
  // Filtered, sorted, later and empty pages: kept out, their links still followed.
  for (const path of ["/search/?q=police&type=publication", "/search/?q=police&sort=date", "/search/?q=police&page=2", "/search/?q=zzqxjv"]) {
    await page.goto(path);
    await expect(robots, path).toHaveAttribute("content", "noindex, follow");
  }
  // A list without a search description of its own still has a description.
  await page.goto("/publications/");
  await expect(page.locator('meta[name="description"]')).toHaveAttribute("content", "Publications · European Forum for Urban Security");
});

test("the search works from the keyboard alone, suggestions included", async ({ page }) => {
  await page.goto("/");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to main content" })).toBeFocused();
  const box = page.getByRole("combobox", { name: "Search the catalogue" });
  for (let i = 0; i < 25 && !(await box.evaluate((el) => el === document.activeElement)); i += 1) await page.keyboard.press("Tab");
  await expect(box).toBeFocused();
  await page.keyboard.type("radicali", { delay: 30 });
  const options = page.getByRole("option");
  await expect(options.first()).toBeVisible();
  await expect(box).toHaveAttribute("aria-expanded", "true");
  await page.keyboard.press("ArrowDown");
  await expect(options.first()).toHaveAttribute("aria-selected", "true");
  const title = (await options.first().textContent())!;
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);

  // Escape closes the suggestions and Enter submits the words typed.
  const again = page.getByRole("combobox", { name: "Search the catalogue" });
  await again.focus();
  await page.keyboard.type("prevention", { delay: 20 });
  await expect(options.first()).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(again).toHaveAttribute("aria-expanded", "false");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/search\/\?q=prevention/);
  await expect(page.locator(".hits li").first()).toBeVisible();
});

test("the language switcher follows the item's translations", async ({ page }) => {
  await page.goto(TRANSLATED);
  await expect(page.locator('link[rel="alternate"][hreflang="fr"]')).toHaveAttribute("href", new RegExp(`/fr${TRANSLATED}$`));
  const switcher = page.getByRole("navigation", { name: "This page in another language" });
  // Only the languages the item exists in.
  await expect(switcher.getByRole("link")).toHaveCount(1);
  await switcher.getByRole("link", { name: "Français" }).click();
  await expect(page).toHaveURL(new RegExp(`/fr${TRANSLATED}$`));
  await expect(page.locator("html")).toHaveAttribute("lang", "fr");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(/^Traduction : /);
  await expect(page.getByRole("navigation", { name: "Cette page dans une autre langue" }).getByRole("link", { name: "English" })).toBeVisible();
  await screenshot(page, "publication-fr");

  await page.goto("/fr/publications/");
  await expect(page.getByRole("complementary", { name: "Filtres" })).toBeVisible();
  await expect(page.locator(".count")).toHaveText(/^1 résultats?$/);
  await screenshot(page, "catalogue-fr");
});

test("the conference site shows only its own content", async ({ page }) => {
  await page.goto(`${CONFERENCE}/`);
  await expect(page.locator(".site-name")).toHaveText("Security, Democracy & Cities");
  const sections = page.getByRole("navigation", { name: "Main" }).getByRole("link");
  await expect(sections.first()).toHaveText("Conference reports");
  await sections.first().click();
  await expect(page).toHaveURL(`${CONFERENCE}/reports/`);
  const links = await page.locator(".cards h3 a").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
  expect(links.length).toBeGreaterThan(0);
  for (const link of links) expect(link).toMatch(/^\/reports\//);
  await screenshot(page, "conference-catalogue");
  const network = await page.goto(`${CONFERENCE}/publications/`);
  expect(network?.status()).toBe(404);
});

test("an unknown address is a 404 page", async ({ page }) => {
  const response = await page.goto("/no-such-page/");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Page not found");
  await screenshot(page, "not-found");
  // In the address's language, with the way back to that language's pages.
  const german = await page.goto("/de/keine-solche-seite/");
  expect(german?.status()).toBe(404);
  await expect(page.locator("html")).toHaveAttribute("lang", "de");
  await expect(page).toHaveTitle("Seite nicht gefunden");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Seite nicht gefunden");
  await expect(page.getByRole("main")).not.toContainText("Page not found");
  await expect(page.getByRole("link", { name: "Startseite", exact: true })).toHaveAttribute("href", "/de/");
  await expect(page.getByRole("link", { name: "Suche", exact: true })).toHaveAttribute("href", "/de/search/");
  const portuguese = await page.goto("/pt/publications/no-such-publication/");
  expect(portuguese?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Página não encontrada");
});
