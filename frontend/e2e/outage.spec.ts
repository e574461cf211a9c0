/** When the API does not answer, the front end says so with a 503, never a stack trace. */
import { expect, test } from "@playwright/test";
import { spawn } from "node:child_process";
import path from "node:path";
import { answering, freePort, screenshot } from "./helpers";

test("the API down gives a 503 page that says what happened", async ({ page }) => {
  const port = freePort();
  const dead = freePort(); // bound for a moment, then closed: nothing listens there
  // A second front end, whose API address has nothing listening.
  const server = spawn(process.execPath, ["server.mjs", "--host", "127.0.0.1", "--port", port], {
    cwd: path.resolve(__dirname, ".."),
    env: { ...process.env, CMS_API_URL: `http://127.0.0.1:${dead}`, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "ignore",
  });
  try {
    const url = `http://localhost:${port}/publications/`;
    await answering(`http://127.0.0.1:${port}/robots.txt`, 30);
    const response = await page.goto(url);
    expect(response?.status()).toBe(503);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Service unavailable");
    await expect(page.locator("body")).not.toContainText("ECONNREFUSED");
    await expect(page.locator("body")).not.toContainText("at ");
    await screenshot(page, "api-down");
  } finally {
    server.kill();
  }
});
