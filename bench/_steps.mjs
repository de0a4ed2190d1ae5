import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT, SEED, loadCastline } from './common.mjs';
const castline = await loadCastline();
const story = castline.generateStory(20000, 200000, SEED);
const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const server = http.createServer((req, res) => {
  const p = new URL(req.url, 'http://x').pathname;
  if (p === '/story.json') { res.writeHead(200, { 'content-type': 'application/json' }).end(story); return; }
  const f = path.join(ROOT, 'www', p);
  if (!fs.existsSync(f) || !fs.statSync(f).isFile()) { res.writeHead(404).end(); return; }
  res.writeHead(200, { 'content-type': TYPES[path.extname(f)] ?? 'text/plain' }); fs.createReadStream(f).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
await page.goto(`http://127.0.0.1:${server.address().port}/index.html`);
const out = await page.evaluate(async () => {
  const glue = await import('./pkg/castline.js');
  await glue.default({ module_or_path: new URL('./pkg/castline_bg.wasm', location.href) });
  const text = await (await fetch('/story.json')).text();
  const rows = [];
  let t = performance.now();
  const r = new glue.StoryReading(text, 'w4');
  rows.push(['new', performance.now() - t, 0]);
  for (;;) {
    const p0 = r.progress();
    t = performance.now();
    const done = r.work(10);
    const d = performance.now() - t;
    if (d > 30) rows.push(['work', d, p0, r.progress()]);
    if (done) break;
  }
  const c = document.createElement('canvas');
  t = performance.now();
  glue.Viewer.fromReading(c, document.createElement('canvas'), r);
  rows.push(['fromReading', performance.now() - t]);
  return rows;
});
for (const r of out) console.log(r.map((v) => (typeof v === 'number' ? v.toFixed(2) : v)).join('\t'));
await browser.close(); server.close();
