// Indeks: small progressive enhancements; every page works without this file.
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) { event.detail.headers["X-CSRFToken"] = meta.content; }
});
// Let htmx swap 4xx answers that carry a partial (form errors, "slot taken" messages); a 304
// to a poller's conditional request (live seats) means "still as shown": nothing to swap.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if (status === 400 || status === 403 || status === 409 || status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  } else if (status === 304) {
    event.detail.shouldSwap = false;
  }
});
// Print buttons (hidden without JavaScript, where the browser's own Print remains).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
});
// Pollers rest while their tab is hidden: nobody is watching those seats.
document.addEventListener("htmx:beforeRequest", function (event) {
  if (document.hidden && event.detail.elt.hasAttribute("data-poll")) { event.preventDefault(); }
});
// Forms that undo something at once (sign out everywhere, close a registration, delete) ask
// first; without JavaScript they post as they are.
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute && event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) { event.preventDefault(); }
}, true);
