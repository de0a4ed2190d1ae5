// The play button and the speed: the viewer plays (src/view/playback.rs sweeps the window on
// the frame clock and pauses at the end); this tells it the speed and the reader's wish for
// less motion, shows its state on the button, and wakes the frame loop for a step.

import { playIcon } from './dom.js';

export class Playback {
  #shell;
  // Whether the button shows the viewer playing; null before it is shown.
  #shown = null;
  #timer = 0;

  constructor(shell) {
    this.#shell = shell;
  }

  get playing() {
    return this.#state()?.playing ?? false;
  }

  // The button, once the story is known (without a span in time it is disabled).
  start() {
    const { ui, signal } = this.#shell;
    const reduced = matchMedia('(prefers-reduced-motion: reduce)');
    const settings = () => this.#shell.call((v) => {
      v.setPlaybackSpeed(ui.speed.value);
      v.setReducedMotion(reduced.matches);
    });
    settings();
    ui.speed.addEventListener('change', settings, { signal });
    reduced.addEventListener('change', settings, { signal });
    this.#show();
    ui.play.addEventListener('click', () => {
      if (this.playing) this.pause();
      else this.play();
    }, { signal });
  }

  play() {
    const shell = this.#shell;
    if (!shell.call((v) => v.play())) return;
    shell.begin('play');
    this.#show();
    shell.changed();
  }

  pause() {
    clearTimeout(this.#timer);
    if (!this.#shell.call((v) => v.pause())) return;
    this.#show();
    this.#shell.end('play');
  }

  // The viewer stopped: nothing more is drawn or shown.
  forget() {
    clearTimeout(this.#timer);
  }

  // After each frame, which may have moved the window on or reached the end.
  afterFrame() {
    if (!this.#shown) return;
    const state = this.#show();
    if (!state?.playing) {
      this.#shell.end('play');
      return;
    }
    // With less motion, the next step is a while away: no frames until then.
    if (state.wakeInMs !== null) {
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.#shell.requestFrame(), state.wakeInMs);
    }
  }

  #state() {
    return this.#shell.call((v) => v.playback());
  }

  // The button as the viewer's playback is; that state, or undefined if the viewer stopped.
  #show() {
    const state = this.#state();
    if (!state) return state;
    const { play } = this.#shell.ui;
    play.disabled = !state.available;
    if (this.#shown !== state.playing) {
      this.#shown = state.playing;
      play.replaceChildren(playIcon(state.playing), document.createTextNode(state.label));
      play.classList.toggle('castline-playing', state.playing);
    }
    return state;
  }
}
