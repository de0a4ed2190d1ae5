// The controls around the pictures: search, Show all, the all/any switch, the legend of
// groups (each with a button that collapses it into one mark on the network), the zoom and
// fit buttons, and the downloads. (Play is playback.js's.)

import { buildSearch } from '../search.js';
import { BUTTON_ZOOM } from './core.js';
import { button, collapseIcon, el, shapeIcon } from './dom.js';
import { count } from './words.js';

// Entries folded for search per task: about 2 ms each here.
const SEARCH_FOLD_PART = 5000;

export class Controls {
  #shell;
  #legendButtons = new Map();
  #collapseButtons = new Map();

  constructor(shell) {
    this.#shell = shell;
  }

  // Builds the search box and the legend for the story (`head`, the viewer's head()) and
  // listens to every control. `download(kind)` saves a download; `announce(text)` says why
  // one failed.
  start(head, { download, announce }) {
    this.#buildSearch();
    this.#buildLegend(head);
    const shell = this.#shell;
    const { ui, signal } = shell;

    ui.showAll.addEventListener('click', () => this.showEverything(), { signal });

    ui.exports.addEventListener('click', (e) => {
      const b = e.target.closest('button[data-export]');
      if (!b || b.disabled) return;
      b.disabled = true;
      download(b.dataset.export)
        .catch((error) => announce(`The ${b.dataset.export.toUpperCase()} could not be made: ${error?.message || error}`))
        .finally(() => { b.disabled = false; });
    }, { signal });

    for (const radio of [ui.modeAll, ui.modeAny]) {
      radio.addEventListener('change', () => {
        if (!radio.checked) return;
        shell.userAction();
        shell.call((v) => v.setMode(radio.value));
        shell.changed();
      }, { signal });
    }

    ui.size.addEventListener('change', () => {
      shell.userAction();
      shell.call((v) => v.setSize(ui.size.value));
      shell.changed();
    }, { signal });

    ui.legend.addEventListener('click', (e) => {
      const collapse = e.target.closest('button.castline-legend-collapse');
      if (collapse) {
        if (collapse.disabled) return;
        const collapsed = collapse.getAttribute('aria-pressed') !== 'true';
        shell.call((v) => v.collapseGroup(collapse.dataset.groupId, collapsed));
        shell.changed();
        return;
      }
      const b = e.target.closest('button.castline-legend-button');
      if (!b || b.disabled) return;
      shell.userAction();
      // Pressing the pressed group again lets go of it.
      if (b.getAttribute('aria-pressed') === 'true') shell.call((v) => v.select([]));
      else shell.call((v) => v.selectGroup(b.dataset.groupId));
      shell.changed();
    }, { signal });

    const viewButton = (b, fn) => b.addEventListener('click', () => {
      shell.call(fn);
      shell.changed();
    }, { signal });
    const zoomBy = (target, factor) => (v) => {
      const c = shell.centre(target);
      v.input({ kind: 'zoom', on: target, factor, x: c.x, y: c.y });
    };
    viewButton(ui.netZoomIn, zoomBy('network', BUTTON_ZOOM));
    viewButton(ui.netZoomOut, zoomBy('network', 1 / BUTTON_ZOOM));
    viewButton(ui.netFit, (v) => v.input({ kind: 'fit', on: 'network' }));
    viewButton(ui.timeZoomIn, zoomBy('timeline', BUTTON_ZOOM));
    viewButton(ui.timeZoomOut, zoomBy('timeline', 1 / BUTTON_ZOOM));
    viewButton(ui.timeFit, (v) => v.input({ kind: 'fit', on: 'timeline' }));
  }

  // The controls' state as of a change.
  render(state) {
    const { ui } = this.#shell;
    const focused = state.focusedEvent ?? null;
    const mode = state.mode === 'any' ? 'any' : 'all';
    ui.showAll.disabled = !(state.selectedActors.length || state.timeWindow || focused);

    // The all/any switch matters from two actors on, but is always shown.
    ui.modeSet.disabled = state.selectedActors.length < 2;
    ui.modeAll.checked = mode === 'all';
    ui.modeAny.checked = mode === 'any';

    ui.size.value = state.size ?? 'events';
    ui.sizeNote.textContent = state.sizeCounting ? ' counting…'
      : state.sizeSampledFrom ? ` sampled from ${count(state.sizeSampledFrom)} actors` : '';

    for (const [groupId, b] of this.#legendButtons) {
      b.setAttribute('aria-pressed', String(state.selectedGroup === groupId));
    }
    const collapsed = new Set(state.collapsedGroups ?? []);
    for (const [groupId, b] of this.#collapseButtons) {
      const pressed = collapsed.has(groupId);
      b.setAttribute('aria-pressed', String(pressed));
      b.title = pressed ? `Expand ${b.dataset.groupName}` : `Collapse ${b.dataset.groupName} into one mark`;
    }
  }

  // Clears the selection, the window and the focus.
  showEverything() {
    const shell = this.#shell;
    shell.userAction();
    shell.call((v) => {
      v.clear();
      const s = v.summary();
      if (s.timeWindow) v.setTimeWindow(null, null);
      if (s.focusedEvent) v.focusEvent(null);
    });
    shell.changed();
  }

  #buildSearch() {
    const shell = this.#shell;
    const find = (query) => shell.call((v) => v.search(query)) ?? [];
    const search = buildSearch(find, (entry) => {
      shell.userAction();
      if (entry.kind === 'actor') {
        shell.call((v) => v.select([entry.id]));
      } else {
        shell.call((v) => v.focusEvent(entry.id));
        // A page of one lists the focused event itself when it is visible (listedEvents).
        const shown = shell.call((v) => v.listedEvents(1))?.ids?.[0] === entry.id;
        // An event hidden by the filter is shown by clearing it first.
        if (!shown) {
          shell.call((v) => {
            v.clear();
            v.setTimeWindow(null, null);
            v.focusEvent(entry.id);
          });
        }
      }
      shell.changed();
    }, shell.signal);
    this.#foldInParts();
    shell.ui.searchSlot.replaceChildren(search.root);
  }

  // The viewer folds the story's text for search a part per task while the page is idle,
  // so that the first search finds it ready and no task runs long (W4: 40 parts of 5,000).
  #foldInParts() {
    const shell = this.#shell;
    const part = () => {
      if (shell.signal.aborted || shell.call((v) => v.foldForSearch(SEARCH_FOLD_PART)) !== false) return;
      setTimeout(part, 0);
    };
    setTimeout(part, 0);
  }

  #buildLegend(head) {
    const { ui } = this.#shell;
    const { legend } = ui;
    legend.replaceChildren();
    this.#legendButtons.clear();
    this.#collapseButtons.clear();
    // Each group's node as the viewer draws it.
    const icons = new Map((this.#shell.call((v) => v.legend()) ?? []).map((icon) => [icon.group, icon]));
    for (const group of head.groups) {
      const li = el('li', 'castline-legend-item');
      const b = button('castline-legend-button');
      b.dataset.groupId = group.id;
      b.setAttribute('aria-pressed', 'false');
      b.title = `Show the events of ${group.name}`;
      b.append(shapeIcon(icons.get(group.id)), el('span', 'castline-legend-name', group.name));
      // A toggle keeps its name; aria-pressed says the group is collapsed, the glyph too.
      const collapse = button('castline-legend-collapse', undefined, `Collapse ${group.name}`);
      collapse.dataset.groupId = group.id;
      collapse.dataset.groupName = group.name;
      collapse.setAttribute('aria-pressed', 'false');
      collapse.title = `Collapse ${group.name} into one mark`;
      collapse.append(collapseIcon());
      if (!group.memberCount) b.disabled = collapse.disabled = true;
      li.append(b, collapse);
      legend.append(li);
      this.#legendButtons.set(group.id, b);
      this.#collapseButtons.set(group.id, collapse);
    }
    legend.hidden = head.groups.length === 0;
  }
}
