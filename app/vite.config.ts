/// <reference types="vitest/config" />
// The web app's build, dev server and tests. `npm run dev` serves app/ with hot reload and
// forwards /api and /__ (Hosting's reserved URLs: init.json, the emulators' ports) to the Hosting
// emulator that scripts/start.sh runs, so the page talks to the same backend as the built app.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import react from "@vitejs/plugin-react";
import { build, defineConfig, type Plugin } from "vite";

// Hosting's port moves with SESSIONBASE_PORT_OFFSET (scripts/offset_ports.py); SESSIONBASE_HOSTING
// names the origin outright when a port was moved past a "bad" one.
const offset = Number(process.env.SESSIONBASE_PORT_OFFSET ?? 0);
const hosting = process.env.SESSIONBASE_HOSTING ?? `http://127.0.0.1:${5000 + offset}`;
const proxy = {
  "/api": { target: hosting, changeOrigin: false },
  "/__": { target: hosting, changeOrigin: false },
};

// `vite preview` sends the headers Hosting sends (firebase.json, or the offset copy start.sh
// wrote), so a check of the built app meets the same Content-Security-Policy as production.
function hostingHeaders(): Record<string, string> {
  const file = offset
    ? new URL("../firebase.start.local", import.meta.url)
    : new URL("../firebase.json", import.meta.url);
  try {
    const config = JSON.parse(readFileSync(file, "utf8")) as {
      hosting: { headers: { headers: { key: string; value: string }[] }[] };
    };
    return Object.fromEntries(
      config.hosting.headers.flatMap((rule) => rule.headers.map((h) => [h.key, h.value])),
    );
  } catch {
    return {};
  }
}

// /sdk/live-socket.js (src/sdk/live-socket.ts): a module of its own, built after the app into
// dist/sdk as one file with the Firebase SDK inside, so the app's chunks (its first screens) are
// exactly what they were without it; only pages that import it load it (docs/decisions.md,
// "The live-socket module").
function liveSocket(): Plugin {
  let outDir = "dist";
  return {
    name: "sessionbase:live-socket",
    apply: "build",
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      await build({
        configFile: false,
        root: import.meta.dirname,
        logLevel: "warn",
        plugins: [keepExports()],
        build: {
          outDir: resolve(outDir, "sdk"),
          emptyOutDir: false,
          copyPublicDir: false,
          target: "es2022",
          sourcemap: true,
          rolldownOptions: {
            input: resolve(import.meta.dirname, "src/sdk/live-socket.ts"),
            output: { entryFileNames: "live-socket.js", inlineDynamicImports: true },
          },
        },
      });
    },
  };
}

/** An app build drops its entry's exports (Vite's preserveEntrySignatures: false); a module keeps them. */
function keepExports(): Plugin {
  return {
    name: "sessionbase:keep-exports",
    options: (options) => ({ ...options, preserveEntrySignatures: "strict" }),
  };
}

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), liveSocket()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // Vite inlines small assets as data: URLs by default; the CSP allows data: only for images.
    assetsInlineLimit: 0,
    // The bundle-size report (scripts/bundle-size.mjs) reads which chunks the entry pulls in.
    manifest: true,
    sourcemap: true,
  },
  server: { host: "127.0.0.1", port: 5173 + offset, strictPort: true, proxy },
  preview: { host: "127.0.0.1", port: 4173 + offset, strictPort: true, proxy, headers: hostingHeaders() },
  test: {
    environment: "happy-dom",
    include: ["src/**/*.test.{ts,tsx}"],
    restoreMocks: true,
  },
});
