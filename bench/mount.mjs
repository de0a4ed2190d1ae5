// `BENCH_PARTS=mount make bench`: how long the real page takes to mount a big story (the
// handle ready) and until its lists and words are shown, this build beside another one
// (`BENCH_ALT_WWW=/path/to/other/www`) in turns, as the machine is noisy. BENCH_SIZES picks the
// workloads (W4 alone by default: where the page's work shows); BENCH_RUNS the turns (4).

import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT, SEED, WORKLOADS, loadCastline, spread, table } from './common.mjs';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.json': 'application/json' };
const RUNS = Number(process.env.BENCH_RUNS ?? 4);
const ALT = process.env.BENCH_ALT_WWW;

function sizes() {
  const wanted = (process.env.BENCH_SIZES ?? 'W4').split(',').map((s) => s.trim());
  return WORKLOADS.filter((w) => wanted.includes(w.name));
}

// `/a/…` this build's www, `/b/…` the other's, `/story/NAME` the generated stories.
export function serve(stories) {
  const roots = { a: path.join(ROOT, 'www'), b: ALT };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    const [, top, ...rest] = decodeURIComponent(url.pathname).split('/');
    const root = top === 'story' ? stories : roots[top];
    const file = root ? path.normalize(path.join(root, ...rest)) : '';
    if (!root || !file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// Chromium's own JSON.parse of the story at `url` (s, the best of three), in a page of its own
// with nothing else at work: the page being measured has the layout's worker running by then.
async function parseTime(browser, url) {
  const page = await browser.newPage();
  try {
    // A page of the same origin with nothing running in it: the stylesheet, shown as text.
    await page.goto(new URL('/a/castline.css', url).href);
    return await page.evaluate(async (src) => {
      const text = await (await fetch(src)).text();
      let best = Infinity;
      for (let i = 0; i < 3; i += 1) {
        const t = performance.now();
        JSON.parse(text);
        best = Math.min(best, performance.now() - t);
      }
      return best / 1000;
    }, url);
  } finally {
    await page.close();
  }
}

// Seconds from navigation to the handle being ready, and to the event list holding entries;
// the longest task before the handle was ready (ms, the browser's long tasks); and the
// browser's own JSON.parse of the same file (s, `parseTime`), the issue's yardstick.
async function mountOnce(browser, url) {
  const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
  try {
    page.setDefaultTimeout(180_000);
    await page.addInitScript(() => {
      window.benchLongTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.benchLongTasks.push([e.startTime, e.duration]);
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(url);
    await page.waitForFunction(() => typeof window.castline?.actorPosition === 'function' || document.querySelector('.castline-fatal'), null, { polling: 'raf' });
    const ready = await page.evaluate(() => (document.querySelector('.castline-fatal') ? null : performance.now()));
    if (ready === null) throw new Error(`${url}: ${await page.textContent('.castline-fatal')}`);
    await page.waitForFunction(() => document.querySelector('.castline-events > li'), null, { polling: 'raf' });
    const listed = await page.evaluate(() => performance.now());
    const longest = await page.evaluate((until) => Math.max(0, ...window.benchLongTasks
      .filter(([start]) => start < until).map(([, d]) => d)), ready);
    const parse = await parseTime(browser, new URL(new URL(url).searchParams.get('data'), url).href);
    return { ready: ready / 1000, listed: listed / 1000, longest, parse };
  } finally {
    await page.close();
  }
}

export async function benchMount(log = console.error) {
  const stories = fs.mkdtempSync(path.join(os.tmpdir(), 'castline-mount-'));
  const server = await serve(stories);
  const { port } = server.address();
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const castline = await loadCastline();
  const builds = ALT ? [['this build', 'a'], ['BENCH_ALT_WWW', 'b']] : [['this build', 'a']];
  const rows = [];
  try {
    for (const w of sizes()) {
      fs.writeFileSync(path.join(stories, `${w.name}.json`), castline.generateStory(w.actors, w.events, SEED));
      const seen = new Map(builds.map(([name]) => [name, []]));
      for (let run = 0; run < RUNS; run += 1) {
        // Turns: the order swaps every run, so neither build always goes first.
        const order = run % 2 ? [...builds].reverse() : builds;
        for (const [name, dir] of order) {
          const t = await mountOnce(browser, `http://127.0.0.1:${port}/${dir}/index.html?data=/story/${w.name}.json`);
          seen.get(name).push(t);
          log(`  mount ${w.name} ${name}: ready ${t.ready.toFixed(2)} s, listed ${t.listed.toFixed(2)} s, longest task ${Math.round(t.longest)} ms, JSON.parse ${t.parse.toFixed(2)} s`);
        }
      }
      for (const [name, ts] of seen) {
        const r = ts.map((t) => t.ready);
        const l = ts.map((t) => t.listed);
        const longest = ts.map((t) => t.longest / 1000);
        const ratio = ts.map((t) => t.ready / t.parse);
        rows.push([w.name, name, spread(r), spread(l), spread(longest), spread(ratio), String(ts.length)]);
      }
      fs.rmSync(path.join(stories, `${w.name}.json`), { force: true });
    }
  } finally {
    await browser.close();
    server.close();
    fs.rmSync(stories, { recursive: true, force: true });
  }
  return [
    table(['size', 'build', 'handle ready, s from navigation: median (min–max)', 'event list shown, s', 'longest task before ready, s', 'ready ÷ JSON.parse of the file', 'runs'], rows),
    `\nThe real page (www/index.html?data=…, the story fetched as a file), ${RUNS} turns${ALT ? ` beside ${ALT}` : ''}; seed ${SEED}.`,
  ].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await benchMount());
}
