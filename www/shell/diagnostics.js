// Problems shown in words: the data's diagnostics and a link's left-out parts in the panel
// above the pictures, and a fatal error in place of the pictures (also for the pages, app.js
// and embedded.js, when there is no view to show it in).

import { el } from './dom.js';
import { count, plural } from './words.js';

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

// The record a diagnostic is about: its location without the field (`row 3`,
// `events[1] "miami-talks"`), or null for a whole file, a sheet's header or the story's top
// level. The field comes last and is the reader's own name, so the last `, field "` starts it
// even when an id in the record's name holds those characters.
function recordOf(d) {
  const location = String(d.location ?? '');
  const cut = location.startsWith('field "') ? 0 : location.lastIndexOf(', field "');
  const at = cut >= 0 && location.endsWith('"') ? location.slice(0, cut) : location;
  return at === '' || at === 'whole file' || at === 'header' ? null : at;
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
  const item = (kind, text) => {
    const li = el('li', `castline-diag castline-diag-${kind}`);
    li.append(el('span', 'castline-diag-kind', kind === 'error' ? 'Error' : kind === 'notice' ? 'Link' : 'Warning'));
    li.append(document.createTextNode(text));
    return li;
  };
  const section = (items, kind, heading, line) => {
    const box = el('div', `castline-diag-section castline-diag-section-${kind}`);
    box.append(el('p', `castline-diag-heading castline-diag-heading-${kind}`, heading));
    const ul = el('ul', `castline-diag-list castline-diag-${kind}s`);
    for (const d of items) ul.append(item(kind, line(d)));
    box.append(ul);
    panel.append(box);
    return ul;
  };
  // "events.csv:3:2, row 3, field "date": …" — where an author can find it in their file.
  const place = (d) => [d.file, d.line, d.line ? d.column : null].filter((p) => p !== null && p !== undefined && p !== '').join(':');
  const located = (d) => [place(d), d.location, d.message].filter(Boolean).join(': ');
  if (errors.length) {
    // A record with two problems is one record left out: the count is of records, and each
    // record's problems are listed under it. Problems of a whole file, its header or the
    // story's top level are no record; they come first, as they often explain the rest.
    const records = new Map();
    const general = [];
    for (const d of errors) {
      const record = recordOf(d);
      if (record === null) {
        general.push(d);
      } else {
        const key = `${d.file}\u0000${record}`;
        if (!records.has(key)) records.set(key, { name: [d.file, record].filter(Boolean).join(', '), problems: [] });
        records.get(key).problems.push(d);
      }
    }
    const n = records.size;
    const left = n === 1
      ? `1 record was left out because of ${records.values().next().value.problems.length === 1 ? 'an error' : 'errors'}`
      : `${plural(n, 'record', 'records')} were left out because of errors`;
    const heading = !n
      ? `${plural(general.length, 'error', 'errors')} in the data:`
      : general.length
        ? `${left}, and there ${general.length === 1 ? 'is 1 more error' : `are ${count(general.length)} more errors`}:`
        : `${left}:`;
    const ul = section(general, 'error', heading, located);
    for (const { name, problems } of records.values()) {
      const li = el('li', 'castline-diag-record');
      li.append(el('strong', 'castline-diag-record-name', name));
      const sub = el('ul', 'castline-diag-list castline-diag-record-errors');
      for (const d of problems) sub.append(item('error', located(d)));
      li.append(sub);
      ul.append(li);
    }
  }
  if (warnings.length) section(warnings, 'warning', `${plural(warnings.length, 'warning', 'warnings')}:`, located);
  if (notices.length) {
    section(notices, 'notice', 'The link’s view was shown without these parts:',
      (m) => `${m.charAt(0).toUpperCase()}${m.slice(1)}.`);
  }
  panel.hidden = false;
}
