// The view in words: the status line, the canvases' labels, and the polite live region that
// announces each change and the item the arrow keys reach.

import { count, listInWords, plural, windowInWords } from './words.js';

export class Status {
  #shell;
  #previous = null;
  #rendered = false;
  #announceTimer = 0;

  constructor(shell) {
    this.#shell = shell;
  }

  destroy() {
    clearTimeout(this.#announceTimer);
  }

  render(state) {
    const previous = this.#previous;
    this.#previous = state;
    const sentence = this.#describe(state);
    this.#shell.ui.status.textContent = sentence;
    this.#shell.ui.status.title = sentence;
    this.#labelCanvases(state);
    // Announce what changed, once things stop moving; not the first view.
    if (this.#rendered && (!previous || sentence !== this.#describe(previous))) {
      this.announce(sentence, this.#shell.interacting ? 900 : 350);
    }
    this.#rendered = true;
  }

  // "Showing 4 of 15 events involving Kirill Dmitriev · from 17 Nov 2025 to 23 Nov 2025"
  #describe(state) {
    const total = this.#shell.head.eventCount;
    const parts = [`Showing ${count(state.visibleEventCount)} of ${plural(total, 'event', 'events')}`];
    const names = state.selectedNames;
    if (names.length) parts[0] += ` involving ${listInWords(names, state.mode === 'any' ? 'or' : 'and')}`;
    if (state.timeWindow) parts.push(windowInWords(state.timeWindow));
    if (state.focusedTitle) parts.push(`focused: ${state.focusedTitle}`);
    return parts.join(' · ');
  }

  #labelCanvases(state) {
    const { ui, head } = this.#shell;
    const n = head.actorCount;
    const g = head.groups.length;
    const names = state.selectedNames;
    const shown = state.visibleActorCount === n ? 'all shown' : `${count(state.visibleActorCount)} shown`;
    const collapsed = (state.collapsedGroups ?? []).map((id) => head.groups.find((x) => x.id === id)?.name).filter(Boolean);
    ui.networkCanvas.setAttribute('aria-label',
      `Network of ${plural(n, 'actor', 'actors')}${g ? ` in ${plural(g, 'group', 'groups')}` : ''}; ${shown}`
      + `${names.length ? `, ${listInWords(names)} selected` : ''}`
      + `${collapsed.length ? `, ${listInWords(collapsed)} collapsed` : ''}.`);
    const { eventCount, firstDate: first, lastDate: last } = head;
    let range = '';
    if (first && last) range = first === last ? `, on ${first}` : `, from ${first} to ${last}`;
    const visible = state.visibleEventCount === eventCount ? 'all shown' : `${count(state.visibleEventCount)} shown`;
    const focused = state.focusedTitle;
    ui.timelineCanvas.setAttribute('aria-label',
      `Time axis of ${plural(eventCount, 'event', 'events')}${range}; ${visible}`
      + `${state.timeWindow ? `, window ${windowInWords(state.timeWindow)}` : ''}`
      + `${focused ? `, focused: ${focused}` : ''}.`);
  }

  // One polite live region; the last message within `delay` wins, so a
  // drag or playback does not flood it.
  announce(text, delay = 350) {
    clearTimeout(this.#announceTimer);
    this.#announceTimer = setTimeout(() => {
      const { live } = this.#shell.ui;
      // The same words again still need a change to be read out.
      live.textContent = live.textContent === text ? `${text}\u00a0` : text;
    }, delay);
  }

  announceKeyboardItem() {
    const item = this.#shell.call((v) => v.keyboardItem());
    if (item && item.label) this.announce(item.label, 120);
  }
}
