// The registration map (and a station's): click or drag the pin to the spot; an address or a ZIP
// code recentres it.
// Without this script (or without Leaflet) the latitude and longitude fields stay visible.
(function () {
  "use strict";
  var box = document.getElementById("pin-map");
  var config = document.getElementById("pin-map-config");
  if (!box || !config || typeof L === "undefined") return;
  config = JSON.parse(config.textContent);
  var lat = document.getElementById("id_latitude");
  var lng = document.getElementById("id_longitude");
  var zip = document.getElementById("id_postal_code");
  var address = document.getElementById("id_address");
  box.hidden = false;
  document.getElementById("pin-help").hidden = false;
  var hasPin = lat.value !== "" && lng.value !== "";
  var start = hasPin ? [parseFloat(lat.value), parseFloat(lng.value)] : [config.lat, config.lng];
  var map = L.map(box).setView(start, hasPin ? 17 : 13);
  L.tileLayer(config.tiles, { maxZoom: 19, attribution: config.attribution }).addTo(map);
  var marker = L.marker(start, { draggable: true, keyboard: true, title: config.title || "Your event" });
  if (hasPin) marker.addTo(map);
  function place(latlng) {
    marker.setLatLng(latlng).addTo(map);
    lat.value = latlng.lat.toFixed(6);
    lng.value = latlng.lng.toFixed(6);
  }
  map.on("click", function (e) { place(e.latlng); });
  marker.on("dragend", function () { place(marker.getLatLng()); });
  // Centre the map on the block, street or ZIP code the host typed, from the town's own data.
  function recentre() {
    if (map.hasLayer(marker)) return;  // the host already placed the pin
    var query = "?address=" + encodeURIComponent(address ? address.value : "") +
                "&code=" + encodeURIComponent(zip ? zip.value.slice(0, 5) : "");
    fetch(box.dataset.zipUrl + query)
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (place) { if (place) map.setView([place.latitude, place.longitude], 17); });
  }
  [address, zip].forEach(function (input) { if (input) input.addEventListener("change", recentre); });
})();
