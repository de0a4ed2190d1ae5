// End-to-end tests of the Castline page: the real server, the real wasm,
// Debian's Chromium. Expectations are computed from data/peace-plan-2025.json.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import {
  repoRoot, browserSuite, waitForCastline, waitForSettled, canvasInk, readStory, nextFrames, visibleItemIds,
} from './helpers.mjs';

const TIMEOUT = 60_000;
const story = await readStory();

describe('the Castline page', () => {
  const { server, withPage } = browserSuite();

  // Clicks (or hovers) the actor's centre as the viewer reports it.
  async function actorPoint(page, id) {
    const point = await page.evaluate((actorId) => {
      const p = window.castline.actorPosition(actorId);
      const rect = document.querySelector('canvas.castline-network').getBoundingClientRect();
      return p && { x: rect.left + p.x, y: rect.top + p.y };
    }, id);
    assert.ok(point, `actorPosition("${id}") gave no position`);
    return point;
  }

  function eventsOf(actorId) {
    return story.events.filter((e) => (e.actors ?? []).includes(actorId)).map((e) => e.id);
  }

  const sorted = (ids) => [...ids].sort();

  test('the page loads under the CSP, without console or page errors, and shows the title', { timeout: TIMEOUT }, async () => {
    await withPage({}, async ({ page, problems }) => {
      const response = await page.goto(server.url);
      assert.equal(response.status(), 200);
      const csp = response.headers()['content-security-policy'] ?? '';
      // The server's origin beside each 'self' (WebKit's sandboxed iframes need it named).
      const origin = new URL(server.url).origin;
      const directives = csp.split('; ');
      assert.ok(directives.includes(`default-src 'self' ${origin}`), csp);
      assert.ok(directives.includes(`script-src 'self' ${origin} 'wasm-unsafe-eval'`), csp);
      assert.ok(directives.includes(`style-src 'self' ${origin}`), csp);
      await waitForCastline(page);
      await nextFrames(page, 3);
      assert.equal((await page.textContent('h1')).trim(), story.title);
      assert.equal(await page.isVisible('.castline-diagnostics'), false, 'the bundled story has no diagnostics');
      assert.deepEqual(await page.evaluate(() => window.castline.diagnostics()), []);
      assert.deepEqual(problems, []);
    });
  });

  test('both canvases draw, at devicePixelRatio × their CSS size, above the fold', { timeout: TIMEOUT }, async () => {
    await withPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 2 }, async ({ page, problems }) => {
      await page.goto(server.url);
      await waitForCastline(page);
      await nextFrames(page, 3);
      for (const selector of ['canvas.castline-network', 'canvas.castline-timeline']) {
        const c = await canvasInk(page, selector);
        assert.ok(c, `${selector} exists`);
        assert.ok(Math.abs(c.width - 2 * c.cssWidth) <= 1, `${selector}: buffer width ${c.width} is 2 × CSS width ${c.cssWidth}`);
        assert.ok(Math.abs(c.height - 2 * c.cssHeight) <= 1, `${selector}: buffer height ${c.height} is 2 × CSS height ${c.cssHeight}`);
        assert.ok(c.ink > 2000 && c.ink > c.total * 0.005, `${selector} is not blank (${c.ink} of ${c.total} pixels drawn)`);
        assert.ok(c.top < 800 - 100, `${selector} starts above the fold (top ${c.top})`);
      }
      const net = await canvasInk(page, 'canvas.castline-network');
      const tl = await canvasInk(page, 'canvas.castline-timeline');
      assert.ok(tl.left >= net.right, 'side by side on a desktop screen');
      assert.deepEqual(problems, []);
    });
  });

  test('a change of devicePixelRatio (zoom, another screen) redraws at the new ratio', { timeout: TIMEOUT }, async () => {
    await withPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 }, async ({ page, problems }) => {
      // Headless Chromium fires no media-query change when the ratio is
      // emulated, so record the page's resolution listeners and call them
      // after changing the ratio it reads. The CSS size stays the same, so
      // no ResizeObserver fires: only the ratio watch can cause the redraw.
      await page.addInitScript(() => {
        const realMatchMedia = window.matchMedia.bind(window);
        window.__resolutionListeners = [];
        window.matchMedia = (query) => {
          const list = realMatchMedia(query);
          if (/resolution/.test(query)) {
            const add = list.addEventListener.bind(list);
            list.addEventListener = (type, listener, options) => {
              if (type === 'change') window.__resolutionListeners.push(listener);
              return add(type, listener, options);
            };
          }
          return list;
        };
      });
      await page.goto(server.url);
      await waitForCastline(page);
      await nextFrames(page, 2);
      const before = await canvasInk(page, 'canvas.castline-network');
      assert.ok(Math.abs(before.width - before.cssWidth) <= 1);
      const listeners = await page.evaluate(() => {
        const count = window.__resolutionListeners.length;
        Object.defineProperty(window, 'devicePixelRatio', { get: () => 3, configurable: true });
        for (const listener of window.__resolutionListeners.splice(0)) listener(new Event('change'));
        return count;
      });
      assert.ok(listeners >= 1, 'the page watches the resolution');
      await page.waitForFunction(() => ['canvas.castline-network', 'canvas.castline-timeline'].every((sel) => {
        const c = document.querySelector(sel);
        return Math.abs(c.width - 3 * c.clientWidth) <= 1 && Math.abs(c.height - 3 * c.clientHeight) <= 1;
      }), null, { timeout: 5000 });
      await nextFrames(page, 3);
      const after = await canvasInk(page, 'canvas.castline-network');
      assert.ok(after.ink > before.ink * 4, `redrawn at 3× (${before.ink} → ${after.ink} pixels drawn)`);
      assert.ok(await page.evaluate(() => window.__resolutionListeners.length) >= 1, 'and it watches the new ratio');
      assert.deepEqual(problems, []);
    });
  });

  test('the event list has one item per event, in the viewer\'s order, all visible', { timeout: TIMEOUT }, async () => {
    await withPage({}, async ({ page }) => {
      await page.goto(server.url);
      await waitForCastline(page);
      const state = await page.evaluate(() => window.castline.state());
      const allIds = await page.$$eval('ol.castline-events > li', (items) => items.map((li) => li.dataset.eventId));
      assert.equal(allIds.length, story.events.length);
      assert.deepEqual(sorted(allIds), sorted(story.events.map((e) => e.id)));
      assert.deepEqual(allIds, state.visibleEvents);
      assert.deepEqual(await visibleItemIds(page), allIds);
      // Each item carries the event's title, and the date as written where there is one.
      for (const event of story.events) {
        const text = await page.textContent(`ol.castline-events > li[data-event-id="${event.id}"]`);
        assert.ok(text.includes(event.title), `item ${event.id} shows its title`);
        if (event.date_text) assert.ok(text.includes(event.date_text), `item ${event.id} shows "${event.date_text}"`);
      }
      assert.equal(await page.isDisabled('button.castline-show-all'), true, 'nothing to reset yet');
    });
  });

  test('clicking an actor shows only its events; Escape, a second click and Show all undo it', { timeout: TIMEOUT }, async () => {
    const actor = 'dmitriev';
    const expected = eventsOf(actor);
    assert.ok(expected.length > 0 && expected.length < story.events.length, 'the data gives the test something to filter');
    await withPage({}, async ({ page, problems }) => {
      await page.goto(server.url);
      await waitForCastline(page);
      await page.evaluate(() => {
        window.__changes = [];
        window.castline.addEventListener('change', (e) => window.__changes.push(e.detail));
      });

      let p = await actorPoint(page, actor);
      await page.mouse.click(p.x, p.y);
      let state = await page.evaluate(() => window.castline.state());
      assert.deepEqual(state.selectedActors, [actor]);
      assert.deepEqual(sorted(await visibleItemIds(page)), sorted(expected));
      assert.deepEqual(sorted(state.visibleEvents), sorted(expected));
      const changes = await page.evaluate(() => window.__changes);
      assert.ok(changes.length >= 1, 'a change event fired');
      assert.deepEqual(changes.at(-1).selectedActors, [actor]);
      assert.equal(await page.isEnabled('button.castline-show-all'), true);
      const name = story.actors.find((a) => a.id === actor).name;
      assert.ok((await page.textContent('.castline-status')).includes(name), 'the status names the selected actor');

      await page.keyboard.press('Escape');
      state = await page.evaluate(() => window.castline.state());
      assert.deepEqual(state.selectedActors, []);
      assert.equal((await visibleItemIds(page)).length, story.events.length);

      // Click twice: on, then off again.
      await waitForSettled(page);
      p = await actorPoint(page, actor);
      await page.mouse.click(p.x, p.y);
      assert.deepEqual((await page.evaluate(() => window.castline.state())).selectedActors, [actor]);
      await waitForSettled(page);
      p = await actorPoint(page, actor);
      await page.mouse.click(p.x, p.y);
      assert.deepEqual((await page.evaluate(() => window.castline.state())).selectedActors, []);
      assert.equal((await visibleItemIds(page)).length, story.events.length);

      // Shift-click adds a second actor; Show all clears both.
      // The second actor shares an event with the first, so it stays on the
      // picture while the first is selected.
      const other = story.events.find((e) => e.actors.includes(actor) && e.actors.length > 1).actors.find((a) => a !== actor);
      await waitForSettled(page);
      p = await actorPoint(page, actor);
      await page.mouse.click(p.x, p.y);
      await waitForSettled(page);
      p = await actorPoint(page, other);
      await page.keyboard.down('Shift');
      await page.mouse.click(p.x, p.y);
      await page.keyboard.up('Shift');
      assert.deepEqual(sorted((await page.evaluate(() => window.castline.state())).selectedActors), sorted([actor, other]));
      await page.click('button.castline-show-all');
      state = await page.evaluate(() => window.castline.state());
      assert.deepEqual(state.selectedActors, []);
      assert.equal(state.focusedEvent, null);
      assert.equal(state.timeWindow, null);
      assert.equal((await visibleItemIds(page)).length, story.events.length);
      assert.equal(await page.isDisabled('button.castline-show-all'), true);
      assert.deepEqual(problems, []);
    });
  });

  test('clicking or pressing Enter on a list item focuses that event', { timeout: TIMEOUT }, async () => {
    const [first, second] = [story.events[0].id, story.events[story.events.length - 1].id];
    await withPage({}, async ({ page, problems }) => {
      await page.goto(server.url);
      await waitForCastline(page);
      await page.click(`ol.castline-events > li[data-event-id="${second}"] .castline-event-title`);
      assert.equal((await page.evaluate(() => window.castline.state())).focusedEvent, second);
      assert.equal(await page.getAttribute(`li[data-event-id="${second}"]`, 'aria-current'), 'true');
      assert.equal(await page.locator('ol.castline-events > li[aria-current]').count(), 1);

      await page.focus(`ol.castline-events > li[data-event-id="${first}"]`);
      await page.keyboard.press('Enter');
      assert.equal((await page.evaluate(() => window.castline.state())).focusedEvent, first);
      assert.equal(await page.getAttribute(`li[data-event-id="${first}"]`, 'aria-current'), 'true');
      assert.equal(await page.getAttribute(`li[data-event-id="${second}"]`, 'aria-current'), null);
      assert.equal(await page.isEnabled('button.castline-show-all'), true);
      assert.deepEqual(problems, []);
    });
  });

  test('the handle: select, errors for unknown ids, time window, focus from outside the list, destroy', { timeout: TIMEOUT }, async () => {
    const actor = 'dmitriev';
    const last = story.events[story.events.length - 1].id;
    await withPage({}, async ({ page, problems }) => {
      await page.goto(server.url);
      await waitForCastline(page);
      const result = await page.evaluate(async ({ actorId, lastId }) => {
        const h = window.castline;
        const seen = [];
        h.addEventListener('change', (e) => seen.push(e.detail));
        h.select([actorId]);
        const afterSelect = { changes: seen.length, detail: seen.at(-1) };
        let unknown = null;
        try { h.select(['no-such-actor-id']); } catch (error) { unknown = error.message; }
        h.clear();
        h.setTimeWindow('2000-01-01', '2100-01-01');
        const windowed = h.state().timeWindow;
        const showAllOn = !document.querySelector('button.castline-show-all').disabled;
        h.setTimeWindow(null, null);
        window.scrollTo(0, 0);
        h.focusEvent(lastId);
        const li = document.querySelector(`li[data-event-id="${lastId}"]`);
        const box = li.getBoundingClientRect();
        return {
          afterSelect, unknown, windowed, showAllOn,
          unwindowed: h.state().timeWindow,
          focused: h.state().focusedEvent,
          current: li.getAttribute('aria-current'),
          inView: box.top < window.innerHeight && box.bottom > 0,
          visibleItems: [...document.querySelectorAll('ol.castline-events > li')].filter((x) => !x.hidden).map((x) => x.dataset.eventId),
        };
      }, { actorId: actor, lastId: last });
      assert.equal(result.afterSelect.changes, 1, 'select() dispatches one change event');
      assert.deepEqual(result.afterSelect.detail.selectedActors, [actor]);
      assert.deepEqual(sorted(result.afterSelect.detail.visibleEvents), sorted(eventsOf(actor)));
      assert.ok(result.unknown, 'select() with an unknown id throws');
      assert.ok(Array.isArray(result.windowed) && result.windowed.length === 2, 'setTimeWindow sets a window');
      assert.ok(result.showAllOn, 'Show all is enabled while a window is set');
      assert.equal(result.unwindowed, null);
      assert.equal(result.focused, last);
      assert.equal(result.current, 'true');
      assert.ok(result.inView, 'the focused item was scrolled into view');
      assert.equal(result.visibleItems.length, story.events.length);

      // destroy() empties the element and the handle refuses further calls.
      const destroyed = await page.evaluate(() => {
        window.castline.destroy();
        let threw = false;
        try { window.castline.state(); } catch { threw = true; }
        return { children: document.getElementById('castline').children.length, threw };
      });
      assert.deepEqual(destroyed, { children: 0, threw: true });
      assert.deepEqual(problems, []);
    });
  });

  // The event's first mark on the time axis, in page coordinates.
  async function eventPoint(page, id) {
    const point = await page.evaluate((eventId) => {
      const p = window.castline.eventPosition(eventId);
      const rect = document.querySelector('canvas.castline-timeline').getBoundingClientRect();
      return p && { x: rect.left + p.x, y: rect.top + p.y };
    }, id);
    assert.ok(point, `eventPosition("${id}") gave no position`);
    return point;
  }

  test('clicking an event on the time axis highlights it, brings its entry into view, and hovering shows its title', { timeout: TIMEOUT }, async () => {
    // The last event in time: its entry is at the bottom of the list, out of view at first.
    const last = story.events.find((e) => e.id === 'wsj-report') ?? story.events[story.events.length - 1];
    await withPage({ viewport: { width: 1280, height: 800 } }, async ({ page, problems }) => {
      await page.goto(server.url);
      await waitForCastline(page);
      const item = page.locator(`ol.castline-events > li[data-event-id="${last.id}"]`);
      const inView = () => item.evaluate((li) => {
        const r = li.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight;
      });
      assert.equal(await inView(), false, 'the entry starts below the fold');
      const p = await eventPoint(page, last.id);
      await page.mouse.move(p.x, p.y, { steps: 2 });
      const tooltip = page.locator('.castline [role="tooltip"]');
      await tooltip.waitFor({ state: 'visible', timeout: 5000 });
      assert.ok((await tooltip.textContent()).includes(last.title));
      await page.mouse.click(p.x, p.y);
      const state = await page.evaluate(() => window.castline.state());
      assert.equal(state.focusedEvent, last.id);
      assert.equal(await item.getAttribute('aria-current'), 'true');
      await page.waitForFunction((id) => {
        const r = document.querySelector(`li[data-event-id="${id}"]`).getBoundingClientRect();
        return r.top >= -1 && r.bottom <= window.innerHeight + 1; // sub-pixel rounding
      }, last.id, { timeout: 5000 });
      // Clicking empty axis space clears the focus again.
      const axis = page.locator('canvas.castline-timeline');
      const { width } = await axis.evaluate((c) => c.getBoundingClientRect().toJSON());
      await axis.click({ position: { x: width - 4, y: 4 } }); // scrolls it back into view first
      assert.equal((await page.evaluate(() => window.castline.state())).focusedEvent, null);
      assert.deepEqual(problems, []);
    });
  });

  // A selection's longer words must not wrap the toolbar: the pictures would move under the
  // reader's pointer as they click.
  test('selecting actors leaves the pictures where they are', { timeout: TIMEOUT }, async () => {
    await withPage({ viewport: { width: 1280, height: 800 } }, async ({ page, problems }) => {
      await page.goto(server.url);
      await waitForCastline(page);
      const tops = () => page.evaluate(() => ['canvas.castline-network', 'canvas.castline-timeline']
        .map((s) => document.querySelector(s).getBoundingClientRect().top));
      const before = await tops();
      const status = page.locator('.castline-status');
      const first = await status.textContent();
      await page.evaluate(() => window.castline.select(['witkoff', 'dmitriev']));
      await page.waitForFunction((t) => document.querySelector('.castline-status').textContent !== t, first);
      const said = await status.textContent();
      assert.match(said, /involving .*Witkoff/);
      assert.equal(await status.getAttribute('title'), said, 'the whole sentence, however it is cut');
      assert.deepEqual(await tops(), before);
      assert.deepEqual(problems, []);
    });
  });

  test('hovering an actor shows a tooltip with its name', { timeout: TIMEOUT }, async () => {
    const actor = story.actors.find((a) => a.id === 'dmitriev') ?? story.actors[0];
    await withPage({}, async ({ page }) => {
      await page.goto(server.url);
      await waitForCastline(page);
      const tooltip = page.locator('.castline [role="tooltip"]');
      assert.equal(await tooltip.isVisible(), false);
      const p = await actorPoint(page, actor.id);
      await page.mouse.move(p.x - 30, p.y - 30);
      await page.mouse.move(p.x, p.y, { steps: 3 });
      await tooltip.waitFor({ state: 'visible', timeout: 5000 });
      assert.ok((await tooltip.textContent()).includes(actor.name));
      const box = await tooltip.boundingBox();
      assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= 1280 && box.y + box.height <= 800, 'inside the viewport');
      // Leaving the canvas hides it.
      await page.mouse.move(5, 5);
      await tooltip.waitFor({ state: 'hidden', timeout: 5000 });
    });
  });

  test('on a phone the pictures stack, draw, and nothing scrolls sideways', { timeout: TIMEOUT }, async () => {
    await withPage({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2 }, async ({ page, problems }) => {
      await page.goto(server.url);
      await waitForCastline(page);
      await nextFrames(page, 3);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 375, 'no horizontal scrolling');
      const net = await canvasInk(page, 'canvas.castline-network');
      const tl = await canvasInk(page, 'canvas.castline-timeline');
      assert.ok(net.bottom <= tl.top, `network (bottom ${net.bottom}) above the time axis (top ${tl.top})`);
      assert.ok(net.cssWidth <= 375 && tl.cssWidth <= 375);
      for (const [name, c] of [['network', net], ['time axis', tl]]) {
        assert.ok(c.ink > 1000 && c.ink > c.total * 0.005, `${name} is not blank (${c.ink} of ${c.total})`);
      }
      assert.deepEqual(problems, []);
    });
  });

  // Issue 17 §3: on a phone the picture leads. The summary and the credit fold under "About
  // this story"; the toolbar and the legend come after the pictures, in the DOM too.
  test('on a phone the network leads: whole on the first screen, the title above it, the rest folded or below', { timeout: TIMEOUT }, async () => {
    await withPage({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2 }, async ({ page, problems }) => {
      // Every layout shift not caused by input, from the first paint on.
      await page.addInitScript(() => {
        window.__shifts = [];
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts.push(e.value);
        }).observe({ type: 'layout-shift', buffered: true });
      });
      await page.goto(server.url);
      await waitForCastline(page);
      await nextFrames(page, 3);
      const net = await canvasInk(page, 'canvas.castline-network');
      assert.ok(net.top <= 300, `the network starts within the first 300 px (top ${net.top})`);
      assert.ok(net.bottom <= 812, `and ends on the first screen (bottom ${net.bottom})`);
      assert.ok(net.ink > 1000, 'and is drawn');

      // The title: above the network, on the screen, whole (no overflow), and not covered.
      const title = await page.$eval('h1.castline-title', (h) => {
        const r = h.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + Math.min(20, r.width / 2), r.top + r.height / 2);
        return {
          top: r.top, bottom: r.bottom, left: r.left, right: r.right, text: h.textContent,
          whole: h.scrollWidth <= h.clientWidth && h.scrollHeight <= h.clientHeight, onTop: h.contains(hit),
          fontSize: parseFloat(getComputedStyle(h).fontSize),
        };
      });
      assert.equal(title.text, story.title);
      assert.ok(title.top >= 0 && title.left >= 0 && title.right <= 375, `title on the screen: ${JSON.stringify(title)}`);
      assert.ok(title.bottom <= net.top, `title (bottom ${title.bottom}) above the network (top ${net.top})`);
      assert.ok(title.whole && title.onTop, 'title neither clipped nor covered');
      assert.ok(title.fontSize >= 20, `title readable (${title.fontSize} px)`);

      // The summary and the credit are folded; the button opens them by keyboard.
      const toggle = page.locator('button.castline-about-toggle');
      assert.equal(await page.isVisible('.castline-summary'), false, 'the summary starts folded');
      assert.equal(await page.isVisible('.castline-credit'), false, 'and the credit');
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
      assert.equal(await toggle.getAttribute('aria-controls'), await page.$eval('.castline-about', (e) => e.id));
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.className), 'castline-about-toggle', 'the first stop of Tab');
      await page.keyboard.press('Enter');
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
      assert.equal(await page.isVisible('.castline-summary'), true, 'Enter opens the summary');
      assert.equal((await page.textContent('.castline-summary')).trim(), story.summary);
      assert.equal(await page.isVisible('.castline-credit'), true);
      assert.ok((await page.textContent('.castline-credit')).includes(story.credit));

      // The search, Show all, all/any, the status and the legend come after the pictures, in the
      // DOM as on the screen, and are reached by scrolling.
      const order = await page.evaluate(() => {
        const after = (a, b) => !!(document.querySelector(a).compareDocumentPosition(document.querySelector(b)) & Node.DOCUMENT_POSITION_FOLLOWING);
        return {
          toolbarAfterTimeline: after('canvas.castline-timeline', '.castline-toolbar'),
          legendAfterNetwork: after('canvas.castline-network', '.castline-legend'),
          legendBeforeTimeline: after('.castline-legend', 'canvas.castline-timeline'),
        };
      });
      assert.deepEqual(order, { toolbarAfterTimeline: true, legendAfterNetwork: true, legendBeforeTimeline: true });
      for (const selector of ['.castline-search-input', 'button.castline-show-all', 'fieldset.castline-mode', '.castline-legend-button']) {
        const control = page.locator(selector).first();
        await control.scrollIntoViewIfNeeded();
        const box = await control.boundingBox();
        assert.ok(box && box.y >= 0 && box.y + box.height <= 812 && box.x >= 0 && box.x + box.width <= 375, `${selector} on the screen after scrolling: ${JSON.stringify(box)}`);
      }
      await page.fill('.castline-search-input', 'dmitriev');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      assert.deepEqual((await page.evaluate(() => window.castline.state())).selectedActors, ['dmitriev'], 'the search still selects');

      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 375, 'no horizontal scrolling');
      const shifts = await page.evaluate(() => window.__shifts);
      assert.deepEqual(shifts, [], 'nothing shifted the layout after it was first shown (CLS 0)');
      const violations = (await new AxeBuilder({ page }).analyze()).violations
        .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      assert.deepEqual(violations, [], 'axe-core, with the summary open');
      assert.deepEqual(problems, []);
    });
  });

  test('on a desktop the summary is unfolded, the toolbar above the pictures; they move when the width crosses', { timeout: TIMEOUT }, async () => {
    await withPage({ viewport: { width: 1280, height: 900 } }, async ({ page, problems }) => {
      await page.goto(server.url);
      await waitForCastline(page);
      const layout = () => page.evaluate(() => {
        const visible = (sel) => { const e = document.querySelector(sel); return !!e && e.getBoundingClientRect().height > 0; };
        return {
          summary: visible('.castline-summary'),
          credit: visible('.castline-credit'),
          toggle: visible('.castline-about-toggle'),
          toolbarFirst: document.querySelector('.castline-toolbar').nextElementSibling === document.querySelector('.castline-views'),
          legendInHead: document.querySelector('.castline-legend').parentElement.classList.contains('castline-panel-head'),
        };
      });
      const desktop = { summary: true, credit: true, toggle: false, toolbarFirst: true, legendInHead: true };
      assert.deepEqual(await layout(), desktop);
      assert.equal((await page.textContent('.castline-summary')).trim(), story.summary);
      const net = await canvasInk(page, 'canvas.castline-network');
      const summary = await page.locator('.castline-summary').boundingBox();
      assert.ok(summary.y + summary.height <= net.top, 'the summary above the pictures');

      // Turned to a phone's width and back: the parts move, and the keyboard's focus stays put.
      await page.focus('.castline-search-input');
      await page.setViewportSize({ width: 375, height: 812 });
      // Under the pictures, and under the story's step bar when it has steps (the default one does).
      await page.waitForFunction(() => !!document.querySelector('.castline-views + .castline-toolbar, .castline-views + .castline-steps + .castline-toolbar'));
      assert.deepEqual(await layout(), { summary: false, credit: false, toggle: true, toolbarFirst: false, legendInHead: false });
      assert.equal(await page.evaluate(() => document.activeElement?.className), 'castline-search-input', 'the search keeps the focus');
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.waitForFunction(() => document.querySelector('.castline-toolbar').nextElementSibling?.classList.contains('castline-views'));
      assert.deepEqual(await layout(), desktop);
      assert.equal(await page.evaluate(() => document.activeElement?.className), 'castline-search-input');
      assert.deepEqual(problems, []);
    });
  });

  test('load errors are shown on the page in words', { timeout: TIMEOUT }, async () => {
    await withPage({}, async ({ page }) => {
      // A missing file: the URL and the HTTP status.
      await page.goto(`${server.url}?data=data/does-not-exist.json`);
      const alert = page.locator('.castline [role="alert"]:not([hidden])');
      await alert.waitFor({ state: 'visible', timeout: 20_000 });
      const text = await alert.textContent();
      assert.ok(text.includes('data/does-not-exist.json'), text);
      assert.ok(text.includes('404'), text);
      assert.equal(await page.locator('canvas:visible').count(), 0, 'no blank picture instead of the error');

      // A file that is not JSON.
      await page.goto(`${server.url}?data=castline.css`);
      await alert.waitFor({ state: 'visible', timeout: 20_000 });
      assert.match(await alert.textContent(), /could not be loaded/i);
      assert.equal(await page.locator('canvas:visible').count(), 0);

      // A data URL that is not http(s) is refused, not fetched.
      await page.goto(`${server.url}?data=${encodeURIComponent('javascript:window.__pwned=1')}`);
      await alert.waitFor({ state: 'visible', timeout: 20_000 });
      assert.match(await alert.textContent(), /not allowed/);

      // mount() with text that is not JSON shows the error inside its element and rejects.
      await page.goto(server.url);
      await waitForCastline(page);
      const result = await page.evaluate(async () => {
        const { mount } = await import(new URL('castline.js', document.baseURI).href);
        const div = document.createElement('div');
        document.body.append(div);
        try {
          await mount(div, { data: '{"title": "x", oops' });
          return { rejected: false };
        } catch (error) {
          const panel = div.querySelector('[role="alert"]');
          return { rejected: true, message: error.message, shown: panel && !panel.hidden ? panel.textContent : null };
        }
      });
      assert.ok(result.rejected, 'mount rejects');
      assert.ok(result.shown && result.shown.length > 10, `the error is shown: ${result.shown}`);

      // A trap inside the wasm while running (what a Rust panic becomes) is
      // shown in words, not left as a frozen canvas.
      await page.evaluate(async () => {
        const glue = await import(new URL('pkg/castline.js', document.baseURI).href);
        glue.Viewer.prototype.frame = () => { throw new WebAssembly.RuntimeError('unreachable (simulated)'); };
      });
      const box = await page.locator('#castline canvas.castline-network').boundingBox();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.move(box.x + box.width / 3, box.y + box.height / 3);
      const stopped = page.locator('#castline [role="alert"]:not([hidden])');
      await stopped.waitFor({ state: 'visible', timeout: 5000 });
      assert.match(await stopped.textContent(), /^Castline stopped: .*unreachable/);
      assert.equal(await page.locator('#castline canvas:visible').count(), 0);
    });
  });

  test('records with problems are reported in the diagnostics panel, errors apart from warnings', { timeout: TIMEOUT }, async () => {
    const partlyBad = {
      format: 'castline/1',
      title: 'Partly bad',
      actors: [{ id: 'a', name: 'Alice' }, { id: 'b', name: 'Bob', url: 'ftp://example.org/bob' }],
      events: [
        { id: 'ok', title: 'Fine', date: '2025-10-01', actors: ['a', 'b'] },
        { id: 'typo', title: 'Unknown actor', date: '2025-10-02', actors: ['aa'] },
        { id: 'baddate', title: 'Impossible date', date: '2025-02-30', actors: ['a'] },
      ],
    };
    await withPage({}, async ({ page }) => {
      await page.goto(server.url);
      await waitForCastline(page);
      const result = await page.evaluate(async (data) => {
        const { mount } = await import(new URL('castline.js', document.baseURI).href);
        const div = document.createElement('div');
        document.body.append(div);
        const handle = await mount(div, { data });
        const panel = div.querySelector('[role="alert"]');
        return {
          diagnostics: handle.diagnostics(),
          visible: !!panel && !panel.hidden && panel.offsetParent !== null,
          text: panel.textContent,
          errorItems: [...panel.querySelectorAll('.castline-diag-error')].map((li) => li.textContent),
          warningItems: [...panel.querySelectorAll('.castline-diag-warning')].map((li) => li.textContent),
          items: [...div.querySelectorAll('ol.castline-events > li')].map((li) => li.dataset.eventId),
        };
      }, partlyBad);
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      const warnings = result.diagnostics.filter((d) => d.severity === 'warning');
      assert.ok(errors.length >= 2 && warnings.length >= 1, JSON.stringify(result.diagnostics));
      assert.ok(result.visible, 'the panel is shown');
      assert.ok(result.text.includes(`${errors.length} records were left out because of errors`), result.text);
      assert.equal(result.errorItems.length, errors.length);
      assert.equal(result.warningItems.length, warnings.length);
      for (const d of errors) assert.ok(result.errorItems.some((t) => t.includes(`${d.location}: ${d.message}`)), `${d.location}: ${d.message}`);
      for (const d of warnings) assert.ok(result.warningItems.some((t) => t.includes(`${d.location}: ${d.message}`)), `${d.location}: ${d.message}`);
      assert.deepEqual(result.items, ['ok'], 'only the good record is listed');
    });
  });

  test('data is never code', { timeout: TIMEOUT }, async () => {
    const img = '<img src=x onerror="window.__pwned=1">';
    const script = '<script>window.__pwned=1</script>';
    const evil = {
      format: 'castline/1',
      title: `Title ${img}`,
      summary: `Summary ${script}`,
      credit: `Credit ${img}`,
      groups: [{ id: 'g', name: `Group ${img}`, color: '#336699' }],
      actors: [
        { id: 'a', name: `Actor ${img}`, group: 'g' },
        { id: 'b', name: `Actor ${script}`, group: 'g' },
      ],
      sources: [{ id: 's', name: `Source ${img}`, url: 'javascript:window.__pwned=1' }],
      events: [
        {
          id: 'e1', title: `Event ${script}`, date: '2025-10-24', date_text: `date ${img}`,
          actors: ['a', 'b'], description: `Description ${img}`,
          sources: [{ source: 's', quote: `Quote ${script}`, url: 'javascript:window.__pwned=1' }],
        },
        { id: 'e2', title: `Event ${img}`, date: '2025-11-02', actors: ['b'], description: `More ${script}` },
      ],
    };
    await withPage({}, async ({ page }) => {
      await page.goto(server.url);
      await waitForCastline(page);
      const result = await page.evaluate(async (data) => {
        const { mount } = await import(new URL('castline.js', document.baseURI).href);
        const div = document.createElement('div');
        div.id = 'evil';
        document.body.append(div);
        const handle = await mount(div, { data });
        for (let i = 0; i < 5; i += 1) await new Promise((resolve) => requestAnimationFrame(resolve));
        await new Promise((resolve) => setTimeout(resolve, 300)); // let a broken image's onerror fire
        const id = handle.state().visibleActors[0];
        return {
          text: div.textContent,
          parsedElements: div.querySelectorAll('img, script').length,
          jsLinks: [...document.querySelectorAll('a')].filter((a) => /^\s*javascript:/i.test(a.getAttribute('href') ?? '')).length,
          pwned: window.__pwned,
          hasActor: !!id,
        };
      }, evil);
      for (const text of [evil.title, evil.actors[0].name, evil.actors[1].name, evil.events[0].title, evil.events[1].title,
        evil.events[0].description, evil.events[1].description, evil.events[0].sources[0].quote, evil.groups[0].name]) {
        assert.ok(result.text.includes(text), `shown literally: ${text}`);
      }
      assert.equal(result.parsedElements, 0, 'no <img> or <script> was made from the data');
      assert.equal(result.jsLinks, 0, 'no javascript: link');
      assert.equal(result.pwned, undefined);
      assert.ok(result.hasActor);
    });
  });
});

// The page's own files under www/, as paths relative to it (not pkg/, which wasm-bindgen writes).
async function pageFiles() {
  const dir = path.join(repoRoot, 'www');
  const entries = await readdir(dir, { recursive: true });
  return entries.map((f) => f.split(path.sep).join('/'))
    .filter((f) => /\.(js|mjs|html)$/.test(f) && !f.startsWith('pkg/')).sort();
}

test('www/ has no HTML sinks, eval, inline scripts or inline styles', async () => {
  const dir = path.join(repoRoot, 'www');
  const files = await pageFiles();
  assert.ok(files.includes('castline.js') && files.includes('app.js') && files.includes('index.html'));
  assert.ok(files.includes('shell/handle.js'), 'the shell\'s modules are read too');
  for (const file of files) {
    const text = await readFile(path.join(dir, file), 'utf8');
    for (const sink of [/\.innerHTML\b/, /\.outerHTML\b/, /insertAdjacentHTML/, /document\.write/, /\beval\s*\(/, /new\s+Function\b/, /setAttribute\(\s*['"]style['"]/]) {
      assert.doesNotMatch(text, sink, `${file} uses ${sink}`);
    }
    if (file.endsWith('.html')) {
      assert.doesNotMatch(text, /<script(?![^>]*\bsrc=)[^>]*>/i, `${file} has an inline script`);
      assert.doesNotMatch(text, /\sstyle\s*=/i, `${file} has an inline style attribute`);
      assert.doesNotMatch(text, /\son[a-z]+\s*=/i, `${file} has an inline event handler`);
      assert.doesNotMatch(text, /(href|src)\s*=\s*"(\/|https?:)/i, `${file} uses an absolute URL`);
    }
  }
});

// Every module a page needs at start is preloaded by it (so that the imports do not fetch one
// level after another before the wasm is asked for), and no other: castline.js's static
// imports, fragment.js (the default page keeps the view in the URL; the embed reads it) and
// the first wasm build's glue.
test('index.html and embed.html preload the modules they start with', async () => {
  const dir = path.join(repoRoot, 'www');
  const imports = async (file) => {
    const text = await readFile(path.join(dir, file), 'utf8');
    const found = [...text.matchAll(/^(?:import|export)\s[^'"]*?from\s+'(\.{1,2}\/[^']+)';$/gm)].map((m) => m[1]);
    return found.map((rel) => path.posix.normalize(path.posix.join(path.posix.dirname(file), rel)));
  };
  const closure = async (roots) => {
    const seen = new Set();
    const todo = [...roots];
    while (todo.length) {
      const file = todo.pop();
      if (seen.has(file)) continue;
      seen.add(file);
      todo.push(...await imports(file));
    }
    return seen;
  };
  for (const [page, script] of [['index.html', 'app.js'], ['embed.html', 'embedded.js']]) {
    const html = await readFile(path.join(dir, page), 'utf8');
    assert.ok(html.includes(`<script type="module" src="${script}" fetchpriority="low"></script>`), `${page} runs ${script}`);
    const preloaded = [...html.matchAll(/<link rel="modulepreload" fetchpriority="low" href="([^"]+)">/g)].map((m) => m[1]).sort();
    const needed = await closure([script, 'castline.js', 'fragment.js']);
    needed.delete(script);
    const expected = [...needed, 'pkg/castline.js'].sort();
    assert.deepEqual(preloaded, expected, `${page}'s modulepreload links`);
    for (const file of needed) assert.ok((await pageFiles()).includes(file), `${file} exists`);
  }
});
