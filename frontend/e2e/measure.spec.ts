/**
 * `npm run measure`: the front end's own figures, written to RESULTS.md. Not a test of speed
 * (run only with MEASURE=1): the catalogue's HTML time, uncached in the front end, with the
 * API's cache warm, and the bytes each page type ships, as the browser receives them.
 */
import { chromium, test } from "@playwright/test";
import { execSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { NETWORK, TRANSLATED } from "./helpers";

const PAGES: [string, string][] = [
  ["home", "/"],
  ["catalogue", "/publications/"],
  ["catalogue, filtered", "/publications/?type=report&language=fr"],
  ["publication", TRANSLATED],
  ["search", "/search/?q=police"],
];
const RUNS = 60;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Lighthouse's four scores for the home, a catalogue, a publication and the search. */
async function lighthouseScores(): Promise<string[]> {
  const { default: lighthouse } = await import("lighthouse");
  const port = Number(execSync(`python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"`).toString().trim());
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", `--remote-debugging-port=${port}`],
  });
  const rows: string[] = [];
  try {
    for (const [name, url] of PAGES.filter(([name]) => name !== "catalogue, filtered")) {
      const result = await lighthouse(NETWORK + url, { port, output: "json", logLevel: "error" });
      const categories = result!.lhr.categories;
      const score = (key: string) => String(Math.round((categories[key]?.score ?? 0) * 100));
      rows.push(`| ${name} | ${score("performance")} | ${score("accessibility")} | ${score("best-practices")} | ${score("seo")} |`);
    }
  } finally {
    await browser.close();
  }
  return rows;
}

test("measure", async ({ page }) => {
  test.skip(!process.env.MEASURE, "npm run measure");
  test.setTimeout(900_000);
  const rows: string[] = [];
  for (const [name, url] of PAGES) {
    const bytes = { html: 0, js: 0, css: 0 };
    page.removeAllListeners("response");
    page.on("response", async (response) => {
      const type = response.request().resourceType();
      const kind = type === "document" ? "html" : type === "script" ? "js" : type === "stylesheet" ? "css" : null;
      if (!kind || !response.url().startsWith(NETWORK)) return;
      const body = await response.body().catch(() => Buffer.alloc(0));
      bytes[kind] += gzipSync(body).length;
    });
    await page.goto(url, { waitUntil: "networkidle" });
    rows.push(`| ${name} | \`${url}\` | ${(bytes.html / 1024).toFixed(1)} | ${(bytes.js / 1024).toFixed(1)} | ${(bytes.css / 1024).toFixed(1)} |`);
  }
  const times: number[] = [];
  for (let i = 0; i < RUNS + 5; i += 1) {
    const start = performance.now();
    const response = await fetch(`${NETWORK}/publications/?order=title&page=2`);
    await response.text();
    if (i >= 5) times.push(performance.now() - start); // the first warm the API's cache
  }
  const lighthouseRows = await lighthouseScores();
  const lines = [
    "# Front end: measured figures",
    "",
    `Written by \`npm run measure\` on ${new Date().toISOString().slice(0, 16)}Z (\`next start\` via server.mjs, the CMS on`,
    "runserver with the demo content, this machine as it was: shared, 2 cores). Bytes are gzip-compressed.",
    "",
    "| page | URL | HTML kB | JS kB | CSS kB |",
    "| --- | --- | ---: | ---: | ---: |",
    ...rows,
    "",
    `Catalogue HTML (\`/publications/?order=title&page=2\`), ${RUNS} requests one after another, the API's cache warm,`,
    `nothing cached in the front end: p50 ${percentile(times, 50).toFixed(0)} ms, p95 ${percentile(times, 95).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms.`,
    "",
    "Targets (issue 15): catalogue HTML p95 < 100 ms; JS on a catalogue page < 100 kB compressed.",
    "",
    "Lighthouse 12.2.3, its default mobile profile (simulated throttling), on this Chromium:",
    "",
    "| page | Performance | Accessibility | Best Practices | SEO |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...lighthouseRows,
    "",
    "Targets: Performance ≥ 95, Accessibility 100, Best Practices ≥ 95, SEO 100. A search results",
    "page is `noindex` by design, which Lighthouse's SEO score counts against it.",
    "",
  ];
  fs.writeFileSync(path.resolve(__dirname, "..", "RESULTS.md"), lines.join("\n"));
});
