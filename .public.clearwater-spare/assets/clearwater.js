/* Clearwater theme script: sortable and filterable tables, and the site search.
   No framework and no network: every page works without it, it only adds. */
(function () {
  "use strict";

  var params = new URLSearchParams(location.search);

  /* Keep the view in the address so a filtered, sorted table can be shared. */
  function saveState() {
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  function cellValue(row, index, numeric) {
    var cell = row.cells[index];
    if (!cell) return numeric ? -Infinity : "";
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    if (!numeric) return raw;
    var number = parseFloat(raw.replace(/,/g, ""));
    return isNaN(number) ? -Infinity : number;
  }

  function sortTable(table, index, descending) {
    /* "number" columns sort by value, "rank" columns (names) by the order the build computed. */
    var type = table.tHead.rows[0].cells[index].getAttribute("data-type");
    var numeric = type === "number" || type === "rank";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, index, numeric), y = cellValue(b, index, numeric);
      var order = numeric ? x - y : String(x).localeCompare(String(y), document.documentElement.lang);
      return descending ? -order : order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (cell, i) {
      if (i === index) cell.setAttribute("aria-sort", descending ? "descending" : "ascending");
      else cell.removeAttribute("aria-sort");
    });
  }

  function setUpSorting(table) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (header, index) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (header.firstChild) button.appendChild(header.firstChild);
      header.appendChild(button);
      button.addEventListener("click", function () {
        var descending = header.getAttribute("aria-sort") === "ascending";
        sortTable(table, index, descending);
        params.set("sort", table.id + "." + (header.getAttribute("data-key") || index) + "." + (descending ? "desc" : "asc"));
        saveState();
      });
    });
    var saved = (params.get("sort") || "").split(".");
    if (saved.length === 3 && saved[0] === table.id) {
      Array.prototype.forEach.call(headers, function (header, index) {
        if ((header.getAttribute("data-key") || String(index)) === saved[1]) sortTable(table, index, saved[2] === "desc");
      });
    }
  }

  function setUpFilter(form) {
    var table = document.getElementById(form.getAttribute("data-table"));
    if (!table) return;
    var status = form.querySelector(".filter-status");
    var fields = form.querySelectorAll("input[name], select[name]");

    function apply() {
      var shown = 0, rows = table.tBodies[0].rows;
      for (var i = 0; i < rows.length; i++) {
        var row = rows[i], visible = true;
        for (var j = 0; j < fields.length && visible; j++) {
          var field = fields[j], name = field.name;
          if (field.type === "checkbox") {
            if (field.checked) visible = row.getAttribute("data-f-" + name) === field.value;
          } else if (name === "q") {
            var words = field.value.toLowerCase().normalize("NFKC").split(/\s+/).filter(Boolean);
            var text = (row.getAttribute("data-search") || row.textContent).toLowerCase();
            visible = words.every(function (word) { return text.indexOf(word) >= 0; });
          } else if (field.value) {
            visible = row.getAttribute("data-f-" + name) === field.value;
          }
        }
        row.hidden = !visible;
        if (visible) shown++;
      }
      status.textContent = form.getAttribute("data-showing").replace("{shown}", shown).replace("{total}", rows.length);
    }

    function remember() {
      Array.prototype.forEach.call(fields, function (field) {
        var value = field.type === "checkbox" ? (field.checked ? field.value : "") : field.value;
        if (value) params.set(field.name, value); else params.delete(field.name);
      });
      saveState();
    }

    Array.prototype.forEach.call(fields, function (field) {
      var saved = params.get(field.name);
      if (saved !== null) {
        if (field.type === "checkbox") field.checked = saved === field.value;
        else field.value = saved;
      }
      field.addEventListener(field.type === "search" ? "input" : "change", function () { apply(); remember(); });
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { setTimeout(function () { apply(); remember(); }); });
    form.hidden = false;
    apply();
  }

  /* Search: substring matching, so Chinese needs no word segmentation. */
  function normalise(text) { return text.toLowerCase().normalize("NFKC").trim(); }

  function setUpSearch(form) {
    var input = form.querySelector("input[name=q]");
    var status = document.querySelector(".search-status");
    var list = document.querySelector(".search-results");
    var language = form.getAttribute("data-lang");
    var root = form.getAttribute("data-index").replace(/search-index\.js$/, "");
    var query = params.get("q") || "";
    input.value = query;

    function run(index) {
      list.textContent = "";
      var words = normalise(input.value).split(/\s+/).filter(Boolean);
      if (!words.length) { status.textContent = ""; return; }
      var seen = {}, results = [];
      index.forEach(function (entry) {
        var lang = entry[0], kind = entry[1], title = entry[2], path = entry[3], text = entry[4];
        if (!words.every(function (word) { return text.indexOf(word) >= 0; })) return;
        var titleText = title.toLowerCase();
        var score = (lang === language ? 100 : 0) + (kind === "enterprise" || kind === "pollutant" ? 10 : 0) +
          (words.every(function (word) { return titleText.indexOf(word) >= 0; }) ? 50 : 0) + (titleText === words.join(" ") ? 25 : 0);
        results.push({ entry: entry, score: score, key: path.replace(/^[^/]+\//, "") });
      });
      results.sort(function (a, b) { return b.score - a.score || a.entry[2].localeCompare(b.entry[2]); });
      results = results.filter(function (result) {
        if (seen[result.key]) return false;
        seen[result.key] = true;
        return true;
      });
      results.slice(0, 50).forEach(function (result) {
        var entry = result.entry, item = document.createElement("li"), link = document.createElement("a");
        link.href = root + entry[3];
        link.textContent = entry[2];
        link.lang = entry[0] === "zh" ? "zh-CN" : entry[0];
        item.appendChild(link);
        if (entry[0] !== language) {
          var mark = document.createElement("span");
          mark.className = "other-language";
          mark.textContent = form.getAttribute("data-other").replace("{language}", entry[0] === "zh" ? "中文" : "English");
          item.appendChild(document.createTextNode(" "));
          item.appendChild(mark);
        }
        if (entry[5]) {
          var snippet = document.createElement("p");
          snippet.textContent = entry[5];
          snippet.lang = link.lang;
          item.appendChild(snippet);
        }
        list.appendChild(item);
      });
      status.textContent = results.length
        ? form.getAttribute("data-count").replace("{count}", results.length)
        : form.getAttribute("data-none");
    }

    function withIndex(callback) {
      if (self.clearwaterSearchIndex) return callback(self.clearwaterSearchIndex);
      var script = document.createElement("script");
      script.src = form.getAttribute("data-index");
      script.onload = function () { callback(self.clearwaterSearchIndex || []); };
      document.head.appendChild(script);
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (input.value) params.set("q", input.value); else params.delete("q");
      saveState();
      withIndex(run);
    });
    if (query) withIndex(run);
  }

  document.querySelectorAll("table.sortable").forEach(setUpSorting);
  document.querySelectorAll("form.table-filter").forEach(setUpFilter);
  document.querySelectorAll("form.search-page").forEach(setUpSearch);
})();
