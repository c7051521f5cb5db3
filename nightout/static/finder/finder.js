// The finder's map and "Near me". Without this script the list and the form work alone.
// The map asks the server for the markers of the visible box at the current zoom: grid
// clusters while zoomed out, single pins once close, so a 1,500-party season stays light.
(function () {
  "use strict";
  var configNode = document.getElementById("finder-map-config");
  var form = document.querySelector("form.finder-filters");
  var near = document.getElementById("id_near");
  var nearButton = document.getElementById("near-me");
  var status = document.getElementById("near-me-status");

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

  var box = document.getElementById("finder-map");
  if (!box || !configNode || typeof L === "undefined") return;
  var config = JSON.parse(configNode.textContent);
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

  // htmx swapped in new results: follow the filters on the map too.
  document.body.addEventListener("htmx:afterSwap", function (e) {
    if (!e.detail.target || e.detail.target.id !== "results") return;
    var next = e.detail.target.getAttribute("data-points");
    if (next && next !== pointsUrl) { pointsUrl = next; fitted = false; load(); }
  });
})();
