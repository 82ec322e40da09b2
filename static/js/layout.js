// Layout helpers: the collapsing menu and the labelled table rows on small screens, and the
// error summary. Every page works without this file: the menu is then simply shown, tables
// stay tables (scrolling sideways if need be), and the error summary is still at the top.
(function () {
  "use strict";

  // The cell menu: under 700 px (CSS) it hides behind its "Menu" button.
  function collapsibleNav(nav) {
    var button = nav.querySelector(".cell-nav__toggle");
    var list = button && document.getElementById(button.getAttribute("aria-controls"));
    if (!list) return;
    button.hidden = false;
    nav.classList.add("cell-nav--js");
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") !== "true";
      button.setAttribute("aria-expanded", open ? "true" : "false");
      list.classList.toggle("cell-nav__list--open", open);
    });
    nav.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        button.setAttribute("aria-expanded", "false");
        list.classList.remove("cell-nav__list--open");
        button.focus();
      }
    });
  }

  // The header texts of a table's last header row, one per column (colspan repeats it).
  function columnLabels(table) {
    var rows = table.tHead ? table.tHead.rows : [];
    if (!rows.length) return null;
    var labels = [];
    Array.prototype.forEach.call(rows[rows.length - 1].cells, function (cell) {
      var text = cell.textContent.replace(/\s+/g, " ").trim();
      for (var i = 0; i < (cell.colSpan || 1); i++) labels.push(text);
    });
    return labels;
  }

  // Each body cell gets its column's header as data-label; CSS shows it under 700 px.
  function labelTable(table) {
    var labels = columnLabels(table);
    if (!labels) return;
    Array.prototype.forEach.call(table.tBodies, function (body) {
      Array.prototype.forEach.call(body.rows, function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.cells, function (cell) {
          var label = labels[column];
          if (label && !cell.hasAttribute("data-label")) cell.setAttribute("data-label", label);
          column += cell.colSpan || 1;
        });
      });
    });
    table.classList.add("table--reflow");
  }

  // The error summary: focus on load; its links focus the field and show its label.
  function errorSummary(summary, first) {
    if (first) summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      if (!link) return;
      var input = document.getElementById(link.getAttribute("href").slice(1));
      if (!input) return;
      event.preventDefault();
      var legend = input.closest("fieldset") && input.closest("fieldset").querySelector("legend");
      var label = document.querySelector("label[for='" + input.id + "']") || legend || input;
      label.scrollIntoView();
      input.focus({ preventScroll: true });
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-collapsible-nav]"), collapsibleNav);
    Array.prototype.forEach.call(document.querySelectorAll("main table"), labelTable);
    Array.prototype.forEach.call(document.querySelectorAll("[data-error-summary]"), function (summary, index) {
      errorSummary(summary, index === 0);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();

  // htmx swaps in new content (the chairing screen): label its tables too.
  document.addEventListener("htmx:afterSwap", function (event) {
    var root = event.target;
    if (root && root.querySelectorAll) Array.prototype.forEach.call(root.querySelectorAll("table"), labelTable);
  });
})();
