/**
 * Browser tests: Debian's Chromium (no browser is downloaded) against a real CMS with the
 * demo content (e2e/cms-server.sh) and the built front end (`next start`), each on a free
 * port. The front end answers for both demo sites: localhost and conference.localhost.
 */
import { defineConfig } from "@playwright/test";
import { freePort } from "./e2e/helpers";

// Set once in the main process; the test workers inherit them.
process.env.E2E_CMS_PORT ??= freePort();
process.env.E2E_WEB_PORT ??= freePort();
process.env.E2E_API_KEY ??= "e2e-frontend-key-0123456789abcdefghijkl";
const { E2E_CMS_PORT: cmsPort, E2E_WEB_PORT: webPort, E2E_API_KEY: apiKey } = process.env;
export const CMS = `http://127.0.0.1:${cmsPort}`;
export const NETWORK = `http://localhost:${webPort}`;
export const CONFERENCE = `http://conference.localhost:${webPort}`;

export default defineConfig({
  testDir: "e2e",
  timeout: 90_000,
  expect: { timeout: 15_000 },
  workers: 1,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL: NETWORK,
    browserName: "chromium",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
    screenshot: "only-on-failure",
  },
  webServer: [
    {
      command: "bash e2e/cms-server.sh",
      url: `${CMS}/healthz`,
      timeout: 400_000,
      // E2E_REUSE=1 with E2E_CMS_PORT and E2E_WEB_PORT: servers left running between runs.
      reuseExistingServer: Boolean(process.env.E2E_REUSE),
      stdout: "pipe",
      env: {
        E2E_CMS_PORT: cmsPort!,
        DJANGO_SETTINGS_MODULE: "cms.settings.dev",
        FRONTEND_URLS: `localhost=${NETWORK},conference.localhost=${CONFERENCE}`,
        CORS_ALLOWED_ORIGINS: `${NETWORK},${CONFERENCE}`,
        GRAPHQL_CLIENT_KEYS: `frontend=${apiKey}`,
        WAGTAILADMIN_BASE_URL: CMS,
        E2E_ADMIN_PASSWORD: "e2e-admin-password",
      },
    },
    {
      command: `node server.mjs --host 127.0.0.1 --port ${webPort}`,
      url: `http://127.0.0.1:${webPort}/robots.txt`,
      timeout: 60_000,
      reuseExistingServer: Boolean(process.env.E2E_REUSE),
      env: { CMS_API_URL: CMS, CMS_PUBLIC_URL: CMS, CMS_API_KEY: apiKey!, NEXT_TELEMETRY_DISABLED: "1" },
    },
  ],
});
