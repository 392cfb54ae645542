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

  /* What a table shows: the rows its filter keeps, and of those one page when it has a pager.
     Every row stays in the page, for readers without the script; the script shows a page of a
     long table at a time because a browser lays out all the rows it shows after every sort and
     filter, and a province's 10,000 took it more than a second (docs/performance.md). */
  var pageSize = 100;
  var views = {};

  function count(number) { return number.toLocaleString(document.documentElement.lang); }

  function view(table) {
    if (!views[table.id]) views[table.id] = { table: table, keeps: null, page: 0, shown: [] };
    return views[table.id];
  }

  function show(table) {
    var state = view(table), rows = table.tBodies[0].rows, keep = [], kept = 0;
    for (var i = 0; i < rows.length; i++) {
      keep[i] = !state.keeps || state.keeps(rows[i]);
      if (keep[i]) kept++;
    }
    /* A page past the last, after a filter kept fewer rows or in an old address, is the last. */
    if (state.page) state.page = Math.max(1, Math.min(state.page, Math.ceil(kept / pageSize)));
    var first = (state.page - 1) * pageSize, before = 0;
    for (var j = 0; j < rows.length; j++) {
      var visible = keep[j] && (!state.page || (before >= first && before < first + pageSize));
      if (keep[j]) before++;
      if (rows[j].hidden === visible) rows[j].hidden = !visible;
    }
    state.kept = kept;
    state.shown.forEach(function (update) { update(state, first); });
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
        if (views[table.id] && views[table.id].page) turnTo(table, 1);
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
    var state = view(table);
    var status = form.querySelector(".filter-status");
    var fields = form.querySelectorAll("input[name], select[name]");
    /* Each row's text, lower-cased once rather than at every keystroke; kept by row, since
       sorting moves the rows. */
    var texts = new WeakMap();
    function textOf(row) {
      if (!texts.has(row)) texts.set(row, (row.getAttribute("data-search") || row.textContent).toLowerCase());
      return texts.get(row);
    }

    /* What the fields ask, worked out once per change rather than once per row. */
    function setKeeps() {
      var tests = [];
      Array.prototype.forEach.call(fields, function (field) {
        var name = field.name, value = field.value;
        if (field.type === "checkbox") {
          if (field.checked) tests.push(function (row) { return row.getAttribute("data-f-" + name) === value; });
        } else if (name === "q") {
          var words = value.toLowerCase().normalize("NFKC").split(/\s+/).filter(Boolean);
          if (words.length) tests.push(function (row) { var text = textOf(row); return words.every(function (word) { return text.indexOf(word) >= 0; }); });
        } else if (value) {
          tests.push(function (row) { return row.getAttribute("data-f-" + name) === value; });
        }
      });
      state.keeps = tests.length ? function (row) { return tests.every(function (test) { return test(row); }); } : null;
    }

    function remember() {
      Array.prototype.forEach.call(fields, function (field) {
        var value = field.type === "checkbox" ? (field.checked ? field.value : "") : field.value;
        if (value) params.set(field.name, value); else params.delete(field.name);
      });
      saveState();
    }

    function changed() {
      setKeeps();
      if (state.page) turnTo(table, 1); else show(table);
      remember();
    }

    Array.prototype.forEach.call(fields, function (field) {
      var saved = params.get(field.name);
      if (saved !== null) {
        if (field.type === "checkbox") field.checked = saved === field.value;
        else field.value = saved;
      }
      field.addEventListener(field.type === "search" ? "input" : "change", changed);
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { setTimeout(changed); });
    state.shown.push(function (shown) {
      status.textContent = form.getAttribute("data-showing").replace("{shown}", count(shown.kept)).replace("{total}", count(table.tBodies[0].rows.length));
    });
    form.hidden = false;
    setKeeps();
  }

  /* The page of a paged table, shown and kept for the address as `page=TABLE.N` from the
     second page on; the caller saves the address with whatever else the step changed. */
  function turnTo(table, page) {
    var state = view(table);
    state.page = page;
    show(table);
    if (state.page > 1) params.set("page", table.id + "." + state.page);
    else if ((params.get("page") || "").split(".")[0] === table.id) params.delete("page");
  }

  /* A pager follows the wrapper of the table it pages; it shows only on a table longer than a page. */
  function setUpPager(pager) {
    var wrap = pager.previousElementSibling, table = wrap && wrap.querySelector("table");
    if (!table || !table.tBodies[0] || table.tBodies[0].rows.length <= pageSize) return;
    var state = view(table);
    var saved = (params.get("page") || "").split(".");
    state.page = saved.length === 2 && saved[0] === table.id ? parseInt(saved[1], 10) || 1 : 1;
    var status = pager.querySelector(".pager-status");
    var buttons = pager.querySelectorAll("button[data-step]");
    Array.prototype.forEach.call(buttons, function (button) {
      button.addEventListener("click", function (event) {
        turnTo(table, state.page + parseInt(button.getAttribute("data-step"), 10));
        saveState();
        /* Back to the top of the new page after a click; not after a key, which would scroll
           the focused button out of sight. */
        if (event.detail > 0 && table.getBoundingClientRect().top < 0) wrap.scrollIntoView();
      });
    });
    state.shown.push(function (shown, first) {
      var last = Math.min(first + pageSize, shown.kept);
      status.textContent = status.getAttribute("data-text").replace("{first}", count(shown.kept ? first + 1 : 0)).replace("{last}", count(last)).replace("{count}", count(shown.kept));
      buttons[0].disabled = shown.page <= 1;
      buttons[1].disabled = last >= shown.kept;
    });
    pager.hidden = false;
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
  document.querySelectorAll("nav.pager").forEach(setUpPager);
  Object.keys(views).forEach(function (id) { show(views[id].table); });
  document.querySelectorAll("form.search-page").forEach(setUpSearch);
})();
