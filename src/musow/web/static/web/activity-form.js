/* musow — activity form enhancements. The form works without this file:
   - a region list first, then only that region's cercles and communes;
   - running totals of the participation grid, and a warning, as it happens, when the
     declared total differs from the breakdown (the server checks totals anyway);
   - a filter box above the partners' checkboxes, and what is chosen. */
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
    var mismatch = fieldset.querySelector("[data-mismatch]");
    var declared = fieldset.querySelector("input[name='participants_total']");
    function check(total) {
      if (!mismatch || !declared) { return; }
      var text = declared.value.trim();
      var given = /^\d+$/.test(text) ? parseInt(text, 10) : NaN;
      var differs = !isNaN(given) && given !== total;
      mismatch.hidden = !differs;
      mismatch.textContent = differs ? mismatch.getAttribute("data-mismatch")
        .replace("%(breakdown)s", format.format(total))
        .replace("%(total)s", format.format(given)) : "";
      declared.setAttribute("aria-invalid", differs ? "true" : "false");
    }
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
      check(total);
    }
    fieldset.addEventListener("input", update);
    fieldset.addEventListener("change", update);
    update();
  }

  function partnerPicker(box) {
    var list = box.querySelector("fieldset > div");
    if (!list) { return; }
    var items = Array.prototype.slice.call(list.querySelectorAll("input[type='checkbox']"));
    var legend = box.querySelector("legend");
    var filter = document.createElement("input");
    filter.type = "search";
    filter.id = (list.id || "partners") + "-filter";
    filter.className = "picker__filter";
    filter.setAttribute("autocomplete", "off");
    var label = document.createElement("label");
    label.htmlFor = filter.id;
    label.className = "picker__label";
    label.textContent = box.getAttribute("data-filter-label");
    var chosen = document.createElement("p");
    chosen.className = "picker__chosen";
    chosen.setAttribute("aria-live", "polite");
    function row(input) { return input.closest("div") || input.parentNode; }
    function fold(text) {
      return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    }
    function showChosen() {
      var names = items.filter(function (i) { return i.checked; }).map(function (i) {
        return row(i).textContent.trim();
      });
      chosen.textContent = names.length ? box.getAttribute("data-chosen-label") + " " + names.join(" · ") : "";
      chosen.hidden = !names.length;
    }
    filter.addEventListener("input", function () {
      var wanted = fold(filter.value.trim());
      items.forEach(function (input) {
        var text = fold(row(input).textContent);
        row(input).hidden = wanted !== "" && text.indexOf(wanted) < 0 && !input.checked;
      });
    });
    list.addEventListener("change", showChosen);
    list.classList.add("picker__list");
    list.parentNode.insertBefore(label, list);
    list.parentNode.insertBefore(filter, list);
    list.parentNode.insertBefore(chosen, list);
    if (legend) { legend.classList.add("picker__legend"); }
    showChosen();
  }

  document.querySelectorAll("[data-place-picker]").forEach(placePicker);
  document.querySelectorAll("[data-picker]").forEach(partnerPicker);
  document.querySelectorAll("[data-participation]").forEach(runningTotals);
}());
