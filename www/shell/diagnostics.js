// Problems shown in words: the data's diagnostics and a link's left-out parts in the panel
// above the pictures, and a fatal error in place of the pictures (also for the pages, app.js
// and embedded.js, when there is no view to show it in).

import { el } from './dom.js';
import { plural } from './words.js';

// The one markup of a fatal error, wherever it is shown.
function fatalBox(message) {
  const box = el('div', 'castline-diag-section castline-diag-section-error castline-fatal');
  box.append(el('p', 'castline-diag-heading castline-diag-heading-error', message));
  return box;
}

// A fatal error replaces the picture: the person sees why, in words.
export function showFatal(ui, message) {
  ui.loading.hidden = true;
  ui.toolbar.hidden = true;
  ui.views.hidden = true;
  ui.hint.hidden = true;
  ui.exports.hidden = true;
  ui.mirror.hidden = true;
  ui.tooltip.hidden = true;
  ui.panel.replaceChildren(fatalBox(message));
  ui.panel.hidden = false;
}

// A page's error before or without a view (no script, a refused data URL): the same words
// in the same markup, in place of the element's content.
export function showError(container, message) {
  const panel = el('div', 'castline-diagnostics');
  panel.setAttribute('role', 'alert');
  panel.append(fatalBox(message));
  container.classList.add('castline');
  container.replaceChildren(panel);
}

// The data's errors and warnings and a link's `notices` (sentences) in `panel`; hidden when
// there are none.
export function showDiagnostics(panel, diagnostics, notices) {
  panel.replaceChildren();
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const warnings = diagnostics.filter((d) => d.severity !== 'error');
  if (!errors.length && !warnings.length && !notices.length) {
    panel.hidden = true;
    return;
  }
  const section = (items, kind, heading, line) => {
    const box = el('div', `castline-diag-section castline-diag-section-${kind}`);
    box.append(el('p', `castline-diag-heading castline-diag-heading-${kind}`, heading));
    const ul = el('ul', `castline-diag-list castline-diag-${kind}s`);
    for (const d of items) {
      const li = el('li', `castline-diag castline-diag-${kind}`);
      li.append(el('span', 'castline-diag-kind', kind === 'error' ? 'Error' : kind === 'notice' ? 'Link' : 'Warning'));
      li.append(document.createTextNode(line(d)));
      ul.append(li);
    }
    box.append(ul);
    panel.append(box);
  };
  // "events.csv:3:2, row 3, field "date": …" — where an author can find it in their file.
  const place = (d) => [d.file, d.line, d.line ? d.column : null].filter((p) => p !== null && p !== undefined && p !== '').join(':');
  const located = (d) => [place(d), d.location, d.message].filter(Boolean).join(': ');
  if (errors.length) {
    const n = errors.length;
    section(errors, 'error', n === 1
      ? '1 record was left out because of an error:'
      : `${n} records were left out because of errors:`, located);
  }
  if (warnings.length) section(warnings, 'warning', `${plural(warnings.length, 'warning', 'warnings')}:`, located);
  if (notices.length) {
    section(notices, 'notice', 'The link’s view was shown without these parts:',
      (m) => `${m.charAt(0).toUpperCase()}${m.slice(1)}.`);
  }
  panel.hidden = false;
}
