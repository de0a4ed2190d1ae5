// The pages' scripts as `make dist` ships them: bundled by esbuild (npm, installed by `npm
// ci`). www/ serves twenty-odd small modules, one concern each, which a page fetches at once
// through its modulepreload links; over a phone's network each request costs time, so a
// published page asks instead for one script of its own (app.js, embedded.js or make.js, at
// the root where the modules were) beside the wasm glue (pkg/, imported by URL, as it is).
// What a page imports later (the downloads, a big story's worker) is in its bundle too:
// about 1 KB of brotli, less than a request costs.

import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

// Each page and the module it runs.
export const PAGES = [['index.html', 'app.js'], ['embed.html', 'embedded.js'], ['make.html', 'make.js']];

const PRELOAD = /<link rel="modulepreload"[^>]*>\n?/g;

async function loadBundler() {
  try {
    return await import('esbuild');
  } catch {
    return null;
  }
}

// `entry` of `dir` with every module it imports, minified: { contents, inputs } (the modules
// taken in, by path under `dir`), or null when esbuild is not installed. bench/size.mjs
// measures the pages' with it.
export async function bundleEntry(dir, entry) {
  const esbuild = await loadBundler();
  if (!esbuild) return null;
  const { outputFiles: [bundle], metafile } = await esbuild.build({
    absWorkingDir: dir,
    entryPoints: [entry],
    outfile: entry,
    write: false,
    bundle: true,
    format: 'esm',
    minify: true,
    metafile: true,
    logLevel: 'silent',
  });
  return { contents: bundle.contents, inputs: Object.keys(metafile.inputs) };
}

// Bundles the scripts of `dir` (a staged copy of www/) in place, each page's modules into the
// one it runs, which no longer preloads them, and removes the modules bundled; false when
// esbuild is not installed (the modules then ship as they are).
export async function bundleScripts(dir) {
  const bundles = [];
  for (const [page, entry] of PAGES) {
    const bundle = await bundleEntry(dir, entry);
    if (!bundle) return false;
    bundles.push({ page, entry, ...bundle });
  }
  for (const input of new Set(bundles.flatMap((b) => b.inputs))) await rm(path.join(dir, input));
  // Folders left empty (shell/) go too.
  for (const sub of await readdir(dir, { withFileTypes: true })) {
    const folder = path.join(dir, sub.name);
    if (sub.isDirectory() && (await readdir(folder)).length === 0) await rm(folder, { recursive: true });
  }
  for (const { page, entry, contents } of bundles) {
    await writeFile(path.join(dir, entry), contents);
    const file = path.join(dir, page);
    const html = await readFile(file, 'utf8');
    if (!html.includes(`src="${entry}"`)) throw new Error(`bundle: ${page} does not run ${entry}`);
    // The first build's glue is not bundled: its link stays.
    await writeFile(file, html.replace(PRELOAD, (link) => (link.includes('href="pkg/') ? link : '')));
  }
  return true;
}
