// Static files from public/ (htmx, css): served by the app itself, never from a CDN.
import { Elysia } from "elysia";
import { fileURLToPath } from "node:url";

const PUBLIC_DIR = fileURLToPath(new URL("../../../public/", import.meta.url));

export const publicFiles = new Elysia({ name: "public-files" })
  .get("/public/:file", async ({ params, set }) => {
    // Only plain file names: no folders, no "..".
    if (!/^[\w-]+(\.[\w-]+)+$/.test(params.file)) return (set.status = 404), "Not found";
    const file = Bun.file(PUBLIC_DIR + params.file);
    if (!(await file.exists())) return (set.status = 404), "Not found";
    return new Response(file, { headers: { "cache-control": "public, max-age=3600" } });
  })
  // Browsers ask for /favicon.ico on pages that name no icon (a JSON answer, a file): the same SVG.
  .get("/favicon.ico", () => new Response(Bun.file(`${PUBLIC_DIR}favicon.svg`), { headers: { "content-type": "image/svg+xml", "cache-control": "public, max-age=86400" } }));
