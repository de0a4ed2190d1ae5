// The canvases' sizes, pixel ratio and colours, told to the viewer whenever they change.

export class Screen {
  // The last resize() and setTheme() arguments, for the full build's copy (exports.js).
  sizes = null;
  canvasTheme = null;
  #shell;
  #theme;
  #resizeObserver = null;
  #dprQuery = null;
  #lastSizes = '';
  #timelineBuffer = -1;

  // `theme`: "light" or "dark" fixes the canvases' colours; anything else follows the system.
  constructor(shell, theme) {
    this.#shell = shell;
    this.#theme = theme === 'light' || theme === 'dark' ? theme : 'auto';
  }

  start() {
    this.#followTheme();
    this.#watchSize();
  }

  destroy() {
    this.#resizeObserver?.disconnect();
  }

  #watchSize() {
    const { networkCanvas, timelineCanvas } = this.#shell.ui;
    this.#resizeObserver = new ResizeObserver(() => this.#resize());
    this.#resizeObserver.observe(networkCanvas);
    this.#resizeObserver.observe(timelineCanvas);
    this.#watchDpr();
    this.#resize();
  }

  // A media query for the current ratio fires once when it stops matching
  // (zoom, moving to another screen); then watch the new ratio.
  #watchDpr() {
    if (this.#shell.destroyed) return;
    const query = matchMedia(`(resolution: ${window.devicePixelRatio}dppx)`);
    this.#dprQuery = query;
    query.addEventListener('change', () => {
      if (this.#dprQuery !== query) return;
      this.#resize();
      this.#watchDpr();
    }, { once: true, signal: this.#shell.signal });
  }

  #resize() {
    const shell = this.#shell;
    const { networkCanvas, timelineCanvas } = shell.ui;
    const nw = networkCanvas.clientWidth;
    const nh = networkCanvas.clientHeight;
    const tw = timelineCanvas.clientWidth;
    const dpr = window.devicePixelRatio || 1;
    // The timeline's own height is ours to set, so it is left out of the
    // key; otherwise setting it would loop through the observer.
    const key = `${nw}x${nh}/${tw}@${dpr}`;
    if (key === this.#lastSizes || nw === 0 || tw === 0) return;
    this.#lastSizes = key;
    this.sizes = [nw, nh, tw, dpr];
    this.#setTimelineHeight(shell.call((v) => v.resize(nw, nh, tw, dpr)));
    shell.requestFrame();
  }

  // The time axis's lanes can change without a resize (a big story's communities take
  // them once found): its canvas follows the height the viewer sized it for, asked only
  // when the viewer has sized its drawing buffer anew.
  afterFrame() {
    const buffer = this.#shell.ui.timelineCanvas.height;
    if (buffer === this.#timelineBuffer) return;
    this.#timelineBuffer = buffer;
    this.#setTimelineHeight(this.#shell.call((v) => v.timelineHeight()));
  }

  #setTimelineHeight(height) {
    if (typeof height !== 'number' || !Number.isFinite(height)) return;
    const css = `${Math.max(0, Math.round(height))}px`;
    const { timelineCanvas } = this.#shell.ui;
    if (timelineCanvas.style.height !== css) timelineCanvas.style.height = css;
  }

  // Canvas colours follow the page's: prefers-color-scheme.
  #followTheme() {
    // An embed may fix the theme to match its article.
    if (this.#theme !== 'auto') {
      this.#setCanvasTheme(this.#theme);
      this.#shell.requestFrame();
      return;
    }
    const dark = matchMedia('(prefers-color-scheme: dark)');
    const apply = () => {
      this.#setCanvasTheme(dark.matches ? 'dark' : 'light');
      this.#shell.requestFrame();
    };
    dark.addEventListener('change', apply, { signal: this.#shell.signal });
    apply();
  }

  #setCanvasTheme(theme) {
    this.canvasTheme = theme;
    this.#shell.call((v) => v.setTheme(theme));
  }
}
