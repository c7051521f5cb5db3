// A town's area and districts on a map; on the pages that ask for an area, a drawing tool
// (Leaflet.draw, from django-leaflet) that writes the drawn shapes, as GeoJSON, into the
// "Or the area as GeoJSON" field. Without this script (or without Leaflet) that field and the
// file field still work.
(function () {
  "use strict";
  var box = document.getElementById("area-map");
  var config = document.getElementById("area-map-config");
  if (!box || !config || typeof L === "undefined") return;
  config = JSON.parse(config.textContent);
  box.hidden = false;
  var map = L.map(box);
  L.tileLayer(config.tiles, { maxZoom: 19, attribution: config.attribution }).addTo(map);
  var bounds = L.latLngBounds([]);
  function show(geojson, style, each) {
    if (!geojson) return null;
    var layer = L.geoJSON(geojson, { style: style, onEachFeature: each }).addTo(map);
    bounds.extend(layer.getBounds());
    return layer;
  }
  show(config.before, { color: "#555", weight: 2, dashArray: "6 6", fill: false });
  var area = show(config.area, { color: "#1d4ed8", weight: 3, fillOpacity: 0.08 });
  show(config.districts, { color: "#9a3412", weight: 1, fillOpacity: 0.05 }, function (feature, layer) {
    layer.bindTooltip(String(feature.properties.name), { permanent: true, direction: "center", className: "district-label" });
  });
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [10, 10] });
  else if (config.center) map.setView(config.center, 12);
  else map.setView([39.8, -98.6], 4);  // the United States, to find the town on

  var field = document.getElementById("id_area_drawn");
  if (!config.draw || !field || !L.Control || !L.Control.Draw) return;
  var help = document.getElementById("area-help");
  if (help) help.hidden = false;
  var drawn = new L.FeatureGroup().addTo(map);
  if (area) area.eachLayer(function (layer) { drawn.addLayer(L.polygon(layer.getLatLngs())); map.removeLayer(area); });
  map.addControl(new L.Control.Draw({
    edit: { featureGroup: drawn },
    draw: { polygon: { allowIntersection: false, showArea: false }, rectangle: true,
            polyline: false, circle: false, marker: false, circlemarker: false }
  }));
  function write() {
    field.value = drawn.getLayers().length ? JSON.stringify(drawn.toGeoJSON()) : "";
  }
  map.on(L.Draw.Event.CREATED, function (e) { drawn.addLayer(e.layer); write(); });
  map.on(L.Draw.Event.EDITED, write);
  map.on(L.Draw.Event.DELETED, write);
})();
