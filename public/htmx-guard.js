// htmx's second line of defence (docs/security.md, "htmx: what markup may make it do"). The first
// line is escaping: nothing a user typed reaches a page as markup. If some markup ever slipped
// through, it must not be able to act for the staff member through htmx, so this script:
// - lets htmx request only this page's own area (<meta name="htmx-paths">, e.g. /crm/schools/)
//   on this origin; anything else (another path, another origin, a js: action) is cancelled;
// - adds the session's CSRF token (<meta name="csrf-token">) itself, only to those requests and
//   only when they change state (not GET/HEAD). Such a request must come from a person's click,
//   key or form submission on the element (an event the browser marks trusted): a state change
//   on load, revealed, intersect, every or an htmx event is cancelled;
// - never lets htmx install an hx-on handler, and makes htmx's JavaScript evaluation (hx-on,
//   js: values, trigger filters) throw, whatever the Content-Security-Policy says;
// - refuses to swap a response that carries an out-of-band swap (hx-swap-oob, <hx-partial>)
//   inside user content (hx-ignore, views/components/user-text.tsx): it would lift that markup
//   out of hx-ignore into the page.
// It is loaded before htmx (both deferred, in order), so its listeners are in place before htmx
// processes anything. If it does not load, htmx sends no CSRF token and every change is refused.
"use strict";
(function () {
  function meta(name) {
    var m = document.head && document.head.querySelector('meta[name="' + name + '"]');
    return m ? m.getAttribute("content") : null;
  }
  var paths = (meta("htmx-paths") || "").split(/\s+/).filter(Boolean);
  var csrf = meta("csrf-token");
  var READS = { GET: true, HEAD: true };
  // The events a person causes; every htmx trigger the CRM uses to change state is one of these.
  var GESTURES = { click: true, submit: true, change: true, input: true, keyup: true };
  var SMUGGLED = "[hx-ignore] [hx-swap-oob], [hx-ignore] template[hx]";

  function refuse(evt, why) {
    evt.preventDefault();
    console.error("htmx-guard: " + why, evt.target);
  }

  function ownPath(action) {
    var url;
    try {
      url = new URL(action, location.href);
    } catch (e) {
      return false;
    }
    if (url.origin !== location.origin) return false;
    return paths.some(function (p) {
      return url.pathname.indexOf(p) === 0;
    });
  }

  // The gesture must be on the element or inside its own form (the auto-reply preview listens to
  // its form's inputs): `hx-trigger="click from:body"` on injected markup would otherwise turn a
  // person's click anywhere on the page into that markup's request.
  function onItself(elt, cause) {
    var target = cause.target;
    if (!elt || !(target instanceof Node)) return false;
    if (elt.contains(target)) return true;
    var form = elt.closest("form");
    return !!form && form.contains(target);
  }

  function on(type, handler) {
    // Capturing on the document: runs before any listener on the element itself.
    document.addEventListener(type, handler, true);
  }

  on("htmx:config:request", function (evt) {
    var ctx = evt.detail.ctx;
    var req = ctx.request;
    if (!ownPath(req.action)) return refuse(evt, "a request outside this page's area was cancelled: " + req.action);
    if (READS[req.method]) return;
    var cause = ctx.sourceEvent;
    if (!cause || cause.isTrusted !== true || !GESTURES[cause.type] || !onItself(ctx.sourceElement, cause))
      return refuse(evt, "a change without a click, key or submit on it was cancelled: " + req.method + " " + req.action);
    if (csrf) req.headers["X-CSRF-Token"] = csrf;
  });

  // The last look before fetch: nothing may have moved the request elsewhere since.
  on("htmx:before:request", function (evt) {
    var req = evt.detail.ctx.request;
    if (!ownPath(req.action)) refuse(evt, "a request outside this page's area was cancelled: " + req.action);
  });

  on("htmx:before:on:init", function (evt) {
    evt.preventDefault();
    var elt = evt.target;
    var names = elt && elt.getAttributeNames ? elt.getAttributeNames() : [];
    if (names.some(function (n) { return n.indexOf("hx-on") === 0; })) console.error("htmx-guard: hx-on is not used here and was ignored", elt);
  });

  on("htmx:after:request", function (evt) {
    var text = evt.detail.ctx.text;
    if (typeof text !== "string" || text.indexOf("hx-ignore") < 0) return;
    // Parsed inert (a template runs nothing, loads nothing), with htmx's own <hx-*> rewriting.
    var t = document.createElement("template");
    t.innerHTML = text.replace(/<hx-([a-z]+)(\s+|>)/gi, '<template hx type="$1"$2').replace(/<\/hx-[a-z]+>/gi, "</template>");
    if (t.content.querySelector(SMUGGLED)) refuse(evt, "a response with an out-of-band swap inside user content was not swapped");
  });

  // htmx's JavaScript evaluation goes through the Function constructors it is given; an extension
  // may replace them (htmx's initSecurity, as hx-csp does). Registered when htmx starts processing
  // the page, before any element is looked at.
  function noEval() {
    throw new Error("htmx-guard: JavaScript in htmx attributes is turned off");
  }
  on("htmx:before:process", function register() {
    document.removeEventListener("htmx:before:process", register, true);
    window.htmx.registerExtension("avtomat-guard", {
      init: function (api) {
        api.initSecurity(null, noEval, noEval);
      },
    });
  });
})();
