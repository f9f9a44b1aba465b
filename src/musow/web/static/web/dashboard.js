// musow — the dashboard. The page works without this script: it only applies the region
// and "provisional" choices as soon as they change, instead of waiting for "Show".
(function () {
  "use strict";
  var form = document.getElementById("dash-filters");
  if (!form) {
    return;
  }
  var fields = form.querySelectorAll("select, input[type=checkbox]");
  for (var i = 0; i < fields.length; i += 1) {
    fields[i].addEventListener("change", function () {
      form.requestSubmit ? form.requestSubmit() : form.submit();
    });
  }
})();
