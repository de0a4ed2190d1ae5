// Download size: bytes and gzip bytes (level 9, as a server would send them; each file gzipped
// on its own, as it is sent) of Castline's viewer beside the bundles a newsroom would ship with
// each peer library. Castline's first download is what a clean Castline JSON story needs; the
// full build is reported on its own because only other formats and data with problems to
// explain fetch it.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT, table } from './common.mjs';

const nm = (p) => path.join(ROOT, 'node_modules', p);

const www = (files) => files.map((f) => path.join(ROOT, 'www', f));

// What the default page fetches before it shows a clean Castline JSON story: the page, its
// scripts (fragment.js because the page keeps the view in the URL; search.js is imported by
// castline.js) and the first wasm build.
const PAGE = ['index.html', 'app.js', 'castline.js', 'search.js', 'fragment.js', 'castline.css'];
const FIRST = ['pkg/castline.js', 'pkg/castline_bg.wasm'];
// Fetched only for other formats (CSV, TimelineJS) and for data with problems to explain.
const LAZY = ['pkg/castline_full.js', 'pkg/castline_full_bg.wasm'];
const EMBED = ['embed.html', 'embedded.js', 'castline.js', 'search.js', 'fragment.js', 'castline.css'];

/** Each contender: the files a page needs to show a network (or a timeline). */
export const BUNDLES = [
  { name: 'castline viewer, first download (HTML, JS, CSS, wasm)', files: www([...PAGE, ...FIRST]) },
  { name: 'castline embed, first download', files: www([...EMBED, ...FIRST]) },
  { name: 'castline first wasm alone', files: www(['pkg/castline_bg.wasm']) },
  { name: 'castline full build, loaded lazily (JS + wasm)', files: www(LAZY) },
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

function measure(files) {
  let raw = 0;
  let gz = 0;
  for (const f of files) {
    if (!fs.existsSync(f)) return null;
    const bytes = fs.readFileSync(f);
    raw += bytes.length;
    gz += zlib.gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gz };
}

export function benchSize() {
  const results = BUNDLES.map((b) => ({ name: b.name, ...measure(b.files) }));
  const ours = results[0];
  const kb = (n) => (n / 1000).toFixed(1);
  const rows = results.map((r) =>
    r.raw === undefined
      ? [r.name, 'missing', 'missing', '']
      : [r.name, kb(r.raw), kb(r.gz), (r.gz / ours.gz).toFixed(2)],
  );
  return { table: table(['bundle', 'KB', 'KB gzip', 'gzip / castline viewer'], rows), results };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(benchSize().table);
}
