// The DOM around the two canvases, built once per view before the story is read: the
// header, the toolbar, the two panels with their tools, the hint, the downloads, the actors'
// buttons, the event list, the tooltip and the live region. Returns the parts the shell fills.

import { button, el } from './dom.js';
import { publishedInWords } from './words.js';

// The measures the viewer sizes nodes by (Rust's `Measure`), as the stand-in writes them too
// (src/render/stand_in.rs).
const SIZES = [['events', 'events'], ['ties', 'ties'], ['betweenness', 'brokers']];

let viewCount = 0;

// −, + and a fit button for one of the two views.
function zoomTools(groupLabel, what, fitText, fitLabel) {
  const tools = el('div', 'castline-tools');
  tools.setAttribute('role', 'group');
  tools.setAttribute('aria-label', groupLabel);
  const zoomOut = button('castline-tool', '−', `Zoom ${what} out`);
  const zoomIn = button('castline-tool', '+', `Zoom ${what} in`);
  const fit = button('castline-tool castline-tool-text', fitText, fitLabel);
  tools.append(zoomOut, zoomIn, fit);
  return [tools, zoomOut, zoomIn, fit];
}

// A focusable canvas drawn by Rust, an image to assistive technology, with its key help,
// and above it a transparent layer for the pointer's and the keyboard's rings (so a hover
// repaints a few rings, not the picture). The layer takes no input and is not announced.
function viewCanvas(className, label, helpId, helpText) {
  const help = el('p', 'visually-hidden', helpText);
  help.id = helpId;
  const canvas = el('canvas', className);
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  canvas.setAttribute('aria-describedby', help.id);
  canvas.tabIndex = 0;
  const layer = el('canvas', 'castline-layer');
  layer.setAttribute('aria-hidden', 'true');
  const stage = el('div', 'castline-stage');
  stage.append(canvas, layer);
  return [canvas, layer, stage, help];
}

// `into` is where the parts go: the element itself, or a box inside it that castline.js
// swaps in later (in place of a stand-in).
export function buildSkeleton(element, into = element) {
  element.classList.add('castline');
  into.replaceChildren();

  const header = el('header', 'castline-header');
  const panel = el('div', 'castline-diagnostics');
  panel.setAttribute('role', 'alert');
  panel.hidden = true;

  const toolbar = el('div', 'castline-toolbar');
  const searchSlot = el('div', 'castline-search-slot');
  const showAll = button('castline-show-all', 'Show all');
  showAll.disabled = true;

  viewCount += 1;
  const id = (name) => `castline-${viewCount}-${name}`;
  const modeSet = el('fieldset', 'castline-mode');
  modeSet.append(el('legend', 'castline-mode-legend', 'Events with:'));
  const radio = (value, text) => {
    const label = el('label', 'castline-mode-option');
    const input = el('input');
    input.type = 'radio';
    input.name = id('mode');
    input.value = value;
    label.append(input, document.createTextNode(` ${text}`));
    modeSet.append(label);
    return input;
  };
  const modeAll = radio('all', 'all selected');
  const modeAny = radio('any', 'any selected');
  modeAll.checked = true;
  modeSet.disabled = true;

  const status = el('p', 'castline-status');
  const exports = el('div', 'castline-export');
  exports.setAttribute('role', 'group');
  exports.setAttribute('aria-label', 'Download');
  exports.append(el('span', 'castline-export-label', 'Download'));
  for (const [kind, text, label] of [
    ['png', 'PNG', 'Download the picture as PNG'],
    ['svg', 'SVG', 'Download the picture as SVG'],
    ['json', 'JSON', 'Download the data as Castline JSON'],
    ['csv', 'CSV', 'Download the events as CSV'],
  ]) {
    const b = button('castline-tool castline-tool-text castline-export-button', text, label);
    b.dataset.export = kind;
    exports.append(b);
  }
  // What the node sizes show; the viewer says when a betweenness was sampled.
  const sizeLabel = el('label', 'castline-size');
  sizeLabel.append(document.createTextNode('Size by '));
  const size = el('select', 'castline-size-select');
  for (const [value, text] of SIZES) {
    const option = el('option', null, text);
    option.value = value;
    size.append(option);
  }
  size.value = 'events';
  const sizeNote = el('span', 'castline-size-note');
  sizeLabel.append(size, sizeNote);
  toolbar.append(searchSlot, showAll, modeSet, sizeLabel, status);

  const views = el('div', 'castline-views');
  const networkPanel = el('section', 'castline-panel castline-network-panel');
  networkPanel.setAttribute('aria-label', 'Network of actors');
  const netHead = el('div', 'castline-panel-head');
  const legend = el('ul', 'castline-legend');
  legend.setAttribute('aria-label', 'Groups');
  const [netTools, netZoomOut, netZoomIn, netFit] = zoomTools('Network view', 'the network', 'Fit', 'Fit the whole network');
  netHead.append(legend, netTools);
  const [networkCanvas, networkLayer, networkStage, networkHelp] = viewCanvas('castline-network', 'Network of actors', id('network-help'),
    'Arrow keys move to the nearest actor in that direction, Enter selects it, Escape clears; plus and minus zoom.');
  // Big stories settle over several frames; say so while they do.
  const layoutProgress = el('progress', 'castline-layout-progress');
  layoutProgress.max = 1;
  layoutProgress.hidden = true;
  layoutProgress.setAttribute('aria-label', 'Laying out the network');
  networkPanel.append(netHead, networkStage, layoutProgress, networkHelp);

  const timelinePanel = el('section', 'castline-panel castline-timeline-panel');
  timelinePanel.setAttribute('aria-label', 'Time axis');
  const timeHead = el('div', 'castline-panel-head');
  const playBox = el('div', 'castline-play');
  const play = button('castline-play-button', 'Play');
  play.setAttribute('aria-label', 'Play: sweep a time window through the story');
  const speedLabel = el('label', 'castline-speed');
  speedLabel.append(document.createTextNode('Speed '));
  const speed = el('select', 'castline-speed-select');
  for (const [value, text] of [['slow', 'slow'], ['normal', 'normal'], ['fast', 'fast']]) {
    const option = el('option', null, text);
    option.value = value;
    speed.append(option);
  }
  speed.value = 'normal';
  speedLabel.append(speed);
  playBox.append(play, speedLabel);
  const [timeTools, timeZoomOut, timeZoomIn, timeFit] =
    zoomTools('Time axis view', 'the time axis', 'Whole story', 'Whole story on the time axis');
  timeHead.append(playBox, timeTools);
  const [timelineCanvas, timelineLayer, timelineStage, timelineHelp] = viewCanvas('castline-timeline', 'Time axis of events', id('timeline-help'),
    'Drag across the axis to choose a time window; arrow keys move between events in time order, Enter focuses one, Escape clears.');
  timelinePanel.append(timeHead, timelineStage, timelineHelp);
  views.append(networkPanel, timelinePanel);

  const hint = el('p', 'castline-hint',
    'Click an actor to show only their events (Shift-click to add more); drag across the time axis to choose a window, '
    + 'and drag its edges to change it; scroll or pinch to zoom. On a picture, the arrow keys move and Enter selects; '
    + 'Escape shows everything again.');

  const mirror = el('section', 'castline-mirror');
  mirror.setAttribute('aria-label', 'Actors');
  const mirrorHeading = el('h2', 'castline-mirror-heading', 'Actors');
  const mirrorList = el('ul', 'castline-mirror-list');
  const mirrorNote = el('p', 'castline-mirror-note-all');
  mirrorNote.hidden = true;
  mirror.append(mirrorHeading, mirrorNote, mirrorList);

  const listSection = el('section', 'castline-list-section');
  const listHeading = el('h2', 'castline-list-heading', 'Events');
  const list = el('ol', 'castline-events');
  list.setAttribute('aria-label', 'Events in order of time');
  // A big story's list is a page of the visible events; these say what is left out.
  const listBefore = el('p', 'castline-list-more');
  const listAfter = el('p', 'castline-list-more');
  listBefore.hidden = true;
  listAfter.hidden = true;
  listSection.append(listHeading, listBefore, list, listAfter);

  const tooltip = el('div', 'castline-tooltip');
  tooltip.setAttribute('role', 'tooltip');
  tooltip.hidden = true;

  const live = el('div', 'visually-hidden castline-live');
  live.setAttribute('role', 'status');
  live.setAttribute('aria-live', 'polite');

  const loading = el('p', 'castline-loading', 'Loading the story…');
  loading.setAttribute('role', 'status');

  // The downloads sit under the pictures they save, so the toolbar above keeps to one line.
  into.append(header, panel, loading, toolbar, views, hint, exports, mirror, listSection, tooltip, live);
  exports.hidden = true;
  toolbar.hidden = true;
  views.hidden = true;
  hint.hidden = true;
  mirror.hidden = true;
  listSection.hidden = true;
  return {
    header, panel, loading, toolbar, searchSlot, showAll, modeSet, modeAll, modeAny, status, views, hint, legend, size, sizeNote,
    networkCanvas, timelineCanvas, networkLayer, timelineLayer, netZoomIn, netZoomOut, netFit, timeZoomIn, timeZoomOut, timeFit, play, speed,
    mirror, mirrorList, mirrorNote, listSection, list, listBefore, listAfter, tooltip, live, exports, layoutProgress,
    netHead, networkPanel, aboutId: id('about'),
  };
}

// On a phone the pictures come first (issue 17 §3). Up to this width castline.css folds the
// story's summary and credit under "About this story", and the toolbar (search, Show all,
// all/any, the status line) moves under the pictures and the legend under the network. Keep it
// equal to the media query of "phones: the picture first" in castline.css.
export const NARROW_SCREEN = '(max-width: 600px)';

// Puts the toolbar and the legend where the screen's width wants them, and again whenever it
// changes (a phone turned on its side). They move in the DOM, not only to the eye, so that the
// tab order and a screen reader follow what is seen: on a phone the network, the time axis,
// then the toolbar and the list it filters. The first placement is made in the same task that
// shows the pictures, so nothing appears above the network later to push it down (no layout shift).
export function followScreenWidth(ui, signal) {
  const query = window.matchMedia(NARROW_SCREEN);
  const place = () => {
    const narrow = query.matches;
    // Under the pictures and the story's step bar (shell/steps.js), if it has one.
    const above = ui.stepsBar ?? ui.views;
    const toolbarAfter = above.nextElementSibling === ui.toolbar;
    const legendUnder = ui.legend.parentElement === ui.networkPanel;
    if (narrow === toolbarAfter && narrow === legendUnder) return;
    // Moving an element takes the keyboard focus from it; it is given back.
    const focused = document.activeElement;
    const moving = focused && (ui.toolbar.contains(focused) || ui.legend.contains(focused)) ? focused : null;
    if (narrow) {
      above.after(ui.toolbar);
      ui.layoutProgress.after(ui.legend);
    } else {
      ui.views.before(ui.toolbar);
      ui.netHead.prepend(ui.legend);
    }
    if (moving && document.activeElement !== moving) moving.focus({ preventScroll: true });
  };
  place();
  query.addEventListener('change', place, { signal });
}

// The story's title, summary, credit and date of publication. The summary and the credit are
// one part, "about", with a button before it that folds it on a phone (castline.css shows the
// button and folds the part only there; on a wider screen the part is always shown).
export function fillHeader(header, story, aboutId, signal) {
  header.replaceChildren();
  header.append(el('h1', 'castline-title', story.title || 'Untitled story'));
  const about = el('div', 'castline-about');
  about.id = aboutId;
  if (story.summary) about.append(el('p', 'castline-summary', story.summary));
  if (story.credit || story.published) {
    const credit = el('p', 'castline-credit');
    if (story.credit) credit.append(document.createTextNode(story.credit));
    if (story.published) {
      if (story.credit) credit.append(document.createTextNode(' · '));
      credit.append(document.createTextNode('Published '));
      const time = el('time', null, publishedInWords(story.published));
      if (/^\d{4}-\d{2}-\d{2}/.test(String(story.published))) time.dateTime = String(story.published);
      credit.append(time);
    }
    about.append(credit);
  }
  if (!about.childElementCount) return;
  const toggle = button('castline-about-toggle', 'About this story');
  toggle.setAttribute('aria-expanded', 'false');
  toggle.setAttribute('aria-controls', about.id);
  toggle.addEventListener('click', () => {
    toggle.setAttribute('aria-expanded', String(toggle.getAttribute('aria-expanded') !== 'true'));
  }, { signal });
  header.append(toggle, about);
}
