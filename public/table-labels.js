// Tables as cards on a phone (issue 17): public/app.css shows each row of a wide table as a card
// below 600 px, and each cell needs its column's name beside it. This script copies the column
// headers' text into the cells' data-label attribute (shown by CSS, never parsed as markup), for
// the tables on the page and for rows htmx or a poll adds later. Without it the cards still show
// every value, only without the column names.
"use strict";
(function () {
  function label(table) {
    var head = table.tHead && table.tHead.rows[0];
    if (!head) return;
    var names = [];
    for (var i = 0; i < head.cells.length; i++) {
      var text = head.cells[i].textContent.trim();
      for (var span = head.cells[i].colSpan || 1; span > 0; span--) names.push(text);
    }
    for (var b = 0; b < table.tBodies.length; b++) {
      var rows = table.tBodies[b].rows;
      for (var r = 0; r < rows.length; r++) {
        var column = 0;
        for (var c = 0; c < rows[r].cells.length; c++) {
          var cell = rows[r].cells[c];
          // A cell across several columns (an empty table's message) names none of them.
          var name = cell.colSpan > 1 ? "" : names[column] || "";
          if (name) cell.setAttribute("data-label", name);
          else cell.removeAttribute("data-label");
          column += cell.colSpan || 1;
        }
      }
    }
  }

  function labelAll() {
    var tables = document.querySelectorAll("main table");
    for (var i = 0; i < tables.length; i++) label(tables[i]);
  }

  function start() {
    labelAll();
    var pending = false;
    new MutationObserver(function () {
      if (pending) return;
      pending = true;
      requestAnimationFrame(function () {
        pending = false;
        labelAll();
      });
    }).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
