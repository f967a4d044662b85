// After `vite build`: Swagger UI's script and style from npm (swagger-ui-dist, a pinned
// devDependency) into app/dist/api-docs/, beside the page app/public/api-docs/ holds. Hosting
// serves them at /api/docs (firebase.json); no CDN.
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const source = dirname(require.resolve("swagger-ui-dist/package.json"));
const target = new URL("../dist/api-docs/", import.meta.url);
mkdirSync(target, { recursive: true });
for (const file of ["swagger-ui-bundle.js", "swagger-ui.css"]) {
  copyFileSync(join(source, file), new URL(file, target));
}
