// The wasm is loaded lazily and once per page, so that a missing or broken build is reported
// inside the mounted element instead of breaking the import of castline.js. There are two
// builds of the same crate (docs/performance.md): the small first download (pkg/castline.js)
// shows a Castline JSON story that has nothing to report; the full build
// (pkg/castline_full.js) also reads CSV and TimelineJS and explains every problem with its
// line, column and field. It is fetched only when needed. Where they are: ../builds.js.

import { BUILDS } from '../builds.js';
import { pauseForInput } from './dom.js';
import { StoryText } from './source.js';

const wasmPromises = new Map();

export function loadWasm(build = 'lite') {
  if (!wasmPromises.has(build)) {
    const { glue: js, wasm } = BUILDS[build];
    const promise = (async () => {
      // The wasm is asked for beside its glue, not once the glue has come and run (for the
      // full build, 0.2 s sooner while a big story downloads); the glue compiles it as it comes.
      const module = fetch(wasm);
      module.catch(() => {});
      const glue = await import(js);
      await glue.default({ module_or_path: module });
      return glue;
    })();
    promise.catch(() => { wasmPromises.delete(build); });
    wasmPromises.set(build, promise);
  }
  return wasmPromises.get(build);
}

// The full build's glue and wasm by absolute URL, for the layout's worker (worker.js), whose
// blob: script has no base to resolve them against.
export function fullBuildUrls() {
  return BUILDS.full;
}

export function loadFull() {
  return loadWasm('full').catch((error) => {
    throw new Error(`Castline could not load its full build (pkg/castline_full.js): ${error?.message || error}`);
  });
}

// A clean story is read and made ready in parts of about this many ms, with a pause between
// them, so that a big one is never one long task (issue 20 §2), and a small one's opening is
// a few short tasks: Lighthouse counts a task's time over 12.5 ms here (50 ms at its 4× CPU
// slowdown) as blocking.
const READ_PART_MS = 10;

// A big story (`StoryText.big`: a few hundred actors or more) is opened by the full build,
// whose coarse-to-fine layout in a worker (past 400 actors) and overview of communities (past
// 2,000) it needs; the first download leaves them out to stay small.
export function bigStory(story) {
  return story instanceof StoryText && story.big;
}

// A viewer of the story: the first build takes only clean Castline JSON and
// throws on anything else, and the full build then reads it again, reporting
// each problem (or saying why nothing could be read). `story` is a StoryText, or a list of
// { name, text }, files read together, which only the full build reads.
// A clean story is read in parts (`StoryReading`), telling `progress` the share read (NaN,
// with the bytes read, while a download of unknown length comes); one with
// problems the full build reads at once, to say where they are.
export async function openViewer(glue, ui, story, name, progress) {
  const several = Array.isArray(story);
  const shown = (build, viewer) => {
    viewer.setLayers(ui.networkLayer, ui.timelineLayer);
    return { glue: build, viewer };
  };
  const open = (build) => shown(build, several
    ? build.Viewer.fromFiles(ui.networkCanvas, ui.timelineCanvas, story.map((f) => f.name), story.map((f) => f.text))
    : new build.Viewer(ui.networkCanvas, ui.timelineCanvas, story.text, name));
  if (!several) {
    try {
      const build = bigStory(story) ? await loadFull() : glue;
      return shown(build, await readInParts(build, ui, story, name, progress));
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError) throw error;
    }
    // The full reader takes the whole text: a download that failed says why here.
    await story.complete();
  }
  const full = await loadFull();
  try {
    return open(full);
  } catch (error) {
    if (error instanceof WebAssembly.RuntimeError) throw error;
    throw new Error(`The story could not be loaded: ${error?.message || error}`);
  }
}

async function readInParts(glue, ui, story, name, progress) {
  // As UTF-8 bytes: the glue would copy a long string into the wasm a character at a time.
  // A big story still downloading is read as its parts come (the full build's `streaming`).
  const download = story.download;
  const reading = download
    ? glue.StoryReading.streaming(name, download.expected)
    : glue.StoryReading.fromBytes(story.bytes, name);
  try {
    // The copy (a big story's tens of MB) and the first part (its top level scanned) apart.
    await pauseForInput();
    if (download) await readAsItComes(reading, download, progress);
    while (!reading.work(READ_PART_MS)) {
      progress?.(reading.progress());
      await pauseForInput();
    }
    return glue.Viewer.fromReading(ui.networkCanvas, ui.timelineCanvas, reading);
  } finally {
    reading.free();
  }
}

// Each part of the download into the reading as it comes, read at once, in slices of about
// READ_PART_MS with a pause between them however the parts fall.
async function readAsItComes(reading, download, progress) {
  let since = performance.now();
  let read = 0;
  for (let i = 0, part; (part = await download.part(i)); i += 1) {
    reading.push(part);
    read += part.length;
    // The share read so far (or, the length unknown, the bytes) is shown before each pause
    // and each wait for the next part.
    while (progress?.(reading.progress(), read), !reading.hungry() && !reading.work(Math.max(1, READ_PART_MS + since - performance.now()))) {
      if (performance.now() - since >= READ_PART_MS) {
        await pauseForInput();
        since = performance.now();
      }
    }
  }
  reading.end();
}

// The Rust panic's message, when the build in use caught one.
export function panicMessage(glue) {
  try {
    return glue?.panicMessage?.();
  } catch {
    return undefined;
  }
}
