// The bot simulator's page script (plain JS, no framework). Each open chat long-polls
// GET /simulator/chats/<id>?after=<version> and redraws itself from the JSON; the student's
// actions are POSTs (send, press, contact, profile). Bot messages are Telegram HTML: they are
// drawn with a tiny parser that only ever creates text nodes and a few allowed elements
// (b, i, u, s, code, pre, a with an http(s)/tg link), so nothing in a message can run as code.
"use strict";
(function () {
  var picker = document.getElementById("sim-picker");
  var phones = document.getElementById("phones");
  var template = document.getElementById("phone-template");
  if (!picker || !phones || !template) return;
  var csrf = document.body.getAttribute("data-csrf") || "";
  var open = {}; // chat id → phone

  // ---- requests ------------------------------------------------------------------------------

  function refreshCsrf() {
    return fetch("/simulator/csrf", { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (b) { csrf = (b && b.token) || ""; });
  }

  /** POSTs JSON; on 403 (a session started or ended in another tab) refreshes the CSRF token once. */
  function post(url, body, retried) {
    var headers = { "content-type": "application/json" };
    if (csrf) headers["x-csrf-token"] = csrf;
    return fetch(url, { method: "POST", headers: headers, body: JSON.stringify(body || {}), credentials: "same-origin" }).then(function (r) {
      if (r.status === 403 && !retried) return refreshCsrf().then(function () { return post(url, body, true); });
      if (r.ok) return r;
      return r.text().then(function (t) {
        var message = "Ошибка " + r.status;
        try { message = JSON.parse(t).error || message; } catch (e) { /* an HTML error page */ }
        throw new Error(message);
      });
    });
  }

  // ---- Telegram HTML, safely -----------------------------------------------------------------

  var TAGS = { b: "b", strong: "b", i: "i", em: "i", u: "u", ins: "u", s: "s", strike: "s", del: "s", code: "code", pre: "pre", a: "a", blockquote: "blockquote", "tg-spoiler": "span", span: "span" };
  var NAMED = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };

  function decode(s) {
    return s.replace(/&(#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot|apos);/g, function (_, e) {
      if (e.charAt(0) !== "#") return NAMED[e];
      var n = e.charAt(1) === "x" || e.charAt(1) === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : "";
    });
  }

  function safeHref(href) {
    return typeof href === "string" && /^(https?:\/\/|tg:\/\/)/i.test(href) ? href : null;
  }

  /** Appends the Telegram-HTML `html` to `parent` as DOM nodes (text nodes + allowed tags only). */
  function renderHtml(parent, html) {
    var stack = [parent];
    var re = /<(\/?)([a-zA-Z][\w-]*)((?:\s+[\w-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*\/?>/g;
    var last = 0;
    var m;
    function text(s) { if (s) stack[stack.length - 1].appendChild(document.createTextNode(decode(s))); }
    while ((m = re.exec(html))) {
      text(html.slice(last, m.index));
      last = re.lastIndex;
      var name = m[2].toLowerCase();
      var tag = TAGS[name];
      if (!tag) { stack[stack.length - 1].appendChild(document.createTextNode(m[0])); continue; }
      if (m[1]) {
        for (var i = stack.length - 1; i > 0; i--) if (stack[i].getAttribute("data-tag") === name) { stack.length = i; break; }
        continue;
      }
      var el = document.createElement(tag);
      el.setAttribute("data-tag", name);
      if (name === "tg-spoiler") el.className = "spoiler";
      if (tag === "a") {
        var hm = /\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(m[3]);
        var href = hm ? safeHref(decode(hm[1] || hm[2] || hm[3] || "")) : null;
        if (href) { el.href = href; el.target = "_blank"; el.rel = "noopener noreferrer"; }
      }
      stack[stack.length - 1].appendChild(el);
      stack.push(el);
    }
    text(html.slice(last));
  }

  // ---- one phone -----------------------------------------------------------------------------

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function time(unix) {
    var d = new Date(unix * 1000);
    return String(d.getHours()).padStart(2, "0") + ":" + String(d.getMinutes()).padStart(2, "0");
  }

  function Phone(id) {
    var node = template.content.firstElementChild.cloneNode(true);
    var list = node.querySelector(".phone-messages");
    var keyboard = node.querySelector(".phone-keyboard");
    var toast = node.querySelector(".phone-toast");
    var start = node.querySelector(".phone-start");
    var form = node.querySelector(".phone-composer");
    var input = node.querySelector(".phone-input");
    var nameInput = node.querySelector(".phone-name");
    var lang = node.querySelector(".phone-lang");
    var status = node.querySelector(".phone-status");
    var version = -1;
    var lastToast = null;
    var commands = [];
    var alive = true;
    var base = "/simulator/chats/" + id;
    node.setAttribute("data-chat", String(id));

    function fail(err) {
      showToast(err && err.message ? err.message : "Нет связи с сервером", true);
    }
    function showToast(text, isError) {
      toast.textContent = text;
      toast.hidden = false;
      toast.classList.toggle("error", Boolean(isError));
      clearTimeout(showToast.timer);
      showToast.timer = setTimeout(function () { toast.hidden = true; }, 4000);
    }
    function send(text) {
      return post(base + "/send", { text: text }).catch(fail);
    }

    function renderMessage(msg) {
      var li = el("li", "msg " + msg.from);
      li.setAttribute("data-message-id", String(msg.id));
      var bubble = el("div", "bubble");
      var body = el("div", "msg-text");
      if (msg.from === "bot") renderHtml(body, msg.html || "");
      else body.textContent = (msg.contact ? "📱 " : "") + msg.text;
      bubble.appendChild(body);
      bubble.appendChild(el("span", "meta", (msg.edited ? "изменено " : "") + time(msg.date)));
      li.appendChild(bubble);
      if (msg.inline && msg.inline.length) {
        var kb = el("div", "inline-keyboard");
        msg.inline.forEach(function (row) {
          var r = el("div", "kb-row");
          row.forEach(function (b) {
            var href = safeHref(b.url);
            if (href) {
              var a = el("a", "kb-button link", b.text);
              a.href = href;
              a.target = "_blank";
              a.rel = "noopener noreferrer";
              r.appendChild(a);
            } else if (b.data) {
              var btn = el("button", "kb-button", b.text);
              btn.type = "button";
              btn.addEventListener("click", function () {
                // Against double presses; the bot's answer usually redraws the message anyway.
                btn.disabled = true;
                post(base + "/press", { messageId: msg.id, data: b.data })
                  .catch(fail)
                  .then(function () { setTimeout(function () { btn.disabled = false; }, 800); });
              });
              r.appendChild(btn);
            }
          });
          kb.appendChild(r);
        });
        li.appendChild(kb);
      }
      return li;
    }

    function render(t) {
      var nearBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 80;
      list.textContent = "";
      t.messages.forEach(function (m) { list.appendChild(renderMessage(m)); });
      if (nearBottom || version < 0) list.scrollTop = list.scrollHeight;
      start.hidden = t.messages.length > 0;
      keyboard.textContent = "";
      if (t.keyboard) {
        t.keyboard.rows.forEach(function (row) {
          var r = el("div", "kb-row");
          row.forEach(function (b) {
            var btn = el("button", "kb-button reply" + (b.contact ? " contact" : ""), b.text);
            btn.type = "button";
            btn.addEventListener("click", function () {
              if (b.contact) post(base + "/contact").catch(fail);
              else send(b.text);
            });
            r.appendChild(btn);
          });
          keyboard.appendChild(r);
        });
      }
      input.placeholder = (t.keyboard && t.keyboard.placeholder) || "Сообщение";
      if (document.activeElement !== nameInput) nameInput.value = t.student.firstName;
      lang.value = t.student.language;
      status.textContent = "бот · " + t.student.firstName + " " + t.student.lastName;
      node.querySelector(".phone-number").textContent = t.student.phone;
      if (t.toast && lastToast !== null && t.toast.seq !== lastToast) showToast(t.toast.text);
      lastToast = t.toast ? t.toast.seq : 0;
      commands = t.commands || [];
      version = t.version;
    }

    function loop() {
      if (!alive) return;
      fetch(base + "?after=" + version, { cache: "no-store", credentials: "same-origin" })
        .then(function (r) {
          if (!r.ok) throw new Error("Ошибка " + r.status);
          return r.json();
        })
        .then(function (t) { if (alive) { if (t.version !== version) render(t); loop(); } })
        .catch(function (e) { if (alive) { fail(e); setTimeout(loop, 2000); } });
    }

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var text = input.value.trim();
      if (!text) return;
      input.value = "";
      send(text);
    });
    node.querySelector(".phone-start-button").addEventListener("click", function () { send("/start"); });
    node.querySelector(".phone-menu").addEventListener("click", function () {
      if (!commands.length) return send("/start");
      var old = node.querySelector(".phone-commands");
      if (old) return old.remove();
      var menu = el("div", "phone-commands");
      commands.forEach(function (c) {
        var b = el("button", "kb-button", "/" + c.command + " — " + c.description);
        b.type = "button";
        b.addEventListener("click", function () { menu.remove(); send("/" + c.command); });
        menu.appendChild(b);
      });
      form.parentNode.insertBefore(menu, form);
    });
    function saveProfile() {
      post(base + "/profile", { firstName: nameInput.value.trim() || "Студент", language: lang.value }).catch(fail);
    }
    nameInput.addEventListener("change", saveProfile);
    lang.addEventListener("change", saveProfile);
    node.querySelector(".phone-close").addEventListener("click", function () {
      var box = picker.querySelector('input[value="' + id + '"]');
      if (box) box.checked = false;
      close(id);
    });

    loop();
    return { node: node, stop: function () { alive = false; } };
  }

  // ---- the picker ----------------------------------------------------------------------------

  function order() {
    var boxes = picker.querySelectorAll("input[type=checkbox]");
    Array.prototype.forEach.call(boxes, function (b) { if (open[b.value]) phones.appendChild(open[b.value].node); });
  }
  function openChat(id) {
    if (open[id]) return;
    open[id] = Phone(id);
    phones.appendChild(open[id].node);
    order();
  }
  function close(id) {
    if (!open[id]) return;
    open[id].stop();
    open[id].node.remove();
    delete open[id];
  }

  picker.addEventListener("change", function (ev) {
    var box = ev.target;
    if (box.type !== "checkbox") return;
    if (box.checked) openChat(box.value);
    else close(box.value);
  });
  Array.prototype.forEach.call(picker.querySelectorAll("input[type=checkbox]:checked"), function (b) { openChat(b.value); });
})();
