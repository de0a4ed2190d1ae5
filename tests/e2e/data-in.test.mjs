// End-to-end tests of the ways data comes in: ?data= with a spreadsheet (format found from the
// content), a file dropped on the page, bad encodings, and script payloads in every format.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import zlib from 'node:zlib';
import path from 'node:path';
import { CASTLINE_BIN, repoRoot, browserSuite, waitForCastline } from './helpers.mjs';

const TIMEOUT = 60_000;

// Drops a file with the given bytes on the page, as a person dragging it from their desktop.
async function dropFile(page, name, bytes, type = 'text/plain') {
  await page.evaluate(({ name, bytes, type }) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(bytes)], name, { type }));
    for (const kind of ['dragover', 'drop']) {
      document.body.dispatchEvent(new DragEvent(kind, { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }
  }, { name, bytes: [...bytes], type });
}

// Drops `text` as the file `name` and waits until the page has previewed it.
async function dropAndPreview(page, name, text) {
  const previewed = page.evaluate((n) => new Promise((resolve) => {
    document.getElementById('castline').addEventListener('castline:preview', (e) => {
      if (e.detail.name === n) resolve();
    });
  }), name);
  await dropFile(page, name, Buffer.from(text));
  await previewed;
}

const listIds = (page) => page.$$eval('ol.castline-events > li', (items) => items.filter((li) => !li.hidden).map((li) => li.dataset.eventId));
const alertText = (page) => page.$$eval('[role="alert"]', (els) => els.filter((el) => !el.hidden).map((el) => el.textContent).join(' '));

describe('data in', () => {
  const { server, withPage } = browserSuite();

  test('?data= loads a spreadsheet CSV, recognised by its content', { timeout: TIMEOUT }, async () => {
    const csv = await readFile(path.join(repoRoot, 'data/examples/harbour/events.csv'), 'utf8');
    const ids = csv.trim().split('\n').slice(1).map((line) => line.split(',')[0]);
    await withPage(async ({ page, problems }) => {
      await page.goto(`${server.url}?data=data/examples/harbour/events.csv`);
      await waitForCastline(page);
      assert.deepEqual((await listIds(page)).sort(), [...ids].sort());
      // Actors were made from the names in the actors column.
      const story = await page.evaluate(() => window.castline.story());
      assert.ok(story.actors.some((a) => a.name === 'Mayor Ana Ruiz'));
      // Each event's actors come as { id, name } (the viewer sends positions), and the list
      // names them under "Who:".
      const names = new Map(story.actors.map((a) => [a.id, a.name]));
      const who = await page.$$eval('ol.castline-events > li', (items) => Object.fromEntries(
        items.map((li) => [li.dataset.eventId, li.querySelector('.castline-event-actors')?.textContent ?? '']),
      ));
      assert.ok(story.events.some((e) => e.actors.length > 1));
      for (const event of story.events) {
        for (const actor of event.actors) {
          assert.equal(actor.name, names.get(actor.id), `${event.id}: ${JSON.stringify(actor)}`);
          assert.ok(who[event.id].includes(actor.name), `${event.id} lists ${actor.name}`);
        }
      }
      assert.deepEqual(problems, []);
    });
  });

  // The page asks for its story as soon as the URL is checked (shell/source.js, fetchEarly),
  // while its other scripts come, and once only. `castline serve` preloads the story in the
  // page it serves; a static host does not, so the preload is taken out here.
  test('?data= is asked for while the page script is still on its way, once', { timeout: TIMEOUT }, async () => {
    await withPage(async ({ page }) => {
      const asked = [];
      let scriptServed = null;
      page.on('request', (request) => {
        if (new URL(request.url()).pathname.endsWith('/events.csv')) asked.push(Date.now());
      });
      await page.route((url) => url.pathname === '/' && url.searchParams.has('data'), async (route) => {
        const response = await route.fetch();
        const body = (await response.text()).replace(/<link rel="preload"[^>]*events\.csv[^>]*>/, '');
        await route.fulfill({ response, body });
      });
      // castline.js, which mounts the story, is held back for a while.
      await page.route((url) => url.pathname === '/castline.js', async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 700));
        scriptServed = Date.now();
        await route.continue();
      });
      await page.goto(`${server.url}?data=data/examples/harbour/events.csv`);
      await waitForCastline(page);
      assert.equal(asked.length, 1, 'the story is fetched once');
      assert.ok(scriptServed !== null && asked[0] < scriptServed, 'asked for before castline.js came');
      assert.ok((await listIds(page)).length > 0);
    });
  });

  // A big story is read while it downloads (shell/wasm.js, readAsItComes; read::parts's
  // `Reading::streaming`): with the last tenth of its file held back, the page shows that it
  // has read much of it already, and opens the whole once the rest comes. With its length
  // given, the share read is shown; with none, or a compressed response's (not the text's),
  // the megabytes read.
  const downloads = [
    { how: 'its length given', shown: /Reading the story… (\d+)%/, atLeast: 50 },
    { how: 'no length given', chunked: true, shown: /Reading the story… (\d+\.\d) MB/, atLeast: 0.2 },
    { how: 'compressed', gzip: true, shown: /Reading the story… (\d+\.\d) MB/, atLeast: 0.2 },
  ];
  for (const { how, chunked, gzip, shown, atLeast } of downloads) {
    test(`a big story is read while it downloads: ${how}`, { timeout: 120_000 }, async () => {
      const text = execFileSync(CASTLINE_BIN, ['generate', '--actors', '600', '--events', '4000', '--seed', '2'], { maxBuffer: 64 << 20 });
      const body = gzip ? zlib.gzipSync(text) : text;
      let release = () => {};
      const held = new Promise((resolve) => { release = resolve; });
      const slow = http.createServer(async (req, res) => {
        const headers = { 'content-type': 'application/json' };
        if (!chunked) headers['content-length'] = body.length;
        if (gzip) headers['content-encoding'] = 'gzip';
        res.writeHead(200, headers);
        const cut = Math.floor(body.length * 0.9);
        res.write(body.subarray(0, cut));
        await held;
        res.end(body.subarray(cut));
      });
      await new Promise((resolve) => slow.listen(0, '127.0.0.1', resolve));
      try {
        await withPage(async ({ page, problems }) => {
          const from = `http://127.0.0.1:${slow.address().port}/slow.json`;
          await page.route((url) => url.pathname.endsWith('/slow.json'), (route) => route.continue({ url: from }));
          await page.goto(`${server.url}?data=slow.json`);
          await page.waitForFunction(([source, least]) => {
            const read = new RegExp(source).exec(document.querySelector('.castline-loading')?.textContent ?? '');
            return read && Number(read[1]) >= least;
          }, [shown.source, atLeast], { timeout: 60_000 });
          release();
          await waitForCastline(page);
          const story = await page.evaluate(() => window.castline.story());
          assert.equal(story.events.length, 4000);
          assert.equal(story.actors.length, 600);
          assert.deepEqual(problems, []);
        });
      } finally {
        release();
        slow.close();
      }
    });
  }

  test('a story over 64 MB is refused in words, its download stopped', { timeout: TIMEOUT }, async () => {
    await withPage(async ({ page }) => {
      await page.route((url) => url.pathname.endsWith('/huge.json'), (route) => route.fulfill({
        contentType: 'application/json',
        body: Buffer.alloc(65_000_000, 0x20),
      }));
      await page.goto(`${server.url}?data=huge.json`);
      await page.waitForFunction(() => /over 64 MB/.test(document.body.textContent));
      assert.match(await alertText(page) || await page.textContent('body'), /huge\.json is over 64 MB/);
    });
  });

  test('a CSV dropped on the page is previewed, with its problems located by file, row and column', { timeout: TIMEOUT }, async () => {
    const csv = 'title,date,actors\nFirst,2025-10-24,Jane Doe; John Roe\nSecond,2025-02-30,Jane Doe\nThird,2025-11,John Roe\n';
    await withPage(async ({ page }) => {
      await page.goto(server.url);
      await waitForCastline(page);
      await dropFile(page, 'my-events.csv', Buffer.from(csv));
      await page.waitForFunction(() => window.castline?.story?.().events.length === 2, null, { timeout: 10_000 });
      const titles = await page.$$eval('ol.castline-events > li .castline-event-title', (els) => els.map((el) => el.textContent));
      assert.deepEqual(titles, ['First', 'Third']);
      const alert = await alertText(page);
      assert.match(alert, /my-events\.csv:3:2: row 3, field "date"/);
      assert.match(alert, /2025-02-30/);
      // The dropped data is drawn: clicking John Roe leaves his two events.
      await page.evaluate(() => window.castline.select([window.castline.story().actors.find((a) => a.name === 'John Roe').id]));
      assert.equal((await listIds(page)).length, 2);
    });
  });

  test('a file that is not UTF-8 is refused in words, not shown garbled', { timeout: TIMEOUT }, async () => {
    // "Zoë" in Latin-1: the ë is the single byte 0xEB.
    const latin1 = Buffer.concat([Buffer.from('title,date,actors\nMet,2025-10-24,Zo'), Buffer.from([0xeb]), Buffer.from('\n')]);
    await withPage(async ({ page }) => {
      await page.goto(server.url);
      await waitForCastline(page);
      await dropFile(page, 'latin1.csv', latin1);
      await page.waitForFunction(() => [...document.querySelectorAll('[role="alert"]')].some((el) => !el.hidden && /UTF-8/.test(el.textContent)), null, { timeout: 10_000 });
      assert.match(await alertText(page), /latin1\.csv.*not UTF-8/);
    });
  });

  test('script payloads in CSV and TimelineJS data stay text and never run', { timeout: TIMEOUT }, async () => {
    const img = '<img src=x onerror="window.__pwned=1">';
    const script = '<script>window.__pwned=1</script>';
    const cell = (text) => `"${text.replaceAll('"', '""')}"`; // a quoted CSV cell
    const castlineCsv = [
      'title,date,actors,description,source,quote,url',
      [cell(img), '2025-10-24', cell(`${img}; Jane`), cell(script), cell(img), cell(script), 'javascript:window.__pwned=1'].join(','),
    ].join('\n');
    const timelineText = `<p>Text ${img} <a href="javascript:window.__pwned=1">bad</a> <a href="https://example.org/ok">good</a></p>`;
    const timelineCsv = [
      'Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,Media,Media Credit,Media Caption,Media Thumbnail,Type,Group,Background',
      ['2025', '10', '24', '', '', '', '', '', '', cell(`Bridge ${script}`), cell(timelineText), '', '', '', '', '', cell(img), ''].join(','),
    ].join('\n');
    await withPage(async ({ page }) => {
      await page.goto(server.url);
      await waitForCastline(page);
      for (const [name, text] of [['payload.csv', castlineCsv], ['payload-timelinejs.csv', timelineCsv]]) {
        await dropAndPreview(page, name, text);
        assert.equal(await page.evaluate(() => window.castline.story().events.length), 1, name);
        const result = await page.evaluate(() => {
          const root = document.getElementById('castline');
          return {
            pwned: window.__pwned,
            elements: root.querySelectorAll('img, script, iframe, object').length,
            badLinks: [...root.querySelectorAll('a')].filter((a) => !/^https?:/.test(a.href)).length,
            text: root.textContent,
          };
        });
        assert.equal(result.pwned, undefined, name);
        assert.equal(result.elements, 0, `${name}: no element made from data`);
        assert.equal(result.badLinks, 0, `${name}: no link other than http(s)`);
        if (name === 'payload.csv') {
          // Castline's own formats keep the text exactly as written.
          assert.ok(result.text.includes(img) && result.text.includes(script), 'payloads shown literally');
        } else {
          // TimelineJS text is HTML: it becomes plain text and keeps only the http(s) link.
          assert.ok(result.text.includes('Bridge'), 'headline shown');
          assert.ok(!result.text.includes('onerror'), 'markup removed from TimelineJS text');
          assert.ok(result.text.includes('https://example.org/ok'), 'the http(s) link kept');
        }
      }
    });
  });
  test('a record with two problems is one record left out, with both problems listed under it', { timeout: TIMEOUT }, async () => {
    const csv = 'title,date,actors\nFine,2025-10-01,Ann\n,2025-02-30,Ann\nAlso fine,2025-11,Ann\n';
    // An id that looks like the end of a location, and is markup: still one record, as text.
    const id = '<img src=x onerror="window.__pwned=1">, field "x"';
    const json = JSON.stringify({
      format: 'castline/1',
      actors: [{ id: 'a', name: 'Ann' }],
      events: [
        { id: 'ok', title: 'Fine', date: '2025-10-01', actors: ['a'] },
        { id, title: '', date: '2025-02-30', actors: ['a'] },
      ],
    });
    const cases = [
      ['two-problems.csv', csv, 'two-problems.csv, row 3', ['row 3, field "title"', 'row 3, field "date"']],
      ['two-problems.json', json, `two-problems.json, events[1] "${id}"`, [`events[1] "${id}", field "title"`, `events[1] "${id}", field "date"`]],
    ];
    await withPage(async ({ page }) => {
      await page.goto(server.url);
      await waitForCastline(page);
      for (const [name, text, record, problems] of cases) {
        await dropAndPreview(page, name, text);
        const shown = await page.evaluate(() => {
          const box = document.querySelector('#castline .castline-diag-section-error');
          return {
            errors: window.castline.diagnostics().filter((d) => d.severity === 'error').length,
            heading: box.querySelector('.castline-diag-heading').textContent,
            records: [...box.querySelectorAll('.castline-diag-record')].map((li) => ({
              name: li.querySelector('.castline-diag-record-name').textContent,
              problems: [...li.querySelectorAll('.castline-diag-error')].map((p) => p.textContent),
            })),
            items: box.querySelectorAll('.castline-diag-error').length,
            elements: document.querySelectorAll('#castline img, #castline script').length,
            pwned: window.__pwned,
          };
        });
        assert.equal(shown.errors, 2, name);
        assert.equal(shown.heading, '1 record was left out because of errors:', name);
        assert.equal(shown.records.length, 1, JSON.stringify(shown.records));
        assert.equal(shown.records[0].name, record);
        assert.equal(shown.records[0].problems.length, 2, JSON.stringify(shown.records));
        for (const problem of problems) {
          assert.ok(shown.records[0].problems.some((p) => p.includes(problem)), `${problem} in ${JSON.stringify(shown.records)}`);
        }
        assert.equal(shown.items, 2, 'each problem once');
        assert.equal(shown.elements, 0, 'no element made from data');
        assert.equal(shown.pwned, undefined);
      }
    });
  });
});
