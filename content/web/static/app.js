// Progressive enhancement only: every page works without this file.
// After htmx swaps in a new page, move focus to the main content so keyboard
// and screen-reader users start there, as on a full page load.
document.addEventListener("htmx:afterSettle", function (event) {
  if (event.detail.boosted) {
    var main = document.getElementById("main");
    if (main) main.focus({ preventScroll: true });
  }
});
