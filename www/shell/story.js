// The whole story for the handle's story(), made when it is called and not kept: the page
// itself asks the viewer for what it shows (head(), actorItems(), eventItems(), search()).

// Events taken from the viewer at a time: a part of W4 (200,000 events) is a task of about
// 40 ms here, under the 50 ms that counts as a long task.
const EVENTS_PER_PART = 4000;

// The viewer's story with each event's actors as { id, name }: the viewer sends their
// positions in `actors` (a big story's view is a third smaller), and one object per actor is
// shared by every event it is in.
export function storyOf(viewer) {
  const story = viewer.story();
  const refs = story.actors.map((a) => ({ id: a.id, name: a.name }));
  for (let first = 0; first < story.eventCount; first += EVENTS_PER_PART) {
    for (const event of viewer.events(first, EVENTS_PER_PART)) {
      event.actors = event.actors.map((i) => refs[i]);
      story.events.push(event);
    }
  }
  delete story.eventCount;
  return story;
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
