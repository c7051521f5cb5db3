// Signing out clears what nightout kept on this device: the crew's phone view keeps its
// itineraries (with exact addresses) for offline use, in the service worker's cache and in
// localStorage. The sign-out answer also says Clear-Site-Data: "cache", "storage", but browsers
// honour that only over HTTPS (and on localhost), so the page clears its own copies first.
(function () {
  "use strict";
  var PREFIX = "nightout-";
  var QUEUE = "nightout-taps";

  function waitingTaps() {
    try {
      return JSON.parse(localStorage.getItem(QUEUE) || "[]").filter(function (t) {
        return t.state === "waiting";
      }).length;
    } catch (e) { return 0; }
  }

  function clearStorage() {
    for (var i = localStorage.length - 1; i >= 0; i--) {
      var key = localStorage.key(i);
      if (key && key.indexOf(PREFIX) === 0) localStorage.removeItem(key);
    }
  }

  function clearCaches() {
    var work = [];
    if (window.caches) {
      work.push(caches.keys().then(function (names) {
        return Promise.all(names.filter(function (name) { return name.indexOf(PREFIX) === 0; })
          .map(function (name) { return caches.delete(name); }));
      }));
    }
    if (navigator.serviceWorker && navigator.serviceWorker.getRegistrations) {
      work.push(navigator.serviceWorker.getRegistrations().then(function (registrations) {
        return Promise.all(registrations.map(function (r) { return r.unregister(); }));
      }));
    }
    return Promise.all(work);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-sign-out]")) return;
    event.preventDefault();
    var waiting = waitingTaps();
    if (waiting && !window.confirm((waiting === 1 ? "1 tap is" : waiting + " taps are") +
        " still waiting to send. Signing out deletes them from this phone. Sign out anyway?")) {
      return;
    }
    var sent = false;
    function signOut() { if (!sent) { sent = true; form.submit(); } }
    try { clearStorage(); } catch (e) { /* storage refused: the server's header still asks */ }
    clearCaches().then(signOut, signOut);
    setTimeout(signOut, 3000);  // never keep anyone from signing out
  });
})();
