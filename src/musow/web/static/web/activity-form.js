/* musow — activity form enhancements. The form works without this file:
   - a region list first, then only that region's cercles and communes;
   - running totals of the participation grid (the server checks totals anyway). */
(function () {
  "use strict";
  var lang = document.documentElement.lang || "fr";
  var format = new Intl.NumberFormat(lang === "fr" ? "fr-FR" : "en-GB");

  function placePicker(box) {
    var select = box.querySelector("select");
    if (!select) { return; }
    var groups = Array.prototype.slice.call(select.querySelectorAll("optgroup"));
    if (groups.length < 2) { return; }
    var regionSelect = document.createElement("select");
    regionSelect.id = select.id + "-region";
    var label = document.createElement("label");
    label.htmlFor = regionSelect.id;
    label.textContent = box.getAttribute("data-region-label") || (lang === "fr" ? "Région" : "Region");
    var empty = document.createElement("option");
    empty.value = "";
    empty.textContent = "—";
    regionSelect.appendChild(empty);
    groups.forEach(function (group, index) {
      var option = document.createElement("option");
      option.value = String(index);
      option.textContent = group.label;
      regionSelect.appendChild(option);
    });
    var current = select.options[select.selectedIndex];
    var currentGroup = current && current.parentNode.tagName === "OPTGROUP" ? groups.indexOf(current.parentNode) : -1;

    function show(index) {
      groups.forEach(function (group, i) {
        if (i === index || index < 0) {
          if (!group.parentNode) { select.appendChild(group); }
        } else if (group.parentNode) {
          group.parentNode.removeChild(group);
        }
      });
    }
    regionSelect.addEventListener("change", function () {
      var index = regionSelect.value === "" ? -1 : Number(regionSelect.value);
      show(index);
      if (index >= 0) { select.value = groups[index].querySelector("option").value; }
    });
    if (currentGroup >= 0) {
      regionSelect.value = String(currentGroup);
      show(currentGroup);
    }
    var wrapper = document.createElement("div");
    wrapper.className = "field";
    wrapper.appendChild(label);
    wrapper.appendChild(regionSelect);
    box.parentNode.insertBefore(wrapper, box);
  }

  function value(input) {
    var n = parseInt(input.value, 10);
    return isNaN(n) || n < 0 ? 0 : n;
  }

  function runningTotals(fieldset) {
    var line = fieldset.querySelector("[data-total-line]");
    var totalOut = fieldset.querySelector("[data-total]");
    function update() {
      var total = 0;
      fieldset.querySelectorAll("details.audience").forEach(function (details) {
        var sub = 0;
        details.querySelectorAll("input.count").forEach(function (input) { sub += value(input); });
        var out = details.querySelector("[data-subtotal]");
        if (out) { out.textContent = sub ? format.format(sub) : ""; }
        total += sub;
      });
      totalOut.textContent = format.format(total);
      line.hidden = false;
    }
    fieldset.addEventListener("input", update);
    update();
  }

  document.querySelectorAll("[data-place-picker]").forEach(placePicker);
  document.querySelectorAll("[data-participation]").forEach(runningTotals);
}());
