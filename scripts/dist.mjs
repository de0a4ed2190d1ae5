// `make dist`: writes a self-contained static copy of the page into one folder,
// to be put on any static host, at its root or under any sub-path.
//
//   node scripts/dist.mjs [--out dist] [--castline target/debug/castline]
//                         [--data data/peace-plan-2025.json] [--base-url https://host/path/]
//
// - Every URL in it is relative, so it works from /news/castline/ as well as from /.
// - Scripts, styles and the wasm get content-hashed names (castline.3f9a1c2b.js), with every
//   reference rewritten, so a host may cache them for ever; the pages (index.html,
//   embed.html) and the embed snippet's script (embed.js) keep their names, because articles
//   link to them.
// - The default story is rendered by `castline render` into story.png, story.svg and
//   story.txt (stable names too: the snippets' <noscript> fallbacks point at them), and the
//   pages get Open Graph and Twitter card tags with story.png as their image.
// - With --base-url (the absolute URL the folder will be served from), the image tags are
//   absolute, as crawlers want, and an oEmbed response for the default page is written to
//   oembed.json with a discovery link to it; without it, the discovery link is left out,
//   since an oEmbed response must name the embed by its absolute URL.
// - Every script is minified by terser when `npm ci` has installed it (scripts/minify.mjs),
//   after its references are rewritten and before it is hashed.
// - The pages get the default story's stand-in (`castline render … --out x.html`): its header
//   and both pictures as HTML and SVG in place of their <!--castline-stand-in--> mark, on
//   screen before any script runs, until the viewer has drawn (src/render/stand_in.rs).
// - Each text file and the wasm get a precompressed .gz and .br beside them (zlib level 9,
//   brotli quality 11), for hosts that serve those (nginx's gzip_static and brotli_static).
// - The pages carry the same Content-Security-Policy as `castline serve` sends, as a <meta>;
//   with --base-url it names that URL's origin beside each 'self', as the server names its
//   own: WebKit (Safari) matches 'self' against the embed's opaque origin, which matches
//   nothing, and without the name refuses the viewer's own scripts there.
//
// An embed's iframe is sandboxed without allow-same-origin, so its fetches of the scripts,
// the wasm and the data are CORS requests from the origin "null": the host must send
// `Access-Control-Allow-Origin: *` for the embed to work (docs/embedding.md).

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';

import { loadMinifier, minifyScript } from './minify.mjs';

const repo = fileURLToPath(new URL('../', import.meta.url));

// The policy `castline serve` sends as a header, read from its one definition in
// src/cli/serve/mod.rs so the two never drift apart (a Rust string's `\` + new line + indent is
// nothing).
async function servedPolicy() {
  const source = await readFile(path.join(repo, 'src', 'cli', 'serve', 'mod.rs'), 'utf8');
  const m = /pub const CONTENT_SECURITY_POLICY: &str = "((?:[^"\\]|\\\n)*)";/.exec(source);
  if (!m) throw new Error('cannot find CONTENT_SECURITY_POLICY in src/cli/serve/mod.rs');
  return m[1].replace(/\\\n\s*/g, '');
}
const STAND_IN_MARK = '<!--castline-stand-in-->';
const OEMBED_PLACEHOLDER = '<link rel="alternate" type="application/json+oembed" href="oembed?format=json" title="Castline (oEmbed)">';
const HASHED = /\.(js|css|wasm)$/;
const STABLE = new Set(['embed.js']);
const COMPRESSED = /\.(html|js|css|wasm|json|csv|svg|txt)$/;
const CARD_WIDTH = 1200;

function usage(message) {
  if (message) console.error(`dist: ${message}`);
  console.error('usage: node scripts/dist.mjs [--out DIR] [--castline BIN] [--data FILE] [--base-url URL]');
  process.exit(2);
}

function parseArgs(argv) {
  const options = {
    out: path.join(repo, 'dist'),
    castline: path.join(repo, 'target', 'debug', 'castline'),
    data: 'data/peace-plan-2025.json',
    baseUrl: null,
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
      case '-h': case '--help': usage(); break;
      default: usage(`unknown argument ${argv[i]}`);
    }
  }
  if (options.baseUrl !== null) {
    let url;
    try { url = new URL(options.baseUrl); } catch { usage(`--base-url ${options.baseUrl} is not a URL`); }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') usage('--base-url must be http(s)');
    if (!url.pathname.endsWith('/')) url.pathname += '/';
    url.search = '';
    url.hash = '';
    options.baseUrl = url.href;
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

const hash8 = (bytes) => createHash('sha256').update(bytes).digest('hex').slice(0, 8);
const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => ({
  '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;',
}[c]));
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// A reference to `target` from a file at `from`, as written in source: the relative path in
// quotes, with or without './'.
function referencePattern(from, target) {
  const rel = path.posix.relative(path.posix.dirname(from), target);
  return new RegExp(`(["'\`])(\\./)?${escapeRegExp(rel)}\\1`, 'g');
}

function rewrite(text, from, names) {
  let out = text;
  for (const [original, hashed] of names) {
    if (original === from) continue;
    const newRel = path.posix.relative(path.posix.dirname(from), hashed);
    out = out.replace(referencePattern(from, original), (_, quote, dot) => `${quote}${dot ?? ''}${newRel}${quote}`);
  }
  return out;
}

function references(text, from, candidates) {
  return candidates.filter((c) => c !== from && referencePattern(from, c).test(text));
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
  if (!existsSync(options.castline)) {
    throw new Error(`${options.castline} is missing: run \`make cli\` first (or pass --castline)`);
  }
  const dataFile = path.resolve(repo, options.data);
  if (!existsSync(dataFile)) throw new Error(`${options.data} does not exist`);

  const served = await servedPolicy();
  const csp = options.baseUrl ? served.replaceAll("'self'", `'self' ${new URL(options.baseUrl).origin}`) : served;
  if (!options.baseUrl) {
    console.warn("dist: without --base-url (BASE_URL=…) the pages' policy cannot name their origin, and Safari (WebKit) then refuses the embed's own scripts in its sandboxed iframe (docs/embedding.md)");
  }
  if (!await loadMinifier()) console.warn('dist: terser not found (npm ci): the scripts are left unminified');
  // A script as written, minified when terser is there; styles as written.
  const shipped = async (text, f) => (f.endsWith('.js') ? (await minifyScript(text, f)) ?? text : text);
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });

  // ---- scripts, styles and the wasm: hashed leaves first ----
  const files = (await listFiles(www)).filter((f) => !f.startsWith('.'));
  const hashable = files.filter((f) => HASHED.test(f) && !STABLE.has(path.posix.basename(f)));
  const texts = new Map();
  for (const f of files) texts.set(f, await readFile(path.join(www, f)));
  const names = new Map(); // original → hashed
  const pending = new Set(hashable);
  while (pending.size) {
    const ready = [...pending].filter((f) => f.endsWith('.wasm')
      || references(texts.get(f).toString('utf8'), f, [...pending]).length === 0);
    if (!ready.length) throw new Error(`circular references between ${[...pending].join(', ')}`);
    for (const f of ready) {
      let bytes = texts.get(f);
      if (!f.endsWith('.wasm')) bytes = Buffer.from(await shipped(rewrite(bytes.toString('utf8'), f, names), f));
      const ext = path.posix.extname(f);
      const hashed = `${f.slice(0, -ext.length)}.${hash8(bytes)}${ext}`;
      names.set(f, hashed);
      texts.set(f, bytes);
      pending.delete(f);
    }
  }

  // ---- the static fallbacks, from the same drawing code ----
  for (const [name, extra] of [['story.png', ['--width', String(CARD_WIDTH)]], ['story.svg', []], ['story.txt', []]]) {
    try {
      execFileSync(options.castline, ['render', dataFile, '--out', path.join(out, name), ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      throw new Error(`castline render --out ${name} failed:\n${error.stderr?.toString() ?? error.message}`);
    }
  }
  // The stand-in names the story by the path given, which is the URL the pages load it by.
  let standIn = '';
  const standInFile = path.join(out, 'stand-in.html');
  try {
    execFileSync(options.castline, ['render', path.relative(repo, dataFile).split(path.sep).join('/'), '--out', standInFile],
      { cwd: repo, stdio: ['ignore', 'ignore', 'pipe'] });
    standIn = await readFile(standInFile, 'utf8');
  } catch (error) {
    console.warn(`dist: the pages get no stand-in: ${error.stderr?.toString().trim() || error.message}`);
  } finally {
    await rm(standInFile, { force: true });
  }
  const pngHeader = await readFile(path.join(out, 'story.png'));
  const card = { width: pngHeader.readUInt32BE(16), height: pngHeader.readUInt32BE(20) };
  let story = {};
  try {
    story = JSON.parse(await readFile(dataFile, 'utf8'));
  } catch {
    story = {}; // not Castline JSON (a CSV story): the tags fall back to the page's own title
  }
  const title = typeof story.title === 'string' && story.title ? story.title : 'Castline';
  const summary = typeof story.summary === 'string' ? story.summary : '';
  const absolute = (rel) => (options.baseUrl ? new URL(rel, options.baseUrl).href : rel);

  // ---- the pages ----
  for (const f of files) {
    let bytes = texts.get(f);
    if (f.endsWith('.html')) {
      let html = rewrite(bytes.toString('utf8'), f, names);
      const head = [
        `<meta http-equiv="Content-Security-Policy" content="${csp.replace(/[&<>"]/g, (c) => escapeHtml(c))}">`,
        `<meta property="og:type" content="website">`,
        `<meta property="og:title" content="${escapeHtml(title)}">`,
        summary ? `<meta property="og:description" content="${escapeHtml(summary)}">` : null,
        `<meta property="og:image" content="${escapeHtml(absolute('story.png'))}">`,
        `<meta property="og:image:width" content="${card.width}">`,
        `<meta property="og:image:height" content="${card.height}">`,
        `<meta property="og:image:alt" content="${escapeHtml(`${title}: the network of actors and the time axis of events`)}">`,
        `<meta name="twitter:card" content="summary_large_image">`,
        `<meta name="twitter:image" content="${escapeHtml(absolute('story.png'))}">`,
      ].filter(Boolean).join('\n');
      html = html.replace('<meta charset="utf-8">', `<meta charset="utf-8">\n${head}`);
      html = html.replace(OEMBED_PLACEHOLDER, options.baseUrl
        ? `<link rel="alternate" type="application/json+oembed" href="${escapeHtml(absolute('oembed.json'))}" title="Castline (oEmbed)">`
        : '');
      // The picture at first paint, when the story has one (a function: the text is not a pattern).
      if (standIn) html = html.replace(STAND_IN_MARK, () => standIn);
      // Without JavaScript: the picture (the stand-in's, or the PNG) and the events as text.
      html = html.replace(/<noscript><p class="castline-noscript">([^<]*)<\/p><\/noscript>/, (_, words) => [
        '<noscript>',
        `<p class="castline-noscript">${words}</p>`,
        standIn && html.includes('castline-standin') ? null
          : `<p><img src="story.png" alt="${escapeHtml(`${title}: the network of actors and the time axis of events`)}" width="${card.width / 2}"></p>`,
        '<p><a href="story.txt">The events as text</a></p>',
        '</noscript>',
      ].filter(Boolean).join(''));
      bytes = Buffer.from(html);
    } else if (STABLE.has(path.posix.basename(f)) || /\.(js|css)$/.test(f)) {
      const text = rewrite(bytes.toString('utf8'), f, names);
      // The hashed ones were minified above, before their hash was taken.
      bytes = Buffer.from(names.has(f) ? text : await shipped(text, f));
    }
    const target = path.join(out, names.get(f) ?? f);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, bytes);
  }

  // A reference left unrewritten would load a file that is not there.
  const written = await listFiles(out);
  for (const f of written.filter((w) => /\.(html|js|css)$/.test(w))) {
    const text = await readFile(path.join(out, f), 'utf8');
    const left = references(text, f, hashable);
    if (left.length) throw new Error(`${f} still refers to ${left.join(', ')}`);
  }

  await cp(path.join(repo, 'data'), path.join(out, 'data'), { recursive: true });

  if (options.baseUrl) {
    const oembed = {
      version: '1.0',
      type: 'rich',
      provider_name: 'Castline',
      provider_url: options.baseUrl,
      title,
      width: 900,
      height: 720,
      thumbnail_url: absolute('story.png'),
      thumbnail_width: card.width,
      thumbnail_height: card.height,
      html: `<iframe src="${escapeHtml(absolute('embed.html'))}" title="${escapeHtml(title)}" width="900" height="720" `
        + 'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" loading="lazy" style="border:0;max-width:100%"></iframe>',
    };
    await writeFile(path.join(out, 'oembed.json'), `${JSON.stringify(oembed, null, 2)}\n`);
  }

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
  const total = (await listFiles(out)).filter((f) => !/\.(gz|br)$/.test(f)).length;
  const wasm = names.get('pkg/castline_bg.wasm');
  const wasmSize = (await stat(path.join(out, wasm))).size;
  const wasmGz = (await stat(path.join(out, `${wasm}.gz`))).size;
  const wasmBr = (await stat(path.join(out, `${wasm}.br`))).size;
  console.log(`dist: wrote ${path.relative(process.cwd(), out) || '.'}/ (${total} files, ${compressed} precompressed; `
    + `${wasm} ${Math.round(wasmSize / 1024)} KiB, ${Math.round(wasmGz / 1024)} KiB gzipped, ${Math.round(wasmBr / 1024)} KiB brotli)`);
}

main().catch((error) => {
  console.error(`dist: ${error.message}`);
  process.exit(1);
});
