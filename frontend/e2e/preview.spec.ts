/** An editor's draft, opened from the admin's Preview button, renders in the front end. */
import { expect, test } from "@playwright/test";
import { api, CMS, screenshot } from "./helpers";

test("the admin's Preview button shows the draft in the front end with a banner", async ({ page, request, context }) => {
  const data = await api<{ publications: { items: { id: string; title: string }[] } }>(request, `{ publications(site: "localhost", perPage: 1) { items { id title } } }`);
  const { id, title } = data.publications.items[0];
  await page.goto(`${CMS}/admin/login/`);
  await page.fill("#id_username", "admin");
  await page.fill("#id_password", "e2e-admin-password");
  await page.click("button[type=submit]");
  await page.goto(`${CMS}/admin/pages/${id}/edit/`);
  const draft = `Draft: ${title}`;
  await page.fill("#id_title", draft);
  await page.getByRole("button", { name: "Toggle preview" }).click();
  const [tab] = await Promise.all([context.waitForEvent("page"), page.getByRole("link", { name: "Preview in new tab" }).click()]);
  await tab.waitForLoadState();
  const frame = tab.frameLocator("iframe").first();
  await expect(frame.locator(".preview-banner")).toContainText("Preview");
  await expect(frame.getByRole("heading", { level: 1 })).toHaveText(draft);

  // The front end's own page: the draft, kept out of search engines.
  const src = (await tab.locator("iframe").first().getAttribute("src"))!;
  expect(new URL(src).pathname).toBe("/preview/");
  await page.goto(src);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(draft);
  await expect(page.locator('meta[name="robots"]')).toHaveAttribute("content", /noindex/);
  await screenshot(page, "preview");

  // The published page has not changed.
  const live = await api<{ publication: { title: string } }>(request, `query($id: ID) { publication(id: $id) { title } }`, { id });
  expect(live.publication.title).toBe(title);
});

test("a forged preview token is refused with a message, not a draft", async ({ page }) => {
  await page.goto("/preview/?content_type=publications.publicationpage&token=id%3D1%3Aforged");
  await expect(page.locator(".notice")).toContainText("This preview link is not valid.");
});
