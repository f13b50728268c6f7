// secondchance service worker: static files from the cache, pages from the network.
// Pages are never cached (they hold private words); when offline, a calm offline page shows.
"use strict";
const VERSION = "secondchance-v3";  // bump when a cached file changes
const STATIC = [
  "/static/app.css",
  "/static/css/daily.css",
  "/static/css/step4.css",
  "/static/css/insights.css",
  "/static/app.js",
  "/static/step4.js",
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
