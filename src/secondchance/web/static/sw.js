// secondchance service worker: static files from the cache, pages from the network.
// Pages are never cached (they hold private words); when offline, a calm offline page shows.
"use strict";
const VERSION = "secondchance-v4";  // bump when a cached file changes
const STATIC = [
  "/static/app.css",
  "/static/css/daily.css",
  "/static/css/step4.css",
  "/static/css/insights.css",
  "/static/app.js",
  "/static/step4.js",
  "/static/reminders.js",
  "/static/vendor/htmx.min.js",
  "/static/icons/icon.svg",
  "/static/icons/icon-192.png",
  "/static/icons/icon-512.png",
  "/manifest.webmanifest",
  "/offline",
  // The neutral page quick exit lands on, so leaving works with no connection too.
  "/weather",
  "/static/neutral.css",
];
// Quick exit must never land on a page of the app, even offline: the neutral page instead.
const NEUTRAL = ["/quick-exit", "/weather"];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(VERSION).then(function (cache) { return cache.addAll(STATIC); }));
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) { return k !== VERSION; }).map(function (k) { return caches.delete(k); }));
    })
  );
  self.clients.claim();
});

self.addEventListener("fetch", function (event) {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/static/") || url.pathname === "/manifest.webmanifest") {
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
    return;
  }
  if (request.mode === "navigate") {
    const fallback = NEUTRAL.indexOf(url.pathname) >= 0 ? "/weather" : "/offline";
    event.respondWith(fetch(request).catch(function () { return caches.match(fallback); }));
  }
});

// A reminder from the server (sent only on days not yet logged): show it, quietly worded.
self.addEventListener("push", function (event) {
  let message = {};
  try { message = event.data ? event.data.json() : {}; } catch (e) { message = {}; }
  const title = message.title || "secondchance";
  event.waitUntil(self.registration.showNotification(title, {
    body: message.body || "A minute for yourself? Today's check-in is waiting.",
    tag: message.tag || "checkin",
    icon: "/static/icons/icon-192.png",
    badge: "/static/icons/icon-192.png",
    data: { url: message.url || "/checkin" },
  }));
});

// Tapping it opens the check-in: the window already showing it, or a new one (never another
// open page, which may hold a half-written letter).
self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  const path = (event.notification.data && event.notification.data.url) || "/checkin";
  const target = new URL(path, self.location.origin);
  if (target.origin !== self.location.origin) return;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
      for (const client of windows) {
        if (new URL(client.url).pathname === target.pathname && "focus" in client) {
          return client.focus();
        }
      }
      return self.clients.openWindow(target.href);
    })
  );
});
