// A unit's route on a map: its station, its stops in order, the line between them.
(function () {
  var el = document.getElementById("unit-map");
  if (!el || !window.L) return;
  var data = JSON.parse(el.dataset.map);
  var map = L.map(el);
  L.tileLayer(data.tiles, {attribution: data.attribution, maxZoom: 19}).addTo(map);
  var line = [data.start];
  L.circleMarker(data.start, {radius: 8, color: "#333"}).addTo(map).bindTooltip("Start");
  data.stops.forEach(function (s) {
    line.push([s.lat, s.lon]);
    // The title is the host's text: a text node, never HTML.
    var label = document.createElement("span");
    label.textContent = s.order + ". " + s.at + " " + s.title;
    L.marker([s.lat, s.lon], {title: s.order + ". " + s.title}).addTo(map).bindPopup(label);
  });
  line.push(data.end);
  var route = L.polyline(line, {color: "#1a5fb4"}).addTo(map);
  map.fitBounds(route.getBounds(), {padding: [20, 20]});
})();
