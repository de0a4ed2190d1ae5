// A type-ahead box over actor names and roles and event titles: an editable
// combobox with a listbox popup (the ARIA 1.2 combobox pattern, list
// autocomplete with manual selection). Focus stays in the input; the
// active option is named by aria-activedescendant. What matches is the
// viewer's to say (its search(), accent- and case-blind): this box only shows it.

import { el } from './shell/dom.js';

let instances = 0;

/**
 * Builds the search box. `find(query)` gives the entries to show
 * ({ kind: "actor" | "event", id, label, detail }), best first;
 * `onChoose(entry)` is called when one is chosen; `signal` removes the
 * listeners. Returns { root, input, close }.
 */
export function buildSearch(find, onChoose, signal) {
  instances += 1;
  const base = `castline-search-${instances}`;
  const root = el('div', 'castline-search');
  const label = el('label', 'castline-search-label', 'Search');
  label.htmlFor = `${base}-input`;
  const input = el('input', 'castline-search-input');
  input.id = `${base}-input`;
  input.type = 'text';
  input.autocomplete = 'off';
  input.spellcheck = false;
  input.placeholder = 'Actors, roles, events';
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', `${base}-list`);
  input.setAttribute('aria-describedby', `${base}-count`);
  const list = el('ul', 'castline-search-list');
  list.id = `${base}-list`;
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', 'Matches');
  list.hidden = true;
  const count = el('span', 'visually-hidden');
  count.id = `${base}-count`;
  root.append(label, input, list, count);

  let results = [];
  let active = -1;

  const setActive = (index) => {
    active = index;
    [...list.children].forEach((li, i) => li.setAttribute('aria-selected', String(i === index)));
    if (index >= 0 && list.children[index]) {
      input.setAttribute('aria-activedescendant', list.children[index].id);
      list.children[index].scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  };

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    setActive(-1);
  };

  const open = () => {
    if (!results.length) return close();
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    return undefined;
  };

  const show = () => {
    results = input.value.trim() ? find(input.value) : [];
    list.replaceChildren();
    results.forEach((entry, i) => {
      const li = el('li', `castline-search-option castline-search-${entry.kind}`);
      li.id = `${base}-option-${i}`;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      li.append(el('span', 'castline-search-option-label', entry.label));
      const detail = [entry.kind === 'actor' ? 'Actor' : 'Event', entry.detail].filter(Boolean).join(' · ');
      li.append(el('span', 'castline-search-option-detail', detail));
      list.append(li);
    });
    count.textContent = input.value.trim()
      ? (results.length ? `${results.length} ${results.length === 1 ? 'match' : 'matches'}` : 'No matches')
      : '';
    active = -1;
    input.removeAttribute('aria-activedescendant');
    open();
  };

  const choose = (index) => {
    const entry = results[index];
    if (!entry) return;
    input.value = entry.label;
    close();
    onChoose(entry);
  };

  input.addEventListener('input', show, { signal });
  input.addEventListener('keydown', (e) => {
    const expanded = !list.hidden;
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        if (e.altKey) { show(); return; }
        if (!expanded) { show(); if (results.length) setActive(0); return; }
        setActive(active < results.length - 1 ? active + 1 : 0);
        return;
      case 'ArrowUp':
        e.preventDefault();
        if (e.altKey) { close(); return; }
        if (!expanded) { show(); if (results.length) setActive(results.length - 1); return; }
        setActive(active > 0 ? active - 1 : results.length - 1);
        return;
      case 'Enter':
        if (expanded && active >= 0) {
          e.preventDefault();
          choose(active);
        } else if (expanded && results.length === 1) {
          e.preventDefault();
          choose(0);
        }
        return;
      case 'Escape':
        // Handled here, so the page does not also clear the selection.
        if (expanded) { e.preventDefault(); close(); } else if (input.value) { e.preventDefault(); input.value = ''; show(); }
        return;
      case 'Tab':
        close();
        return;
      default:
    }
  }, { signal });
  // Keep the focus in the input while an option is pressed.
  list.addEventListener('pointerdown', (e) => e.preventDefault(), { signal });
  list.addEventListener('click', (e) => {
    const li = e.target.closest('li[role="option"]');
    if (!li) return;
    choose([...list.children].indexOf(li));
    input.focus();
  }, { signal });
  input.addEventListener('blur', () => close(), { signal });
  return { root, input, close };
}
