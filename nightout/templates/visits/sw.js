// nightout crew phone view: network first, and the last loaded copy of a phone page when the
// signal drops. Only GET requests of /plan/.../phone/ pages are kept.
const CACHE = "nightout-phone-v1";
self.addEventListener("install", (event) => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || !/\/phone\/$/.test(url.pathname)
      || event.request.headers.get("HX-Request")) return;
  event.respondWith(
    fetch(event.request).then((response) => {
      if (response.ok) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(event.request, copy));
      }
      return response;
    }).catch(() => caches.match(event.request).then((hit) => hit || Response.error()))
  );
});
