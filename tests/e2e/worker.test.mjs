// A big story that arrives without stored positions (`?data=`) is laid out in a Web Worker
// started from a blob: URL, running the full build, while the page draws the worker's
// positions: in the page and in the sandboxed embed (opaque origin), under the served
// Content-Security-Policy, in Chromium and in Firefox; without `Worker` the page lays it out
// itself, as before. Timings are measured by the bench (`BENCH_PARTS=settle`), not here.

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import { CASTLINE_BIN, launchBrowser, startServer } from './helpers.mjs';

const TIMEOUT = 120_000;
const FIREFOX_PATH = process.env.CASTLINE_FIREFOX || '/usr/bin/firefox-esr';
const ACTORS = 1500;

/**
 * In the page or the embed's frame: waits for the handle, notes the layout and a few actors'
 * places, waits for `settled` and says where the layout ran (`data-castline-layout`), how
 * many of those actors moved, and any Content-Security-Policy violation seen meanwhile.
 */
async function watchSettle() {
  const violations = [];
  document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  const deadline = performance.now() + 60_000;
  while (typeof window.castline?.state !== 'function') {
    if (performance.now() > deadline) return { error: 'no handle within 60 s' };
    await new Promise((r) => setTimeout(r, 20));
  }
  const handle = window.castline;
  const ids = handle.story().actors.slice(0, 20).map((a) => a.id);
  const before = ids.map((id) => handle.actorPosition(id));
  const first = handle.state().layout;
  const settled = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), 60_000);
    const done = () => { clearTimeout(timer); resolve(true); };
    if (handle.state().layout === 'settled') done();
    else handle.addEventListener('settled', done, { once: true });
  });
  const after = ids.map((id) => handle.actorPosition(id));
  const moved = after.filter((p, i) => p && before[i] && Math.hypot(p.x - before[i].x, p.y - before[i].y) > 1).length;
  const where = document.querySelector('[data-castline-layout]')?.dataset.castlineLayout ?? null;
  const bar = document.querySelector('.castline-layout-progress');
  return {
    first,
    settled,
    last: handle.state().layout,
    actors: handle.state().visibleActors.length,
    moved,
    where,
    barHidden: bar?.hidden ?? null,
    violations,
  };
}

function assertSettled(seen, where) {
  assert.equal(seen.error, undefined, seen.error);
  assert.equal(seen.first, 'running', 'the layout was still running when the handle was ready');
  assert.equal(seen.settled, true, "'settled' fired");
  assert.equal(seen.last, 'settled');
  assert.equal(seen.actors, ACTORS);
  assert.ok(seen.moved >= 15, `the actors moved: ${seen.moved} of 20`);
  assert.equal(seen.where, where);
  assert.equal(seen.barHidden, true, 'the progress bar is gone');
  assert.deepEqual(seen.violations, []);
}

/** An article on another origin with the embed's sandboxed frame (as embed.js makes it). */
async function hostPage(frameUrl) {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host</title><link rel="icon" href="data:,"></head>
<body><iframe src="${frameUrl}" sandbox="allow-scripts" style="width:1000px;height:700px" title="Castline"></iframe></body></html>`;
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function frameOf(page, part) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const frame = page.frames().find((f) => f.url().includes(part));
    if (frame) return frame;
    if (Date.now() > deadline) throw new Error(`no frame with ${part}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let server;
let dataDir;

before(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'castline-worker-'));
  const story = execFileSync(CASTLINE_BIN, ['generate', '--actors', String(ACTORS), '--events', '6000', '--seed', '5'], { maxBuffer: 64 << 20 });
  await writeFile(path.join(dataDir, 'big.json'), story);
  // Big enough that the worker is still at work when the drag test presses.
  const bigger = execFileSync(CASTLINE_BIN, ['generate', '--actors', '12000', '--events', '40000', '--seed', '5'], { maxBuffer: 256 << 20 });
  await writeFile(path.join(dataDir, 'bigger.json'), bigger);
  server = await startServer({ args: ['--data', dataDir] });
});

after(async () => {
  await server?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const pageUrl = () => `${server.url}index.html?data=data/big.json`;
const embedUrl = () => `${server.url}embed.html?data=data/big.json`;

// The two engines behind one shape: `open(fn)` gives fn({ page, problems, beforeLoad }).
const engines = {
  chromium: {
    async launch() { return launchBrowser(); },
    async open(browser, fn) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      try {
        const page = await context.newPage();
        const problems = [];
        page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
        page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
        return await fn({ page, problems, beforeLoad: (script) => page.addInitScript(script) });
      } finally {
        await context.close();
      }
    },
  },
  firefox: {
    async launch() {
      this.profile = await mkdtemp(path.join(os.tmpdir(), 'castline-firefox-'));
      return puppeteer.launch({ browser: 'firefox', executablePath: FIREFOX_PATH, headless: true, userDataDir: this.profile, protocolTimeout: 90_000 });
    },
    async open(browser, fn) {
      const context = await browser.createBrowserContext();
      try {
        const page = await context.newPage();
        await page.setViewport({ width: 1280, height: 800 });
        const problems = [];
        page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warn') problems.push(`console ${m.type()}: ${m.text()}`); });
        page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
        return await fn({ page, problems, beforeLoad: (script) => page.evaluateOnNewDocument(script) });
      } finally {
        await context.close();
      }
    },
  },
};

for (const [name, engine] of Object.entries(engines)) {
  describe(`a big story's layout in a worker, in ${name}`, () => {
    let browser;
    before(async () => { browser = await engine.launch(); });
    after(async () => {
      await browser?.close().catch(() => {});
      if (engine.profile) await rm(engine.profile, { recursive: true, force: true });
    });

    test('in the page (?data=): settles through the worker', { timeout: TIMEOUT }, async () => {
      await engine.open(browser, async ({ page, problems }) => {
        await page.goto(pageUrl());
        assertSettled(await page.evaluate(watchSettle), 'worker');
        assert.deepEqual(problems, []);
      });
    });

    test('in the sandboxed embed (opaque origin): settles through the worker', { timeout: TIMEOUT }, async () => {
      const host = await hostPage(embedUrl());
      try {
        await engine.open(browser, async ({ page, problems }) => {
          await page.goto(host.url);
          const frame = await frameOf(page, 'embed.html');
          assert.equal(await frame.evaluate(() => String(self.origin)), 'null');
          assertSettled(await frame.evaluate(watchSettle), 'worker');
          assert.deepEqual(problems, []);
        });
      } finally {
        await host.close();
      }
    });

    test('without Worker the page lays it out itself', { timeout: TIMEOUT }, async () => {
      await engine.open(browser, async ({ page, problems, beforeLoad }) => {
        await beforeLoad(() => { delete window.Worker; });
        await page.goto(pageUrl());
        assert.equal(await page.evaluate(() => typeof window.Worker), 'undefined');
        assertSettled(await page.evaluate(watchSettle), null);
        assert.deepEqual(problems, []);
      });
    });
  });
}

// The worker knows nothing of the reader's pins: a drag hands the layout back to the page,
// which settles it from the worker's last positions with the dragged node where it was put.
describe('a drag while the worker lays out', () => {
  let browser;
  before(async () => { browser = await engines.chromium.launch(); });
  after(async () => { await browser?.close().catch(() => {}); });

  // The press is made where the node is after the selection: the words above the pictures
  // change with it. The story is big enough that the worker is still at work then.
  test('hands the layout back to the page, which settles it', { timeout: TIMEOUT }, async () => {
    await engines.chromium.open(browser, async ({ page, problems }) => {
      await page.goto(`${server.url}index.html?data=data/bigger.json`);
      await page.waitForFunction(() => document.querySelector('[data-castline-layout="worker"]')
        && document.querySelector('.castline-layout-progress')?.value > 0.2, null, { polling: 'raf', timeout: 60_000 });
      assert.equal(await page.evaluate(() => window.castline.state().layout), 'running', 'still at work');
      const id = await page.evaluate(() => window.castline.story().actors[0].id);
      // A story this big is an overview of communities: selecting the actor opens its own,
      // so that the press finds the node, not its community's mark.
      await page.evaluate((i) => window.castline.select([i]), id);
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      // The canvas's place after the selection (the words above the pictures change with
      // it), and the node's, in one go.
      const { box, p } = await page.evaluate((i) => {
        const r = document.querySelector('canvas.castline-network').getBoundingClientRect();
        return { box: { x: r.left, y: r.top }, p: window.castline.actorPosition(i) };
      }, id);
      await page.mouse.move(box.x + p.x, box.y + p.y);
      await page.mouse.down();
      for (let k = 1; k <= 5; k += 1) await page.mouse.move(box.x + p.x + 12 * k, box.y + p.y + 8 * k);
      await page.mouse.up();
      const seen = await page.evaluate(async (i) => {
        const h = window.castline;
        await new Promise((resolve) => (h.state().layout === 'settled' ? resolve() : h.addEventListener('settled', resolve, { once: true })));
        return { where: document.querySelector('[data-castline-layout]').dataset.castlineLayout, layout: h.state().layout, at: h.actorPosition(i) };
      }, id);
      assert.equal(seen.where, 'page', 'taken back by the drag');
      // The worker found the story's communities before it laid out; the page took them.
      assert.equal(await page.evaluate(() => document.querySelector('[data-castline-layout]').dataset.castlineCommunities), 'worker');
      assert.equal(seen.layout, 'settled');
      assert.ok(Math.hypot(seen.at.x - p.x - 60, seen.at.y - p.y - 40) < 30, `the node stays near where it was put: ${JSON.stringify({ p, at: seen.at })}`);
      assert.deepEqual(problems, []);
    });
  });
});
