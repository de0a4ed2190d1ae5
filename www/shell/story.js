// The shell's own copy of the story: what the viewer's story() and events() give, indexed by
// id for the DOM beside the canvases, read in parts with the page free between them.

// Events taken from the viewer at a time: a part of W4 (200,000 events) is a task of about
// 40 ms here, under the 50 ms that counts as a long task.
const EVENTS_PER_PART = 4000;

// The viewer's story with each event's actors as { id, name }: the viewer sends their
// positions in `actors` (a big story's view is a third smaller), and one object per actor is
// shared by every event it is in. A generator that pauses between parts of the events (each
// `yield` gives the share taken so far) and hands each event to `take`; `storyOf` runs it
// through.
export function* storyInParts(viewer, take = () => {}) {
  const story = viewer.story();
  const refs = story.actors.map((a) => ({ id: a.id, name: a.name }));
  const total = story.eventCount;
  for (let first = 0; first < total; first += EVENTS_PER_PART) {
    if (first > 0) yield first / total;
    for (const event of viewer.events(first, EVENTS_PER_PART)) {
      event.actors = event.actors.map((i) => refs[i]);
      story.events.push(event);
      take(event);
    }
  }
  delete story.eventCount;
  return story;
}

export function storyOf(viewer) {
  const parts = storyInParts(viewer);
  let part = parts.next();
  while (!part.done) part = parts.next();
  return part.value;
}

// The story's actors and events by id, its groups' members, and its span in time.
export class StoryIndex {
  actorsById = new Map();
  eventsById = new Map();
  groupMembers = new Map();
  // The story's first start to its last end ({ start, end } in ms, UTC), or null.
  extent = null;
  #span = { start: Infinity, end: -Infinity };

  // Each event is indexed, and the time span widened, in the part that brings it.
  take = (event) => {
    this.eventsById.set(event.id, event);
    const s = Date.parse(event.start);
    const e = Date.parse(event.end);
    if (Number.isFinite(s)) this.#span.start = Math.min(this.#span.start, s);
    if (Number.isFinite(e)) this.#span.end = Math.max(this.#span.end, e);
  };

  // Once every event is taken: the actors and groups.
  finish(story) {
    for (const actor of story.actors) {
      this.actorsById.set(actor.id, actor);
      if (actor.group) {
        if (!this.groupMembers.has(actor.group)) this.groupMembers.set(actor.group, []);
        this.groupMembers.get(actor.group).push(actor.id);
      }
    }
    const span = this.#span;
    this.extent = span.end > span.start ? span : null;
  }

  nameOf(actorId) {
    return this.actorsById.get(actorId)?.name ?? actorId;
  }
}

// Resolves after the page has painted (the task after a frame's callbacks), so that a message
// set before it is seen and input waiting is handled; in a hidden page, which paints
// nothing, after other tasks.
export function pauseToPaint() {
  if (document.hidden) return pauseForInput();
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, 50);
    requestAnimationFrame(() => {
      clearTimeout(fallback);
      pauseForInput().then(resolve);
    });
  });
}

// Resolves in a task of its own: input waiting, and a paint if one is due, come first.
// A message rather than a timer: a timer set from a timer's task waits at least 4 ms, and a
// hidden page's timers wait up to a second each.
export function pauseForInput() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
