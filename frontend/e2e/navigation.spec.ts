/**
 * Issue 15's "JavaScript only enhances": in a browser with JavaScript a change of filter on the
 * catalogue and on the search page's facets is a client navigation (Next's <Link>), the document
 * is not reloaded, which a value left on `window` shows; with JavaScript off the same links
 * are plain links that load the filtered page.
 */
import { expect, test, type Locator, type Page } from "@playwright/test";

type Marked = Window & { __marker?: number };

/** Wait until React has hydrated the link (its props are on the element): a click before that
 * would be the browser's own full navigation, whatever the page does once hydrated. */
async function hydrated(link: Locator): Promise<void> {
  await expect.poll(() => link.evaluate((el) => Object.keys(el).some((key) => key.startsWith("__reactProps")))).toBe(true);
}

async function mark(page: Page): Promise<void> {
  await page.evaluate(() => {
    (window as Marked).__marker = 1;
  });
}

const marker = (page: Page) => page.evaluate(() => (window as Marked).__marker);

test("a change of filter on the catalogue is not a full page reload", async ({ page }) => {
  await page.goto("/publications/");
  const count = page.locator(".count");
  await expect(count).toHaveText("45 results");
  const report = page.getByRole("region", { name: "Type" }).getByRole("link", { name: "Report (16)", exact: true });
  await hydrated(report);
  await mark(page);

  await report.click();
  await expect(page).toHaveURL(/\/publications\/\?type=report$/);
  await expect(count).toHaveText("16 results");
  await expect(page.getByRole("region", { name: "Type" }).locator('[aria-current="true"]')).toHaveText("Report (16)");
  expect(await marker(page)).toBe(1);

  // A second filter on top, and back to all: still the same document.
  await page.getByRole("region", { name: "Language" }).getByRole("link", { name: "French (6)", exact: true }).click();
  await expect(page).toHaveURL(/type=report&language=fr$/);
  await expect(count).toHaveText("6 results");
  await page.getByRole("link", { name: "Clear all filters" }).click();
  await expect(page).toHaveURL(/\/publications\/$/);
  await expect(count).toHaveText("45 results");
  expect(await marker(page)).toBe(1);

  // The control: a real load of the same kind of address does lose the marker.
  await page.goto("/publications/?type=report");
  await expect(count).toHaveText("16 results");
  expect(await marker(page)).toBeUndefined();
});

test("a change of facet on the search page is not a full page reload", async ({ page }) => {
  await page.goto("/search/?q=police");
  const types = page.getByRole("region", { name: "Type" });
  const publication = types.getByRole("link", { name: /^Publication \(\d+\)$/ });
  await hydrated(publication);
  await mark(page);

  await publication.click();
  await expect(page).toHaveURL(/\/search\/\?q=police&type=publication$/);
  await expect(types.locator('[aria-current="true"]')).toHaveText(/^Publication \(\d+\)$/);
  const tags = await page.locator(".hits .tag").allTextContents();
  expect(tags.length).toBeGreaterThan(0);
  for (const tag of tags) expect(tag).toBe("Publication");
  expect(await marker(page)).toBe(1);
});

test.describe("with JavaScript disabled", () => {
  test.use({ javaScriptEnabled: false });

  test("a catalogue filter link loads the filtered page", async ({ page }) => {
    await page.goto("/publications/");
    await page.getByRole("region", { name: "Type" }).getByRole("link", { name: "Report (16)", exact: true }).click();
    await expect(page).toHaveURL(/\/publications\/\?type=report$/);
    await expect(page.locator(".count")).toHaveText("16 results");
    await expect(page.getByRole("region", { name: "Type" }).locator('[aria-current="true"]')).toHaveText("Report (16)");
    for (const tag of await page.locator(".cards .tag").allTextContents()) expect(tag).toBe("Report");
  });

  test("a search facet link loads the filtered results", async ({ page }) => {
    await page.goto("/search/?q=police");
    const types = page.getByRole("region", { name: "Type" });
    await types.getByRole("link", { name: /^Publication \(\d+\)$/ }).click();
    await expect(page).toHaveURL(/\/search\/\?q=police&type=publication$/);
    await expect(types.locator('[aria-current="true"]')).toHaveText(/^Publication \(\d+\)$/);
    const tags = await page.locator(".hits .tag").allTextContents();
    expect(tags.length).toBeGreaterThan(0);
    for (const tag of tags) expect(tag).toBe("Publication");
  });
});
