// The story as lists beside the pictures: the events in order of time (with their sources),
// and the actors as toggle buttons (visually hidden until one has the keyboard focus).
//
// Small stories list every event and every actor in the DOM, showing and hiding them; big
// ones (the viewer's listPages() says which) list a page of them (the events around the
// focused one, the busiest actors in view), so a click never touches one DOM node per event.
// A big story's lists are rebuilt after the canvases have painted (their style and layout
// would otherwise share the frame) and not during a drag or a wheel burst.

import { button, el, externalLink, mediaList, safeHttpUrl } from './dom.js';
import { count, listInWords, plural, quoted } from './words.js';

const LIST_PAGE = 200;
const MIRROR_PAGE = 100;

export class Lists {
  // Set when a change came from the list itself (or a link): the focused entry is not
  // scrolled into view.
  focusFromList = false;
  // A big story's lists wait for the pictures (afterFrame).
  due = false;
  #shell;
  #items = new Map();
  #mirrorButtons = new Map();
  #listedKey = '';
  #mirrorKey = '';
  #bigList = false;
  #bigMirror = false;
  #timer = 0;
  #lastFocused = null;
  #lastState = null;

  constructor(shell) {
    this.#shell = shell;
  }

  // Builds both lists for the story (`head` from the viewer's head(), `pages` from its
  // listPages()) and listens to them.
  start(head, pages) {
    this.#buildMirror(head, pages.actors);
    this.#buildEventList(head, pages.events);
  }

  // A change of state: shown now in a small story, after the next paint in a big one.
  render(state) {
    this.#lastState = state;
    if (this.#bigList || this.#bigMirror) {
      this.due = true;
      this.#shell.requestFrame();
    } else {
      this.#show();
    }
  }

  // Called by the frame loop: queued from inside the frame once both pictures are painted, so
  // it runs after the last paint and not between a big story's frames.
  afterFrame() {
    const shell = this.#shell;
    if (!this.due || this.#timer || shell.dragging || shell.call((v) => v.picturesPending())) return;
    const goOn = () => !shell.dragging && !shell.stopped && !shell.destroyed;
    this.#timer = setTimeout(() => {
      this.#timer = 0;
      if (!this.due || !goOn()) return;
      this.#show(false);
      // Style and lay the list out in this task, not in the next frame's with a paint.
      void shell.ui.list.offsetHeight;
      // The actor buttons in a task of their own: with the event list's, one task was
      // 50–60 ms at W4.
      this.#timer = setTimeout(() => {
        this.#timer = 0;
        const state = this.#lastState;
        if (!state) return;
        // Put off by a drag: shown with the next state's list.
        if (!goOn()) {
          this.due = true;
          shell.requestFrame();
          return;
        }
        this.#showMirror(state, new Set(state.selectedActors));
        void shell.ui.mirror.offsetHeight;
      }, 0);
    }, 0);
  }

  // The event list and, unless told not to, the actor buttons, as of the last state
  // rendered.
  #show(mirror = true) {
    this.due = false;
    const state = this.#lastState;
    if (!state) return;
    this.#showListedEvents(state);
    const focused = state.focusedEvent ?? null;
    if (focused !== this.#lastFocused) {
      const item = focused ? this.#items.get(focused) : null;
      // Only follow the canvas: a click in the list is already in view.
      if (item && !this.focusFromList && !item.hidden && item.isConnected) {
        item.scrollIntoView({ block: 'nearest' });
        // Entries above it that were skipped (content-visibility) take their real height
        // once shown, which can move it again.
        requestAnimationFrame(() => item.isConnected && item.scrollIntoView({ block: 'nearest' }));
      }
      this.#lastFocused = focused;
    }
    this.focusFromList = false;
    if (mirror) this.#showMirror(state, new Set(state.selectedActors));
  }

  // The event list follows the filter. A small story's list holds every event and hides
  // those filtered out; a big one's holds a page of the visible events (those around the
  // focused one), built when first shown, with how many are left out on each side.
  #showListedEvents(state) {
    const shell = this.#shell;
    const limit = this.#bigList ? LIST_PAGE : shell.head.eventCount;
    const listed = shell.call((v) => v.listedEvents(Math.max(1, limit)));
    if (!listed) return;
    const focused = state.focusedEvent ?? null;
    const mark = (li, id) => {
      if (id === focused) li.setAttribute('aria-current', 'true');
      else li.removeAttribute('aria-current');
    };
    if (!this.#bigList) {
      const visible = new Set(listed.ids);
      for (const [id, li] of this.#items) {
        const show = visible.has(id);
        if (li.hidden === show) li.hidden = !show;
        mark(li, id);
      }
      return;
    }
    const key = listed.ids.join('\n');
    if (key !== this.#listedKey) {
      this.#listedKey = key;
      const { list, listBefore, listAfter } = shell.ui;
      this.#makeEventItems(listed.ids.filter((id) => !this.#items.has(id)));
      list.replaceChildren(...listed.ids.map((id) => this.#items.get(id)).filter(Boolean));
      list.start = listed.before + 1;
      listBefore.textContent = listed.before
        ? `${plural(listed.before, 'earlier event is', 'earlier events are')} not listed.` : '';
      listAfter.textContent = listed.after
        ? `${plural(listed.after, 'later event is', 'later events are')} not listed: choose actors or a time window, or focus an event on the time axis, to list others.`
        : '';
      listBefore.hidden = !listed.before;
      listAfter.hidden = !listed.after;
    }
    for (const id of listed.ids) {
      const li = this.#items.get(id);
      if (li) mark(li, id);
    }
  }

  // The actor buttons: every actor of a small story, noting those outside the current
  // events; for a big one the selected actors and the busiest in view, built when first shown.
  #showMirror(state, selected) {
    const shell = this.#shell;
    const n = shell.head.actorCount;
    const listed = shell.call((v) => v.listedActors(this.#bigMirror ? MIRROR_PAGE : Math.max(1, n))) ?? [];
    if (!this.#bigMirror) {
      const shown = new Set(listed);
      for (const [id, b] of this.#mirrorButtons) {
        b.setAttribute('aria-pressed', String(selected.has(id)));
        const out = !shown.has(id);
        b.classList.toggle('castline-mirror-out', out);
        b.lastChild.textContent = out ? ', not in the current events' : '';
      }
      return;
    }
    const { mirrorList, mirrorNote } = shell.ui;
    const key = listed.join('\n');
    if (key !== this.#mirrorKey) {
      this.#mirrorKey = key;
      this.#makeMirrorButtons(listed.filter((id) => !this.#mirrorButtons.has(id)));
      mirrorList.replaceChildren(...listed.map((id) => this.#mirrorButtons.get(id)?.parentElement).filter(Boolean));
    }
    for (const id of listed) this.#mirrorButtons.get(id)?.setAttribute('aria-pressed', String(selected.has(id)));
    mirrorNote.textContent = `${plural(listed.length, 'actor is', 'actors are')} listed of ${count(state.visibleActorCount)} in view`
      + ` (${n} in all): the selected, then those with the most events. Search finds any actor.`;
  }

  // The actors as buttons, for screen readers and keyboards: always in the
  // page, visually hidden until a button in it has the focus.
  #buildMirror(head, paged) {
    const { ui, signal } = this.#shell;
    ui.mirrorList.replaceChildren();
    this.#mirrorButtons.clear();
    this.#mirrorKey = '';
    this.#bigMirror = paged;
    ui.mirrorNote.hidden = !this.#bigMirror;
    // A big story's buttons are made as they are first listed (#showMirror).
    if (!this.#bigMirror) {
      this.#makeMirrorButtons(null);
      for (const b of this.#mirrorButtons.values()) ui.mirrorList.append(b.parentElement);
    }
    ui.mirror.hidden = head.actorCount === 0;
    ui.mirrorList.addEventListener('click', (e) => {
      const b = e.target.closest('button.castline-mirror-button');
      if (b) this.#toggleActor(b.dataset.actorId);
    }, { signal });
  }

  // A button adds its actor to the selection, or takes it out.
  #toggleActor(id) {
    const shell = this.#shell;
    shell.userAction();
    shell.call((v) => v.toggleActor(id));
    shell.changed();
  }

  // The buttons of these actors (all of them for null), asked of the viewer.
  #makeMirrorButtons(ids) {
    if (ids?.length === 0) return;
    for (const actor of this.#shell.call((v) => v.actorItems(ids)) ?? []) this.#mirrorButton(actor);
  }

  // An actor's button in its list item, made once.
  #mirrorButton(actor) {
    const li = el('li', 'castline-mirror-item');
    const b = button('castline-mirror-button');
    b.dataset.actorId = actor.id;
    b.setAttribute('aria-pressed', 'false');
    b.append(el('span', 'castline-mirror-name', actor.name));
    if (actor.role) b.append(el('span', 'castline-mirror-role', `, ${actor.role}`));
    b.append(el('span', 'castline-mirror-note', ''));
    li.append(b);
    this.#mirrorButtons.set(actor.id, b);
    return b;
  }

  #buildEventList(head, paged) {
    const { ui, signal } = this.#shell;
    const { list } = ui;
    list.replaceChildren();
    this.#items.clear();
    this.#listedKey = '';
    this.#bigList = paged;
    // A big story's items are made as they are first listed (#showListedEvents).
    if (!this.#bigList) {
      this.#makeEventItems(null);
      for (const li of this.#items.values()) list.append(li);
    }
    ui.listSection.hidden = head.eventCount === 0;

    list.addEventListener('click', (e) => {
      // Following a source link is not a request to focus the event.
      if (e.target.closest('a')) return;
      const li = e.target.closest('li.castline-event');
      if (li && list.contains(li)) this.#focusItem(li);
    }, { signal });
    list.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' && e.key !== ' ') return;
      const li = e.target;
      if (!(li instanceof HTMLElement) || !li.matches('li.castline-event')) return;
      e.preventDefault(); // Space would otherwise scroll the page
      this.#focusItem(li);
    }, { signal });
  }

  #focusItem(li) {
    const shell = this.#shell;
    shell.userAction();
    this.focusFromList = true;
    shell.call((v) => v.focusEvent(li.dataset.eventId));
    shell.changed();
  }

  // The list items of these events (all of them for null), asked of the viewer.
  #makeEventItems(ids) {
    if (ids?.length === 0) return;
    for (const event of this.#shell.call((v) => v.eventItems(ids)) ?? []) this.#eventItem(event);
  }

  // An event's list item (`event` from the viewer's eventItems()).
  #eventItem(event) {
    const li = el('li', 'castline-event');
    li.dataset.eventId = event.id;
    li.tabIndex = 0;

    const date = el('p', 'castline-event-date');
    // The words the story used come first; the resolved date follows.
    if (event.dateText && event.dateText !== event.dateLabel) {
      date.append(el('span', 'castline-event-date-text', event.dateText));
      if (event.dateLabel) {
        date.append(document.createTextNode(' · '));
        date.append(el('span', 'castline-event-date-label', event.dateLabel));
      }
    } else {
      date.append(el('span', 'castline-event-date-label', event.dateLabel || event.dateText || 'Undated'));
    }
    li.append(date);
    li.append(el('h3', 'castline-event-title', event.title));

    // An event with no actors comes without the list.
    if (event.actorNames?.length) {
      const who = el('p', 'castline-event-actors');
      who.append(el('span', 'castline-label', 'Who: '));
      who.append(document.createTextNode(listInWords(event.actorNames)));
      li.append(who);
    }
    if (event.description) li.append(el('p', 'castline-event-description', event.description));
    const media = mediaList(event.media);
    if (media) li.append(media);

    if (event.sources.length) {
      const sources = el('ul', 'castline-sources');
      for (const source of event.sources) {
        const item = el('li', 'castline-source');
        const href = safeHttpUrl(source.url);
        const name = el('cite', null, source.name);
        if (href) {
          const link = externalLink(href);
          link.append(name);
          item.append(link);
        } else {
          item.append(name);
        }
        if (source.quote) item.append(document.createTextNode(`: ${quoted(source.quote)}`));
        sources.append(item);
      }
      li.append(sources);
    }

    this.#items.set(event.id, li);
    return li;
  }
}
