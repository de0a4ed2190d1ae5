/*
 * Castline's embed snippet, for any page and any CMS:
 *
 *   <div class="castline-embed" data-src="data/story.json" data-height="720"
 *        data-select="dmitriev" data-theme="light" data-title="…"></div>
 *   <script src="https://YOUR-HOST/castline/embed.js" async></script>
 *
 * Each such element becomes a lazy-loaded, sandboxed iframe of the compact
 * viewer (embed.html beside this script) whose height follows its content.
 *
 *   data-src     the story, relative to the viewer's folder or an http(s) URL
 *   data-height  the height before the viewer reports its own (default 720)
 *   data-auto-height  "false" keeps data-height: the iframe does not follow its content
 *   data-select  actor ids to select at first, comma-separated
 *   data-view    or a whole view, as in a link's fragment (select=…&window=…)
 *   data-theme   "light" or "dark" (default: the reader's system setting)
 *   data-title   the iframe's title, for screen readers
 *   data-viewer  another viewer page than embed.html beside this script
 *   data-host-origin  this page's origin as the embed should check it: commands
 *                are then taken only from it (docs/embedding.md, "The host page")
 *
 * CastlineEmbed.embeds() lists the embeds set up on the page; each has
 * goToStep(n), show(view) and on('ready' | 'change' | 'step' | 'settled', fn)
 * (docs/embedding.md). Commands wait for the embed's 'ready'. Messages from a
 * frame are taken only from the window of an iframe this script made, and
 * only with the protocol's version.
 *
 * The iframe's origin is opaque (its sandbox has no allow-same-origin), so a
 * message's origin cannot tell it from any other; a height is accepted only
 * from the window of an iframe this script made (event.source) and only in
 * the right shape: { type: 'castline:height', height } or pym.js's string
 * 'pymxPYMx' + id + 'xPYMxheightxPYMx' + height. The child posts only to
 * this page's origin, which it is told in its URL.
 *
 * A classic script, not a module, so that it works wherever a CMS allows a
 * <script src>. Elements added later are set up by CastlineEmbed.scan().
 */
(function () {
  'use strict';

  var SANDBOX = 'allow-scripts allow-popups allow-popups-to-escape-sandbox';
  var DEFAULT_HEIGHT = 720;
  var MIN_HEIGHT = 80;
  var MAX_HEIGHT = 20000;
  var VIEW = /^[A-Za-z0-9\-._~%=&,:]*$/;

  var PROTOCOL = 1;
  var EVENTS = ['ready', 'change', 'step', 'settled'];

  var script = document.currentScript;
  var scriptUrl = script && script.src ? script.src : document.baseURI;
  var frames = [];
  var count = 0;

  function httpUrl(value, base) {
    try {
      var url = new URL(value, base);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url : null;
    } catch (e) {
      return null;
    }
  }

  function heightFrom(data, id) {
    var height;
    if (typeof data === 'string') {
      var prefix = 'pymxPYMx' + id + 'xPYMxheightxPYMx';
      if (data.indexOf(prefix) !== 0) return null;
      var digits = data.slice(prefix.length);
      if (!/^\d{1,6}$/.test(digits)) return null;
      height = Number(digits);
    } else if (data !== null && typeof data === 'object' && !Array.isArray(data)
        && data.type === 'castline:height' && typeof data.height === 'number'
        && (data.id === undefined || data.id === id)) {
      height = data.height;
    } else {
      return null;
    }
    if (!isFinite(height) || height < MIN_HEIGHT || height > MAX_HEIGHT) return null;
    return Math.ceil(height);
  }

  function setHeight(iframe, height) {
    iframe.height = String(height);
    iframe.style.height = height + 'px';
  }

  function setUp(element) {
    if (element.getAttribute('data-castline-ready') !== null) return;
    element.setAttribute('data-castline-ready', '');
    var viewer = httpUrl(element.getAttribute('data-viewer') || 'embed.html', scriptUrl);
    if (!viewer) return;
    count += 1;
    var id = 'castline-embed-' + count;
    var src = element.getAttribute('data-src');
    if (src) viewer.searchParams.set('data', src);
    var theme = element.getAttribute('data-theme');
    if (theme === 'light' || theme === 'dark') viewer.searchParams.set('theme', theme);
    // The child posts its height to this origin only; a page without one (file:) gets none,
    // nor does a snippet that keeps its height.
    var auto = element.getAttribute('data-auto-height') !== 'false';
    if (/^https?:$/.test(window.location.protocol)) {
      viewer.searchParams.set('parent', window.location.origin);
      viewer.searchParams.set('id', id);
      if (!auto) viewer.searchParams.set('noheight', '1');
      // An absolute origin only: a relative one would resolve against this script.
      var named = element.getAttribute('data-host-origin');
      var host = named ? httpUrl(named, 'about:blank') : null;
      if (host) viewer.searchParams.set('host', host.origin);
    }
    var view = element.getAttribute('data-view');
    var select = element.getAttribute('data-select');
    if (view && VIEW.test(view.replace(/^#/, ''))) {
      viewer.hash = view.replace(/^#/, '');
    } else if (select) {
      viewer.hash = 'select=' + select.split(',').map(function (s) {
        return encodeURIComponent(s.trim());
      }).filter(Boolean).join(',');
    }

    var iframe = document.createElement('iframe');
    iframe.src = viewer.href;
    iframe.title = element.getAttribute('data-title') || 'Castline: who met whom, and when';
    iframe.setAttribute('sandbox', SANDBOX);
    iframe.setAttribute('loading', 'lazy');
    iframe.setAttribute('scrolling', 'no');
    iframe.width = '100%';
    iframe.style.display = 'block';
    iframe.style.width = '100%';
    iframe.style.border = '0';
    var given = Number(element.getAttribute('data-height'));
    setHeight(iframe, given >= MIN_HEIGHT && given <= MAX_HEIGHT ? Math.round(given) : DEFAULT_HEIGHT);
    frames.push(new Embed(element, iframe, id));
    // What was inside (a fallback image, a link) is replaced by the live view.
    while (element.firstChild) element.removeChild(element.firstChild);
    element.appendChild(iframe);
  }

  // One embed as its host page sees it.
  function Embed(element, iframe, id) {
    this.element = element;
    this.iframe = iframe;
    this.id = id;
    this.ready = null; // the 'ready' message's detail once it came
    this.waiting = [];
    this.listeners = { ready: [], change: [], step: [], settled: [] };
  }
  Embed.prototype.send = function (message) {
    message.version = PROTOCOL;
    // The frame's origin is opaque ("null"), so it cannot be named; the message goes to
    // this iframe's window alone and carries nothing secret.
    if (this.ready && this.iframe.contentWindow) this.iframe.contentWindow.postMessage(message, '*');
    else this.waiting.push(message);
  };
  Embed.prototype.goToStep = function (n) {
    this.send({ type: 'castline:go-to-step', step: n });
    return this;
  };
  Embed.prototype.show = function (view) {
    this.send({ type: 'castline:show', view: view });
    return this;
  };
  Embed.prototype.on = function (type, fn) {
    if (EVENTS.indexOf(type) < 0 || typeof fn !== 'function') {
      throw new TypeError('CastlineEmbed: on(' + EVENTS.join(' | ') + ', function)');
    }
    this.listeners[type].push(fn);
    // A 'ready' handler added after the embed is ready runs at once.
    if (type === 'ready' && this.ready) fn(this.ready);
    return this;
  };
  Embed.prototype.receive = function (data) {
    var type = data.type.slice('castline:'.length);
    if (EVENTS.indexOf(type) < 0) return;
    var detail = { id: this.id, state: data.state, step: data.step, steps: data.steps };
    if (type === 'ready') {
      this.ready = detail;
      var waiting = this.waiting;
      this.waiting = [];
      for (var i = 0; i < waiting.length; i += 1) this.send(waiting[i]);
    }
    var listeners = this.listeners[type].slice();
    for (var j = 0; j < listeners.length; j += 1) {
      try {
        listeners[j](detail);
      } catch (e) {
        setTimeout(function () { throw e; });
      }
    }
  };

  function scan(root) {
    var elements = (root || document).querySelectorAll('.castline-embed');
    for (var i = 0; i < elements.length; i += 1) setUp(elements[i]);
  }

  window.addEventListener('message', function (event) {
    for (var i = 0; i < frames.length; i += 1) {
      var frame = frames[i];
      if (event.source === null || event.source !== frame.iframe.contentWindow) continue;
      var data = event.data;
      if (data !== null && typeof data === 'object' && data.version === PROTOCOL
          && typeof data.type === 'string' && data.type.indexOf('castline:') === 0
          && data.id === frame.id) {
        frame.receive(data);
        return;
      }
      var height = heightFrom(data, frame.id);
      if (height !== null) setHeight(frame.iframe, height);
      return;
    }
  });

  window.CastlineEmbed = {
    scan: scan,
    embeds: function () { return frames.slice(); },
  };
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () { scan(); });
  } else {
    scan();
  }
}());
