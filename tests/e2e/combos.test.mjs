// End-to-end test of the story's groups collapsed into one mark each (issue 20 §3, KeyLines'
// combos) on the default story: the legend's collapse button draws the group as a mark on the
// network canvas; a click on the mark expands it again; selecting a member opens it while
// selected; a link and the SVG download keep the collapse. Expectations come from
// data/peace-plan-2025.json, never from constants copied out of a run.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { browserSuite, waitForCastline, waitForSettled, readStory } from './helpers.mjs';

const TIMEOUT = 90_000;
const story = await readStory();

describe('collapsing groups', () => {
  const { server, withPage } = browserSuite();

  async function open(page, hash = '') {
    await page.goto(`${server.url}${hash}`);
    await waitForCastline(page);
    await waitForSettled(page);
  }

  const state = (page) => page.evaluate(() => window.castline.state());
  const mark = (page, id) => page.evaluate((g) => window.castline.groupMark(g), id);
  const frames = (page, n = 3) => page.evaluate(async (count) => {
    for (let i = 0; i < count; i += 1) await new Promise((resolve) => requestAnimationFrame(resolve));
  }, n);

  // The share of points on concentric rings inside a disc (CSS px on the network canvas) whose
  // painted colour leans to `rgb` against the canvas's background: how much of it is a mark.
  function tinted(page, disc, rgb) {
    return page.evaluate(({ x, y, r, rgb }) => {
      const canvas = document.querySelector('canvas.castline-network');
      const ratio = canvas.width / canvas.clientWidth;
      // One copy read at once, not the page's canvas pixel by pixel.
      const copy = document.createElement('canvas');
      copy.width = canvas.width;
      copy.height = canvas.height;
      const ctx = copy.getContext('2d', { willReadFrequently: true });
      ctx.drawImage(canvas, 0, 0);
      const { data } = ctx.getImageData(0, 0, copy.width, copy.height);
      const at = (px, py) => {
        const i = 4 * (Math.round(py * ratio) * copy.width + Math.round(px * ratio));
        return [data[i], data[i + 1], data[i + 2]];
      };
      // A corner stands for the background.
      const background = at(2, canvas.clientHeight - 2);
      let hits = 0;
      let all = 0;
      for (const share of [0.3, 0.55, 0.8]) {
        for (let k = 0; k < 16; k += 1) {
          const turn = (k / 16) * 2 * Math.PI;
          const p = at(x + share * r * Math.cos(turn), y + share * r * Math.sin(turn));
          // Moved from the background toward the colour on every channel that differs.
          const toward = [0, 1, 2].filter((c) => Math.abs(rgb[c] - background[c]) > 40)
            .every((c) => Math.sign(p[c] - background[c]) === Math.sign(rgb[c] - background[c])
              && Math.abs(p[c] - background[c]) > 0.25 * Math.abs(rgb[c] - background[c]));
          hits += toward ? 1 : 0;
          all += 1;
        }
      }
      return hits / all;
    }, { ...disc, rgb });
  }

  const hex = (colour) => [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));

  test('the legend collapses a group into a named mark on the network; clicking the mark expands it', { timeout: TIMEOUT }, async () => {
    const group = story.groups.find((g) => g.id === 'us');
    const members = story.actors.filter((a) => a.group === group.id).map((a) => a.id);
    assert.ok(members.length >= 2);
    await withPage({ viewport: { width: 1280, height: 900 } }, async ({ page, problems }) => {
      await open(page);
      const toggle = page.locator(`.castline-legend-collapse[data-group-id="${group.id}"]`);
      assert.equal(await toggle.getAttribute('aria-label'), `Collapse ${group.name}`);
      assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
      assert.equal(await mark(page, group.id), null, 'no mark before');
      const before = await page.evaluate((ids) => ids.map((id) => window.castline.actorPosition(id)), members);
      const centre = {
        x: before.reduce((s, p) => s + p.x, 0) / members.length,
        y: before.reduce((s, p) => s + p.y, 0) / members.length,
      };

      await toggle.click();
      assert.deepEqual((await state(page)).collapsedGroups, [group.id]);
      assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
      assert.equal(await toggle.getAttribute('aria-label'), `Collapse ${group.name}`, 'a toggle keeps its name');
      const m = await mark(page, group.id);
      assert.ok(m, 'the group has a mark');
      assert.equal(m.members, members.length);
      assert.ok(Math.abs(m.x - centre.x) < 1 && Math.abs(m.y - centre.y) < 1, `at the members' centroid: ${JSON.stringify(m)} ${JSON.stringify(centre)}`);
      assert.match(await page.getAttribute('canvas.castline-network', 'aria-label'), new RegExp(`${group.name} collapsed`));
      // The canvas draws it: the disc is the group's colour now.
      await frames(page);
      const colour = hex(group.color);
      assert.ok(await tinted(page, m, colour) >= 0.7, 'the mark is painted in the group\'s colour');
      // The members are still listed for screen readers and found by search.
      for (const id of members) {
        assert.equal(await page.locator(`.castline-mirror-button[data-actor-id="${id}"]`).count(), 1, `${id} listed`);
      }
      await page.fill('.castline-search-input', story.actors.find((a) => a.id === members[0]).name);
      assert.ok(await page.locator('.castline-search-list [role="option"]').count() >= 1, 'search finds a member');
      await page.fill('.castline-search-input', '');

      // Clicking the mark (where no other actor is) expands the group.
      const rect = await page.evaluate(() => document.querySelector('canvas.castline-network').getBoundingClientRect().toJSON());
      const others = await page.evaluate((ids) => ids.map((id) => window.castline.actorPosition(id)).filter(Boolean),
        story.actors.filter((a) => a.group !== group.id).map((a) => a.id));
      const spots = [0, 0.3, 0.6].flatMap((d) => [0, 1, 2, 3, 4, 5, 6, 7]
        .map((k) => ({ x: m.x + d * m.r * Math.cos(k * Math.PI / 4), y: m.y + d * m.r * Math.sin(k * Math.PI / 4) })));
      const free = spots.find((p) => others.every((o) => Math.hypot(o.x - p.x, o.y - p.y) > 24));
      assert.ok(free, 'a point on the mark away from other actors');
      await page.mouse.move(rect.left + free.x, rect.top + free.y);
      await page.waitForSelector('.castline-tooltip:not([hidden])');
      const tip = await page.textContent('.castline-tooltip');
      assert.ok(tip.includes(group.name) && tip.includes(`Group of ${members.length} actors`) && tip.includes('click to expand'), tip);
      await page.mouse.click(rect.left + free.x, rect.top + free.y);
      assert.deepEqual((await state(page)).collapsedGroups, []);
      assert.deepEqual((await state(page)).selectedActors, [], 'the click selected nobody');
      assert.equal(await mark(page, group.id), null);
      assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
      await frames(page);
      assert.ok(await tinted(page, m, colour) < 0.4, 'the disc is gone');
      assert.deepEqual(problems, []);
    });
  });

  test('selecting a member opens its collapsed group; a link keeps the collapse; axe finds nothing', { timeout: TIMEOUT }, async () => {
    await withPage({}, async ({ page, problems }) => {
      await open(page, '#collapse=russia');
      assert.deepEqual((await state(page)).collapsedGroups, ['russia']);
      assert.equal(await page.locator('.castline-legend-collapse[data-group-id="russia"]').getAttribute('aria-pressed'), 'true');
      assert.ok(await mark(page, 'russia'));
      const summary = (results) => results.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      assert.deepEqual(summary(await new AxeBuilder({ page }).include('.castline-legend').analyze()), []);

      // Dmitriev's button in the mirror selects him: Russia is drawn open while he is.
      const dmitriev = page.locator('.castline-mirror-button[data-actor-id="dmitriev"]');
      await dmitriev.focus();
      await page.keyboard.press('Enter');
      assert.deepEqual((await state(page)).selectedActors, ['dmitriev']);
      assert.equal(await mark(page, 'russia'), null, 'open while a member is selected');
      assert.deepEqual((await state(page)).collapsedGroups, ['russia'], 'still collapsed by the reader');
      await page.evaluate(() => window.castline.clear());
      assert.ok(await mark(page, 'russia'), 'a mark again');

      // The SVG download (the full build's copy of the view) draws the collapse too.
      const russia = story.groups.find((g) => g.id === 'russia');
      const members = story.actors.filter((a) => a.group === 'russia');
      const svg = () => page.evaluate(async () => (await window.castline.exportBlob('svg')).text());
      // A member's name as a text of its own (a node's label, a lane's).
      const texts = (text, name) => text.split(/<\/?text[^>]*>/).filter((t) => t.trim() === name).length;
      const collapsed = await svg();
      assert.ok(collapsed.includes(`${russia.name} · ${members.length}`), 'the SVG names the mark');
      await page.evaluate(() => window.castline.collapseGroup('russia', false));
      const expanded = await svg();
      await page.evaluate(() => window.castline.collapseGroup('russia', true));
      assert.ok(!expanded.includes(`${russia.name} · ${members.length}`));
      assert.equal(texts(collapsed, members[0].name) + 1, texts(expanded, members[0].name), `the SVG hides ${members[0].name}'s node and label`);

      // The URL follows; expanding through the handle clears it.
      await page.waitForFunction(() => location.hash.includes('collapse=russia'));
      await page.evaluate(() => window.castline.collapseGroup('russia', false));
      await page.waitForFunction(() => !location.hash.includes('collapse='));
      assert.equal(await mark(page, 'russia'), null);
      assert.deepEqual(problems, []);
    });
  });
});
