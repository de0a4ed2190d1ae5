// A view as one object (what a link or the full view needs), and showing it on a viewer again,
// leaving out what the story does not have.

// Everything a link needs to show this view again.
export function takeSnapshot(shell) {
  // The summary, not state(): a link needs no list of every visible event.
  const s = shell.api((v) => v.summary(), false);
  return {
    selectedActors: s.selectedActors,
    mode: s.mode ?? 'all',
    timeWindow: s.timeWindow,
    focusedEvent: s.focusedEvent,
    size: s.size ?? 'events',
    view: shell.api((v) => v.view(), false),
    // The step shown, if the reader is on one: it says the rest, at any width.
    step: s.step ?? null,
    // The groups collapsed into one mark each: the reader's, kept on a step too.
    collapsedGroups: s.collapsedGroups ?? [],
  };
}

// Shows a snapshot on the wasm viewer `v`: `attempt(fn, what)` runs the parts that may not fit
// this story, and `refused` gets the ids it does not have.
export function applySnapshot(v, s, attempt, refused = [], glideToStep = false) {
  v.clear();
  v.setMode(s.mode === 'any' ? 'any' : 'all');
  const known = [];
  for (const id of s.selectedActors ?? []) {
    if (v.hasActor(String(id))) known.push(id);
    else refused.push(`there is no actor “${id}” in this story`);
  }
  if (known.length) v.select(known);
  if (s.timeWindow) {
    const [a, b] = s.timeWindow;
    attempt(() => v.setTimeWindow(a ?? null, b ?? null), `the time window ${a ?? ''}..${b ?? ''} was left out`);
  }
  if (s.focusedEvent) {
    if (v.hasEvent(String(s.focusedEvent))) v.focusEvent(s.focusedEvent);
    else refused.push(`there is no event “${s.focusedEvent}” in this story`);
  }
  // A measure the viewer does not know leaves the sizes at their default.
  v.setSize('events');
  if (s.size && s.size !== 'events') attempt(() => v.setSize(String(s.size)), `the node size “${s.size}” was left out`);
  // Exactly the groups named are collapsed (none when the snapshot names none).
  const collapse = new Set(Array.from(s.collapsedGroups ?? [], String));
  for (const id of v.summary().collapsedGroups ?? []) {
    if (!collapse.has(id)) v.collapseGroup(id, false);
  }
  for (const id of collapse) attempt(() => v.collapseGroup(id, true), `the group “${id}” was not collapsed`);
  attempt(() => v.setView(s.view ?? {}), 'the zoom was left out');
  // A step is its whole view: gone to last, it is what is shown (at once: a link or a
  // reload shows it, it does not glide into it).
  if (s.step) attempt(() => v.goToStep(Number(s.step), glideToStep), `step ${s.step} was left out`);
}

// Shows `s` on the shell's viewer; returns the parts left out, as sentences. `glideToStep`: the
// pictures move into the snapshot's step (back or forward between steps) rather than jump.
export function restoreSnapshot(shell, s, glideToStep = false) {
  const refused = [];
  shell.call((v) => applySnapshot(v, s, (fn, what) => {
    try {
      fn();
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError) throw error;
      refused.push(`${what}: ${error?.message || error}`);
    }
  }, refused, glideToStep));
  shell.lists.focusFromList = true; // a link's focused event does not scroll the page
  shell.changed();
  return refused;
}
