import type { Page, APIRequestContext } from "@playwright/test";
import { execSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

export const CMS = `http://127.0.0.1:${process.env.E2E_CMS_PORT}`;
export const NETWORK = `http://localhost:${process.env.E2E_WEB_PORT}`;
export const CONFERENCE = `http://conference.localhost:${process.env.E2E_WEB_PORT}`;
export const TRANSLATED = "/publications/security-democracy-and-cities-co-producing-urban-security-policies/";

/** A port free on 127.0.0.1 now: the OS picks it for a socket that is closed at once (so
 * nothing listens there either, until a server is started on it). */
export function freePort(): string {
  return execSync(`python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"`).toString().trim();
}

/** Wait until a server answers `url` at all (any status), polling every half second. */
export async function answering(url: string, seconds = 120): Promise<void> {
  for (let i = 0; i < seconds * 2; i += 1) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error(`${url} never answered`);
}

const SCREENSHOTS = path.resolve(__dirname, "..", "screenshots");

/** A full-page screenshot of a page type, under frontend/screenshots/ (gitignored). */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Ask the CMS's API directly (what the test needs to know of the demo content). */
export async function api<T>(request: APIRequestContext, query: string, variables: object = {}): Promise<T> {
  const response = await request.post(`${CMS}/graphql/`, { data: { query, variables } });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data as T;
}
