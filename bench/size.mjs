// Download size: bytes and gzip bytes (level 9, as a server would send them; each file gzipped
// on its own, as it is sent) of Castline's viewer beside the bundles a newsroom would ship with
// each peer library. Castline's first download is what a clean Castline JSON story needs; the
// full build is reported on its own because only other formats, data with problems to explain
// and the SVG, JSON and CSV downloads fetch it. Castline's files are measured twice: as
// `make run` serves them (the source) and as `make dist` ships them: each page's modules in
// one bundle (scripts/bundle.mjs), scripts and styles minified (scripts/minify.mjs; dist's
// pages also gain their CSP and card tags, about 1 KB).

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { bundleEntry } from '../scripts/bundle.mjs';
import { minifyScript, minifyStyle } from '../scripts/minify.mjs';
import { ROOT, table } from './common.mjs';

const nm = (p) => path.join(ROOT, 'node_modules', p);

const www = (files) => files.map((f) => path.join(ROOT, 'www', f));

// What the default page fetches before it shows a clean Castline JSON story: the page, its
// scripts (castline.js and its parts in shell/; fragment.js because the page keeps the view
// in the URL; search.js) and the first wasm build.
const SHELL = fs.readdirSync(path.join(ROOT, 'www', 'shell')).filter((f) => f.endsWith('.js')).sort().map((f) => `shell/${f}`);
const PAGE = ['index.html', 'app.js', 'castline.js', ...SHELL, 'search.js', 'fragment.js', 'castline.css'];
const FIRST = ['pkg/castline.js', 'pkg/castline_bg.wasm'];
// Fetched only for other formats (CSV, TimelineJS) and for data with problems to explain.
const LAZY = ['pkg/castline_full.js', 'pkg/castline_full_bg.wasm'];
const EMBED = ['embed.html', 'embedded.js', 'castline.js', ...SHELL, 'search.js', 'fragment.js', 'castline.css'];

/** Each contender: the files a page needs to show a network (or a timeline). */
export const BUNDLES = [
  { name: 'castline viewer, first download (HTML, JS, CSS, wasm), `make dist`', files: www([...PAGE, ...FIRST]), dist: 'app.js' },
  { name: 'castline viewer, first download, source (`make run`)', files: www([...PAGE, ...FIRST]) },
  { name: 'castline embed, first download, `make dist`', files: www([...EMBED, ...FIRST]), dist: 'embedded.js' },
  { name: 'castline embed, first download, source', files: www([...EMBED, ...FIRST]) },
  { name: 'castline first wasm alone', files: www(['pkg/castline_bg.wasm']) },
  { name: 'castline full build, loaded lazily (JS + wasm), `make dist`', files: www(LAZY), dist: true },
  { name: 'castline full wasm alone', files: www(['pkg/castline_full_bg.wasm']) },
  { name: 'vis-network (standalone, minified)', files: [nm('vis-network/standalone/umd/vis-network.min.js')] },
  { name: 'cytoscape (minified)', files: [nm('cytoscape/dist/cytoscape.min.js')] },
  {
    name: 'sigma + graphology (minified UMD)',
    files: [nm('sigma/dist/sigma.min.js'), nm('graphology/dist/graphology.umd.min.js')],
  },
  {
    name: 'TimelineJS (JS + CSS)',
    files: [nm('@knight-lab/timelinejs/dist/js/timeline.js'), nm('@knight-lab/timelinejs/dist/css/timeline.css')],
  },
];

// `dist`: the scripts and styles minified as `make dist` ships them, and a page's modules
// (when it names the one the page runs) bundled into it; null without terser or esbuild (npm ci).
async function measure(files, dist) {
  let raw = 0;
  let gz = 0;
  let bundled = new Set();
  if (typeof dist === 'string') {
    const bundle = await bundleEntry(path.join(ROOT, 'www'), dist);
    if (!bundle) return null;
    bundled = new Set(bundle.inputs.map((f) => path.join(ROOT, 'www', f)));
    const code = await minifyScript(Buffer.from(bundle.contents).toString('utf8'), dist);
    if (code === null) return null;
    raw += Buffer.byteLength(code);
    gz += zlib.gzipSync(Buffer.from(code), { level: 9 }).length;
  }
  for (const f of files.filter((file) => !bundled.has(file))) {
    if (!fs.existsSync(f)) return null;
    let bytes = fs.readFileSync(f);
    if (dist && f.endsWith('.js')) {
      const code = await minifyScript(bytes.toString('utf8'), path.relative(path.join(ROOT, 'www'), f));
      if (code === null) return null;
      bytes = Buffer.from(code);
    }
    if (dist && f.endsWith('.css')) bytes = Buffer.from(minifyStyle(bytes.toString('utf8')));
    raw += bytes.length;
    gz += zlib.gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gz };
}

export async function benchSize() {
  const results = [];
  for (const b of BUNDLES) results.push({ name: b.name, ...await measure(b.files, b.dist) });
  const ours = results[0];
  const kb = (n) => (n / 1000).toFixed(1);
  const rows = results.map((r) =>
    r.raw === undefined
      ? [r.name, 'missing', 'missing', '']
      : [r.name, kb(r.raw), kb(r.gz), (r.gz / ours.gz).toFixed(2)],
  );
  return { table: table(['bundle', 'KB', 'KB gzip', 'gzip / castline viewer (dist)'], rows), results };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log((await benchSize()).table);
}
