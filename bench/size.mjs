// Download size: bytes and gzip bytes (level 9, as a server would send them) of Castline's
// viewer beside the bundles a newsroom would ship with each peer library.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT, table } from './common.mjs';

const nm = (p) => path.join(ROOT, 'node_modules', p);

/** Each contender: the files a page needs to show a network (or a timeline). */
export const BUNDLES = [
  {
    name: 'castline viewer (HTML, JS, CSS, wasm)',
    files: [
      'www/index.html',
      'www/app.js',
      'www/castline.js',
      'www/castline.css',
      'www/pkg/castline.js',
      'www/pkg/castline_bg.wasm',
    ].map((f) => path.join(ROOT, f)),
  },
  { name: 'castline wasm alone', files: [path.join(ROOT, 'www/pkg/castline_bg.wasm')] },
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
