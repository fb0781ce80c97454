// Grading grid, keyboard first: Enter in a grade box saves the row (htmx) and moves on to the
// next student; a row that comes back with a conflict or an error keeps the focus instead.
(function () {
  var pending = null;  // id of the row whose save was started from the keyboard
  document.addEventListener("keydown", function (event) {
    var input = event.target;
    if (event.key === "Enter" && input.closest && input.closest("tr.grade-row")) {
      pending = input.closest("tr.grade-row").id;
    }
  });
  function inputs() {
    return Array.prototype.slice.call(document.querySelectorAll("tr.grade-row input.grade-input"));
  }
  document.addEventListener("htmx:afterSettle", function () {
    if (!pending) { return; }
    var row = document.getElementById(pending);
    pending = null;
    if (!row) { return; }
    var own = row.querySelector("input.grade-input");
    if (row.dataset.state === "saved") {
      var all = inputs();
      var next = null;
      for (var i = 0; i < all.length; i++) {
        if (all[i].closest("tr") === row) { next = all[i + 1] || null; break; }
      }
      if (next) { next.focus(); next.select(); return; }
    }
    if (own) { own.focus(); own.select(); }
  });
})();
