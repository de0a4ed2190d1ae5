// `make bench`'s Lighthouse part (BENCH_PARTS=lighthouse): Lighthouse 12 with its mobile
// defaults (simulated slow 4G, 4× CPU slowdown) on Castline's page and embed from a `make
// dist` folder, beside the same story in TimelineJS 3 and in vis-network + vis-timeline
// (bench/peers/), each served from 127.0.0.1 with precompressed brotli or gzip as the browser
// asks (the peers' files compressed the same way here). BENCH_LIGHTHOUSE_RUNS runs of each
// page (default 3), taking turns, each in a fresh Chromium; the medians are printed.
// BENCH_LIGHTHOUSE_BEFORE=DIR adds the page and the embed of another checkout (its own
// scripts/dist.mjs and www/, with its www/pkg built), measured in the same turns.
//
// Issue 17 §4's targets are printed beside them; nothing is asserted.

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, gzipSync, constants as zlib } from 'node:zlib';
import { ROOT, median, table } from './common.mjs';

const CHROMIUM = process.env.CHROME_PATH || '/usr/bin/chromium';
const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];
const nm = (p) => path.join(ROOT, 'node_modules', p);

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.csv': 'text/csv; charset=utf-8', '.txt': 'text/plain; charset=utf-8', '.woff': 'font/woff', '.woff2': 'font/woff2',
};

// A static host: precompressed `.br` or `.gz` beside a file are sent when the request accepts
// them (as nginx's brotli_static and gzip_static do), else the file as it is.
export function serve(dir) {
  const seen = new Set();
  const server = http.createServer((req, res) => {
    let rel = decodeURIComponent(new URL(req.url, 'http://x').pathname.slice(1));
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = path.join(dir, rel);
    if (!file.startsWith(dir + path.sep) || !existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404');
      return;
    }
    const accepts = String(req.headers['accept-encoding'] ?? '');
    seen.add(accepts);
    const headers = { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', vary: 'Accept-Encoding' };
    let body = readFileSync(file);
    for (const [encoding, ext] of [['br', '.br'], ['gzip', '.gz']]) {
      if (accepts.split(/\s*,\s*/).some((a) => a.split(';')[0] === encoding) && existsSync(file + ext)) {
        headers['content-encoding'] = encoding;
        body = readFileSync(file + ext);
        break;
      }
    }
    res.writeHead(200, headers).end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${server.address().port}/`,
    encodings: seen,
    close: () => new Promise((done) => server.close(done)),
  })));
}

// Writes `.br` and `.gz` beside each text file and wasm of `dir` that has none yet.
function precompress(dir) {
  for (const entry of execFileSync('find', [dir, '-type', 'f'], { encoding: 'utf8' }).split('\n').filter(Boolean)) {
    if (!/\.(html|js|css|json|wasm|svg|txt|csv)$/.test(entry) || existsSync(`${entry}.gz`)) continue;
    const bytes = readFileSync(entry);
    writeFileSync(`${entry}.gz`, gzipSync(bytes, { level: 9 }));
    writeFileSync(`${entry}.br`, brotliCompressSync(bytes, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }));
  }
}

// "2025-10-24~/2025-10-26~" → { start: [2025, 10, 24], end: [2025, 10, 26] } (months and
// years as written); the marks of approximation and uncertainty are dropped.
function edtf(date) {
  const part = (p) => (p && p !== '..' ? p.replace(/[~?%]/g, '').split('-').map(Number) : null);
  const [a, b] = String(date).split('/');
  return { start: part(a), end: part(b) };
}

// The default story for each peer: TimelineJS's JSON, and vis's nodes, edges and items.
function peerData(dir) {
  const story = JSON.parse(readFileSync(path.join(ROOT, 'data', 'peace-plan-2025.json'), 'utf8'));
  const names = new Map(story.actors.map((a) => [a.id, a.name]));
  const tlDate = ([year, month, day]) => ({ year, ...(month ? { month } : {}), ...(day ? { day } : {}) });
  const timeline = {
    title: { text: { headline: story.title, text: story.summary ?? '' } },
    events: story.events.map((e) => {
      const { start, end } = edtf(e.date);
      return {
        start_date: tlDate(start),
        ...(end ? { end_date: tlDate(end) } : {}),
        text: { headline: e.title, text: `${e.description ?? ''} <br>With ${e.actors.map((a) => names.get(a)).join(', ')}` },
      };
    }),
  };
  writeFileSync(path.join(dir, 'timeline.json'), JSON.stringify(timeline));
  const colour = new Map((story.groups ?? []).map((g) => [g.id, g.color]));
  const ties = new Map();
  for (const e of story.events) {
    for (let i = 0; i < e.actors.length; i += 1) {
      for (let j = i + 1; j < e.actors.length; j += 1) {
        const key = [e.actors[i], e.actors[j]].sort().join('|');
        ties.set(key, (ties.get(key) ?? 0) + 1);
      }
    }
  }
  const iso = (parts, last) => {
    const [y, m = last ? 12 : 1, d] = parts;
    if (d) return new Date(Date.UTC(y, m - 1, d + (last ? 1 : 0))).toISOString();
    return new Date(Date.UTC(y, last ? m : m - 1, 1)).toISOString();
  };
  const vis = {
    nodes: story.actors.map((a) => ({ id: a.id, label: a.name, color: colour.get(a.group) ?? '#8a8f99', shape: 'dot', size: 10 })),
    edges: [
      ...[...ties].map(([key, n]) => { const [from, to] = key.split('|'); return { from, to, value: n }; }),
      ...(story.relations ?? []).map((r) => ({ from: r.from, to: r.to, label: r.label, dashes: true })),
    ],
    items: story.events.map((e, id) => {
      const { start, end } = edtf(e.date);
      return { id, content: e.title, start: iso(start, false), end: iso(end ?? start, true), type: 'range' };
    }),
  };
  writeFileSync(path.join(dir, 'vis.json'), JSON.stringify(vis));
}

async function runLighthouse(url) {
  const { default: lighthouse } = await import('lighthouse');
  const chromeLauncher = await import('chrome-launcher');
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: FLAGS });
  try {
    const result = await lighthouse(url, { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: CATEGORIES });
    const { categories, audits } = result.lhr;
    const score = (c) => Math.round((categories[c]?.score ?? 0) * 100);
    const failed = Object.values(audits).filter((a) => a.score !== null && a.score < 1 && a.scoreDisplayMode === 'binary').map((a) => a.id);
    return {
      perf: score('performance'), a11y: score('accessibility'), bp: score('best-practices'), seo: score('seo'),
      fcp: audits['first-contentful-paint'].numericValue, lcp: audits['largest-contentful-paint'].numericValue,
      si: audits['speed-index'].numericValue, tbt: audits['total-blocking-time'].numericValue,
      cls: audits['cumulative-layout-shift'].numericValue, bytes: audits['total-byte-weight'].numericValue,
      failed,
    };
  } finally {
    await chrome.kill();
  }
}

export async function benchLighthouse(log = () => {}) {
  const runs = Number(process.env.BENCH_LIGHTHOUSE_RUNS ?? 3);
  const work = mkdtempSync(path.join(os.tmpdir(), 'castline-lighthouse-'));
  try {
    const dist = path.join(work, 'castline');
    const castline = process.env.CASTLINE_BIN
      || path.join(process.env.CARGO_TARGET_DIR || path.join(ROOT, 'target'), 'debug', 'castline');
    execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'dist.mjs'), '--out', dist, '--castline', castline], { stdio: 'pipe' });
    const before = process.env.BENCH_LIGHTHOUSE_BEFORE;
    const beforeDist = path.join(work, 'before');
    if (before) {
      execFileSync(process.execPath, [path.join(before, 'scripts', 'dist.mjs'), '--out', beforeDist, '--castline', castline], { stdio: 'pipe' });
    }
    const peers = path.join(work, 'peers');
    cpSync(path.join(ROOT, 'bench', 'peers'), peers, { recursive: true });
    cpSync(nm('@knight-lab/timelinejs/dist/js/timeline.js'), path.join(peers, 'timeline.js'));
    cpSync(nm('@knight-lab/timelinejs/dist/css/timeline.css'), path.join(peers, 'timeline.css'));
    cpSync(nm('@knight-lab/timelinejs/dist/css/icons'), path.join(peers, 'icons'), { recursive: true });
    cpSync(nm('vis-network/standalone/umd/vis-network.min.js'), path.join(peers, 'vis-network.min.js'));
    cpSync(nm('vis-timeline/standalone/umd/vis-timeline-graph2d.min.js'), path.join(peers, 'vis-timeline-graph2d.min.js'));
    peerData(peers);
    precompress(peers);
    const castlineSite = await serve(dist);
    const peerSite = await serve(peers);
    const beforeSite = before ? await serve(beforeDist) : null;
    const pages = [
      ...(beforeSite ? [
        ['Castline before (page)', `${beforeSite.url}index.html`],
        ['Castline before (embed)', `${beforeSite.url}embed.html`],
      ] : []),
      ['Castline (page)', `${castlineSite.url}index.html`],
      ['Castline (embed)', `${castlineSite.url}embed.html`],
      ['TimelineJS 3', `${peerSite.url}timelinejs.html`],
      ['vis-network + vis-timeline', `${peerSite.url}vis.html`],
    ];
    const results = new Map(pages.map(([name]) => [name, []]));
    try {
      for (let run = 1; run <= runs; run += 1) {
        for (const [name, url] of pages) {
          const r = await runLighthouse(url);
          log(`lighthouse run ${run}/${runs} ${name}: perf ${r.perf}, SI ${Math.round(r.si)} ms, TBT ${Math.round(r.tbt)} ms, CLS ${r.cls.toFixed(3)}, ${Math.round(r.bytes / 1024)} KiB${r.failed.length ? `; failed: ${r.failed.join(', ')}` : ''}`);
          results.get(name).push(r);
        }
      }
    } finally {
      await castlineSite.close();
      await peerSite.close();
      await beforeSite?.close();
    }
    const m = (rs, k) => median(rs.map((r) => r[k]));
    const rows = pages.map(([name]) => {
      const rs = results.get(name);
      return [
        name, m(rs, 'perf'), m(rs, 'a11y'), m(rs, 'bp'), m(rs, 'seo'),
        `${(m(rs, 'fcp') / 1000).toFixed(2)} s`, `${(m(rs, 'si') / 1000).toFixed(2)} s`, `${(m(rs, 'lcp') / 1000).toFixed(2)} s`,
        `${Math.round(m(rs, 'tbt'))} ms`, m(rs, 'cls').toFixed(3), `${(m(rs, 'bytes') / 1000).toFixed(1)} KB`,
        [...new Set(rs.flatMap((r) => r.failed))].join(', ') || '–',
      ];
    });
    const encodings = [...castlineSite.encodings].join('; ');
    return `${table(['page', 'perf', 'a11y', 'best practices', 'SEO', 'FCP', 'Speed Index', 'LCP', 'TBT', 'CLS', 'bytes', 'audits failed'], rows)}\n\n`
      + `Lighthouse 12 mobile defaults (simulated slow 4G, 4× CPU), medians of ${runs} runs per page taking turns, `
      + `each in a fresh Chromium. Castline from \`make dist\`; the browser asked for "${encodings}". `
      + 'Bytes are the whole transfer as Lighthouse counts it (total-byte-weight, KB of 1,000 bytes). '
      + 'Targets (issue 17 §4): performance ≥ 99, Speed Index ≤ 0.9 s, TBT ≤ 50 ms, CLS 0, accessibility and best practices 100 '
      + 'on the page and the embed, SEO 100 on the page, the page ≤ 200 KB.';
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
