/* mfa-auditor report: renders the large tables from the embedded JSON block.
 *
 * Why this exists: 10,000 users as DOM rows make a browser crawl, so rows arrive as JSON and
 * only one page of each table is in the DOM at a time. Account data is untrusted: it is only
 * ever inserted as text (createTextNode / textContent), never parsed as HTML.
 */
(function () {
  "use strict";

  var SEVERITY_RANK = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };
  var STATUS_RANK = { open: 2, unknown: 1, exempted: 0 };
  /* MfaEnforcement.rank: "unknown" (a policy could not be read) sorts with the gaps. */
  var ENFORCEMENT_RANK = {
    not_enforced: 5, unknown: 4, bypassable: 3, age_unbounded: 2, enforced: 1, "n/a": 0
  };
  var ENFORCEMENT_LABEL = {
    not_enforced: "not enforced", unknown: "unknown", bypassable: "bypassable",
    age_unbounded: "age unbounded", enforced: "enforced", "n/a": "not applicable"
  };
  /* Words for people: the JSON carries the CSV's machine values (credential-report markers,
     true/false), the page shows these. */
  var PASSWORD_WORDS = {
    "true": "yes", "false": "no", "N/A": "not applicable", "not_supported": "not applicable (root)",
    "no_information": "no information", unknown: "unknown"
  };
  var LAST_USED_WORDS = {
    "N/A": "not applicable (no password)", "no_information": "never (or no data)",
    "not_supported": "not applicable", unknown: "unknown"
  };
  var DEVICE_WORDS = {
    virtual: "virtual", fido: "FIDO key", hardware_totp: "hardware TOTP",
    hardware_or_fido: "hardware or FIDO", unknown: "unknown"
  };
  function words(map, value) {
    return Object.prototype.hasOwnProperty.call(map, value) ? map[value] : String(value);
  }
  /* The same class as INVISIBLE in html.py (a test compares them). */
  var INVISIBLE_CLASS = "[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]";
  var INVISIBLE = new RegExp(INVISIBLE_CLASS);
  var INVISIBLE_ALL = new RegExp(INVISIBLE_CLASS, "g");
  /* Break opportunities inside identifiers (rule ids, IAM names, ARNs): after these only, so
     "access_key_privileged_no_mfa" never wraps mid-word. */
  var BREAK_AFTER = /([_\-./:@,=+;#])/;
  var LONG_RUN = 48;
  /* Cut only text far longer than a cell should hold, and then well short of the end, so a
     cut never hides a handful of characters. */
  var CELL_LIMIT = 600;
  var CELL_KEEP = 480;
  var PAGE_SIZES = [25, 50, 100, 250];

  /* ---- DOM helpers: text only ---------------------------------------------------------- */

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { addText(node, text); }
    return node;
  }

  /* Text longer than limit, cut at a word end near CELL_KEEP/CELL_LIMIT of it, saying how much
     was cut; shorter text whole. */
  function cut(text, limit) {
    if (!limit || text.length <= limit) { return text; }
    var keep = Math.round(limit * CELL_KEEP / CELL_LIMIT);
    var space = text.lastIndexOf(" ", keep);
    if (space > keep * 0.9) { keep = space; }
    return text.slice(0, keep) + "… (" + (text.length - keep) + " more characters)";
  }

  /* Plain text; with breakable, a <wbr> after each BREAK_AFTER character. */
  function appendPlain(parent, text, breakable) {
    if (!breakable) {
      parent.appendChild(document.createTextNode(text));
      return;
    }
    text.split(BREAK_AFTER).forEach(function (part, index) {
      /* A run longer than any real IAM name part (hostile or broken data) may break every
         LONG_RUN characters instead of stretching its column across the page. */
      for (var start = 0; start < part.length; start += LONG_RUN) {
        if (start) { parent.appendChild(document.createElement("wbr")); }
        parent.appendChild(document.createTextNode(part.slice(start, start + LONG_RUN)));
      }
      if (index % 2 === 1) { parent.appendChild(document.createElement("wbr")); }
    });
  }

  /* Append value as text; invisible direction/zero-width characters become visible badges.
     breakable: an identifier, which may wrap only after _ - . / : @ , = + ; # (BREAK_AFTER). */
  function addText(parent, value, limit, breakable) {
    var text = value === null || value === undefined ? "" : String(value);
    if (limit && text.length > limit) {
      parent.title = text.length > 4000 ? text.slice(0, 4000) + "…" : text;
      text = cut(text, limit);
    }
    if (!INVISIBLE.test(text)) {
      appendPlain(parent, text, breakable);
      return parent;
    }
    var last = 0;
    text.replace(INVISIBLE_ALL, function (match, offset) {
      appendPlain(parent, text.slice(last, offset), breakable);
      var code = match.charCodeAt(0).toString(16).toUpperCase();
      var badge = el("span", "ctl", "U+" + ("0000" + code).slice(-4));
      badge.title = "invisible character";
      parent.appendChild(badge);
      last = offset + match.length;
      return match;
    });
    appendPlain(parent, text.slice(last), breakable);
    return parent;
  }

  function addIdent(parent, value) { return addText(parent, value, CELL_LIMIT, true); }

  function badge(kind, value, label) {
    return el("span", "badge " + kind + "-" + String(value).replace("/", ""), label || value);
  }

  function cardLink(index, text) {
    if (index < 0) { return el("span", "", text); }
    var link = el("a", "", text);
    link.href = "#card-" + index;
    return link;
  }

  function listText(values) { return values.join("; "); }

  function objects(table) {
    var fields = table.fields;
    return table.rows.map(function (row, index) {
      var item = { _index: index };
      for (var i = 0; i < fields.length; i += 1) { item[fields[i]] = row[i]; }
      return item;
    });
  }

  function lower(value) { return String(value).toLowerCase(); }

  /* ---- A sortable, filterable, paginated table ------------------------------------------ */

  function Table(host, options) {
    this.host = host;
    this.columns = options.columns;
    this.rows = options.rows;
    this.filter = options.filter || function () { return true; };
    this.expand = options.expand || null;
    this.pageSize = options.pageSize || 50;
    this.page = 0;
    this.sortColumn = -1;
    this.sortDirection = 1;
    this.showAll = false;
    this.expanded = {};
    this.view = this.rows;
    this.rows.forEach(function (row) { row._text = lower(options.text(row)); });
    this.build();
    this.refresh();
  }

  Table.prototype.build = function () {
    var self = this;
    var table = el("table", "data stack");
    var head = el("thead");
    var headRow = el("tr");
    this.headers = this.columns.map(function (column, index) {
      /* The toggle column's header carries its class too, so print can hide the whole column. */
      var th = el("th", column.className === "toggle-cell" ? "toggle-cell" : "");
      th.scope = "col";
      if (column.sort) {
        var button = el("button", "sort", column.label);
        button.type = "button";
        button.addEventListener("click", function () { self.sortBy(index); });
        th.appendChild(button);
        th.setAttribute("aria-sort", "none");
      } else {
        addText(th, column.label);
      }
      headRow.appendChild(th);
      return th;
    });
    head.appendChild(headRow);
    this.body = el("tbody");
    table.appendChild(head);
    table.appendChild(this.body);
    var wrap = el("div", "table-scroll");
    wrap.appendChild(table);
    this.pager = el("div", "pager no-print");
    this.status = el("p", "table-status");
    this.host.appendChild(this.status);
    this.host.appendChild(wrap);
    this.host.appendChild(this.pager);
  };

  Table.prototype.sortBy = function (index) {
    if (this.sortColumn === index) {
      this.sortDirection = -this.sortDirection;
    } else {
      this.sortColumn = index;
      this.sortDirection = this.columns[index].descending ? -1 : 1;
    }
    this.headers.forEach(function (th, i) {
      if (th.hasAttribute("aria-sort")) { th.setAttribute("aria-sort", "none"); }
      if (i === index) {
        th.setAttribute("aria-sort", this.sortDirection > 0 ? "ascending" : "descending");
      }
    }, this);
    this.refresh();
  };

  Table.prototype.refresh = function (query) {
    var self = this;
    var needle = query === undefined ? this.query || "" : lower(query).trim();
    this.query = needle;
    var view = this.rows.filter(function (row) {
      return (!needle || row._text.indexOf(needle) !== -1) && self.filter(row);
    });
    if (this.sortColumn >= 0) {
      var key = this.columns[this.sortColumn].sort;
      var direction = this.sortDirection;
      var keyed = view.map(function (row) { return [key(row), row._index, row]; });
      keyed.sort(function (a, b) {
        if (a[0] < b[0]) { return -direction; }
        if (a[0] > b[0]) { return direction; }
        return a[1] - b[1];
      });
      view = keyed.map(function (entry) { return entry[2]; });
    }
    this.view = view;
    this.page = 0;
    this.render();
  };

  Table.prototype.render = function () {
    var self = this;
    var total = this.view.length;
    var pages = Math.max(1, Math.ceil(total / this.pageSize));
    this.page = Math.min(this.page, pages - 1);
    var start = this.showAll ? 0 : this.page * this.pageSize;
    var end = this.showAll ? total : Math.min(total, start + this.pageSize);
    var fragment = document.createDocumentFragment();
    for (var i = start; i < end; i += 1) { this.renderRow(fragment, this.view[i]); }
    if (!total) {
      var empty = el("tr", "empty");
      var cell = el("td", "", this.host.getAttribute("data-empty") || "Nothing to show.");
      cell.colSpan = this.columns.length;
      empty.appendChild(cell);
      fragment.appendChild(empty);
    }
    this.body.textContent = "";
    this.body.appendChild(fragment);
    this.status.textContent = total
      ? "Showing " + (start + 1).toLocaleString("en") + "–" + end.toLocaleString("en") +
        " of " + total.toLocaleString("en") +
        (total !== this.rows.length ? " (filtered from " + this.rows.length.toLocaleString("en") + ")" : "")
      : "0 of " + this.rows.length.toLocaleString("en");
    this.renderPager(pages);
    if (self.onRender) { self.onRender(); }
  };

  Table.prototype.renderRow = function (fragment, row) {
    var self = this;
    var tr = el("tr");
    this.columns.forEach(function (column) {
      var td = el("td", column.className || "");
      /* The label each cell shows on a narrow screen, where rows become stacked blocks. */
      if (column.label) { td.setAttribute("data-label", column.label); }
      if (column.render) {
        column.render(row, td, self);
      } else {
        addText(td, row[column.key], CELL_LIMIT, column.ident);
      }
      tr.appendChild(td);
    });
    fragment.appendChild(tr);
    if (this.expand && this.expanded[row._index]) {
      var detail = el("tr", "detail-row");
      var cell = el("td");
      cell.colSpan = this.columns.length;
      cell.appendChild(this.expand(row));
      detail.appendChild(cell);
      fragment.appendChild(detail);
    }
  };

  Table.prototype.toggle = function (row) {
    this.expanded[row._index] = !this.expanded[row._index];
    this.render();
  };

  Table.prototype.renderPager = function (pages) {
    var self = this;
    this.pager.textContent = "";
    function button(label, page, disabled) {
      var b = el("button", "", label);
      b.type = "button";
      b.disabled = disabled;
      b.addEventListener("click", function () { self.page = page; self.render(); });
      self.pager.appendChild(b);
    }
    button("« First", 0, this.page === 0);
    button("‹ Previous", this.page - 1, this.page === 0);
    this.pager.appendChild(el("span", "page-of", "Page " + (this.page + 1) + " of " + pages));
    button("Next ›", this.page + 1, this.page >= pages - 1);
    button("Last »", pages - 1, this.page >= pages - 1);
    var label = el("label", "", "Rows per page ");
    var select = el("select");
    PAGE_SIZES.forEach(function (size) {
      var option = el("option", "", String(size));
      option.value = String(size);
      option.selected = size === self.pageSize;
      select.appendChild(option);
    });
    select.addEventListener("change", function () {
      self.pageSize = Number(select.value);
      self.page = 0;
      self.render();
    });
    label.appendChild(select);
    this.pager.appendChild(label);
  };

  /* ---- Table definitions ----------------------------------------------------------------- */

  function text(key) { return function (row) { return lower(row[key]); }; }

  function principalCell(row, td) {
    td.appendChild(el("span", "ptype", row.ptype));
    td.appendChild(document.createTextNode(" "));
    td.appendChild(addIdent(cardLink(row.pcard, null), row.pname));
  }

  function groupCell(row, td) {
    if (row.group) { td.appendChild(addIdent(cardLink(row.gcard, null), row.group)); }
  }

  var severityColumn = { label: "Severity", key: "severity", descending: true,
    sort: function (row) { return SEVERITY_RANK[row.severity]; },
    render: function (row, td) { td.appendChild(badge("sev", row.severity)); } };

  function findingDetail(row) {
    var box = el("div", "finding-detail");
    var list = el("dl");
    function item(label, value, className) {
      if (value === "" || value === null || value === undefined) { return; }
      list.appendChild(el("dt", "", label));
      list.appendChild(el("dd", className || "", value));
    }
    item("Detail", row.detail);
    item("Remediation", row.remediation);
    item("Principal ARN", row.parn, "mono");
    item("In the baseline run", row.diffWas ? "was " + row.diffWas : "");
    row.evidence.forEach(function (pair) { item("Evidence: " + pair[0], pair[1], "mono"); });
    item("Exemption reason", row.exReason);
    item("Exemption expires", row.exExpires);
    item("Exemption ticket", row.exTicket);
    box.appendChild(list);
    return box;
  }

  function findingColumns(hasDiff) {
    var columns = [
      { label: "", className: "toggle-cell", render: function (row, td, table) {
        var b = el("button", "toggle", table.expanded[row._index] ? "▾" : "▸");
        b.type = "button";
        b.setAttribute("aria-label", "Show details");
        b.setAttribute("aria-expanded", table.expanded[row._index] ? "true" : "false");
        b.addEventListener("click", function () { table.toggle(row); });
        td.appendChild(b);
      } },
      severityColumn,
      { label: "Status", key: "status", descending: true,
        sort: function (row) { return STATUS_RANK[row.status]; },
        render: function (row, td) { td.appendChild(badge("status", row.status)); } }
    ];
    if (hasDiff) {
      columns.push({ label: "Change", key: "diff", sort: text("diff"),
        render: function (row, td) {
          td.appendChild(badge("diff", row.diff));
          if (row.diffWas) { td.appendChild(el("div", "subtle", "was " + row.diffWas)); }
        } });
    }
    return columns.concat([
      { label: "Rule", key: "rule", className: "mono rule", sort: text("rule"), ident: true },
      { label: "Principal", key: "pname", className: "wide", sort: text("pname"), render: principalCell },
      { label: "Group", key: "group", sort: text("group"), render: groupCell },
      { label: "Finding", key: "title", sort: text("title"), render: function (row, td) {
        td.appendChild(addText(el("strong"), row.title, CELL_LIMIT));
        td.appendChild(addIdent(el("div", "subtle"), row.detail));
      } }
    ]);
  }

  var exemptionColumns = [
    { label: "Rule", key: "rule", className: "mono", sort: text("rule"), ident: true },
    { label: "Principal", key: "pname", sort: text("pname"), render: principalCell },
    severityColumn,
    { label: "Reason", key: "exReason", sort: text("exReason") },
    { label: "Expires", key: "exExpires", sort: text("exExpires") },
    { label: "Ticket", key: "exTicket", sort: text("exTicket") }
  ];

  function enforcementCell(row, td) {
    td.appendChild(badge("enf", row.enforcement, ENFORCEMENT_LABEL[row.enforcement] || row.enforcement));
  }

  var userColumns = [
    { label: "User", key: "name", className: "wide", sort: text("name"), render: function (row, td) {
      addIdent(td, row.name);
      td.title = row.arn;
    } },
    { label: "Console password", key: "password", sort: text("password"),
      render: function (row, td) { addText(td, words(PASSWORD_WORDS, row.password)); } },
    { label: "Password last used", key: "lastUsed", className: "when", sort: text("lastUsed"), render: function (row, td) {
      if (Object.prototype.hasOwnProperty.call(LAST_USED_WORDS, row.lastUsed)) {
        addText(td, LAST_USED_WORDS[row.lastUsed]);
        return;
      }
      /* 2026-11-19T16:30:00Z may wrap after the date, nowhere else. */
      var parts = String(row.lastUsed).split("T");
      addText(td, parts[0] + (parts.length > 1 ? "T" : ""));
      if (parts.length > 1) {
        td.appendChild(document.createElement("wbr"));
        addText(td, parts.slice(1).join("T"));
      }
    } },
    { label: "MFA", key: "mfa", sort: text("mfa"), render: function (row, td) {
      td.appendChild(badge("mfa", row.mfa, row.mfa === "true" ? "yes" : row.mfa === "false" ? "no" : "unknown"));
    } },
    { label: "MFA devices", key: "devices", sort: function (row) { return listText(row.devices); },
      render: function (row, td) {
        addIdent(td, row.devices.length ? row.devices.map(function (d) { return words(DEVICE_WORDS, d); }).join(", ") : "none");
      } },
    { label: "Access keys", key: "keys", sort: function (row) { return row.keys; } },
    { label: "Groups", key: "groups", className: "wide", sort: function (row) { return lower(listText(row.groups)); },
      render: function (row, td) { addIdent(td, listText(row.groups)); } },
    { label: "Privileged", key: "privileged", className: "wide", descending: true,
      sort: function (row) { return row.privileged ? 1 : 0; }, render: function (row, td) {
        addText(td, row.privileged ? "yes" : "no");
        if (row.via.length) { td.appendChild(addIdent(el("div", "subtle"), listText(row.via))); }
      } },
    { label: "MFA required by policy", key: "enforcement", descending: true,
      sort: function (row) { return ENFORCEMENT_RANK[row.enforcement]; }, render: enforcementCell }
  ];

  var groupColumns = [
    { label: "Group", key: "name", className: "wide", sort: text("name"), render: function (row, td) {
      td.appendChild(addIdent(cardLink(row.gcard, null), row.name));
      td.title = row.arn;
    } },
    { label: "Privileged", key: "privileged", descending: true,
      sort: function (row) { return row.privileged ? 1 : 0; },
      render: function (row, td) { addText(td, row.privileged ? "yes" : "no"); } },
    { label: "MFA required by policy", key: "enforcement", descending: true,
      sort: function (row) { return ENFORCEMENT_RANK[row.enforcement]; }, render: enforcementCell },
    { label: "Members", key: "memberCount", sort: function (row) { return row.memberCount; } },
    { label: "Without MFA", key: "withoutMfa", descending: true,
      sort: function (row) { return row.withoutMfa.length; }, render: function (row, td) {
        addIdent(td, row.withoutMfa.length ? row.withoutMfa.length + ": " + listText(row.withoutMfa) : "0");
      } },
    { label: "Policies", key: "policies", sort: function (row) { return lower(listText(row.policies)); },
      render: function (row, td) { addIdent(td, listText(row.policies)); } }
  ];

  var previousColumns = [
    { label: "Change", key: "change", sort: text("change"),
      render: function (row, td) { td.appendChild(badge("diff", row.change.replace(/[^a-z]/g, ""), row.change)); } },
    severityColumn,
    { label: "Rule", key: "rule", className: "mono", sort: text("rule"), ident: true },
    { label: "Principal", key: "pname", sort: text("pname"), render: function (row, td) {
      td.appendChild(el("span", "ptype", row.ptype));
      td.appendChild(document.createTextNode(" "));
      addIdent(td, row.pname);
    } },
    { label: "Group", key: "group", sort: text("group"), ident: true },
    { label: "Finding", key: "title", sort: text("title") }
  ];

  /* ---- Wiring ----------------------------------------------------------------------------- */

  function control(id) { return document.getElementById(id); }

  function bindSearch(input, table) {
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { table.refresh(input.value); }, 120);
    });
  }

  function bindSelects(ids, table) {
    ids.forEach(function (id) {
      var node = control(id);
      if (node) { node.addEventListener("change", function () { table.refresh(); }); }
    });
  }

  function value(id) { var node = control(id); return node ? node.value : ""; }

  function fillRuleOptions(select, rows) {
    var seen = {};
    rows.forEach(function (row) { seen[row.rule] = true; });
    Object.keys(seen).sort().forEach(function (rule) {
      var option = el("option", "", rule);
      option.value = rule;
      select.appendChild(option);
    });
  }

  /* Copy the exact policy text from the data block: the <pre> shows invisible characters as
     visible badges, so its text is not what should be pasted into IAM. */
  function bindCopyButtons(remediations) {
    Array.prototype.forEach.call(document.querySelectorAll("button.copy"), function (button) {
      button.addEventListener("click", function () {
        var id = button.getAttribute("data-copy");
        var payload = Object.prototype.hasOwnProperty.call(remediations, id) ? remediations[id] : "";
        function done(ok) {
          button.textContent = ok ? "Copied" : "Select and copy";
          setTimeout(function () { button.textContent = "Copy"; }, 1500);
        }
        function fallback() {
          var area = el("textarea", "offscreen");
          area.value = payload;
          area.setAttribute("readonly", "");
          document.body.appendChild(area);
          area.select();
          var ok = false;
          try { ok = document.execCommand("copy"); } catch (ignored) { ok = false; }
          document.body.removeChild(area);
          done(ok);
        }
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(payload).then(function () { done(true); }, fallback);
        } else {
          fallback();
        }
      });
    });
  }

  function main() {
    var data = JSON.parse(document.getElementById("report-data").textContent);
    var findings = objects(data.findings);
    var tables = [];
    function findingText(row) {
      return [row.severity, row.status, row.diff, row.rule, row.ptype, row.pname, row.parn,
        row.group, row.title, row.detail].join("\n");
    }
    var findingsTable = new Table(control("findings-table"), {
      columns: findingColumns(data.hasDiff), rows: findings, expand: findingDetail, text: findingText,
      filter: function (row) {
        var severity = value("f-severity"), status = value("f-status");
        var rule = value("f-rule"), diff = value("f-diff");
        return (!severity || row.severity === severity) && (!status || row.status === status) &&
          (!rule || row.rule === rule) && (!diff || row.diff === diff);
      }
    });
    fillRuleOptions(control("f-rule"), findings);
    bindSelects(["f-severity", "f-status", "f-rule", "f-diff"], findingsTable);
    bindSearch(control("f-text"), findingsTable);
    tables.push(findingsTable);

    tables.push(new Table(control("exemptions-table"), {
      columns: exemptionColumns, text: findingText, pageSize: 25,
      rows: findings.filter(function (row) { return row.status === "exempted"; })
    }));

    var usersTable = new Table(control("users-table"), {
      columns: userColumns, rows: objects(data.users),
      text: function (row) { return [row.name, row.arn, listText(row.groups), listText(row.via)].join("\n"); },
      filter: function (row) {
        var mfa = value("u-mfa"), password = value("u-console"), enforcement = value("u-enf");
        return (!mfa || row.mfa === mfa) && (!password || row.password === password) &&
          (!enforcement || row.enforcement === enforcement) &&
          (!control("u-privileged").checked || row.privileged);
      }
    });
    bindSelects(["u-mfa", "u-console", "u-enf", "u-privileged"], usersTable);
    bindSearch(control("u-text"), usersTable);
    tables.push(usersTable);

    var groupsTable = new Table(control("groups-table"), {
      columns: groupColumns, rows: objects(data.groups),
      text: function (row) { return [row.name, row.arn, listText(row.withoutMfa), listText(row.policies)].join("\n"); },
      filter: function (row) {
        var enforcement = value("g-enf");
        return (!enforcement || row.enforcement === enforcement) &&
          (!control("g-privileged").checked || row.privileged);
      }
    });
    bindSelects(["g-enf", "g-privileged"], groupsTable);
    bindSearch(control("g-text"), groupsTable);
    tables.push(groupsTable);

    if (control("previous-table")) {
      tables.push(new Table(control("previous-table"), {
        columns: previousColumns, rows: objects(data.previous), pageSize: 25,
        text: function (row) { return [row.rule, row.pname, row.parn, row.group, row.title].join("\n"); }
      }));
    }
    bindCopyButtons(data.remediations);

    var closedDetails = [];
    window.addEventListener("beforeprint", function () {
      tables.forEach(function (table) { table.showAll = true; table.render(); });
      closedDetails = Array.prototype.filter.call(document.querySelectorAll("details"), function (d) { return !d.open; });
      closedDetails.forEach(function (d) { d.open = true; });
    });
    window.addEventListener("afterprint", function () {
      tables.forEach(function (table) { table.showAll = false; table.render(); });
      closedDetails.forEach(function (d) { d.open = false; });
    });
    window.mfaReport = { tables: tables, readyAt: performance.now() };
    document.documentElement.setAttribute("data-ready", "true");
  }

  main();
}());
