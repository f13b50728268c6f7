// The first-text composer: copy the draft, and bring a chosen suggestion into view.
// The page works without this file: the draft can be selected and copied by hand.
"use strict";

(function () {
  function showCopyButtons(root) {
    (root || document).querySelectorAll("[data-copy-draft]").forEach(function (button) {
      button.hidden = false;
    });
  }

  function say(field, text) {
    const status = field.querySelector("[data-copy-status]");
    if (status) status.textContent = text;
  }

  // Where the clipboard API is missing or refused (an older browser, a page not on https),
  // select the text so the phone's own Copy is one tap away.
  function selectInstead(field, box) {
    box.focus();
    box.select();
    let copied = false;
    try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
    say(field, copied ? "Copied" : "Selected: use your phone's Copy");
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-copy-draft]");
    if (!button) return;
    const field = button.closest(".draft-field");
    const box = field && field.querySelector("textarea");
    if (!box) return;
    say(field, "");
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(box.value).then(
        function () { say(field, "Copied"); },
        function () { selectInstead(field, box); }
      );
    } else {
      selectInstead(field, box);
    }
  });

  // After "Use this one" the chosen text sits in the box at the top of the form, out of view
  // below a long review: bring it into view and put the cursor in it.
  function focusChosen() {
    const field = document.querySelector(".draft-field[data-chosen]");
    if (!field) return;
    field.removeAttribute("data-chosen");
    const box = field.querySelector("textarea");
    field.scrollIntoView({ block: "center" });
    if (box) box.focus({ preventScroll: true });
  }

  showCopyButtons(document);
  focusChosen();
  document.addEventListener("htmx:afterSettle", function () {
    showCopyButtons(document);
    focusChosen();
  });
})();
