// `castline publish` (issue 18 §1): a folder published from each input kind, served by a plain
// static server (no CSP header, no castline), opened in Chromium: every event of the story is
// there, and the view opens at rest (node positions equal 0.3 s and 3 s after mount).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { browserSuite, CASTLINE_BIN, repoRoot, waitForCastline } from './helpers.mjs';

const TIMEOUT = 120_000;
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.png': 'image/png',
};

/** A folder served as any static host would: files and their types, nothing else. */
export async function staticFolder(dir) {
  const missing = [];
  const server = http.createServer(async (req, res) => {
    let rel = decodeURIComponent(new URL(req.url, 'http://x').pathname.slice(1));
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    const file = path.join(dir, rel);
    try {
      if (!file.startsWith(dir + path.sep)) throw new Error('outside');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      missing.push(rel);
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    missing,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const INPUTS = {
  'Castline JSON': ['data/peace-plan-2025.json'],
  'an events sheet alone': ['data/examples/harbour/events.csv'],
  'events, actors and relations sheets': ['data/examples/harbour/events.csv', 'data/examples/harbour/actors.csv', 'data/examples/harbour/relations.csv'],
  'a TimelineJS sheet': ['data/examples/bridge-timelinejs.csv'],
  'TimelineJS JSON': ['data/examples/bridge-timelinejs.json'],
};

/** Publishes `inputs` into a new folder; returns it. */
export async function publish(inputs, extra = []) {
  const out = await mkdtemp(path.resolve(os.tmpdir(), 'castline-publish-'));
  execFileSync(CASTLINE_BIN, ['publish', ...inputs.map((f) => path.resolve(repoRoot, f)), '-o', out, '--title', 'Published', ...extra],
    { cwd: repoRoot, stdio: 'pipe' });
  // Publishing reads the viewer from www/ in the checkout: the cwd above.
  return out;
}

/** Every actor's position on the canvas, by id, `ms` after `since` (performance.now()). */
function positionsAt(page, since, ms) {
  return page.evaluate(async ([t0, wait]) => {
    const left = t0 + wait - performance.now();
    if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
    const handle = window.castline;
    return Object.fromEntries(handle.story().actors.map((a) => {
      const p = handle.actorPosition(a.id);
      return [a.id, p && [p.x, p.y]];
    }));
  }, [since, ms]);
}

/**
 * Asserts that the canvas positions are the stored ones fitted to the canvas: one scale and
 * one shift for all, within the nudges that make room for names (so a viewer that laid the
 * network out afresh, or moved it, fails).
 */
function assertFitted(onCanvas, story) {
  const placed = story.actors.filter((a) => onCanvas[a.id]);
  assert.ok(placed.length >= 2, 'two actors to compare');
  const [a, b] = [placed[0], placed.at(-1)];
  const stored = (x) => x.position;
  const dx = stored(b)[0] - stored(a)[0];
  const dy = stored(b)[1] - stored(a)[1];
  const scale = Math.hypot(onCanvas[b.id][0] - onCanvas[a.id][0], onCanvas[b.id][1] - onCanvas[a.id][1]) / Math.hypot(dx, dy);
  for (const actor of placed) {
    const want = [0, 1].map((k) => onCanvas[a.id][k] + scale * (stored(actor)[k] - stored(a)[k]));
    const got = onCanvas[actor.id];
    // Small networks' nodes are nudged a few px apart to make room for names
    // (place/network.rs); a layout made afresh or moved is off by far more.
    assert.ok(Math.hypot(got[0] - want[0], got[1] - want[1]) < 15, `${actor.id} at ${got}, stored places say ${want}`);
  }
}

/** The big story for the case that matters most: one the page would lay out over frames. */
async function bigStory() {
  const file = path.join(await mkdtemp(path.resolve(os.tmpdir(), 'castline-big-')), 'big.json');
  execFileSync(CASTLINE_BIN, ['generate', '--actors', '450', '--events', '1200', '--seed', '3', '-o', file]);
  return file;
}

describe('castline publish', () => {
  const { withPage } = browserSuite({ httpErrors: true });
  const cases = Object.entries(INPUTS);
  cases.push(['Castline JSON whose stored positions were moved by hand (mirrored)', INPUTS['Castline JSON'], true]);
  cases.push(['a big generated story (450 actors, laid out over frames without stored positions)', null]);

  for (const [kind, given, mirror] of cases) {
    test(`${kind}: published, served statically, every event shown, opened at rest`, { timeout: TIMEOUT * 2 }, async () => {
      const inputs = given ?? [await bigStory()];
      const out = await publish(inputs);
      if (!given) await rm(path.dirname(inputs[0]), { recursive: true, force: true });
      const storyFile = path.join(out, 'story.json');
      if (mirror) {
        // Places the layout would never reach from its start: the page must take them as given.
        const edited = JSON.parse(await readFile(storyFile, 'utf8'));
        for (const actor of edited.actors) actor.position = [-actor.position[0], actor.position[1]];
        await writeFile(storyFile, JSON.stringify(edited));
      }
      const site = await staticFolder(out);
      try {
        const story = JSON.parse(await readFile(storyFile, 'utf8'));
        assert.ok(story.events.length > 0);
        assert.ok(story.actors.every((a) => Array.isArray(a.position)), 'every actor has a stored position');
        await withPage(async ({ page, problems }) => {
          await page.goto(site.url);
          const mounted = await page.waitForFunction(() => typeof window.castline?.state === 'function' && performance.now(),
            null, { timeout: 20_000, polling: 'raf' }).then((h) => h.jsonValue());
          const early = await positionsAt(page, mounted, 300);
          const late = await positionsAt(page, mounted, 3000);
          assert.deepEqual(late, early, 'no node moved between 0.3 s and 3 s after mount');
          assert.ok(Object.values(early).some(Boolean), 'the actors are placed');
          assertFitted(early, story);
          const shown = await page.evaluate(() => window.castline.story().events.map((e) => e.id));
          assert.deepEqual(shown.sort(), story.events.map((e) => e.id).sort());
          const listed = await page.$$eval('ol.castline-events > li', (items) => items.length);
          assert.ok(listed > 0, 'the event list is shown');
          assert.equal(await page.$eval('.castline-title', (h) => h.textContent), 'Published');
          // An edited story.json is not the one the stand-in was drawn for: the page says so.
          assert.deepEqual(problems.filter((p) => !mirror || !/stand-in/.test(p)), []);
        });
        assert.deepEqual(site.missing.filter((f) => f !== 'favicon.ico'), [], 'no 404');
      } finally {
        await site.close();
        await rm(out, { recursive: true, force: true });
      }
    });
  }

  test('--select, --window and --theme: the page and the embed open with that view, a link still wins', { timeout: TIMEOUT * 2 }, async () => {
    const out = await publish(INPUTS['Castline JSON'], ['--select', 'dmitriev,witkoff', '--window', '2025-10-01..2025-11-30', '--theme', 'dark']);
    const site = await staticFolder(out);
    try {
      await withPage({ colorScheme: 'light' }, async ({ page, problems }) => {
        for (const file of ['index.html', 'embed.html']) {
          await page.goto(site.url + file);
          await waitForCastline(page);
          const s = await page.evaluate(() => window.castline.state());
          assert.deepEqual([...s.selectedActors].sort(), ['dmitriev', 'witkoff'], file);
          assert.deepEqual(s.timeWindow.map((d) => d.slice(0, 10)), ['2025-10-01', '2025-11-30'], file);
          assert.ok(s.visibleEvents.length > 0, `${file}: their shared events in the window are shown`);
          // The colours are fixed dark whatever the reader's setting (light here).
          const background = await page.evaluate(() => getComputedStyle(document.querySelector('.castline-panel')).backgroundColor);
          const [r, g, b] = background.match(/\d+/g).map(Number);
          assert.ok(r + g + b < 200, `${file}: dark panels, got ${background}`);
        }
        // A link's own view comes before the published one.
        await page.goto(`${site.url}index.html#select=putin`);
        await waitForCastline(page);
        const linked = await page.evaluate(() => window.castline.state());
        assert.deepEqual(linked.selectedActors, ['putin']);
        assert.equal(linked.timeWindow, null);
        assert.deepEqual(problems, []);
      });
    } finally {
      await site.close();
      await rm(out, { recursive: true, force: true });
    }
  });

  test('a castline binary copied out of the checkout publishes and serves (the viewer built into it)', { timeout: TIMEOUT * 2 }, async () => {
    const away = await mkdtemp(path.resolve(os.tmpdir(), 'castline-away-'));
    let server;
    try {
      const bin = path.join(away, 'castline');
      await copyFile(CASTLINE_BIN, bin);
      execFileSync('chmod', ['+x', bin]);
      await copyFile(path.join(repoRoot, 'data/examples/bridge-timelinejs.json'), path.join(away, 'bridge.json'));
      const said = execFileSync(bin, ['publish', 'bridge.json', '-o', 'site'], { cwd: away, stdio: 'pipe', encoding: 'utf8' });
      assert.equal(said, '');
      const site = await staticFolder(path.join(away, 'site'));
      try {
        await withPage(async ({ page, problems }) => {
          await page.goto(site.url);
          await waitForCastline(page);
          assert.ok((await page.evaluate(() => window.castline.story().events.length)) > 0);
          assert.deepEqual(problems, []);
        });
      } finally {
        await site.close();
      }
      // `serve` there: no www/ and no data/, so the built-in viewer and default story.
      server = spawn(bin, ['serve', '--port', '0'], { cwd: away, stdio: ['ignore', 'pipe', 'pipe'] });
      const url = await new Promise((resolve, reject) => {
        let out = '';
        server.stdout.on('data', (chunk) => {
          out += chunk;
          const m = /serving the page at (http:\S+)/.exec(out);
          if (m) resolve(m[1]);
        });
        server.on('exit', (code) => reject(new Error(`castline serve exited with ${code}`)));
      });
      await withPage(async ({ page, problems }) => {
        await page.goto(url);
        await waitForCastline(page);
        assert.ok((await page.evaluate(() => window.castline.story().events.length)) > 10);
        assert.deepEqual(problems, []);
      });
    } finally {
      server?.kill();
      await rm(away, { recursive: true, force: true });
    }
  });
});
