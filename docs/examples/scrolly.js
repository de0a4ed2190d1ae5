// Scrollytelling with a Castline embed (docs/embedding.md, "The host page"): each paragraph
// with a `data-step` moves the sticky embed to that step of the story as it reaches the
// middle of the window. No dependency: IntersectionObserver, and the embed's own protocol.
// With embed.js on the page it uses CastlineEmbed.embeds(); on a page that embeds the viewer
// with pym.js instead, it posts the protocol's message to pym's iframe itself.
(function () {
  'use strict';

  var PROTOCOL = 1;

  // Something that takes goToStep(n): the embed.js embed, or pym's iframe.
  function findEmbed() {
    if (window.CastlineEmbed) return window.CastlineEmbed.embeds()[0] || null;
    var iframe = document.querySelector('#castline-graphic iframe');
    if (!iframe) return null;
    return {
      goToStep: function (n) {
        pymStep = n;
        // The viewer's origin is opaque in its sandbox: its window is addressed, not its origin.
        iframe.contentWindow.postMessage({ type: 'castline:go-to-step', version: PROTOCOL, step: n }, '*');
      },
    };
  }

  // With pym, a step asked for before the viewer was ready is asked for again when it is.
  var pymStep = null;
  window.addEventListener('message', function (event) {
    var iframe = document.querySelector('#castline-graphic iframe');
    var data = event.data;
    if (!iframe || event.source !== iframe.contentWindow || pymStep === null) return;
    if (data && data.type === 'castline:ready' && data.version === PROTOCOL) {
      iframe.contentWindow.postMessage({ type: 'castline:go-to-step', version: PROTOCOL, step: pymStep }, '*');
    }
  });

  function start() {
    var paragraphs = document.querySelectorAll('[data-step]');
    if (!paragraphs.length || !('IntersectionObserver' in window)) return;
    var current = null;
    var observer = new IntersectionObserver(function (entries) {
      for (var i = 0; i < entries.length; i += 1) {
        var entry = entries[i];
        if (!entry.isIntersecting) continue;
        var step = Number(entry.target.getAttribute('data-step'));
        if (step === current || !(step >= 1)) continue;
        var embed = findEmbed();
        if (!embed) continue;
        current = step;
        for (var j = 0; j < paragraphs.length; j += 1) {
          paragraphs[j].classList.toggle('is-current', paragraphs[j] === entry.target);
        }
        embed.goToStep(step);
      }
    }, { rootMargin: '-45% 0px -45% 0px' });
    for (var k = 0; k < paragraphs.length; k += 1) observer.observe(paragraphs[k]);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}());
