// marsad review UI: keyboard work on comment cards. No inline script anywhere (the
// Content-Security-Policy forbids it); htmx does the requests, this file only moves focus
// and presses the card's own buttons.
//
//   j / k  next / previous card      a  approve      r  reject (the reason shown)
//   u      undo                      o  open the article
//
// Keys are read by position (event.code) as well as by letter, so they work the same on
// an Arabic keyboard layout, where the "r" key types «ق».
(function () {
  "use strict";

  var ACTIONS = { a: "form.f-approve", r: "form.f-reject", u: "form.f-undo" };
  var CODES = { KeyJ: "j", KeyK: "k", KeyA: "a", KeyR: "r", KeyU: "u", KeyO: "o" };
  var focusedId = null;

  function cards() {
    return Array.prototype.slice.call(document.querySelectorAll(".card"));
  }

  function current() {
    var all = cards();
    for (var i = 0; i < all.length; i++) {
      if (all[i].dataset.commentId === focusedId) return all[i];
    }
    return null;
  }

  function focus(card, scroll) {
    cards().forEach(function (c) { c.classList.remove("is-focused"); });
    if (!card) return;
    focusedId = card.dataset.commentId;
    card.classList.add("is-focused");
    card.focus({ preventScroll: true });
    if (scroll) card.scrollIntoView({ block: "nearest" });
  }

  function move(step) {
    var all = cards();
    if (!all.length) return;
    var at = all.indexOf(current());
    var next = at < 0 ? 0 : Math.min(all.length - 1, Math.max(0, at + step));
    focus(all[next], true);
  }

  function typing(el) {
    if (!el || !el.tagName) return false;
    return /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName) || el.isContentEditable;
  }

  function keyOf(ev) {
    var key = (ev.key || "").toLowerCase();
    if ("jkaruo".indexOf(key) >= 0 && key.length === 1) return key;
    return CODES[ev.code] || null;
  }

  function showError(text) {
    var box = document.getElementById("ui-error");
    if (!box) {
      box = document.createElement("p");
      box.id = "ui-error";
      box.className = "flash flash-error";
      box.setAttribute("role", "alert");
      document.getElementById("main").prepend(box);
    }
    box.textContent = text;  // text, never HTML
  }

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || ev.shiftKey || typing(ev.target)) return;
    var key = keyOf(ev);
    if (!key) return;
    if (key === "j" || key === "k") {
      ev.preventDefault();
      move(key === "j" ? 1 : -1);
      return;
    }
    var card = current();
    if (!card) return;
    if (key === "o") {
      var link = card.querySelector("a.open-article");
      if (link) window.location.assign(link.href);
      return;
    }
    var form = card.querySelector(ACTIONS[key]);
    if (form) {
      ev.preventDefault();
      form.requestSubmit();
    }
  });

  document.addEventListener("click", function (ev) {
    var card = ev.target.closest && ev.target.closest(".card");
    if (card) focus(card, false);
  });

  // A decided card is swapped for a fresh one with the same comment id: keep it focused.
  document.addEventListener("htmx:afterSettle", function () {
    var card = current();
    if (card) focus(card, false);
  });

  document.addEventListener("htmx:responseError", function (ev) {
    var xhr = ev.detail && ev.detail.xhr;
    showError((xhr ? xhr.status + " " : "") + (document.documentElement.lang === "ar"
      ? "تعذّر تنفيذ الطلب؛ أعد تحميل الصفحة." : "The request failed; reload the page."));
  });

  function start() {
    var target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
    var first = target && target.classList.contains("card") ? target : cards()[0];
    if (first) focus(first, Boolean(target));
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
