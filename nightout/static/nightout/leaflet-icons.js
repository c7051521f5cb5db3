// Leaflet finds its marker images from the name of leaflet.css and of the image in it; the
// hashed names of the static files in production hide both, and the markers would load from
// the page's own address. The page gives their addresses instead (_leaflet_js.html).
(function () {
  var script = document.currentScript;
  if (!window.L || !script) return;
  L.Icon.Default.imagePath = "";
  L.Icon.Default.mergeOptions({
    iconUrl: script.dataset.icon,
    iconRetinaUrl: script.dataset.icon2x,
    shadowUrl: script.dataset.shadow,
  });
})();
