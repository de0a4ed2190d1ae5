// The story told in steps (issue 19): the step bar under the pictures, with the step's title,
// text and sources, Previous / Next, "Step 3 of 7", ←/→ and PageUp/PageDown on the bar, and
// "Back to the story" once the reader has changed the view. The viewer owns the steps and
// which one is shown (summary's `step` and `lastStep`); this keeps only the DOM.

import { button, el, externalLink, safeHttpUrl } from './dom.js';

const quoted = (text) => `“${text}”`;

export class Steps {
  #shell;
  #status;
  #count = 0;
  #parts = null;
  // The step whose words are on the bar, and the one last announced.
  #onBar = null;
  #announced = null;

  constructor(shell, status) {
    this.#shell = shell;
    this.#status = status;
  }

  get count() {
    return this.#count;
  }

  // Builds the bar under the pictures, if the story has steps. Before the first, it only
  // offers them: the story is shown whole, and the bar takes one line.
  start() {
    const { ui, signal } = this.#shell;
    this.#count = this.#shell.call((v) => v.steps().length) ?? 0;
    if (!this.#count) return;
    const bar = el('section', 'castline-steps');
    bar.setAttribute('aria-label', 'The story in steps');
    const head = el('div', 'castline-steps-head');
    const counter = el('p', 'castline-steps-counter');
    const nav = el('div', 'castline-steps-nav');
    const previous = button('castline-tool castline-tool-text castline-steps-previous', 'Previous', 'Previous step');
    const next = button('castline-tool castline-tool-text castline-steps-next', 'Next', 'Next step');
    const back = button('castline-tool castline-tool-text castline-steps-back', 'Back to the story');
    nav.append(back, previous, next);
    head.append(counter, nav);
    const title = el('h2', 'castline-steps-title');
    const text = el('p', 'castline-steps-text');
    const sources = el('ul', 'castline-sources castline-steps-sources');
    const help = el('p', 'visually-hidden', 'Left and right arrows, or Page Up and Page Down, go to the previous and next step.');
    help.id = `${ui.aboutId}-steps-help`;
    bar.setAttribute('aria-describedby', help.id);
    bar.append(head, title, text, sources, help);
    // Right under the pictures; on a phone the toolbar follows it (skeleton.js).
    ui.views.after(bar);
    ui.stepsBar = bar;
    this.#parts = { bar, counter, previous, next, back, title, text, sources };

    previous.addEventListener('click', () => this.#go(-1), { signal });
    next.addEventListener('click', () => this.#go(1), { signal });
    back.addEventListener('click', () => this.#back(), { signal });
    bar.addEventListener('keydown', (event) => {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      const by = { ArrowLeft: -1, PageUp: -1, ArrowRight: 1, PageDown: 1 }[event.key];
      if (!by) return;
      event.preventDefault();
      this.#go(by);
    }, { signal });
  }

  // Goes to step `n` (from 1); `glide` moves the pictures there (stepped with less motion).
  goTo(n, glide = true) {
    this.#shell.userAction();
    // The step's focused event is shown in the list but does not scroll the page: the reader
    // is on the step bar (or the article that drives the embed), not the list.
    this.#shell.lists.focusFromList = true;
    this.#shell.api((v) => v.goToStep(n, glide));
  }

  #go(by) {
    const s = this.#shell.call((v) => v.summary());
    if (!s) return;
    const from = s.step ?? s.lastStep ?? 0;
    const n = Math.min(Math.max(from + by, 1), this.#count);
    // Previous on the first step, or Next on the last, stays; after leaving, it goes back.
    if (n === s.step) return;
    this.goTo(n);
  }

  #back() {
    const s = this.#shell.call((v) => v.summary());
    if (s?.lastStep) this.goTo(s.lastStep);
  }

  // Shows the state's step on the bar, and reads a step out when one is gone to.
  render(state) {
    const p = this.#parts;
    if (!p) return;
    const { step, lastStep } = state;
    const at = step ?? lastStep;
    // A button that goes away (Back) or is disabled (Next on the last step) would take the
    // keyboard's place with it: it moves to a button that stays.
    const focused = p.bar.contains(document.activeElement) ? document.activeElement : null;
    p.bar.classList.toggle('castline-steps-started', at !== null && at !== undefined);
    p.bar.classList.toggle('castline-steps-left', !step && !!lastStep);
    // Before the first step the bar offers only Begin: there is nothing to go back to.
    p.previous.hidden = !at;
    p.previous.disabled = !at || (step === 1);
    p.next.disabled = step === this.#count;
    p.back.hidden = !!step || !lastStep;
    p.next.textContent = at ? 'Next' : 'Begin';
    p.next.setAttribute('aria-label', at ? 'Next step' : 'Begin the story in steps');
    if (focused && (focused.disabled || focused.hidden)) {
      [p.next, p.previous].find((b) => !b.disabled && !b.hidden)?.focus();
    }
    if (!at) {
      p.counter.textContent = `The story in ${this.#count} steps`;
      p.title.hidden = true;
      p.text.hidden = true;
      p.sources.hidden = true;
      this.#onBar = null;
      this.#announced = null;
      return;
    }
    p.counter.textContent = step ? `Step ${step} of ${this.#count}` : `Step ${lastStep} of ${this.#count} · you have changed the view`;
    if (this.#onBar !== at) this.#show(at);
    if (step && step !== this.#announced) {
      // After the status line's own words (the same region; the last within its delay wins).
      const item = this.#item(step);
      this.#status.announce(`Step ${step} of ${this.#count}: ${item?.title ?? ''}. ${item?.text ?? ''}`.trim(), 400);
    }
    this.#announced = step ?? null;
  }

  #item(n) {
    return this.#shell.call((v) => v.steps()[n - 1]) ?? null;
  }

  #show(n) {
    const p = this.#parts;
    const item = this.#item(n);
    this.#onBar = n;
    p.title.hidden = false;
    p.title.textContent = item?.title ?? '';
    p.text.hidden = !item?.text;
    p.text.textContent = item?.text ?? '';
    p.sources.replaceChildren();
    for (const source of item?.sources ?? []) {
      const li = el('li', 'castline-source');
      const href = safeHttpUrl(source.url);
      const name = el('cite', null, source.name);
      if (href) {
        const link = externalLink(href);
        link.append(name);
        li.append(link);
      } else {
        li.append(name);
      }
      if (source.quote) li.append(document.createTextNode(`: ${quoted(source.quote)}`));
      p.sources.append(li);
    }
    p.sources.hidden = !p.sources.childElementCount;
  }
}
