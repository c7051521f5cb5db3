// Print buttons (<button data-print>): a script file, not onclick="", so that the content
// security policy needs no inline script.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
