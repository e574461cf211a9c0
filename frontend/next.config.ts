import type { NextConfig } from "next";
import { localeRewrites } from "./src/lib/routing";

const config: NextConfig = {
  // Wagtail's paths end with a slash; the API's `urlPath`s are the site's paths as they are.
  trailingSlash: true,
  poweredByHeader: false,
  reactStrictMode: true,
  async rewrites() {
    return { beforeFiles: localeRewrites, afterFiles: [], fallback: [] };
  },
};

export default config;
