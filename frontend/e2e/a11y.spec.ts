/** axe-core on every page type, in English and French: no serious or critical violation. */
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { api, TRANSLATED } from "./helpers";

type Items = { positionPapers: { items: { urlPath: string }[] }; pressReleases: { items: { urlPath: string }[] } };

for (const prefix of ["", "/fr"]) {
  test(`every page type passes axe-core (${prefix || "/en"})`, async ({ page, request }) => {
    const items = await api<Items>(request, `{ positionPapers(site: "localhost", perPage: 1) { items { urlPath } } pressReleases(site: "localhost", perPage: 1) { items { urlPath } } }`);
    const paths = [
      "/",
      "/publications/",
      "/publications/?type=report&order=title",
      TRANSLATED,
      "/positions/",
      "/topics/drugs/",
      "/search/",
      "/search/?q=polise",
      "/no-such-page/",
      "/preview/?content_type=publications.publicationpage&token=forged",
    ].map((path) => prefix + path);
    if (!prefix) paths.push(items.positionPapers.items[0].urlPath, items.pressReleases.items[0].urlPath);
    const found: string[] = [];
    for (const path of paths) {
      await page.goto(path);
      const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]).analyze();
      for (const violation of results.violations) {
        if (violation.impact === "serious" || violation.impact === "critical") {
          found.push(`${path}: ${violation.id} (${violation.impact}) ${violation.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`);
        }
      }
    }
    expect(found, found.join("\n")).toEqual([]);
  });
}
