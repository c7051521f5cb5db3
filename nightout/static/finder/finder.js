// The finder's map, "Near me", and what a live search does to the page. Without this script
// the list and the form work alone (each search is a page of its own).
// The map asks the server for the markers of the visible box at the current zoom: grid
// clusters while zoomed out, single pins once close, so a 1,500-party season stays light.
(function () {
  "use strict";
  var configNode = document.getElementById("finder-map-config");
  var form = document.querySelector("form.finder-filters");
  var near = document.getElementById("id_near");
  var nearButton = document.getElementById("near-me");
  var status = document.getElementById("near-me-status");
  var announced = document.getElementById("results-announced");
  var filters = document.getElementById("finder-more");
  var wide = window.matchMedia("(min-width: 56rem)");

  // Back and Forward load the page the address names from the server: a copy of the page
  // kept by htmx would carry the map's drawn markup (refused by the content security policy,
  // and drawn a second time by this script) and the form as it was typed, not as searched.
  // (This script is deferred after htmx's, so that htmx is there to be told.)
  if (typeof htmx !== "undefined") {
    htmx.config.historyCacheSize = 0;
    htmx.config.refreshOnHistoryMiss = true;
  }

  // On a wide screen the filters are open beside the search box; on a phone they stay
  // folded, so that the first screen shows results.
  if (filters && wide.matches) filters.open = true;

  if (nearButton && navigator.geolocation && form) {
    nearButton.hidden = false;
    nearButton.addEventListener("click", function () {
      status.textContent = "Finding where you are…";
      navigator.geolocation.getCurrentPosition(function (position) {
        // Three decimals (about 100 m) is enough to find parties and keeps you vague.
        near.value = position.coords.latitude.toFixed(3) + "," + position.coords.longitude.toFixed(3);
        document.getElementById("id_q").value = "";
        status.textContent = "Showing events near you.";
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
      }, function () {
        status.textContent = "Your browser did not share your location. Type an address, ZIP code or town instead.";
      }, { timeout: 10000, maximumAge: 600000 });
    });
    document.getElementById("id_q").addEventListener("input", function () { near.value = ""; });
  }

  // htmx swapped in new results (a search, a filter, a page): the element that was there
  // is gone, so everything below reads the one now in the page.
  function results() { return document.getElementById("results"); }

  function followResults(event) {
    var now = results();
    if (!now) return;
    var count = now.querySelector(".count");
    if (announced && count) announced.textContent = count.textContent.replace(/\s+/g, " ").trim();
    var summary = document.getElementById("finder-more-in-use");
    if (summary) summary.textContent = now.getAttribute("data-filters-in-use");
    var trigger = event.detail.requestConfig && event.detail.requestConfig.elt;
    var paged = trigger && trigger.closest && trigger.closest(".pager");
    if (paged) {
      // "Next" and "Previous": the new page of results from its top, focus on its heading.
      var heading = now.querySelector("h2");
      now.scrollIntoView({ block: "start" });
      if (heading) heading.focus({ preventScroll: true });
      return;
    }
    // A search or a filter: bring the results into view unless the count already is (and
    // never while the search box is being typed in, which would move it off the screen).
    var typing = document.activeElement && document.activeElement.id === "id_q";
    var box = (count || now).getBoundingClientRect();
    if (!typing && (box.top < 0 || box.bottom > window.innerHeight)) now.scrollIntoView({ block: "start" });
  }

  var box = document.getElementById("finder-map");
  var follow = function () {};
  if (box && configNode && typeof L !== "undefined") follow = drawMap(box, JSON.parse(configNode.textContent));

  document.body.addEventListener("htmx:afterSettle", function (e) {
    if (!results() || e.detail.elt !== results()) return;
    followResults(e);
    follow(results().getAttribute("data-points"));
  });

  function drawMap(box, config) {
    box.hidden = false;
    var map = L.map(box, { preferCanvas: true }).setView(config.centre || [39.8, -98.6], config.centre ? 13 : 4);
    L.tileLayer(config.tiles, { maxZoom: 19, attribution: config.attribution }).addTo(map);
    var layer = L.layerGroup().addTo(map);
    var pointsUrl = config.points;
    var fitted = false;
    var pending = null;

    function draw(data) {
      layer.clearLayers();
      data.features.forEach(function (f) {
        var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
        var count = f.properties.count;
        if (count > 1) {
          var size = count < 10 ? 30 : count < 100 ? 38 : 46;
          var marker = L.marker(ll, {
            icon: L.divIcon({ className: "cluster", html: "<span>" + count + "</span>", iconSize: [size, size] }),
            keyboard: true, title: count + " events here; zoom in", alt: count + " events"
          });
          marker.on("click", function () { map.setView(ll, Math.min(map.getZoom() + 2, 18)); });
          layer.addLayer(marker);
        } else {
          var pin = L.circleMarker(ll, { radius: 7, weight: 2, color: "#0f2a4a", fillColor: "#1d5fa8", fillOpacity: 0.9 });
          var link = document.createElement("a");
          link.href = f.properties.url;
          link.textContent = f.properties.title;
          pin.bindPopup(link);
          layer.addLayer(pin);
        }
      });
    }

    function load() {
      var b = map.getBounds();
      var params = "&zoom=" + map.getZoom() + "&bbox=" + [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()].map(function (v) { return v.toFixed(5); }).join(",");
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(pointsUrl + (fitted ? params : "&fit=1"), { signal: pending.signal })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          if (!fitted) {
            fitted = true;
            if (data.bbox) {
              map.fitBounds([[data.bbox[1], data.bbox[0]], [data.bbox[3], data.bbox[2]]], { maxZoom: 15, padding: [20, 20] });
            }
            load();
            return;
          }
          draw(data);
        })
        .catch(function () {});
    }

    var timer = null;
    map.on("moveend", function () { if (!fitted) return; clearTimeout(timer); timer = setTimeout(load, 150); });
    load();

    // The results' own address for their points: a new search fits the map to it again.
    return function (next) {
      if (next && next !== pointsUrl) { pointsUrl = next; fitted = false; clearTimeout(timer); load(); }
    };
  }
})();
