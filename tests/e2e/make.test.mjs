// make.html, the page that makes an embed (issue 18): in a published folder, a dropped CSV
// shows its problems and a preview, and the code it gives, pasted into a page of another
// origin (with the story it offers put into the folder's data/), shows the story as chosen in
// the preview. Under `castline serve` at /make: a URL previewed with the keyboard alone, the
// oEmbed URL answered, a URL the browser may not read explained with the command that reads
// it, axe-core clean, and usable 375 px wide.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { browserSuite, CASTLINE_BIN, repoRoot, waitForSettled } from './helpers.mjs';

const TIMEOUT = 120_000;
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.png': 'image/png',
};
// Two problems: 30 February is no date (its record is left out), and the rest is shown.
const CSV = 'title,date,actors\nFirst,2025-10-24,Jane Doe; John Roe\nSecond,2025-02-30,Jane Doe\nThird,2025-11,John Roe\n';

/**
 * A static host on a free port: `pages()` gives HTML by path (an article), and files come from
 * `dir`, with Access-Control-Allow-Origin: * as an embed's opaque-origin iframe needs.
 */
async function host({ dir = null, pages = () => ({}) } = {}) {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const page = pages()[url.pathname];
    if (page !== undefined) {
      res.writeHead(200, { 'content-type': TYPES['.html'] }).end(page);
      return;
    }
    const file = dir && path.join(dir, decodeURIComponent(url.pathname));
    try {
      if (!file || !file.startsWith(dir + path.sep)) throw new Error('outside');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'access-control-allow-origin': '*' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((resolve) => server.close(resolve)) };
}

// Waits until make.html's preview shows a story with `events` events (or any, when null).
async function waitForPreview(page, events = null) {
  await page.waitForFunction((n) => {
    try {
      const count = window.castline?.story?.().events.length;
      return count !== undefined && (n === null || count === n);
    } catch {
      return false;
    }
  }, events, { timeout: 30_000 });
}

// Drops files on the page, as a person dragging them from their desktop.
async function dropFiles(page, files) {
  await page.evaluate((list) => {
    const transfer = new DataTransfer();
    for (const { name, text } of list) transfer.items.add(new File([text], name, { type: 'text/csv' }));
    for (const kind of ['dragover', 'drop']) {
      document.body.dispatchEvent(new DragEvent(kind, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }
  }, files);
}

// Clicks an actor's node on the preview's network canvas, as a reader does.
async function clickActor(page, name) {
  const point = await page.evaluate((who) => {
    const handle = window.castline;
    const id = handle.story().actors.find((a) => a.name === who).id;
    document.querySelector('canvas.castline-network').scrollIntoView({ block: 'center' });
    const p = handle.actorPosition(id);
    const box = document.querySelector('canvas.castline-network').getBoundingClientRect();
    return { id, x: box.left + p.x, y: box.top + p.y };
  }, name);
  await page.mouse.click(point.x, point.y);
  return point.id;
}

const violations = async (page) => (await new AxeBuilder({ page }).analyze()).violations
  .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);

describe('make.html', () => {
  const { server, withPage } = browserSuite();

  test('in a published folder: a dropped CSV shows its problems and a preview, and its snippet shows the story on another origin', { timeout: TIMEOUT }, async () => {
    const out = await mkdtemp(path.resolve(os.tmpdir(), 'castline-make-'));
    let article = '';
    const site = await host({ dir: out });
    const news = await host({ pages: () => ({ '/': article }) });
    try {
      execFileSync(CASTLINE_BIN, ['publish', path.resolve(repoRoot, 'data/peace-plan-2025.json'), '-o', out, '--base-url', site.url],
        { cwd: repoRoot, stdio: 'pipe' });
      await withPage({ acceptDownloads: true }, async ({ page, problems }) => {
        await page.goto(`${site.url}make.html`);
        await waitForPreview(page);
        // Published with --base-url: the folder's oembed.json, for its own story.
        assert.equal(await page.inputValue('#make-oembed'), `${site.url}oembed.json`);
        await dropFiles(page, [{ name: 'my-events.csv', text: CSV }]);
        await waitForPreview(page, 2);
        const alert = await page.$$eval('#castline [role="alert"]', (els) => els.filter((e) => !e.hidden).map((e) => e.textContent).join(' '));
        assert.match(alert, /my-events\.csv:3:2: row 3, field "date"/, 'the problem at its row and column, under the sheet\'s name for the column');
        const titles = await page.$$eval('ol.castline-events > li .castline-event-title', (els) => els.map((e) => e.textContent));
        assert.deepEqual(titles, ['First', 'Third']);

        await waitForSettled(page);
        const id = await clickActor(page, 'John Roe');
        await page.waitForFunction((who) => document.getElementById('make-script').value.includes(`data-view="select=${who}"`), id);
        const snippet = await page.inputValue('#make-script');
        assert.match(snippet, /data-src="data\/my-events\.json"/, snippet);
        assert.ok(snippet.includes(`src="${site.url}embed.js"`), snippet);
        assert.match(await page.textContent('#make-data-words'), /data\/ as my-events\.json/);
        // oembed.json describes the folder's own story only, and the page says so.
        assert.equal(await page.isVisible('#make-oembed-box'), false);
        assert.match(await page.textContent('#make-oembed-none'), /own story only/);

        // The story as Castline JSON, put where the snippet names it.
        const [download] = await Promise.all([page.waitForEvent('download'), page.click('#make-download')]);
        assert.equal(download.suggestedFilename(), 'my-events.json');
        await mkdir(path.join(out, 'data'), { recursive: true });
        await download.saveAs(path.join(out, 'data', 'my-events.json'));

        article = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>An article</title><link rel="icon" href="data:,"></head><body><h1>News</h1>${snippet}</body></html>`;
        await page.goto(news.url);
        assert.notEqual(new URL(news.url).origin, new URL(site.url).origin);
        let frame = null;
        for (let i = 0; i < 200 && !frame; i += 1) {
          frame = page.frames().find((f) => f.url().startsWith(`${site.url}embed.html`)) ?? null;
          if (!frame) await page.waitForTimeout(100);
        }
        assert.ok(frame, 'the snippet made an iframe of the folder\'s embed.html');
        await frame.waitForFunction(() => typeof window.castline?.state === 'function', null, { timeout: 30_000 });
        const shown = await frame.evaluate(() => ({
          titles: window.castline.story().events.map((e) => e.title),
          selected: window.castline.state().selectedActors,
        }));
        assert.deepEqual(shown.titles.sort(), ['First', 'Third']);
        assert.deepEqual(shown.selected, [id], 'the embed opens with the preview\'s selection');
        assert.deepEqual(problems, []);
      });
    } finally {
      await site.close();
      await news.close();
      await rm(out, { recursive: true, force: true });
    }
  });

  test('at /make: a URL previewed with the keyboard alone, its code and oEmbed URL, axe-core clean', { timeout: TIMEOUT }, async () => {
    await withPage({ permissions: ['clipboard-read', 'clipboard-write'] }, async ({ page, problems }) => {
      await page.goto(`${server.url}make`);
      await waitForPreview(page);
      assert.deepEqual(await violations(page), [], 'axe-core, the folder\'s own story');
      const url = `${server.url}data/examples/harbour/events.csv`;
      // Tab from the top of the page to the URL field, type, Tab to Preview, Enter.
      let focused = '';
      for (let i = 0; i < 10 && focused !== 'make-url'; i += 1) {
        await page.keyboard.press('Tab');
        focused = await page.evaluate(() => document.activeElement?.id ?? '');
      }
      assert.equal(focused, 'make-url', 'the URL field is reached with Tab');
      await page.keyboard.type(url);
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Preview');
      await page.keyboard.press('Enter');
      const csv = await readFile(path.join(repoRoot, 'data/examples/harbour/events.csv'), 'utf8');
      await waitForPreview(page, csv.trim().split('\n').length - 1);
      const snippet = await page.inputValue('#make-script');
      assert.ok(snippet.includes(`data-src="${url}"`), `a URL the embed reads itself: ${snippet}`);
      const iframe = await page.inputValue('#make-iframe');
      assert.ok(iframe.includes(`src="${server.url}embed.html?data=${url}"`), iframe);
      // The oEmbed URL is the server's endpoint for the share link, and it answers.
      const oembed = await page.inputValue('#make-oembed');
      assert.ok(oembed.startsWith(`${server.url}oembed?format=json&url=`), oembed);
      const answer = await (await fetch(oembed)).json();
      assert.match(answer.html, /embed\.html\?data=/);

      await page.selectOption('#make-theme', 'dark');
      await page.fill('#make-height', '700');
      await page.uncheck('#make-auto');
      const fixed = await page.inputValue('#make-script');
      assert.match(fixed, /data-theme="dark"/);
      assert.match(fixed, /data-height="700"/);
      assert.match(fixed, /data-auto-height="false"/);

      // Copy with the keyboard: the button says it was copied, and the clipboard holds it.
      await page.focus('button[data-copy="make-script"]');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.getElementById('make-copied').textContent !== '');
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), fixed);
      assert.deepEqual(await violations(page), [], 'axe-core, a sheet previewed and the code filled in');
      assert.deepEqual(problems, []);
    });
  });

  test('a spreadsheet\'s three sheets, chosen with the file input, are previewed as one story', { timeout: TIMEOUT }, async () => {
    const sheets = ['events', 'actors', 'relations'].map((name) => path.join(repoRoot, `data/examples/harbour/${name}.csv`));
    const actors = (await readFile(sheets[1], 'utf8')).trim().split('\n').length - 1;
    await withPage(async ({ page, problems }) => {
      await page.goto(`${server.url}make`);
      await waitForPreview(page);
      await page.setInputFiles('#make-files', sheets);
      await page.waitForFunction((n) => {
        try {
          return window.castline?.story().actors.length === n;
        } catch {
          return false;
        }
      }, actors, { timeout: 30_000 });
      const story = await page.evaluate(() => window.castline.story());
      assert.ok(story.groups.length > 0, 'the actors sheet\'s groups were read');
      assert.equal(await page.$$eval('#castline .castline-diag-section-error', (els) => els.length), 0, 'no errors');
      assert.match(await page.inputValue('#make-script'), /data-src="data\/events\.json"/);
      assert.equal(await page.isVisible('#make-download'), true);
      assert.deepEqual(problems, []);
    });
  });

  test('a URL the browser may not read is explained, with the castline publish command that reads it', { timeout: TIMEOUT }, async () => {
    // Another origin that sends no Access-Control-Allow-Origin.
    const closed = http.createServer((req, res) => res.writeHead(200, { 'content-type': 'text/csv' }).end(CSV));
    await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${closed.address().port}/events.csv`;
    try {
      await withPage(async ({ page }) => {
        await page.goto(`${server.url}make`);
        await waitForPreview(page);
        await page.fill('#make-url', url);
        await page.click('#make-url-form button[type="submit"]');
        await page.waitForSelector('#make-unreadable:not([hidden])');
        const text = await page.textContent('#make-unreadable');
        assert.match(text, /may not read/);
        assert.ok(text.includes(`castline publish '${url}' -o site/`), text);
      });
    } finally {
      await new Promise((resolve) => closed.close(resolve));
    }
  });

  test('375 px wide, dark: no sideways scrolling, every control on screen, axe-core clean', { timeout: TIMEOUT }, async () => {
    await withPage({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, colorScheme: 'dark' }, async ({ page, problems }) => {
      await page.goto(`${server.url}make`);
      await waitForPreview(page);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 375, 'no horizontal scrolling');
      for (const selector of ['#make-url', '#make-files', '#make-width', '#make-theme', 'button[data-copy="make-script"]']) {
        const control = page.locator(selector);
        await control.scrollIntoViewIfNeeded();
        const box = await control.boundingBox();
        assert.ok(box && box.x >= 0 && box.x + box.width <= 375 && box.height >= 24, `${selector}: ${JSON.stringify(box)}`);
      }
      assert.deepEqual(await violations(page), []);
      assert.deepEqual(problems, []);
    });
  });
});
