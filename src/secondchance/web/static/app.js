// secondchance: small progressive enhancements. Every page works without this file.
"use strict";

(function () {
  // Quick exit: location.replace puts the neutral page in place of this one in the history, so
  // Back can't return to it. It goes by the link's own address (/quick-exit), which ends the
  // session and redirects to the neutral page in one step: by the time that page shows, nothing
  // is signed in, so whatever Back reaches asks for a sign-in. Without script the link does the
  // same as a plain link (a new history entry, but still signed out). Any [data-quick-exit]
  // link works this way.
  const exits = document.querySelectorAll("[data-quick-exit]");
  const exitUrl = exits.length ? exits[0].getAttribute("href") : "/quick-exit";
  function quickExit(event) {
    if (event) event.preventDefault();
    document.body.hidden = true;
    document.title = "";
    window.location.replace(exitUrl);
  }
  exits.forEach(function (link) { link.addEventListener("click", quickExit); });
  // Three presses of Escape in a row also leave at once.
  let escapes = 0;
  let escapeTimer = null;
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    escapes += 1;
    clearTimeout(escapeTimer);
    escapeTimer = setTimeout(function () { escapes = 0; }, 1200);
    if (escapes >= 3) quickExit();
  });

  // Light or dark, remembered in a cookie so the server renders the right one next time.
  const toggle = document.querySelector("[data-theme-toggle]");
  if (toggle) {
    toggle.addEventListener("click", function () {
      const root = document.documentElement;
      const current = root.dataset.theme;
      const prefersDark = window.matchMedia("(prefers-color-scheme: dark)").matches;
      const isDark = current === "dark" || (current === "auto" && prefersDark);
      const next = isDark ? "light" : "dark";
      root.dataset.theme = next;
      document.cookie = "sc_theme=" + next + "; path=/; max-age=31536000; samesite=lax";
    });
  }

  // A ride-the-urge timer with a breathing guide: [data-timer] holds the seconds.
  document.querySelectorAll("[data-timer]").forEach(function (box) {
    const total = parseInt(box.dataset.timer, 10) || 600;
    const display = box.querySelector("[data-timer-display]");
    const start = box.querySelector("[data-timer-start]");
    const breath = box.querySelector("[data-breath]");
    const cue = box.querySelector("[data-breath-cue]");
    let left = total;
    let interval = null;
    function show() {
      const m = Math.floor(left / 60);
      const s = String(left % 60).padStart(2, "0");
      if (display) display.textContent = m + ":" + s;
    }
    function tick() {
      left -= 1;
      show();
      if (cue) cue.textContent = (total - left) % 10 < 4 ? "Breathe in" : "Breathe out";
      if (left <= 0) {
        clearInterval(interval);
        if (breath) breath.classList.remove("running");
        if (cue) cue.textContent = "You rode it out.";
        box.dispatchEvent(new CustomEvent("timer-done", { bubbles: true }));
      }
    }
    show();
    if (start) {
      start.addEventListener("click", function () {
        if (interval) return;
        if (breath) breath.classList.add("running");
        interval = setInterval(tick, 1000);
        start.disabled = true;
        start.textContent = "Breathing with you…";
      });
    }
  });

  // When an htmx call fails (offline, or the server is busy), say so instead of doing nothing.
  document.addEventListener("htmx:sendError", function () {
    alertBox("You seem to be offline. Nothing was lost; try again when you're connected.");
  });
  document.addEventListener("htmx:responseError", function (event) {
    if (event.detail.xhr.status >= 500) {
      alertBox("We couldn't do that just now. Everything you saved before is safe.");
    } else if (event.detail.xhr.status === 422 || event.detail.xhr.status === 413) {
      // The server refused the form as sent (too long, most often) and htmx swaps nothing:
      // say so where the eye is. What was typed stays in the form.
      alertBox("That couldn't be saved as it is: a field may be too long. What you typed is still here.");
      const box = document.getElementById("live-alert");
      if (box) { box.setAttribute("tabindex", "-1"); box.focus(); }
    }
  });

  // A form sent back with an error: bring its first wrong field into view and focus it, so the
  // message is where the eye is (on load, and after an htmx answer).
  function focusFirstError(root) {
    const field = (root || document).querySelector("[aria-invalid='true']");
    if (field) {
      field.scrollIntoView({ block: "center" });
      // The message under the field must be in view too, even below a tall box.
      const said = (field.getAttribute("aria-describedby") || "").split(" ")
        .map(function (id) { return document.getElementById(id); })
        .filter(function (el) { return el && el.classList.contains("field-error"); })[0];
      if (said) said.scrollIntoView({ block: "nearest" });
      field.focus({ preventScroll: true });
    }
  }
  focusFirstError(document);
  document.addEventListener("htmx:afterSwap", function (event) { focusFirstError(event.target); });
  // A swap's own "show:top" scroll runs after the swap; bring the error back into view after it.
  document.addEventListener("htmx:afterSettle", function (event) {
    // An outerHTML swap settles on the old element: look for its replacement by id.
    const root = event.target.isConnected ? event.target : document.getElementById(event.target.id);
    if (root) setTimeout(function () { focusFirstError(root); }, 0);
  });
  function alertBox(text) {
    let box = document.getElementById("live-alert");
    if (!box) {
      box = document.createElement("div");
      box.id = "live-alert";
      box.className = "notice";
      box.setAttribute("role", "alert");
      document.querySelector("main").prepend(box);
    }
    box.textContent = text;
  }

  // A field's maxlength would cut a long paste short without a word. Keep every word instead,
  // and say plainly, right under the field, how far over it is; saving then gets the server's
  // own message, with the text still in the box.
  function overLimitNote(field) {
    const id = (field.id || field.name) + "-limit";
    let note = document.getElementById(id);
    if (!note) {
      note = document.createElement("p");
      note.id = id;
      note.className = "field-error";
      note.setAttribute("role", "alert");
      field.insertAdjacentElement("afterend", note);
      const described = field.getAttribute("aria-describedby");
      field.setAttribute("aria-describedby", described ? described + " " + id : id);
    }
    return note;
  }
  function checkLimit(field) {
    const max = parseInt(field.getAttribute("maxlength") || "", 10);
    if (!max) return;
    const note = document.getElementById((field.id || field.name) + "-limit");
    const length = field.value.length;
    if (length > max) {
      const fmt = function (n) { return n.toLocaleString("en"); };
      overLimitNote(field).textContent = "This is " + fmt(length) + " characters, and this space holds up to " +
        fmt(max) + ". Everything you pasted is still here: trim about " + fmt(length - max) + " and it will save.";
      field.setAttribute("aria-invalid", "true");
    } else if (note) {
      note.remove();
      field.removeAttribute("aria-invalid");
    }
  }
  document.addEventListener("paste", function (event) {
    const field = event.target;
    if (!(field instanceof HTMLTextAreaElement || field instanceof HTMLInputElement)) return;
    const max = parseInt(field.getAttribute("maxlength") || "", 10);
    const data = event.clipboardData || window.clipboardData;
    if (!max || !data) return;
    const pasted = data.getData("text");
    const start = field.selectionStart === null ? field.value.length : field.selectionStart;
    const end = field.selectionEnd === null ? start : field.selectionEnd;
    if (field.value.length - (end - start) + pasted.length <= max) return;
    event.preventDefault();
    field.setRangeText(pasted, start, end, "end");
    field.dispatchEvent(new Event("input", { bubbles: true }));
    checkLimit(field);
  });
  document.addEventListener("input", function (event) {
    const field = event.target;
    if (field instanceof HTMLTextAreaElement || field instanceof HTMLInputElement) checkLimit(field);
  });

  // Installable app: cache the static files so the shell opens offline.
  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
  }
})();

// Fill an empty time-zone field with the phone's own zone.
(function () {
  const field = document.querySelector("[data-detect-timezone]");
  if (field && !field.value && window.Intl) {
    try { field.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { /* keep empty */ }
  }
})();
