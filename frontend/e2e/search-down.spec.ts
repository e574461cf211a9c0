/**
 * Search down, everything else up: a second CMS on the e2e database whose search engine
 * really fails (Elasticsearch at a port nothing listens on: the client's connection is refused
 * and the engine raises SearchUnavailable) and a front end reading it, each on a free port,
 * both stopped at the end.
 *
 * The search page then says so and links the catalogue, with a 503 and Retry-After (no cache
 * keeps it, crawlers come back; a search result page is noindex anyway); the catalogue, which
 * reads the database, browses and filters; the search-as-you-type box offers nothing and shows
 * no error, and its form still submits.
 */
import { expect, test, type Page } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { answering, freePort, NETWORK, screenshot } from "./helpers";

const ROOT = path.resolve(__dirname, "..", "..");
const E2E_CMS = path.resolve(__dirname, "..", ".e2e-cms");

const cmsPort = freePort();
const webPort = freePort();
const deadPort = freePort(); // bound for a moment, then closed: nothing listens there
const CMS = `http://127.0.0.1:${cmsPort}`;
const WEB = `http://localhost:${webPort}`;
const servers: ChildProcess[] = [];
let cacheDir = "";

test.beforeAll(async () => {
  test.setTimeout(180_000);
  // Its own (empty) response cache: the working CMS's cached search answers are not served.
  cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-search-down-"));
  servers.push(
    spawn(path.join(ROOT, ".venv", "bin", "python"), ["manage.py", "runserver", `127.0.0.1:${cmsPort}`, "--noreload"], {
      cwd: ROOT,
      env: {
        ...process.env,
        DJANGO_SETTINGS_MODULE: "cms.settings.dev",
        CMS_VAR_DIR: cacheDir,
        DATABASE_URL: `sqlite:///${path.join(E2E_CMS, "db.sqlite3")}`,
        MEDIA_ROOT: path.join(E2E_CMS, "media"),
        ELASTICSEARCH_URL: `http://127.0.0.1:${deadPort}`,
        FRONTEND_URLS: `localhost=${WEB}`,
        CORS_ALLOWED_ORIGINS: WEB,
        GRAPHQL_CLIENT_KEYS: `frontend=${process.env.E2E_API_KEY}`,
        WAGTAILADMIN_BASE_URL: CMS,
      },
      stdio: "ignore",
    }),
  );
  servers.push(
    spawn(process.execPath, ["server.mjs", "--host", "127.0.0.1", "--port", webPort], {
      cwd: path.resolve(__dirname, ".."),
      env: { ...process.env, CMS_API_URL: CMS, CMS_PUBLIC_URL: CMS, CMS_API_KEY: process.env.E2E_API_KEY, NEXT_TELEMETRY_DISABLED: "1" },
      stdio: "ignore",
    }),
  );
  await answering(`${CMS}/healthz`);
  await answering(`http://127.0.0.1:${webPort}/robots.txt`);
});

test.afterAll(() => {
  for (const server of servers) server.kill();
  if (cacheDir) fs.rmSync(cacheDir, { recursive: true, force: true });
});

/** What the page says aloud: role=alert with words (Next.js's route announcer is an empty one). */
const alerts = (page: Page) => page.getByRole("alert").filter({ hasText: /\S/ });

async function noInternals(page: Page): Promise<void> {
  const text = (await page.locator("body").textContent()) ?? "";
  for (const leak of ["Traceback", "SearchUnavailable", "ConnectionError", "ConnectionRefused", "ECONNREFUSED", "elasticsearch", `:${deadPort}`, "SEARCH_UNAVAILABLE"]) {
    expect(text, leak).not.toContain(leak);
  }
  expect(text).not.toMatch(/\bat \S+ \(.*:\d+:\d+\)/); // a JavaScript stack frame
}

test("the CMS's search really fails, with the code the front end acts on", async ({ request }) => {
  const response = await request.post(`${CMS}/graphql/`, { data: { query: '{ search(query: "police", site: "localhost") { total } }' } });
  const body = await response.json();
  expect(body.errors[0].extensions.code).toBe("SEARCH_UNAVAILABLE");
  expect(body.data?.search ?? null).toBeNull();
  // The working CMS answers the same search.
  const working = await request.get(`${NETWORK}/search/?q=police`);
  expect(working.status()).toBe(200);
});

const SAID = [
  {
    locale: "en",
    prefix: "",
    heading: "Search unavailable",
    message: "Search is unavailable at the moment. Please try again in a few minutes; you can still browse the catalogue.",
    link: "Browse the catalogue",
    catalogue: "/publications/",
  },
  {
    locale: "fr",
    prefix: "/fr",
    heading: "Recherche indisponible",
    message: "La recherche est indisponible pour le moment. Réessayez dans quelques minutes ; vous pouvez toujours parcourir le catalogue.",
    link: "Parcourir le catalogue",
    catalogue: "/fr/publications/",
  },
  {
    locale: "de",
    prefix: "/de",
    heading: "Suche nicht verfügbar",
    message: "Die Suche ist derzeit nicht verfügbar. Bitte versuchen Sie es in einigen Minuten erneut; den Katalog können Sie weiterhin durchblättern.",
    link: "Katalog durchblättern",
    catalogue: "/de/publications/",
  },
];

for (const said of SAID) {
  test(`the search page says search is unavailable (${said.locale}), as a 503, and leads to the catalogue`, async ({ page }) => {
    const response = await page.goto(`${WEB}${said.prefix}/search/?q=police`);
    expect(response?.status()).toBe(503);
    expect(response?.headers()["retry-after"]).toBe("30");
    expect(response?.headers()["cache-control"]).toContain("no-store");
    await expect(page.locator("html")).toHaveAttribute("lang", said.locale);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(said.heading);
    const notice = alerts(page);
    await expect(notice.locator("p").first()).toHaveText(said.message);
    await expect(page.locator(".hits")).toHaveCount(0);
    await noInternals(page);
    if (said.locale === "en") await screenshot(page, "search-unavailable");

    await notice.getByRole("link", { name: said.link }).click();
    await expect(page).toHaveURL(`${WEB}${said.catalogue}`);
    await expect(page.locator(".cards h3").first()).toBeVisible();
  });
}

test("the catalogue still browses and filters", async ({ page }) => {
  const response = await page.goto(`${WEB}/publications/`);
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Publications");
  const count = page.locator(".count");
  expect(Number((await count.textContent())!.replace(/\D/g, ""))).toBeGreaterThan(20);

  const reports = page.getByRole("region", { name: "Type" }).getByRole("link", { name: /^Report \(\d+\)$/ });
  const expected = Number((await reports.textContent())!.replace(/\D/g, ""));
  await reports.click();
  await expect(page).toHaveURL(/\/publications\/\?type=report$/);
  await expect(count).toHaveText(expected === 1 ? "1 result" : `${expected} results`);
  for (const tag of await page.locator(".cards .tag").allTextContents()) expect(tag).toBe("Report");

  await page.getByRole("region", { name: "Language" }).getByRole("link", { name: /^French/ }).click();
  await expect(page).toHaveURL(/type=report&language=fr/);
  expect(Number((await count.textContent())!.replace(/\D/g, ""))).toBeLessThanOrEqual(expected);

  // An item opens as usual.
  const first = page.locator(".cards h3 a").first();
  const title = (await first.textContent())!;
  await first.click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  await noInternals(page);
});

test("the search-as-you-type box offers nothing and says nothing, and the form still submits", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${WEB}/publications/`);
  const box = page.getByRole("combobox", { name: "Search the catalogue" });
  // The browser asks the failing CMS itself, and is told search is unavailable.
  const refused = page.waitForResponse(async (r) => {
    if (!r.url().startsWith(`${CMS}/graphql/`) || r.request().method() !== "GET") return false;
    const body = await r.json().catch(() => null);
    return Boolean(body?.errors?.some((e: { extensions?: { code?: string } }) => e.extensions?.code === "SEARCH_UNAVAILABLE"));
  });
  await box.pressSequentially("radicali", { delay: 30 });
  await refused;
  await expect(box).toHaveValue("radicali");
  await expect(box).toHaveAttribute("aria-expanded", "false");
  await expect(page.getByRole("option")).toHaveCount(0);
  await expect(page.getByRole("listbox", { includeHidden: true })).toBeHidden();
  await expect(alerts(page)).toHaveCount(0);
  expect(errors).toEqual([]);

  await box.press("Enter");
  await expect(page).toHaveURL(`${WEB}/search/?q=radicali`);
  await expect(alerts(page).locator("p").first()).toHaveText(/^Search is unavailable at the moment\./);
  expect(errors).toEqual([]);
});
