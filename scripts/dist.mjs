// `make dist`: the repository's default story as a static folder for any host, at its root or
// under any sub-path: `castline publish` (src/cli/publish/, docs/publishing.md) does the folder
// (content-hashed names, the policy as a <meta>, the share card tags, the stand-in, the
// fallback pictures, make.html, and oembed.json with --base-url); this script adds what needs
// Node and suits a host that can use it:
//
//   node scripts/dist.mjs [--out dist] [--castline target/debug/castline]
//                         [--data data/peace-plan-2025.json] [--base-url https://host/path/]
//   node scripts/dist.mjs --viewer-only --out DIR
//
// `--viewer-only` writes only the viewer as it ships (below) into DIR: `make install` builds
// that into the binary (`CASTLINE_VIEWER=DIR`, build.rs), so that `castline publish` with no
// checkout and no Node writes bundled pages too.
//
// - Each page's modules are bundled by esbuild (scripts/bundle.mjs), and every script is
//   minified by terser, when `npm ci` has installed them; every stylesheet
//   loses its comments and spare white space and every page its comments
//   (scripts/minify.mjs), in a staged copy of www/
//   that publish then takes as its viewer (`--viewer`), so each is hashed as shipped.
// - The whole data/ folder is copied beside it (`?data=data/…` and the snippets' examples).
// - Each text file and the wasm get a precompressed .gz and .br beside them (zlib level 9,
//   brotli quality 11), for hosts that serve those (nginx's gzip_static and brotli_static).
//
// An embed's iframe is sandboxed without allow-same-origin, so its fetches of the scripts,
// the wasm and the data are CORS requests from the origin "null": the host must send
// `Access-Control-Allow-Origin: *` for the embed to work (docs/embedding.md).

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';

import { bundleScripts } from './bundle.mjs';
import { loadMinifier, minifyPage, minifyScript, minifyStyle } from './minify.mjs';

const repo = fileURLToPath(new URL('../', import.meta.url));
const COMPRESSED = /\.(html|js|css|wasm|json|csv|svg|txt)$/;

function usage(message) {
  if (message) console.error(`dist: ${message}`);
  console.error('usage: node scripts/dist.mjs [--out DIR] [--castline BIN] [--data FILE] [--base-url URL] [--viewer-only]');
  process.exit(2);
}

function parseArgs(argv) {
  const options = {
    out: path.join(repo, 'dist'),
    castline: path.join(repo, 'target', 'debug', 'castline'),
    data: 'data/peace-plan-2025.json',
    baseUrl: null,
    viewerOnly: false,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const [name, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') usage(`${name} needs a value`);
      return v;
    };
    switch (name) {
      case '--out': options.out = path.resolve(value()); break;
      case '--castline': options.castline = path.resolve(value()); break;
      case '--data': options.data = value(); break;
      case '--base-url': options.baseUrl = value(); break;
      case '--viewer-only': options.viewerOnly = true; break;
      case '-h': case '--help': usage(); break;
      default: usage(`unknown argument ${argv[i]}`);
    }
  }
  return options;
}

async function listFiles(dir, prefix = '') {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...await listFiles(path.join(dir, entry.name), rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out.sort();
}

// www/ as make dist ships it, in a folder of its own: dotfiles left out, scripts bundled,
// scripts and styles minified.
async function stageViewer(www) {
  const staged = await mkdtemp(path.join(os.tmpdir(), 'castline-dist-viewer-'));
  await cp(www, staged, { recursive: true, filter: (from) => !path.basename(from).startsWith('.') });
  for (const f of (await listFiles(staged)).filter((name) => name.endsWith('.css'))) {
    const file = path.join(staged, f);
    await writeFile(file, minifyStyle(await readFile(file, 'utf8')));
  }
  for (const f of (await listFiles(staged)).filter((name) => name.endsWith('.html'))) {
    const file = path.join(staged, f);
    await writeFile(file, minifyPage(await readFile(file, 'utf8')));
  }
  if (!await bundleScripts(staged)) {
    console.warn('dist: esbuild not found (npm ci): the modules are left unbundled');
  }
  if (!await loadMinifier()) {
    console.warn('dist: terser not found (npm ci): the scripts are left unminified');
    return staged;
  }
  for (const f of (await listFiles(staged)).filter((name) => name.endsWith('.js'))) {
    const file = path.join(staged, f);
    const minified = await minifyScript(await readFile(file, 'utf8'), f);
    if (minified !== null) await writeFile(file, minified);
  }
  return staged;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const www = path.join(repo, 'www');
  const out = options.out;
  // Never clear the repository or one of its source folders by mistake.
  for (const precious of [repo, www, path.join(repo, 'data'), path.join(repo, 'src'), path.dirname(repo)]) {
    if (path.resolve(precious) === out || path.resolve(precious).startsWith(`${out}${path.sep}`)) {
      usage(`refusing to write into ${out}`);
    }
  }
  for (const needed of ['pkg/castline.js', 'pkg/castline_bg.wasm', 'pkg/castline_full.js', 'pkg/castline_full_bg.wasm']) {
    if (!existsSync(path.join(www, needed))) {
      throw new Error(`www/${needed} is missing: run \`make wasm\` (or \`make build\`) first`);
    }
  }
  if (options.viewerOnly) {
    const staged = await stageViewer(www);
    try {
      await rm(out, { recursive: true, force: true });
      await cp(staged, out, { recursive: true });
    } finally {
      await rm(staged, { recursive: true, force: true });
    }
    console.log(`dist: wrote the viewer as it ships into ${path.relative(process.cwd(), out) || '.'}/`);
    return;
  }
  if (!existsSync(options.castline)) {
    throw new Error(`${options.castline} is missing: run \`make cli\` first (or pass --castline)`);
  }
  const dataFile = path.resolve(repo, options.data);
  if (!existsSync(dataFile)) throw new Error(`${options.data} does not exist`);
  if (!options.baseUrl) {
    console.warn("dist: without --base-url (BASE_URL=…) the pages' policy cannot name their origin, and Safari (WebKit) then refuses the embed's own scripts in its sandboxed iframe (docs/embedding.md)");
  }

  const staged = await stageViewer(www);
  try {
    // A fresh folder: publish refuses one holding anything but an earlier publication.
    await rm(out, { recursive: true, force: true });
    const args = ['publish', dataFile, '-o', out, '--viewer', staged, ...(options.baseUrl ? ['--base-url', options.baseUrl] : [])];
    try {
      execFileSync(options.castline, args, { cwd: repo, stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      throw new Error(`castline publish failed:\n${error.stderr?.toString() ?? error.message}`);
    }
  } finally {
    await rm(staged, { recursive: true, force: true });
  }
  await cp(path.join(repo, 'data'), path.join(out, 'data'), { recursive: true });

  // ---- precompressed copies ----
  let compressed = 0;
  for (const f of await listFiles(out)) {
    if (!COMPRESSED.test(f)) continue;
    const bytes = await readFile(path.join(out, f));
    await writeFile(path.join(out, `${f}.gz`), gzipSync(bytes, { level: zlib.Z_BEST_COMPRESSION }));
    await writeFile(path.join(out, `${f}.br`), brotliCompressSync(bytes, {
      params: { [zlib.BROTLI_PARAM_QUALITY]: zlib.BROTLI_MAX_QUALITY, [zlib.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }));
    compressed += 1;
  }
  const files = await listFiles(out);
  const total = files.filter((f) => !/\.(gz|br)$/.test(f)).length;
  const wasm = files.find((f) => /^pkg\/castline_bg\.[0-9a-f]+\.wasm$/.test(f));
  if (!wasm) throw new Error('castline publish wrote no pkg/castline_bg.*.wasm');
  const size = async (f) => Math.round((await stat(path.join(out, f))).size / 1024);
  console.log(`dist: wrote ${path.relative(process.cwd(), out) || '.'}/ (${total} files, ${compressed} precompressed; `
    + `${wasm} ${await size(wasm)} KiB, ${await size(`${wasm}.gz`)} KiB gzipped, ${await size(`${wasm}.br`)} KiB brotli)`);
}

main().catch((error) => {
  console.error(`dist: ${error.message}`);
  process.exit(1);
});
