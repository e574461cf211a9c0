/**
 * `npm run measure`: the front end's own figures, written to RESULTS.md. Not a test of speed
 * (run only with MEASURE=1): the catalogue's HTML time, uncached in the front end, with the
 * API's cache warm, the bytes each page type ships, as the browser receives them (and how many
 * of them are the framework's own chunks, which every page loads), and Lighthouse's scores.
 * Lighthouse's reports (JSON and HTML) are kept in lighthouse/ (gitignored).
 */
import { chromium, test } from "@playwright/test";
import { execSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
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
// Lighthouse's scores vary from run to run, more so on a shared machine: each page is run
// this many times and the run with the median Performance score is reported (Lighthouse's
// own advice on variability).
const LIGHTHOUSE_RUNS = 3;
const REPORTS = path.resolve(__dirname, "..", "lighthouse");

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
  fs.mkdirSync(REPORTS, { recursive: true });
  const rows: string[] = [];
  try {
    for (const [name, url] of PAGES.filter(([name]) => name !== "catalogue, filtered")) {
      const runs = [];
      for (let i = 0; i < LIGHTHOUSE_RUNS; i += 1) {
        const result = await lighthouse(NETWORK + url, { port, output: ["json", "html"], logLevel: "error" });
        runs.push(result!);
      }
      runs.sort((a, b) => (a.lhr.categories.performance?.score ?? 0) - (b.lhr.categories.performance?.score ?? 0));
      const median = runs[Math.floor(runs.length / 2)];
      const [json, html] = median.report as string[];
      fs.writeFileSync(path.join(REPORTS, `${name}.json`), json);
      fs.writeFileSync(path.join(REPORTS, `${name}.html`), html);
      const categories = median.lhr.categories;
      const score = (key: string) => String(Math.round((categories[key]?.score ?? 0) * 100));
      const all = runs.map((run) => Math.round((run.lhr.categories.performance?.score ?? 0) * 100)).join(", ");
      const tbt = median.lhr.audits["total-blocking-time"]?.displayValue ?? "";
      rows.push(`| ${name} | ${score("performance")} (${all}) | ${tbt} | ${score("accessibility")} | ${score("best-practices")} | ${score("seo")} |`);
    }
  } finally {
    await browser.close();
  }
  return rows;
}

/** The chunks every App Router page loads (React DOM, Next's router, Turbopack's runtime). */
function frameworkChunks(): Set<string> {
  const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", ".next", "build-manifest.json"), "utf8"));
  return new Set((manifest.rootMainFiles as string[]).map((file) => `/_next/${file}`));
}

const load = () => os.loadavg().map((n) => n.toFixed(1)).join(", ");

test("measure", async ({ page }) => {
  test.skip(!process.env.MEASURE, "npm run measure");
  test.setTimeout(900_000);
  const loadBefore = load();
  const framework = frameworkChunks();
  const rows: string[] = [];
  for (const [name, url] of PAGES) {
    const bytes = { html: 0, js: 0, css: 0, framework: 0 };
    const reading: Promise<void>[] = [];
    page.removeAllListeners("response");
    page.on("response", (response) => {
      const type = response.request().resourceType();
      const kind = type === "document" ? "html" : type === "script" ? "js" : type === "stylesheet" ? "css" : null;
      if (!kind || !response.url().startsWith(NETWORK)) return;
      reading.push(
        response.body().then(
          (body) => {
            const size = gzipSync(body).length;
            bytes[kind] += size;
            if (kind === "js" && framework.has(new URL(response.url()).pathname)) bytes.framework += size;
          },
          () => undefined,
        ),
      );
    });
    await page.goto(url, { waitUntil: "networkidle" });
    await Promise.all(reading);
    const kB = (n: number) => (n / 1024).toFixed(1);
    rows.push(`| ${name} | \`${url}\` | ${kB(bytes.html)} | ${kB(bytes.js)} | ${kB(bytes.framework)} | ${kB(bytes.css)} |`);
  }
  const times: number[] = [];
  for (let i = 0; i < RUNS + 5; i += 1) {
    const start = performance.now();
    const response = await fetch(`${NETWORK}/publications/?order=title&page=2`);
    await response.text();
    if (i >= 5) times.push(performance.now() - start); // the first warm the API's cache
  }
  const loadLighthouse = load();
  const lighthouseRows = await lighthouseScores();
  const lines = [
    "# Front end: measured figures",
    "",
    `Written by \`npm run measure\` on ${new Date().toISOString().slice(0, 16)}Z (\`next start\` via server.mjs, the CMS on`,
    "runserver with the demo content, this machine as it was: shared, 2 cores). Bytes are gzip-compressed.",
    "",
    `Load average (1, 5, 15 min) at the start: ${loadBefore}; before Lighthouse: ${loadLighthouse}; at the end: ${load()}.`,
    "",
    "| page | URL | HTML kB | JS kB | of which framework kB | CSS kB |",
    "| --- | --- | ---: | ---: | ---: | ---: |",
    ...rows,
    "",
    `Catalogue HTML (\`/publications/?order=title&page=2\`), ${RUNS} requests one after another, the API's cache warm,`,
    `nothing cached in the front end: p50 ${percentile(times, 50).toFixed(0)} ms, p95 ${percentile(times, 95).toFixed(0)} ms, max ${Math.max(...times).toFixed(0)} ms.`,
    "",
    "Targets (issue 15): catalogue HTML p95 < 100 ms; JS on a catalogue page < 100 kB compressed.",
    "\"Framework\" is the chunks every App Router page loads (build-manifest.json's rootMainFiles:",
    "React DOM, Next's router, Turbopack's runtime); see README.md, \"Performance\", for the floor.",
    "",
    `Lighthouse 12.2.3, its default mobile profile (simulated throttling), on this Chromium; each page`,
    `${LIGHTHOUSE_RUNS} times, the run with the median Performance shown (all runs' Performance in brackets;`,
    "reports in lighthouse/). Total Blocking Time, most of the score here, grows with the machine's load.",
    "",
    "| page | Performance (runs) | TBT | Accessibility | Best Practices | SEO |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...lighthouseRows,
    "",
    "Targets: Performance ≥ 95, Accessibility 100, Best Practices ≥ 95, SEO 100. The search page",
    "measured is a plain query's first page, indexable (README.md, \"Search and search engines\").",
    "",
  ];
  fs.writeFileSync(path.resolve(__dirname, "..", "RESULTS.md"), lines.join("\n"));
});
