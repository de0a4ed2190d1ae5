// End-to-end tests of reading the story (issue 4): brushing and zooming the
// time axis, moving the network, several actors, groups, search, play, the
// keyboard, screen-reader mirror, deep links, touch and axe-core.
// Expectations come from data/peace-plan-2025.json or from the viewer's own
// story() (resolved dates), never from constants copied out of a run.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import {
  browserSuite, waitForCastline, waitForSettled, readStory, nextFrames, visibleItemIds, eventsInWindow,
} from './helpers.mjs';

const TIMEOUT = 90_000;
const DAY = 86_400_000;
const story = await readStory();

describe('reading the story', () => {
  const { server, withPage } = browserSuite();

  async function open(page, hash = '') {
    await page.goto(`${server.url}${hash}`);
    await waitForCastline(page);
  }

  const sorted = (ids) => [...ids].sort();
  const state = (page) => page.evaluate(() => window.castline.state());
  const view = (page) => page.evaluate(() => window.castline.view());
  const eventsOf = (actorId) => story.events.filter((e) => e.actors.includes(actorId)).map((e) => e.id);
  const actorsOfEvents = (ids) => sorted(new Set(story.events.filter((e) => ids.includes(e.id)).flatMap((e) => e.actors)));

  // A point of a canvas in page coordinates.
  async function canvasPoint(page, selector, x, y) {
    const rect = await page.evaluate((sel) => document.querySelector(sel).getBoundingClientRect().toJSON(), selector);
    return { x: rect.left + x, y: rect.top + y, rect };
  }

  async function actorPoint(page, id) {
    const p = await page.evaluate((actorId) => window.castline.actorPosition(actorId), id);
    assert.ok(p, `actorPosition("${id}") gave no position`);
    return canvasPoint(page, 'canvas.castline-network', p.x, p.y);
  }

  async function eventPoint(page, id) {
    const p = await page.evaluate((eventId) => window.castline.eventPosition(eventId), id);
    assert.ok(p, `eventPosition("${id}") gave no position`);
    return canvasPoint(page, 'canvas.castline-timeline', p.x, p.y);
  }

  // A fingerprint of a band of a canvas's pixels (the tick labels, say).
  function pixels(page, selector, top, height) {
    return page.evaluate(({ sel, y, h }) => {
      const canvas = document.querySelector(sel);
      const ratio = canvas.width / canvas.clientWidth;
      const copy = document.createElement('canvas');
      copy.width = canvas.width;
      copy.height = Math.round(h * ratio);
      const ctx = copy.getContext('2d', { willReadFrequently: true });
      ctx.drawImage(canvas, 0, -Math.round(y * ratio));
      const { data } = ctx.getImageData(0, 0, copy.width, copy.height);
      let hash = 0;
      for (let i = 0; i < data.length; i += 1) hash = (hash * 31 + data[i]) | 0;
      return hash;
    }, { sel: selector, y: top, h: height });
  }

  // An empty spot of the network, far from every visible actor.
  async function emptyNetworkPoint(page) {
    const spot = await page.evaluate(() => {
      const h = window.castline;
      const canvas = document.querySelector('canvas.castline-network');
      const points = h.state().visibleActors.map((id) => h.actorPosition(id));
      let best = null;
      for (let x = 30; x < canvas.clientWidth - 30; x += 10) {
        for (let y = 30; y < canvas.clientHeight - 30; y += 10) {
          const d = Math.min(...points.map((p) => Math.hypot(p.x - x, p.y - y)));
          if (!best || d > best.d) best = { x, y, d };
        }
      }
      return best;
    });
    assert.ok(spot.d > 40, 'the network has room to press on');
    return canvasPoint(page, 'canvas.castline-network', spot.x, spot.y);
  }

  async function drag(page, from, to, steps = 8) {
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps });
    await page.mouse.up();
  }

  test('brushing the time axis sets a window; its edges and body move it; the list follows', { timeout: TIMEOUT }, async () => {
    await withPage({}, async ({ page, problems }) => {
      await open(page);
      await page.locator('canvas.castline-timeline').scrollIntoViewIfNeeded();
      const before = await state(page);
      assert.equal(before.timeWindow, null);
      assert.equal(before.visibleActors.length, story.actors.length);

      // From just left of the Axios report to just right of the WSJ report,
      // along the Axios lane (empty there but for the report's mark).
      const axios = await eventPoint(page, 'axios-report');
      const wsj = await eventPoint(page, 'wsj-report');
      const from = { x: axios.x - 14, y: axios.y };
      const to = { x: wsj.x + 14, y: axios.y };
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      await page.mouse.move((from.x + to.x) / 2, from.y, { steps: 6 });
      const during = await state(page);
      assert.ok(during.timeWindow, 'the window follows the drag before the button is released');
      await page.mouse.move(to.x, to.y, { steps: 6 });
      await page.mouse.up();

      const brushed = await state(page);
      assert.ok(brushed.timeWindow, 'a window is set');
      const expected = await eventsInWindow(page, brushed.timeWindow);
      assert.deepEqual(sorted(brushed.visibleEvents), sorted(expected));
      assert.ok(brushed.visibleEvents.includes('axios-report') && brushed.visibleEvents.includes('wsj-report'),
        `the brushed span holds both reports: ${brushed.visibleEvents}`);
      assert.ok(!brushed.visibleEvents.includes('trump-tasks-officials'), 'October is left out');
      assert.deepEqual(sorted(brushed.visibleActors), actorsOfEvents(brushed.visibleEvents));
      assert.ok(brushed.visibleActors.length < story.actors.length, 'the network shows fewer actors');
      assert.deepEqual(sorted(await visibleItemIds(page)), sorted(expected), 'the list shows the same events');
      assert.match(await page.textContent('.castline-status'), /from .* to /);

      // The left edge, dragged further left, moves only the start.
      await drag(page, from, { x: from.x - 60, y: from.y });
      const widened = await state(page);
      assert.ok(widened.timeWindow[0] < brushed.timeWindow[0], `start ${brushed.timeWindow[0]} → ${widened.timeWindow[0]}`);
      assert.equal(widened.timeWindow[1], brushed.timeWindow[1], 'the end stays');
      assert.deepEqual(sorted(widened.visibleEvents), sorted(await eventsInWindow(page, widened.timeWindow)));
      assert.ok(widened.visibleEvents.length >= brushed.visibleEvents.length);

      // Dragging inside the window moves it whole.
      const inside = { x: (from.x - 60 + to.x) / 2, y: from.y };
      await drag(page, inside, { x: inside.x - 40, y: inside.y });
      const moved = await state(page);
      const length = (w) => Date.parse(w[1]) - Date.parse(w[0]);
      assert.ok(moved.timeWindow[0] < widened.timeWindow[0], 'moved earlier');
      assert.ok(Math.abs(length(moved.timeWindow) - length(widened.timeWindow)) <= DAY, 'same length');
      assert.deepEqual(sorted(await visibleItemIds(page)), sorted(await eventsInWindow(page, moved.timeWindow)));
      assert.deepEqual(problems, []);
    });
  });

  test('zooming the time axis (wheel, buttons) changes its span and its ticks; the network zooms, pans and fits', { timeout: TIMEOUT }, async () => {
    await withPage({}, async ({ page, problems }) => {
      await open(page);
      const tl = 'canvas.castline-timeline';
      const extent = await page.evaluate(() => {
        const events = window.castline.story().events;
        return [Math.min(...events.map((e) => Date.parse(e.start))), Math.max(...events.map((e) => Date.parse(e.end)))];
      });
      assert.equal((await view(page)).timeView, null, 'the whole story at first');
      const ticksBefore = await pixels(page, tl, 0, 24);

      const centre = await canvasPoint(page, tl, 280, 100);
      await page.mouse.move(centre.x, centre.y);
      await page.mouse.wheel(0, -300);
      await nextFrames(page, 3);
      const zoomed = (await view(page)).timeView;
      assert.ok(Array.isArray(zoomed), 'the wheel zoomed the time axis in');
      const span = Date.parse(zoomed[1]) - Date.parse(zoomed[0]);
      assert.ok(span < (extent[1] - extent[0]) * 0.95, `a shorter span is shown (${zoomed})`);
      assert.notEqual(await pixels(page, tl, 0, 24), ticksBefore, 'the tick labels were redrawn for the new span');

      await page.click('button[aria-label="Zoom the time axis in"]');
      const closer = (await view(page)).timeView;
      assert.ok(Date.parse(closer[1]) - Date.parse(closer[0]) < span, 'the + button zooms in further');
      await page.click('button[aria-label="Zoom the time axis out"]');
      const back = (await view(page)).timeView;
      assert.ok(Date.parse(back[1]) - Date.parse(back[0]) > Date.parse(closer[1]) - Date.parse(closer[0]), 'the − button zooms out');
      await page.click('button[aria-label="Whole story on the time axis"]');
      await nextFrames(page, 2);
      assert.equal((await view(page)).timeView, null, '“Whole story” shows it all again');
      assert.equal(await pixels(page, tl, 0, 24), ticksBefore, 'with the first ticks');

      // The network: wheel and buttons zoom the camera; dragging the background pans; Fit resets.
      const camera0 = (await view(page)).camera;
      const spot = await emptyNetworkPoint(page);
      await page.mouse.move(spot.x, spot.y);
      await page.mouse.wheel(0, -200);
      await nextFrames(page, 2);
      const camera1 = (await view(page)).camera;
      assert.ok(camera1.k > camera0.k, `the wheel zooms the network in (${camera0.k} → ${camera1.k})`);
      await page.click('button[aria-label="Zoom the network out"]');
      assert.ok((await view(page)).camera.k < camera1.k, 'the − button zooms out');
      const before = (await view(page)).camera;
      const empty = await emptyNetworkPoint(page);
      await drag(page, empty, { x: empty.x + 50, y: empty.y + 30 });
      const panned = (await view(page)).camera;
      assert.ok(Math.abs(panned.x - before.x - 50) < 2 && Math.abs(panned.y - before.y - 30) < 2,
        `dragging the background pans by the drag (${JSON.stringify(before)} → ${JSON.stringify(panned)})`);
      assert.deepEqual((await state(page)).selectedActors, [], 'a pan selects nothing');
      await page.click('button[aria-label="Fit the whole network"]');
      assert.deepEqual((await view(page)).camera, camera0, 'Fit resets the camera');

      // A burst of wheel turns is one interaction (the URL records its end), which the
      // viewer ends at a pause in the turns.
      await page.waitForFunction(() => !window.castline.interacting);
      await page.evaluate(() => {
        window.__ends = 0;
        window.castline.addEventListener('interactionend', () => { window.__ends += 1; });
      });
      const hashBefore = await page.evaluate(() => location.hash);
      await page.mouse.move(spot.x, spot.y);
      for (let i = 0; i < 4; i += 1) {
        await page.mouse.wheel(0, -60);
        await page.waitForTimeout(40);
      }
      assert.equal(await page.evaluate(() => window.castline.interacting), true, 'the turns are one interaction');
      await page.waitForFunction(() => !window.castline.interacting, null, { timeout: 3000 });
      await nextFrames(page, 2);
      assert.equal(await page.evaluate(() => window.__ends), 1, 'which ended once');
      assert.ok((await view(page)).camera.k > camera0.k);
      assert.notEqual(await page.evaluate(() => location.hash), hashBefore, 'and the URL records the zoom');
      assert.deepEqual(problems, []);
    });
  });

  test('dragging an actor moves it and pins it there, without selecting it', { timeout: TIMEOUT }, async () => {
    await withPage({}, async ({ page, problems }) => {
      await open(page);
      const start = await actorPoint(page, 'dmitriev');
      const empty = await emptyNetworkPoint(page);
      await drag(page, start, empty, 10);
      await page.waitForTimeout(600); // the layout would pull it back if it were not pinned
      await nextFrames(page, 5);
      const now = await actorPoint(page, 'dmitriev');
      assert.ok(Math.hypot(now.x - empty.x, now.y - empty.y) < 3, `dropped where released (${now.x},${now.y} vs ${empty.x},${empty.y})`);
      assert.deepEqual((await state(page)).selectedActors, []);
      assert.deepEqual(problems, []);
    });
  });

  test('several actors: "all" shows only their shared events, "any" all of theirs', { timeout: TIMEOUT }, async () => {
    const [a, b] = ['dmitriev', 'witkoff'];
    const shared = eventsOf(a).filter((id) => eventsOf(b).includes(id));
    const either = sorted(new Set([...eventsOf(a), ...eventsOf(b)]));
    assert.ok(shared.length >= 1 && shared.length < either.length, 'the data tells the two modes apart');
    await withPage({}, async ({ page, problems }) => {
      await open(page);
      const anyRadio = page.locator('.castline-mode input[value="any"]');
      assert.equal(await anyRadio.isDisabled(), true, 'the switch is shown but off with no selection');
      let p = await actorPoint(page, a);
      await page.mouse.click(p.x, p.y);
      assert.equal(await anyRadio.isDisabled(), true, 'still off with one actor');
      await waitForSettled(page);
      p = await actorPoint(page, b);
      await page.keyboard.down('Shift');
      await page.mouse.click(p.x, p.y);
      await page.keyboard.up('Shift');
      let s = await state(page);
      assert.deepEqual(sorted(s.selectedActors), sorted([a, b]));
      assert.equal(s.mode, 'all');
      assert.deepEqual(sorted(s.visibleEvents), sorted(shared));
      assert.deepEqual(sorted(await visibleItemIds(page)), sorted(shared));
      assert.equal(await page.locator('.castline-mode input[value="all"]').isChecked(), true);
      assert.equal(await anyRadio.isDisabled(), false, 'on with two actors');

      await page.locator('.castline-mode label', { hasText: 'any selected' }).click();
      s = await state(page);
      assert.equal(s.mode, 'any');
      assert.deepEqual(sorted(s.visibleEvents), either);
      assert.deepEqual(sorted(await visibleItemIds(page)), either);
      const names = [a, b].map((id) => story.actors.find((x) => x.id === id).name);
      const status = await page.textContent('.castline-status');
      assert.ok(status.includes(`Showing ${either.length} of ${story.events.length} events`), status);
      assert.ok(names.every((n) => status.includes(n)) && status.includes(' or '), status);

      await page.locator('.castline-mode label', { hasText: 'all selected' }).click();
      assert.deepEqual(sorted((await state(page)).visibleEvents), sorted(shared));
      assert.deepEqual(problems, []);
    });
  });

  test('a legend entry selects its group, with a shape beside its name; pressing it again lets go', { timeout: TIMEOUT }, async () => {
    const group = 'russia';
    const members = story.actors.filter((x) => x.group === group).map((x) => x.id);
    const expected = sorted(new Set(members.flatMap(eventsOf)));
    assert.ok(members.length >= 2);
    await withPage({}, async ({ page, problems }) => {
      await open(page);
      const shapes = await page.$$eval('.castline-legend-button', (buttons) => buttons.map((b) => b.querySelector('svg.castline-shape > *')?.outerHTML.length > 0));
      assert.equal(shapes.length, story.groups.length);
      assert.ok(shapes.every(Boolean), 'each entry draws a shape');
      const viewerShapes = await page.evaluate(() => window.castline.story().groups.map((g) => g.shape));
      assert.ok(new Set(viewerShapes).size === viewerShapes.length, `groups have distinct shapes: ${viewerShapes}`);

      const legendButton = page.locator(`.castline-legend-button[data-group-id="${group}"]`);
      assert.equal(await legendButton.getAttribute('aria-pressed'), 'false');
      await legendButton.click();
      const s = await state(page);
      assert.deepEqual(sorted(s.selectedActors), sorted(members));
      assert.equal(s.mode, 'any');
      assert.deepEqual(sorted(s.visibleEvents), expected);
      assert.deepEqual(sorted(await visibleItemIds(page)), expected);
      assert.equal(await legendButton.getAttribute('aria-pressed'), 'true');
      assert.equal(await page.locator('.castline-legend-button[aria-pressed="true"]').count(), 1);
      await legendButton.click();
      assert.deepEqual((await state(page)).selectedActors, []);
      assert.equal(await legendButton.getAttribute('aria-pressed'), 'false');
      assert.deepEqual(problems, []);
    });
  });

  test('size by: the nodes show ties or brokers, the link keeps the choice, an unknown one is said', { timeout: TIMEOUT }, async () => {
    await withPage({}, async ({ page, problems }) => {
      await open(page);
      const select = page.getByLabel('Size by');
      assert.equal(await select.inputValue(), 'events');
      const before = await pixels(page, 'canvas.castline-network', 0, 400);
      await select.selectOption('betweenness');
      await nextFrames(page, 3);
      assert.equal((await state(page)).size, 'betweenness');
      assert.notEqual(await pixels(page, 'canvas.castline-network', 0, 400), before, 'the nodes are drawn anew');
      await page.waitForFunction(() => window.location.hash.includes('size=betweenness'));
      // A link opens with the choice, in the picture and in the control.
      await open(page, '#size=ties');
      assert.equal((await state(page)).size, 'ties');
      assert.equal(await page.getByLabel('Size by').inputValue(), 'ties');
      // One the viewer does not know is left out and said.
      await open(page, '#size=weight');
      assert.equal((await state(page)).size, 'events');
      const notice = await page.textContent('.castline-diagnostics');
      assert.ok(notice.includes('weight'), notice);
      assert.deepEqual(problems, []);
    });
  });

  test('search: a combobox over names, roles and titles, accent-blind; choosing selects', { timeout: TIMEOUT }, async () => {
    await withPage({}, async ({ page, problems }) => {
      await open(page);
      const input = page.getByRole('combobox', { name: 'Search' });
      assert.equal(await input.getAttribute('aria-expanded'), 'false');
      const listId = await input.getAttribute('aria-controls');
      const listbox = page.locator(`#${listId}`);
      assert.equal(await listbox.getAttribute('role'), 'listbox');

      // An accent in the query still finds the name without one.
      await input.fill('Zélensk');
      assert.equal(await input.getAttribute('aria-expanded'), 'true');
      const zel = await listbox.locator('[role="option"]').allTextContents();
      assert.ok(zel.some((t) => t.includes('Volodymyr Zelensky')), zel.join(' | '));

      // A role finds its actor: "Financier" is Dmitriev's.
      const role = story.actors.find((x) => x.id === 'dmitriev').role.split(',')[0];
      await input.fill(role.toUpperCase());
      const options = await listbox.locator('[role="option"]').allTextContents();
      assert.ok(options[0].includes('Kirill Dmitriev'), options.join(' | '));
      await input.press('ArrowDown');
      const active = await input.getAttribute('aria-activedescendant');
      assert.ok(active);
      assert.equal(await page.locator(`#${active}`).getAttribute('aria-selected'), 'true');
      await input.press('Enter');
      assert.deepEqual((await state(page)).selectedActors, ['dmitriev']);
      assert.equal(await input.getAttribute('aria-expanded'), 'false');
      assert.deepEqual(sorted(await visibleItemIds(page)), sorted(eventsOf('dmitriev')));

      // An event title: choosing it focuses the event (clearing a filter that hid it).
      const event = story.events.find((e) => e.id === 'rubio-geneva');
      const word = event.title.split(' ').filter((w) => /^[A-Z]/.test(w) && !story.actors.some((x) => x.name.includes(w)))[0];
      assert.ok(word, 'the title has a proper name that is not an actor’s');
      await input.fill(word.toLowerCase());
      const found = await listbox.locator('[role="option"]').allTextContents();
      const index = found.findIndex((t) => t.includes(event.title));
      assert.ok(index >= 0, found.join(' | '));
      for (let i = 0; i <= index; i += 1) await input.press('ArrowDown');
      await input.press('Enter');
      assert.equal((await state(page)).focusedEvent, event.id);
      assert.equal(await page.getAttribute(`li[data-event-id="${event.id}"]`, 'aria-current'), 'true');

      // At most 8 results; Escape closes the list without clearing the view.
      await input.fill('e');
      const count = await listbox.locator('[role="option"]').count();
      const all = story.actors.filter((x) => `${x.name} ${x.role ?? ''}`.toLowerCase().includes('e')).length
        + story.events.filter((e) => e.title.toLowerCase().includes('e')).length;
      assert.equal(count, Math.min(8, all));
      await input.press('Escape');
      assert.equal(await input.getAttribute('aria-expanded'), 'false');
      assert.equal((await state(page)).focusedEvent, event.id, 'Escape in the box only closed the list');
      // The option text came in as text, not markup.
      assert.equal(await listbox.locator('b, i, img, script').count(), 0);
      assert.deepEqual(problems, []);
    });
  });

  test('play sweeps a window through the story and pauses; any selection pauses it', { timeout: TIMEOUT }, async () => {
    await withPage({}, async ({ page, problems }) => {
      await open(page);
      const extent = await page.evaluate(() => {
        const events = window.castline.story().events;
        return [Math.min(...events.map((e) => Date.parse(e.start))), Math.max(...events.map((e) => Date.parse(e.end)))];
      });
      const play = page.locator('button.castline-play-button');
      assert.equal((await play.textContent()).trim(), 'Play');
      await play.click();
      assert.equal((await play.textContent()).trim(), 'Pause');
      const first = (await state(page)).timeWindow;
      assert.ok(first, 'a window is shown at once');
      assert.ok(Math.abs(Date.parse(first[0]) - extent[0]) < DAY, 'starting at the story’s start');
      const width = Date.parse(first[1]) - Date.parse(first[0]);
      assert.ok(Math.abs(width - (extent[1] - extent[0]) / 6) < DAY, `about a sixth of the story (${first})`);
      await page.waitForFunction((start) => {
        const w = window.castline.state().timeWindow;
        return w && Date.parse(w[0]) > Date.parse(start) + 86_400_000;
      }, first[0], { timeout: 10_000 });
      const s = await state(page);
      assert.deepEqual(sorted(await visibleItemIds(page)), sorted(await eventsInWindow(page, s.timeWindow)), 'the list follows');

      await play.click();
      assert.equal((await play.textContent()).trim(), 'Play');
      const paused = (await state(page)).timeWindow;
      await page.waitForTimeout(400);
      assert.deepEqual((await state(page)).timeWindow, paused, 'paused: the window stays');

      // Playing again, then a click on an actor stops it. Witkoff takes part
      // in events from October to November, so he is on the picture throughout.
      await play.click();
      assert.equal(await page.evaluate(() => window.castline.playing), true);
      assert.ok((await state(page)).visibleActors.includes('witkoff'));
      const p = await actorPoint(page, 'witkoff');
      await page.mouse.click(p.x, p.y);
      assert.equal(await page.evaluate(() => window.castline.playing), false);
      assert.equal((await play.textContent()).trim(), 'Play');
      assert.deepEqual((await state(page)).selectedActors, ['witkoff']);
      assert.deepEqual(problems, []);
    });
  });

  test('with prefers-reduced-motion, play steps a whole window at a time and pauses at the end', { timeout: TIMEOUT }, async () => {
    await withPage({ reducedMotion: 'reduce' }, async ({ page, problems }) => {
      await open(page);
      const extent = await page.evaluate(() => {
        const events = window.castline.story().events;
        return [Math.min(...events.map((e) => Date.parse(e.start))), Math.max(...events.map((e) => Date.parse(e.end)))];
      });
      await page.selectOption('select.castline-speed-select', 'fast');
      await page.evaluate(() => {
        window.__windows = [];
        window.castline.addEventListener('change', (e) => {
          const w = e.detail.timeWindow;
          if (w && (!window.__windows.length || window.__windows.at(-1).w[0] !== w[0])) window.__windows.push({ w, t: performance.now() });
        });
      });
      await page.click('button.castline-play-button');
      await page.waitForFunction(() => !window.castline.playing, null, { timeout: 30_000 });
      const steps = await page.evaluate(() => window.__windows);
      assert.ok(steps.length >= 3, `several steps (${steps.length})`);
      const width = Date.parse(steps[0].w[1]) - Date.parse(steps[0].w[0]);
      for (let i = 1; i < steps.length; i += 1) {
        const jump = Date.parse(steps[i].w[0]) - Date.parse(steps[i - 1].w[0]);
        const last = i === steps.length - 1;
        assert.ok(last ? jump > 0 && jump <= width + 60_000 : Math.abs(jump - width) <= 60_000,
          `step ${i} jumps a whole window (${steps[i - 1].w} → ${steps[i].w})`);
        assert.ok(steps[i].t - steps[i - 1].t >= 500, 'steps, not an animation');
      }
      const end = Date.parse(steps.at(-1).w[1]);
      assert.ok(Math.abs(end - extent[1]) <= DAY, `the last window ends with the story (${steps.at(-1).w})`);
      assert.equal((await page.textContent('button.castline-play-button')).trim(), 'Play');
      assert.deepEqual(problems, []);
    });
  });

  test('the keyboard alone: Tab to each canvas, arrows, Enter selects, Escape clears', { timeout: TIMEOUT }, async () => {
    await withPage({}, async ({ page, problems }) => {
      await open(page);
      const tabTo = async (selector) => {
        for (let i = 0; i < 80; i += 1) {
          await page.keyboard.press('Tab');
          if (await page.evaluate((sel) => document.activeElement?.matches(sel), selector)) return;
        }
        assert.fail(`Tab never reached ${selector}`);
      };
      const net = 'canvas.castline-network';
      // The rings of the keyboard (and the pointer) lie on a transparent layer above the picture.
      const layer = '.castline-network-panel canvas.castline-layer';
      const height = await page.evaluate((sel) => document.querySelector(sel).clientHeight, net);
      const [inkBefore, pictureBefore] = [await pixels(page, layer, 0, height), await pixels(page, net, 0, height)];
      await tabTo(net);
      assert.equal(await page.evaluate((sel) => document.querySelector(sel).matches(':focus-visible'), net), true, 'a visible focus outline');
      const firstItem = await page.evaluate(() => window.castline.keyboardItem());
      assert.equal(firstItem?.kind, 'actor', 'the network has a keyboard item once focused');
      await nextFrames(page, 2);
      assert.notEqual(await pixels(page, layer, 0, height), inkBefore, 'a focus ring is drawn above the canvas');
      assert.equal(await pixels(page, net, 0, height), pictureBefore, 'the ring is not drawn into the picture');

      await page.keyboard.press('ArrowRight');
      let item = await page.evaluate(() => window.castline.keyboardItem());
      if (item.id === firstItem.id) {
        await page.keyboard.press('ArrowDown');
        item = await page.evaluate(() => window.castline.keyboardItem());
      }
      assert.notEqual(item.id, firstItem.id, 'an arrow moves to another actor');
      const actor = story.actors.find((x) => x.id === item.id);
      assert.ok(item.label.includes(actor.name), item.label);
      await page.waitForFunction((label) => document.querySelector('.castline-live').textContent.includes(label), item.label, { timeout: 3000 });

      await page.keyboard.press('Enter');
      let s = await state(page);
      assert.deepEqual(s.selectedActors, [actor.id]);
      assert.deepEqual(sorted(await visibleItemIds(page)), sorted(eventsOf(actor.id)));
      await page.waitForFunction((name) => {
        const text = document.querySelector('.castline-live').textContent;
        return text.startsWith('Showing') && text.includes(name);
      }, actor.name, { timeout: 3000 });

      await page.keyboard.press('Escape');
      s = await state(page);
      assert.deepEqual(s.selectedActors, []);
      assert.equal((await visibleItemIds(page)).length, story.events.length);

      await tabTo('canvas.castline-timeline');
      await page.keyboard.press('ArrowRight');
      const event = await page.evaluate(() => window.castline.keyboardItem());
      assert.equal(event?.kind, 'event');
      const title = story.events.find((e) => e.id === event.id).title;
      assert.ok(event.label.startsWith(title), event.label);
      await page.keyboard.press('Enter');
      s = await state(page);
      assert.equal(s.focusedEvent, event.id);
      assert.equal(await page.getAttribute(`li[data-event-id="${event.id}"]`, 'aria-current'), 'true');
      await page.keyboard.press('Escape');
      assert.equal((await state(page)).focusedEvent, null);

      // Tab goes on to the list.
      await tabTo('ol.castline-events > li');
      assert.deepEqual(problems, []);
    });
  });

  test('the screen-reader mirror: actor buttons, labels and announcements follow every change', { timeout: TIMEOUT }, async () => {
    await withPage({}, async ({ page, problems }) => {
      await open(page);
      const buttons = page.locator('.castline-mirror button');
      assert.equal(await buttons.count(), story.actors.length);
      for (const actor of story.actors) {
        const b = page.locator(`.castline-mirror button[data-actor-id="${actor.id}"]`);
        const text = await b.textContent();
        assert.ok(text.includes(actor.name) && (!actor.role || text.includes(actor.role)), text);
        assert.equal(await b.getAttribute('aria-pressed'), 'false');
      }
      const box = await page.locator('.castline-mirror').boundingBox();
      assert.ok(box.width <= 1 && box.height <= 1, 'visually hidden until focused');
      for (const sel of ['canvas.castline-network', 'canvas.castline-timeline']) {
        assert.equal(await page.getAttribute(sel, 'role'), 'img');
      }

      await page.evaluate(() => window.castline.select(['dmitriev']));
      const shown = (await state(page)).visibleActors;
      assert.equal(await page.getAttribute('.castline-mirror button[data-actor-id="dmitriev"]', 'aria-pressed'), 'true');
      for (const actor of story.actors) {
        const text = await page.textContent(`.castline-mirror button[data-actor-id="${actor.id}"]`);
        assert.equal(text.includes('not in the current events'), !shown.includes(actor.id), `${actor.id}: ${text}`);
      }
      const label = await page.getAttribute('canvas.castline-network', 'aria-label');
      assert.ok(label.includes(`${shown.length} shown`) && label.includes('Kirill Dmitriev selected'), label);
      const n = eventsOf('dmitriev').length;
      const timeLabel = await page.getAttribute('canvas.castline-timeline', 'aria-label');
      assert.ok(timeLabel.includes(`${n} shown`), timeLabel);
      await page.waitForFunction((text) => document.querySelector('.castline-live').textContent.trim() === text,
        `Showing ${n} of ${story.events.length} events involving Kirill Dmitriev`, { timeout: 3000 });

      // The buttons are reachable and toggle membership of the selection.
      await page.focus('.castline-mirror button[data-actor-id="witkoff"]');
      const visible = await page.locator('.castline-mirror').boundingBox();
      assert.ok(visible.width > 100, 'shown while a button in it has the focus');
      await page.keyboard.press('Enter');
      assert.deepEqual(sorted((await state(page)).selectedActors), sorted(['dmitriev', 'witkoff']));
      assert.equal(await page.getAttribute('.castline-mirror button[data-actor-id="witkoff"]', 'aria-pressed'), 'true');
      await page.keyboard.press('Enter');
      assert.deepEqual((await state(page)).selectedActors, ['dmitriev']);
      assert.deepEqual(problems, []);
    });
  });

  test('a URL fragment restores the view after a reload; back and forward step through changes', { timeout: TIMEOUT }, async () => {
    await withPage({}, async ({ page, problems }) => {
      const hash = '#select=dmitriev,witkoff&mode=any&window=2025-10-20..2025-11-20&time=2025-10-10..2025-11-28&zoom=1.5,20,-10&focus=miami-talks';
      await open(page, hash);
      const check = async () => {
        const s = await state(page);
        assert.deepEqual(sorted(s.selectedActors), ['dmitriev', 'witkoff']);
        assert.equal(s.mode, 'any');
        assert.deepEqual(s.timeWindow, ['2025-10-20', '2025-11-20']);
        assert.equal(s.focusedEvent, 'miami-talks');
        const either = [...new Set([...eventsOf('dmitriev'), ...eventsOf('witkoff')])];
        assert.deepEqual(sorted(s.visibleEvents), sorted(await eventsInWindow(page, s.timeWindow, either)));
        assert.deepEqual(sorted(await visibleItemIds(page)), sorted(s.visibleEvents));
        const v = await view(page);
        assert.deepEqual(v.camera, { k: 1.5, x: 20, y: -10 });
        assert.ok(v.timeView && v.timeView[0].startsWith('2025-10-10') && v.timeView[1].startsWith('2025-11-28'), JSON.stringify(v.timeView));
        assert.equal(await page.isVisible('.castline-diagnostics'), false, 'nothing was left out');
      };
      await check();
      const written = await page.evaluate(() => window.location.hash);
      await page.reload();
      await waitForCastline(page);
      await check();
      assert.equal(await page.evaluate(() => window.location.hash), written, 'the same link after a reload');

      // Unknown ids are left out, and the page says so.
      await open(page, '#select=dmitriev,nobody-at-all&focus=no-such-event');
      assert.deepEqual((await state(page)).selectedActors, ['dmitriev']);
      assert.equal((await state(page)).focusedEvent, null);
      const notice = await page.textContent('.castline-diagnostics');
      assert.ok(notice.includes('nobody-at-all') && notice.includes('no-such-event'), notice);
      assert.equal(await page.evaluate(() => window.location.hash), '#select=dmitriev', 'the link now says what is shown');

      // History: each click is a step.
      await open(page);
      const length0 = await page.evaluate(() => history.length);
      const p = await actorPoint(page, 'dmitriev');
      await page.mouse.click(p.x, p.y);
      assert.equal(await page.evaluate(() => window.location.hash), '#select=dmitriev');
      await page.click('.castline-legend-button[data-group-id="us"]');
      const us = story.actors.filter((x) => x.group === 'us').map((x) => x.id);
      assert.deepEqual(sorted((await state(page)).selectedActors), sorted(us));
      // A brush with many moves is one step.
      const axios = await eventPoint(page, 'axios-report');
      await drag(page, { x: axios.x - 40, y: axios.y }, { x: axios.x + 30, y: axios.y }, 12);
      const brushed = (await state(page)).timeWindow;
      assert.ok(brushed);
      assert.ok((await page.evaluate(() => window.location.hash)).includes(`window=${brushed[0]}..${brushed[1]}`));
      assert.equal(await page.evaluate(() => history.length), length0 + 3, 'three steps in the history');

      await page.goBack();
      await page.waitForFunction(() => window.castline.state().timeWindow === null);
      assert.deepEqual(sorted((await state(page)).selectedActors), sorted(us));
      await page.goBack();
      await page.waitForFunction(() => window.castline.state().selectedActors.length === 1);
      assert.deepEqual((await state(page)).selectedActors, ['dmitriev']);
      assert.deepEqual(sorted(await visibleItemIds(page)), sorted(eventsOf('dmitriev')));
      await page.goBack();
      await page.waitForFunction(() => window.castline.state().selectedActors.length === 0);
      await page.goForward();
      await page.waitForFunction(() => window.castline.state().selectedActors.length === 1);
      assert.deepEqual((await state(page)).selectedActors, ['dmitriev']);
      assert.equal(await page.evaluate(() => history.length), length0 + 3, 'going back and forth adds no steps');
      assert.deepEqual(problems, []);
    });
  });

  test('an embedded view leaves the page URL alone unless asked', { timeout: TIMEOUT }, async () => {
    await withPage({}, async ({ page }) => {
      await open(page);
      const result = await page.evaluate(async () => {
        const { mount } = await import(new URL('castline.js', document.baseURI).href);
        const div = document.createElement('div');
        document.body.append(div);
        const before = [window.location.hash, history.length];
        const h = await mount(div, { src: 'data/peace-plan-2025.json' });
        h.select(['putin']);
        return { before, after: [window.location.hash, history.length], main: window.castline.state().selectedActors };
      });
      assert.deepEqual(result.after, result.before);
      assert.deepEqual(result.main, []);
    });
  });

  test('touch on a phone: tap selects, long-press shows the tooltip, pinch and two fingers zoom and pan', { timeout: TIMEOUT }, async () => {
    await withPage({ viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, hasTouch: true, isMobile: true }, async ({ page, context, problems }) => {
      await open(page);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 375, 'no horizontal scrolling');
      assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('canvas.castline-network')).touchAction), 'pan-y');
      await page.evaluate(() => document.querySelector('canvas.castline-network').scrollIntoView({ block: 'center' }));
      await waitForSettled(page);

      let p = await actorPoint(page, 'dmitriev');
      await page.touchscreen.tap(p.x, p.y);
      assert.deepEqual((await state(page)).selectedActors, ['dmitriev']);

      const cdp = await context.newCDPSession(page);
      const touch = (type, points) => cdp.send('Input.dispatchTouchEvent', {
        type, touchPoints: points.map(([x, y], id) => ({ x, y, id, radiusX: 1, radiusY: 1, force: 1 })),
      });

      // Long-press: the tooltip, and no change of selection.
      p = await actorPoint(page, 'rubio');
      await touch('touchStart', [[p.x, p.y]]);
      await page.locator('.castline [role="tooltip"]').waitFor({ state: 'visible', timeout: 3000 });
      await touch('touchEnd', []);
      assert.ok((await page.textContent('.castline [role="tooltip"]')).includes('Marco Rubio'));
      assert.deepEqual((await state(page)).selectedActors, ['dmitriev']);

      // Pinch: two fingers moving apart around the canvas centre.
      const c = await canvasPoint(page, 'canvas.castline-network', 0, 0);
      const cx = c.rect.left + c.rect.width / 2;
      const cy = c.rect.top + c.rect.height / 2;
      const k0 = (await view(page)).camera.k;
      await touch('touchStart', [[cx - 30, cy], [cx + 30, cy]]);
      for (let i = 1; i <= 6; i += 1) await touch('touchMove', [[cx - 30 - i * 10, cy], [cx + 30 + i * 10, cy]]);
      await touch('touchEnd', []);
      const pinched = (await view(page)).camera;
      assert.ok(Math.abs(pinched.k / k0 - 3) < 0.05, `the fingers went from 60 to 180 px apart: k ${k0} → ${pinched.k}`);
      assert.deepEqual((await state(page)).selectedActors, ['dmitriev'], 'a pinch selects nothing');

      // Two fingers moving together pan.
      await touch('touchStart', [[cx - 40, cy], [cx + 40, cy]]);
      for (let i = 1; i <= 5; i += 1) await touch('touchMove', [[cx - 40 + i * 8, cy], [cx + 40 + i * 8, cy]]);
      await touch('touchEnd', []);
      const panned = (await view(page)).camera;
      assert.ok(Math.abs(panned.x - pinched.x - 40) < 2 && Math.abs(panned.k - pinched.k) < 0.01,
        `moved 40 px sideways: ${JSON.stringify(pinched)} → ${JSON.stringify(panned)}`);

      // The time axis pinches too.
      await page.evaluate(() => document.querySelector('canvas.castline-timeline').scrollIntoView({ block: 'center' }));
      const t = await canvasPoint(page, 'canvas.castline-timeline', 0, 0);
      const tx = t.rect.left + t.rect.width / 2;
      const ty = t.rect.top + Math.min(120, t.rect.height / 2);
      await touch('touchStart', [[tx - 20, ty], [tx + 20, ty]]);
      for (let i = 1; i <= 6; i += 1) await touch('touchMove', [[tx - 20 - i * 8, ty], [tx + 20 + i * 8, ty]]);
      await touch('touchEnd', []);
      assert.ok((await view(page)).timeView, 'the time axis zoomed in');
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 375, 'still no horizontal scrolling');
      assert.deepEqual(problems, []);
    });
  });

  for (const colorScheme of ['light', 'dark']) {
    test(`axe-core finds no violations, ${colorScheme}, before and after a selection`, { timeout: TIMEOUT }, async () => {
      await withPage({ colorScheme }, async ({ page, problems }) => {
        await open(page);
        assert.equal(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), colorScheme === 'dark');
        const summary = (results) => results.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
        assert.deepEqual(summary(await new AxeBuilder({ page }).analyze()), []);
        const p = await actorPoint(page, 'dmitriev');
        await page.mouse.click(p.x, p.y);
        await page.keyboard.down('Shift');
        const q = await actorPoint(page, 'witkoff');
        await page.mouse.click(q.x, q.y);
        await page.keyboard.up('Shift');
        assert.equal((await state(page)).selectedActors.length, 2);
        await page.fill('.castline-search-input', 'ru');
        assert.deepEqual(summary(await new AxeBuilder({ page }).analyze()), [], 'with a selection and the search list open');
        assert.deepEqual(problems, []);
      });
    });
  }

  test('the dark theme darkens the page and the canvases', { timeout: TIMEOUT }, async () => {
    const background = async (colorScheme) => withPage({ colorScheme }, async ({ page }) => {
      await open(page);
      await nextFrames(page, 2);
      return page.evaluate(() => {
        const canvas = document.querySelector('canvas.castline-network');
        const copy = document.createElement('canvas');
        copy.width = canvas.width;
        copy.height = canvas.height;
        const ctx = copy.getContext('2d', { willReadFrequently: true });
        ctx.drawImage(canvas, 0, 0);
        const [r, g, b] = ctx.getImageData(2, 2, 1, 1).data;
        const rgb = (text) => text.match(/\d+/g).slice(0, 3).map(Number);
        const lum = ([x, y, z]) => 0.2126 * x + 0.7152 * y + 0.0722 * z;
        return { canvas: lum([r, g, b]), page: lum(rgb(getComputedStyle(document.body).backgroundColor)) };
      });
    });
    const light = await background('light');
    const dark = await background('dark');
    assert.ok(light.page > 200 && light.canvas > 200, JSON.stringify(light));
    assert.ok(dark.page < 60 && dark.canvas < 60, JSON.stringify(dark));
  });
});
