// The downloads: the picture (PNG, SVG) and the data (Castline JSON, CSV) as a Blob, and saving
// one under a name made from the story's title.

import { applySnapshot, takeSnapshot } from './snapshot.js';
import { loadFull } from './wasm.js';
import { fileStem } from './words.js';

// The PNG download is drawn at twice the CSS size, sharp on high-DPI screens and in print.
const EXPORT_PNG_RATIO = 2;

// `screen` (screen.js) has the sizes and colours a copy of the viewer needs.
export async function exportBlob(shell, screen, kind) {
  switch (kind) {
    case 'png': {
      const canvas = document.createElement('canvas');
      shell.api((v) => v.drawPicture(canvas, EXPORT_PNG_RATIO), false);
      return new Promise((resolve, reject) => {
        canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('Castline: the PNG could not be made'))), 'image/png');
      });
    }
    case 'svg':
      return new Blob([await withFull(shell, screen, (v) => v.svg())], { type: 'image/svg+xml' });
    case 'json':
      return new Blob([await withFull(shell, screen, (v) => v.castlineJson())], { type: 'application/json' });
    case 'csv':
      return new Blob([await withFull(shell, screen, (v) => v.eventsCsv())], { type: 'text/csv' });
    default:
      throw new Error(`Castline: cannot export “${kind}”; use png, svg, json or csv`);
  }
}

// The SVG, JSON and CSV downloads are only in the full build, so that the first download
// stays small (issue 6). When the first build shows the story, the full build reads the same
// text again into a viewer off screen, given this one's sizes, colours, selection, view and
// node positions, so that its SVG is the picture as shown.
async function withFull(shell, screen, fn) {
  if (!shell.source) return shell.api(fn, false);
  const full = await loadFull();
  const { text, name } = shell.source;
  const snapshot = takeSnapshot(shell);
  const placement = shell.api((v) => v.placement(), false);
  const copy = new full.Viewer(document.createElement('canvas'), document.createElement('canvas'), text, name);
  try {
    if (screen.sizes) copy.resize(...screen.sizes);
    if (screen.canvasTheme) copy.setTheme(screen.canvasTheme);
    // The view as shown (its camera is the step's framing already), not the step again.
    applySnapshot(copy, { ...snapshot, step: null }, (apply) => apply());
    copy.setPlacement(placement);
    return fn(copy);
  } finally {
    copy.free();
  }
}

// Saves `blob` under a name made from the story's title; returns the name.
export function saveBlob(blob, title, kind) {
  const name = `${fileStem(title)}${kind === 'csv' ? '-events' : ''}.${kind}`;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The browser has taken the file by the next task; the URL is not needed after that.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}
