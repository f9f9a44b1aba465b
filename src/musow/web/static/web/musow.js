/* musow — every page. Pages work without this file; it only helps after a refused form:
   - focus goes to the error summary, so a screen reader reads what is wrong;
   - a link of the summary puts the cursor in its field (opening the audience of the
     participation grid that holds it), the field's label in view. */
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) { return; }
  if (document.activeElement !== summary) { summary.focus(); }
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) { return; }
    var target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!target) { return; }
    event.preventDefault();
    var details = target.closest("details");
    if (details) { details.open = true; }
    var box = target.closest("details.audience, .field") || target;
    target.focus({ preventScroll: true });
    box.scrollIntoView({ block: "start" });
    var rect = target.getBoundingClientRect();
    if (rect.bottom > window.innerHeight * 0.75) { target.scrollIntoView({ block: "center" }); }
    if (history.replaceState) { history.replaceState(null, "", link.hash); }
  });
}());
