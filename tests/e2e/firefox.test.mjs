// The reader's main paths again in a second engine: Debian's Firefox ESR, driven over WebDriver
// BiDi by puppeteer-core (Playwright drives only its own Firefox builds). The rest of the suite
// runs in Chromium. Expectations come from data/peace-plan-2025.json and the viewer's story().

import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import {
  startServer, waitForCastline, canvasInk, readStory, nextFrames, visibleItemIds, eventsInWindow,
} from './helpers.mjs';

const TIMEOUT = 90_000;
const FIREFOX_PATH = process.env.CASTLINE_FIREFOX || '/usr/bin/firefox-esr';
const story = await readStory();
const sorted = (ids) => [...ids].sort();

describe('in Firefox', () => {
  let server;
  let browser;
  let profile;

  before(async () => {
    server = await startServer();
    profile = await mkdtemp(path.join(os.tmpdir(), 'castline-firefox-'));
    browser = await puppeteer.launch({
      browser: 'firefox',
      executablePath: FIREFOX_PATH,
      headless: true,
      userDataDir: profile,
      protocolTimeout: 60_000,
    });
  });

  after(async () => {
    await browser?.close().catch(() => {});
    await server?.stop();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  // A fresh browser context per test; `problems` collects console errors and warnings and
  // page errors, as the Chromium suite's withPage does.
  async function withPage({ width = 1280, height = 800, deviceScaleFactor = 1 }, fn) {
    const context = await browser.createBrowserContext();
    try {
      const page = await context.newPage();
      await page.setViewport({ width, height, deviceScaleFactor });
      const problems = [];
      page.on('console', (msg) => {
        if (msg.type() === 'error' || msg.type() === 'warn') problems.push(`console ${msg.type()}: ${msg.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      return await fn({ page, problems });
    } finally {
      await context.close();
    }
  }

  async function open(page, query = '') {
    const response = await page.goto(`${server.url}${query}`);
    await waitForCastline(page);
    return response;
  }

  const state = (page) => page.evaluate(() => window.castline.state());

  // A point on a canvas, in the page's coordinates, from a position the viewer reports.
  async function pointOn(page, selector, position) {
    assert.ok(position, `no position on ${selector}`);
    const rect = await page.evaluate((sel) => {
      const r = document.querySelector(sel).getBoundingClientRect();
      return { left: r.left, top: r.top };
    }, selector);
    return { x: rect.left + position.x, y: rect.top + position.y };
  }

  test('the story loads under the CSP, without errors, and both canvases draw crisp at devicePixelRatio 2', { timeout: TIMEOUT }, async () => {
    await withPage({ deviceScaleFactor: 2 }, async ({ page, problems }) => {
      const response = await open(page);
      assert.equal(response.status(), 200);
      const csp = (response.headers()['content-security-policy'] ?? '').split('; ');
      assert.ok(csp.includes(`script-src 'self' ${new URL(server.url).origin} 'wasm-unsafe-eval'`), csp.join('; '));
      await nextFrames(page, 3);
      assert.equal(await page.$eval('h1', (h) => h.textContent.trim()), story.title);
      assert.equal(await page.evaluate(() => window.devicePixelRatio), 2);
      for (const selector of ['canvas.castline-network', 'canvas.castline-timeline']) {
        const c = await canvasInk(page, selector);
        assert.ok(Math.abs(c.width - 2 * c.cssWidth) <= 1, `${selector}: buffer width ${c.width} is 2 × CSS width ${c.cssWidth}`);
        assert.ok(Math.abs(c.height - 2 * c.cssHeight) <= 1, `${selector}: buffer height ${c.height} is 2 × CSS height ${c.cssHeight}`);
        assert.ok(c.ink > 2000 && c.ink > c.total * 0.005, `${selector} is not blank (${c.ink} of ${c.total} pixels drawn)`);
      }
      assert.equal((await visibleItemIds(page)).length, story.events.length);
      assert.deepEqual(problems, []);
    });
  });

  test('a click on an actor shows only its events, Escape all again, and a drag across the time axis a window', { timeout: TIMEOUT }, async () => {
    await withPage({}, async ({ page, problems }) => {
      await open(page);
      const actor = 'dmitriev';
      const expected = story.events.filter((e) => (e.actors ?? []).includes(actor)).map((e) => e.id);
      assert.ok(expected.length > 0 && expected.length < story.events.length);
      const at = await pointOn(page, 'canvas.castline-network', await page.evaluate((id) => window.castline.actorPosition(id), actor));
      await page.mouse.click(at.x, at.y);
      await nextFrames(page);
      const selected = await state(page);
      assert.deepEqual(selected.selectedActors, [actor]);
      assert.deepEqual(sorted(selected.visibleEvents), sorted(expected));
      assert.deepEqual(sorted(await visibleItemIds(page)), sorted(expected));

      await page.keyboard.press('Escape');
      await nextFrames(page);
      assert.equal((await state(page)).visibleEvents.length, story.events.length);

      // From just left of the Axios report to just right of the WSJ report, along the Axios lane.
      const mark = async (id) => pointOn(page, 'canvas.castline-timeline', await page.evaluate((e) => window.castline.eventPosition(e), id));
      const axios = await mark('axios-report');
      const wsj = await mark('wsj-report');
      await page.mouse.move(axios.x - 14, axios.y);
      await page.mouse.down();
      await page.mouse.move((axios.x + wsj.x) / 2, axios.y, { steps: 6 });
      await page.mouse.move(wsj.x + 14, axios.y, { steps: 6 });
      await page.mouse.up();
      await nextFrames(page);
      const brushed = await state(page);
      assert.ok(brushed.timeWindow, 'a window is set');
      const inWindow = await eventsInWindow(page, brushed.timeWindow);
      assert.ok(inWindow.includes('axios-report') && inWindow.includes('wsj-report'));
      assert.ok(inWindow.length < story.events.length, 'the window leaves events out');
      assert.deepEqual(sorted(brushed.visibleEvents), sorted(inWindow));
      assert.deepEqual(sorted(await visibleItemIds(page)), sorted(inWindow));
      assert.deepEqual(problems, []);
    });
  });

  test('data with problems loads the full build and names the file, line and field of each', { timeout: TIMEOUT }, async () => {
    await withPage({}, async ({ page, problems }) => {
      await open(page);
      const data = JSON.stringify({
        title: 'Two events, one date wrong',
        actors: [{ id: 'a', name: 'Alice' }],
        events: [
          { id: 'ok', title: 'Met', date: '2025-10-24', actors: ['a'] },
          { id: 'bad', title: 'Called', date: '2025-02-30', actors: ['a'] },
        ],
      }, null, 1);
      const shown = await page.evaluate(async (text) => {
        const element = document.createElement('div');
        document.body.append(element);
        const handle = await window.Castline.mount(element, { data: text, name: 'broken.json' });
        const alerts = [...element.querySelectorAll('[role="alert"]')].filter((el) => !el.hidden);
        return { events: handle.state().visibleEvents, alert: alerts.map((el) => el.textContent).join(' ') };
      }, data);
      assert.deepEqual(shown.events, ['ok']);
      assert.match(shown.alert, /broken\.json:\d+:\d+: /);
      assert.match(shown.alert, /field "date"/);
      assert.match(shown.alert, /2025-02-30/);
      assert.deepEqual(problems, []);
    });
  });
});
