// secondchance: reminders in Settings. Subscribes this browser with the Push API and copies the
// calendar link. Without this file the page still works: the forms save, the link can be
// selected and copied by hand.
"use strict";

(function () {
  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRF-Token"] || "";
    } catch (e) {
      return "";
    }
  }

  // The server's VAPID key is base64url; pushManager.subscribe wants the raw bytes.
  function keyBytes(base64url) {
    const base64 = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    const raw = atob(base64);
    const bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i += 1) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  const box = document.querySelector("[data-push]");
  if (box) {
    const status = box.querySelector("[data-push-status]");
    const button = box.querySelector("[data-push-subscribe]");
    const noScript = box.querySelector("[data-push-nojs]");
    const key = box.dataset.pushKey;
    function say(words) { if (status) status.textContent = words; }
    const supported = "serviceWorker" in navigator && "PushManager" in window &&
      "Notification" in window && window.isSecureContext;
    if (noScript) noScript.hidden = true;
    if (!supported || !key) {
      say((status ? status.textContent + " " : "") +
        "This browser can't receive reminders here. Installing the app on your phone, or the calendar feed below, works too.");
    } else if (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        button.disabled = true;
        say("Asking this browser…");
        Notification.requestPermission().then(function (permission) {
          if (permission !== "granted") {
            throw new Error("denied");
          }
          return navigator.serviceWorker.register("/sw.js", { scope: "/" }).then(function () {
            return navigator.serviceWorker.ready;
          });
        }).then(function (registration) {
          return registration.pushManager.getSubscription().then(function (existing) {
            return existing || registration.pushManager.subscribe({
              userVisibleOnly: true,
              applicationServerKey: keyBytes(key),
            });
          });
        }).then(function (subscription) {
          return fetch("/api/v1/push/subscriptions", {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
            body: JSON.stringify(subscription.toJSON()),
          });
        }).then(function (response) {
          if (!response.ok) throw new Error("server");
          say("Done. Reminders will come to this device on days you haven't checked in.");
          button.hidden = true;
        }).catch(function (error) {
          button.disabled = false;
          if (error && error.message === "denied") {
            say("Notifications are blocked for this site. You can allow them in the browser's settings, or use the calendar feed instead.");
          } else {
            say("This browser couldn't turn on reminders just now (its push service didn't answer). Try again later, or use the calendar feed instead.");
          }
        });
      });
    }
  }

  document.querySelectorAll("[data-copy]").forEach(function (button) {
    const field = document.querySelector(button.dataset.copy);
    if (!field || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = "Copied";
      }, function () {
        field.select();
      });
    });
  });
})();
