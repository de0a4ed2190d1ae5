// A big story's layout on another thread: at full speed rather than 8 ms a frame, and the
// page responsive meanwhile. The viewer decides (`sendLayout`: a big story without stored
// positions) and hands over its own graph, so the worker lays out exactly the network shown;
// the worker, started from a blob: URL (any static host, and the embed's opaque origin),
// loads the full build by absolute URL, runs its coarse-to-fine `LayoutRun` and posts its
// state every ~75 ms and at rest; the viewer places each as it comes, the next frame paints
// it. When the worker cannot start or fails, or the reader drags a node, the viewer takes the
// layout back and runs it on the frames from the last state, as it always did; the reader
// sees no difference but the speed.

import { fullBuildUrls } from './wasm.js';

// The worker works in pieces of this many ms and posts at most this often.
const WORK_MS = 20;
const POST_MS = 75;
// Without a first state by then (the full build slow to come), the page lays out itself.
const FIRST_STATE_MS = 10_000;

// The worker's whole script: one message in (where the full build is, the graph, and how
// many of its links are the story's ties when it is to find the communities too), out first
// the communities (Uint32Array) when asked, then states (Float64Array), transferred, or a
// string if anything failed. It never needs to read a message while it runs: the page stops
// it by terminate().
const SOURCE = `onmessage = async ({ data: { glue, wasm, graph, ties } }) => {
  try {
    const build = await import(glue);
    await build.default({ module_or_path: wasm });
    if (ties > 0) {
      const of = build.LayoutRun.communitiesOf(graph, ties);
      postMessage(of, [of.buffer]);
    }
    const run = build.LayoutRun.fromGraph(graph);
    let posted = -Infinity;
    for (let done = false; !done;) {
      done = run.work(${WORK_MS});
      if (done || performance.now() - posted >= ${POST_MS}) {
        const state = run.state();
        postMessage(state, [state.buffer]);
        posted = performance.now();
      }
    }
  } catch (error) {
    postMessage(String(error?.message ?? error));
  }
  close();
};`;

// Starts the worker when the viewer hands its layout over; the element's
// data-castline-layout says where the layout ran: "worker", or "page" once taken back.
export function layOutInWorker(shell) {
  if (typeof Worker !== 'function' || typeof URL.createObjectURL !== 'function') return;
  const graph = shell.call((v) => v.sendLayout());
  if (!graph) return;
  // A big story's communities (Louvain, over 100 ms at W4) are found there too, not in a
  // task of the page's.
  const ties = shell.call((v) => v.communitiesElsewhere()) ?? 0;
  const { dataset } = shell.element;
  let worker = null;
  let url = null;
  let timer = 0;
  const stop = () => {
    clearTimeout(timer);
    worker?.terminate();
    worker = null;
    if (url) URL.revokeObjectURL(url);
    url = null;
  };
  const takeBack = () => {
    stop();
    dataset.castlineLayout = 'page';
    shell.call((v) => v.setLayoutPositions(new Float64Array()));
    shell.requestFrame();
  };
  try {
    url = URL.createObjectURL(new Blob([SOURCE], { type: 'text/javascript' }));
    // A classic worker, which import()s the glue: Chromium refuses a module worker from a
    // blob: URL made in the embed's opaque origin.
    worker = new Worker(url, { name: 'castline-layout' });
  } catch {
    takeBack();
    return;
  }
  worker.onmessage = ({ data }) => {
    if (data instanceof Uint32Array) {
      if (shell.call((v) => v.setCommunities(data))) dataset.castlineCommunities = 'worker';
      shell.requestFrame();
      return;
    }
    if (!(data instanceof Float64Array)) {
      takeBack();
      return;
    }
    clearTimeout(timer);
    dataset.castlineLayout = 'worker';
    // False once the viewer takes no more: at rest, or the reader dragged a node.
    if (!shell.call((v) => v.setLayoutPositions(data))) {
      if ((shell.call((v) => v.layoutProgress()) ?? 1) < 1) dataset.castlineLayout = 'page';
      stop();
    }
    shell.requestFrame();
  };
  // Handled here: the page lays out itself, and the console stays quiet.
  worker.onerror = (event) => {
    event.preventDefault();
    takeBack();
  };
  worker.onmessageerror = takeBack;
  timer = setTimeout(takeBack, FIRST_STATE_MS);
  shell.signal.addEventListener('abort', stop, { once: true });
  worker.postMessage({ ...fullBuildUrls(), graph, ties }, [graph.buffer]);
}
