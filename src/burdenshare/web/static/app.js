/* burdenshare dashboard: a small client of the JSON API (see /openapi.json).
 *
 * Everything shown comes from the API; text from scenario files is inserted with textContent
 * only (an uploaded file is untrusted input). Slider moves are debounced; an older request is
 * aborted when a newer one starts, and a late answer to an old request is ignored.
 */
"use strict";

(function () {
  const boot = JSON.parse(document.getElementById("boot").textContent);
  const DEBOUNCE_MS = 150;
  const DAY_MS = 86400000;
  const SYMBOLS = { KRW: "₩", USD: "$", EUR: "€", JPY: "¥", GBP: "£" };

  const state = {
    source: { scenario: boot.flagship }, // {scenario: name} or {scenario_text, format}
    info: null, // the scenario description (validate result + parameters)
    params: [], // slider specs
    last: null, // the last what-if result
    seq: 0,
    controller: null,
    timer: null,
    replay: null,
    step: 0,
    updates: 0,
    deadline: { seq: 0, controller: null, updates: 0 },
    forecast: { seq: 0, controller: null, updates: 0 },
  };

  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function show(id, text) {
    const node = $(id);
    node.textContent = text || "";
    node.hidden = !text;
  }

  // -- formatting -----------------------------------------------------------------------------

  function fmtAbsolute(amount, currency) {
    const mag = Math.abs(amount);
    let mult = 1, suffix = "";
    for (const [m, s] of [[1e12, "T"], [1e9, "bn"], [1e6, "M"], [1e3, "k"]]) {
      if (mag >= m) { mult = m; suffix = s; break; }
    }
    if (currency === "KRW" && mult > 1e9 && mag < 1e13) { mult = 1e9; suffix = "bn"; }
    const scaled = amount / mult;
    const digits = Math.abs(scaled) >= 100 ? 1 : Math.abs(scaled) >= 10 ? 2 : 3;
    const num = scaled.toLocaleString("en-US", {
      minimumFractionDigits: digits, maximumFractionDigits: digits,
    }) + suffix;
    return SYMBOLS[currency] ? SYMBOLS[currency] + num : num + " " + currency;
  }

  function moneyIn(value, currency) {
    const m = state.info.money;
    const absolute = value * m.multiplier;
    return currency === m.unit ? absolute : absolute / m.fx[currency];
  }

  function fmtMoney(value) {
    const m = state.info.money;
    const main = fmtAbsolute(moneyIn(value, m.unit), m.unit);
    const others = Object.keys(m.fx).map((c) => fmtAbsolute(moneyIn(value, c), c));
    return others.length ? `${main} (${others.join(", ")})` : main;
  }

  function fmtParam(p, value) {
    switch (p.kind) {
      case "money": return fmtMoney(value);
      case "probability": return `${(value * 100).toFixed(1)}% per round`;
      case "discount": return `${value.toFixed(3)} per round`;
      case "date": return value;
      default: return `${Number(value).toLocaleString("en-US", { maximumFractionDigits: 4 })} ${p.unit}`.trim();
    }
  }

  const pct = (p) => (p === null || p === undefined ? "–" : `${(p * 100).toFixed(1)}%`);
  const pctSe = (se) => (se === null || se === undefined ? "" : `± ${(se * 100).toFixed(2)} pp`);
  const isoToDay = (iso) => Math.round(Date.parse(iso + "T00:00:00Z") / DAY_MS);
  const dayToIso = (day) => new Date(day * DAY_MS).toISOString().slice(0, 10);

  // -- API ------------------------------------------------------------------------------------

  async function api(path, options) {
    const response = await fetch(path, options);
    let data = null;
    try {
      data = await response.json();
    } catch (err) {
      data = { error: "BadResponse", message: `the server answered ${response.status}` };
    }
    if (!response.ok) {
      const error = new Error(data.detail || data.message || `HTTP ${response.status}`);
      error.status = response.status;
      error.body = data;
      throw error;
    }
    return data;
  }

  function postJson(path, body, signal) {
    return api(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal,
    });
  }

  function describeError(err) {
    const b = err.body || {};
    const parts = [];
    if (b.file) parts.push(b.line ? `${b.file}, line ${b.line}` : b.file);
    else if (b.line) parts.push(`line ${b.line}`);
    if (b.field) parts.push(`field ${b.field}`);
    let text = (parts.length ? parts.join(", ") + ": " : "") + (b.message || err.message);
    if (b.value !== null && b.value !== undefined) text += ` (got ${b.value})`;
    if (b.expected) text += `; expected ${b.expected}`;
    return text;
  }

  // -- scenario -------------------------------------------------------------------------------

  async function loadBundled(name) {
    state.source = { scenario: name };
    show("upload-error", "");
    try {
      const info = await api(`/api/scenarios/${encodeURIComponent(name)}`);
      useScenario(info);
    } catch (err) {
      show("upload-error", describeError(err));
    }
  }

  async function upload(file) {
    show("upload-error", "");
    if (file.size > boot.max_bytes) {
      show("upload-error", `${file.name}: the file is over ${boot.max_bytes.toLocaleString()} bytes`);
      return;
    }
    const text = await file.text();
    const form = new FormData();
    form.append("file", file, file.name);
    try {
      const info = await api("/api/scenarios/validate", { method: "POST", body: form });
      state.source = { scenario_text: text, format: formatOf(file.name) };
      const option = el("option", { value: "__upload__", text: `uploaded: ${file.name}` });
      const select = $("scenario-select");
      const old = select.querySelector('option[value="__upload__"]');
      if (old) old.remove();
      select.append(option);
      select.value = "__upload__";
      useScenario(info);
    } catch (err) {
      show("upload-error", "Not loaded. " + describeError(err));
    }
  }

  function formatOf(name) {
    const ext = name.split(".").pop().toLowerCase();
    return ext === "json" ? "json" : ext === "toml" ? "toml" : "yaml";
  }

  function useScenario(info) {
    state.info = info;
    state.params = info.parameters;
    $("scenario-title").textContent = `${info.title} (as of ${info.as_of})`;
    $("scenario-description").textContent = info.description || "";
    buildSliders();
    buildNegotiators();
    buildCurrencies();
    state.replay = null;
    $("replay").hidden = true;
    schedule(0);
    runDeadlines();
    runForecast();
  }

  function buildCurrencies() {
    const select = $("currency");
    select.replaceChildren();
    const m = state.info.money;
    for (const c of [m.unit, ...Object.keys(m.fx)]) select.append(el("option", { value: c, text: c }));
  }

  // -- sliders --------------------------------------------------------------------------------

  function sliderId(path) {
    return "p-" + path.replace(/[^A-Za-z0-9_-]/g, "-");
  }

  function buildSliders() {
    const box = $("sliders");
    box.replaceChildren();
    let group = null;
    for (const p of state.params) {
      if (p.group !== group) {
        group = p.group;
        box.append(el("h3", { class: "group", text: group === "protocol" ? "Talks" : group }));
      }
      const id = sliderId(p.path);
      const date = p.kind === "date";
      const input = el("input", {
        type: "range",
        id,
        "data-path": p.path,
        min: date ? isoToDay(p.min) : p.min,
        max: date ? isoToDay(p.max) : p.max,
        step: p.step,
        value: date ? isoToDay(p.value) : p.value,
      });
      const output = el("output", { for: id, id: id + "-value", text: p.display });
      const reset = el("button", { type: "button", class: "reset-one", title: "back to the scenario's value", "aria-label": `reset ${p.label}`, text: "↺" });
      reset.addEventListener("click", () => {
        input.value = date ? isoToDay(p.value) : p.value;
        onSlide(p, input, output);
      });
      input.addEventListener("input", () => onSlide(p, input, output));
      const note = p.note ? el("small", { class: "note", text: p.note }) : null;
      const row = el("div", { class: "param", "data-path": p.path },
        el("label", { for: id, text: p.label }), input, output, reset, note);
      box.append(row);
    }
  }

  function onSlide(p, input, output) {
    const value = p.kind === "date" ? dayToIso(Number(input.value)) : Number(input.value);
    output.textContent = fmtParam(p, value);
    input.closest(".param").classList.toggle("changed", changed(p, input));
    schedule(DEBOUNCE_MS);
  }

  function changed(p, input) {
    if (p.kind === "date") return Number(input.value) !== isoToDay(p.value);
    return Math.abs(Number(input.value) - p.value) > p.step / 2;
  }

  function currentChanges() {
    const changes = {};
    for (const p of state.params) {
      const input = $(sliderId(p.path));
      if (!input || !changed(p, input)) continue;
      changes[p.path] = p.kind === "date" ? dayToIso(Number(input.value)) : Number(input.value);
    }
    return changes;
  }

  function settings() {
    return {
      ...state.source,
      changes: currentChanges(),
      negotiators: chosenNegotiators(),
      n: Number($("sessions").value),
      seed: Math.max(0, Math.floor(Number($("seed").value) || 0)),
      uncertain: $("uncertain").value,
    };
  }

  // -- negotiators: one select per party ------------------------------------------------------

  // the select of party k: #neg-a and #neg-b for the first two (as in a bilateral scenario)
  function negotiatorId(k) {
    return k === 0 ? "neg-a" : k === 1 ? "neg-b" : `neg-${k}`;
  }

  function negotiatorSelect(id, value, first) {
    const select = el("select", { id });
    for (const name of boot.negotiators) select.append(el("option", { value: name, text: name }));
    select.value = value;
    select.addEventListener("change", () => {
      if (first) first();
      schedule(0);
      runDeadlines();
    });
    return select;
  }

  // two parties: the first and second party's selects; more: "every party" and one per party
  function buildNegotiators() {
    const parties = state.info.parties;
    const box = $("negotiators");
    const previous = state.negotiators || [];
    box.replaceChildren();
    const fallback = parties.length === 2 ? boot.default_negotiators : [boot.default_negotiators[0]];
    const start = (k) => previous[k] || fallback[Math.min(k, fallback.length - 1)];
    if (parties.length === 2) {
      box.append(
        el("label", {}, "First party's negotiator ", negotiatorSelect("neg-a", start(0))),
        el("label", {}, "Second party's negotiator ", negotiatorSelect("neg-b", start(1))));
      return;
    }
    const every = negotiatorSelect("neg-all", start(0), () => {
      parties.forEach((_, k) => { $(negotiatorId(k)).value = $("neg-all").value; });
    });
    const each = el("details", { class: "per-party" },
      el("summary", { text: `one per party (${parties.length})` }),
      ...parties.map((name, k) => el("label", {}, `${name}'s negotiator `, negotiatorSelect(negotiatorId(k), start(k)))));
    box.append(el("label", {}, "Every party's negotiator ", every), each);
  }

  // one name when every party plays the same, else one per party in listing order
  function chosenNegotiators() {
    const parties = state.info ? state.info.parties : ["", ""];
    const names = parties.map((_, k) => ($(negotiatorId(k)) || {}).value).filter(Boolean);
    state.negotiators = names;
    if (parties.length > 2 && names.every((n) => n === names[0])) return [names[0]];
    return names;
  }

  // "a vs b" for two parties, "x for all N parties", or every name (as the CLI and report say)
  function negotiatorWords(names) {
    if (names.length <= 2) return names.join(" vs ");
    if (names.every((n) => n === names[0])) return `${names[0]} for all ${names.length} parties`;
    return `${names.join(", ")} (in listing order)`;
  }

  // -- what-if --------------------------------------------------------------------------------

  function schedule(delay) {
    clearTimeout(state.timer);
    state.timer = setTimeout(runWhatif, delay);
  }

  async function runWhatif() {
    if (!state.info) return;
    const seq = ++state.seq;
    if (state.controller) state.controller.abort();
    state.controller = new AbortController();
    $("busy").hidden = false;
    document.querySelectorAll(".param.invalid").forEach((n) => n.classList.remove("invalid"));
    try {
      const result = await postJson("/api/whatif", settings(), state.controller.signal);
      if (seq !== state.seq) return;
      show("whatif-error", "");
      render(result);
    } catch (err) {
      if (err.name === "AbortError" || seq !== state.seq) return;
      show("whatif-error", describeError(err));
      const field = err.body && err.body.field;
      if (field) {
        const row = document.querySelector(`.param[data-path="${CSS.escape(field)}"]`);
        if (row) row.classList.add("invalid");
      }
    } finally {
      if (seq === state.seq) $("busy").hidden = true;
    }
  }

  function render(r) {
    state.last = r;
    $("p-deal").textContent = pct(r.p_agreement.estimate);
    $("p-deal-se").textContent = pctSe(r.p_agreement.se);
    $("p-deadline").textContent = pct(r.p_agreement_by_deadline.estimate);
    $("p-deadline-date").textContent = `by ${r.p_agreement_by_deadline.date}`;
    const issue = firstNumericIssue(r);
    const s = issue ? r.settlement[issue] : null;
    const median = s && s.quantiles["0.5"];
    $("median").textContent = median && median.display ? median.display.split(" (")[0] : "no deals";
    $("median-alt").textContent = median && median.display && median.display.includes(" (")
      ? median.display.slice(median.display.indexOf(" (") + 2, -1) : "";
    $("sessions-run").textContent = r.sessions_cut
      ? `${r.sessions_cut.ran.toLocaleString("en-US")} of ${r.sessions_cut.requested.toLocaleString("en-US")}`
      : r.n_sessions.toLocaleString("en-US");
    $("elapsed").textContent = `${(r.elapsed_seconds * 1000).toFixed(0)} ms`;
    $("whatif-note").textContent = r.sessions_cut ? `Fewer sessions than asked: ${r.sessions_cut.reason}.` : (r.note || "");
    for (const c of r.changes) {
      const out = $(sliderId(c.path) + "-value");
      if (out) out.textContent = c.display + (c.clipped_share > 0.001 ? ` (${(c.clipped_share * 100).toFixed(0)}% of draws clipped at a limit)` : "");
    }
    renderZopa(r);
    renderHistogram(r);
    renderDates(r);
    renderTables(r);
    for (const button of document.querySelectorAll(".replay-example")) {
      button.disabled = r.example_sessions[button.dataset.outcome] === null;
    }
    state.updates += 1;
    document.body.dataset.updates = String(state.updates);
  }

  function firstNumericIssue(r) {
    const ids = Object.keys(r.settlement);
    return ids.length ? ids[0] : null;
  }

  function renderZopa(r) {
    $("zopa-text").textContent = r.zopa.explanation;
    const line = $("zopa-line");
    line.replaceChildren();
    const issue = firstNumericIssue(r) || Object.keys(r.positions)[0];
    const pos = issue && r.positions[issue];
    if (!pos) return;
    const [lo, hi] = pos.range;
    const frac = (v) => Math.max(0, Math.min(1, (v - lo) / (hi - lo)));
    const show = (v) => (pos.money ? fmtMoney(v).split(" (")[0] : `${v} ${pos.unit}`);
    const marks = [];
    const names = Object.keys(pos.parties);
    const many = names.length > MANY_PARTIES;
    names.forEach((name, k) => {
      const p = pos.parties[name];
      const cls = `party-${k % PARTY_COLOURS}`;
      marks.push({ x: p.ideal, cls: `${cls} ideal`, label: `${name} ideal ${show(p.ideal)}`, quiet: many });
      marks.push({ x: p.reservation, cls: `${cls} res`, label: `${name} walk-away ${show(p.reservation)}`, quiet: many });
      if (typeof p.ratification === "number") {
        marks.push({ x: p.ratification, cls: `${cls} ratify`, label: `${name} ratifier ${show(p.ratification)}`, quiet: many });
      }
    });
    const s = r.settlement[issue];
    const median = s && s.quantiles["0.5"] && s.quantiles["0.5"].value;
    if (typeof median === "number") marks.push({ x: median, cls: "median", label: `median deal ${show(median)}` });

    const bar = el("div", { class: "zopa-bar" });
    const z = r.zopa.issues[issue];
    if (z && z.overlap && typeof z.overlap.low === "number") {
      const zone = el("div", { class: "zopa-zone", title: "zone of agreement" });
      zone.style.left = `${frac(z.overlap.low) * 100}%`;
      zone.style.width = `${Math.max(0.4, (frac(z.overlap.high) - frac(z.overlap.low)) * 100)}%`;
      bar.append(zone);
    }
    for (const m of marks) {
      const tick = el("div", { class: `mark ${m.cls}`, title: m.label });
      tick.style.left = `${frac(m.x) * 100}%`;
      bar.append(tick);
    }
    const labels = el("div", { class: "zopa-labels" });
    const axis = el("div", { class: "zopa-axis" }, el("span", { text: show(lo) }), el("span", { text: show(hi) }));
    line.append(bar, labels, axis);
    if (many) line.append(positionsTable(pos, names, show));
    // labels in rows below the bar, so that close marks never overlap
    const width = labels.clientWidth || 600;
    const rowEnds = [];
    marks.sort((a, b) => a.x - b.x);
    for (const m of marks.filter((mark) => !mark.quiet)) {
      const label = el("span", { class: `zopa-label ${m.cls}`, text: m.label });
      labels.append(label);
      const w = label.offsetWidth;
      const left = Math.max(0, Math.min(width - w, frac(m.x) * width - 4));
      let row = rowEnds.findIndex((end) => end + 8 <= left);
      if (row < 0) { row = rowEnds.length; rowEnds.push(0); }
      rowEnds[row] = left + w;
      label.style.left = `${left}px`;
      label.style.top = `${row * 17}px`;
    }
    labels.style.height = `${rowEnds.length * 17 + 4}px`;
  }

  // more parties than this: the marks keep their tooltips and a table lists the positions
  const MANY_PARTIES = 4;
  // party colours in app.css (.party-0 ... .party-6), cycled
  const PARTY_COLOURS = 7;

  function positionsTable(pos, names, show) {
    const rows = names.map((name) => {
      const p = pos.parties[name];
      return el("tr", {}, el("td", { text: name }), el("td", { text: show(p.ideal) }),
        el("td", { text: show(p.reservation) }),
        el("td", { text: typeof p.ratification === "number" ? show(p.ratification) : "–" }));
    });
    return el("table", { class: "positions", id: "positions-table" },
      el("thead", {}, el("tr", {}, el("th", { text: "party" }), el("th", { text: "ideal" }),
        el("th", { text: "walk-away" }), el("th", { text: "ratifier approves up to" }))),
      el("tbody", {}, ...rows));
  }

  const PLOT_CONFIG = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["lasso2d", "select2d"] };

  function renderHistogram(r) {
    const issue = firstNumericIssue(r);
    const h = issue ? r.settlement[issue].histogram : null;
    const cur = $("currency").value;
    let edges = h ? h.edges : [];
    let unit = "";
    if (h && h.currency_edges && h.currency_edges[cur]) {
      edges = h.currency_edges[cur].map((v) => v / 1e9);
      unit = `${cur} bn`;
    }
    const centers = edges.slice(0, -1).map((e, k) => (e + edges[k + 1]) / 2);
    const width = edges.length > 1 ? edges[1] - edges[0] : 1;
    const trace = {
      type: "bar", x: centers, y: h ? h.counts : [], width, marker: { color: "#2b6cb0" },
      hovertemplate: "%{x:,.1f}: %{y:,} sessions<extra></extra>",
    };
    const layout = {
      margin: { l: 60, r: 10, t: 10, b: 45 }, height: 260, bargap: 0.02,
      xaxis: { title: { text: unit ? `settlement (${unit})` : issue || "" } },
      yaxis: { title: { text: "sessions" } },
      annotations: h && h.counts.length ? [] : [{ text: "no session agreed", showarrow: false, x: 0.5, y: 0.5, xref: "paper", yref: "paper" }],
    };
    if (window.Plotly) Plotly.react("hist-chart", [trace], layout, PLOT_CONFIG);
  }

  function renderDates(r) {
    const rows = r.p_agreement_by_date;
    const trace = {
      type: "scatter", mode: "lines+markers", x: rows.map((d) => d.date), y: rows.map((d) => d.estimate),
      error_y: { type: "data", array: rows.map((d) => 1.96 * (d.se || 0)), visible: true, thickness: 1 },
      line: { shape: "hv", color: "#2f855a" }, hovertemplate: "%{x}: %{y:.1%}<extra></extra>",
    };
    const deadline = r.p_agreement_by_deadline.date;
    const layout = {
      margin: { l: 60, r: 10, t: 24, b: 45 }, height: 260,
      yaxis: { tickformat: ".0%", rangemode: "tozero", title: { text: "P(deal)" } },
      xaxis: { type: "date" },
      shapes: [{ type: "line", x0: deadline, x1: deadline, yref: "paper", y0: 0, y1: 1, line: { dash: "dot", color: "#c53030" } }],
      annotations: [{ x: deadline, yref: "paper", y: 1, text: "deadline", showarrow: false, yanchor: "bottom", font: { color: "#c53030" } }],
    };
    if (window.Plotly) Plotly.react("date-chart", [trace], layout, PLOT_CONFIG);
  }

  function renderTables(r) {
    const qBody = $("quantile-table").querySelector("tbody");
    qBody.replaceChildren();
    const issue = firstNumericIssue(r);
    if (issue) {
      for (const [q, v] of Object.entries(r.settlement[issue].quantiles)) {
        qBody.append(el("tr", {}, el("td", { text: `${Math.round(Number(q) * 100)}%` }),
          el("td", { text: v.display || "–" }), el("td", { text: v.se === null ? "–" : v.se.toFixed(1) })));
      }
    }
    const fBody = $("failure-table").querySelector("tbody");
    fBody.replaceChildren();
    for (const [name, v] of Object.entries(r.outcomes)) {
      fBody.append(el("tr", {}, el("td", { text: name.replace("_", " ") }),
        el("td", { text: pct(v.estimate) }), el("td", { text: pctSe(v.se) })));
    }
  }

  // -- deal date by believed deadline --------------------------------------------------------

  const DEADLINE_SESSIONS = 20000;
  const KIND_COLORS = { solution: "#0072B2", forecast: "#E69F00", ensemble: "#CC79A7" };
  const LINE_COLORS = ["#56B4E9", "#009E73", "#E69F00", "#0072B2", "#D55E00", "#CC79A7", "#555555"];

  async function runDeadlines() {
    if (!state.info) return;
    const d = state.deadline;
    const seq = ++d.seq;
    if (d.controller) d.controller.abort();
    d.controller = new AbortController();
    $("deadline-busy").hidden = false;
    const s = settings();
    const body = { ...state.source, negotiators: s.negotiators, seed: s.seed, n: DEADLINE_SESSIONS };
    try {
      const result = await postJson("/api/deadline-beliefs", body, d.controller.signal);
      if (seq !== d.seq) return;
      show("deadline-error", "");
      renderDeadlines(result);
    } catch (err) {
      if (err.name === "AbortError" || seq !== d.seq) return;
      show("deadline-error", describeError(err));
    } finally {
      if (seq === d.seq) $("deadline-busy").hidden = true;
    }
  }

  function renderDeadlines(r) {
    const narrow = ($("deadline-chart").clientWidth || 800) < 560;
    const traces = [];
    let top = 0.01;
    r.points.forEach((point, k) => {
      const color = LINE_COLORS[k % LINE_COLORS.length];
      top = Math.max(top, ...point.p_agreement_by_date);
      traces.push({
        type: "scatter", mode: "lines", x: r.round_dates, y: point.p_agreement_by_date,
        name: `believes ${point.belief}: P(deal) ${pct(point.p_agreement)}`,
        legendgroup: point.belief, line: { shape: "hv", color, width: 2 },
        hovertemplate: `believed deadline ${point.belief}<br>%{x}: %{y:.1%}<extra></extra>`,
      });
      traces.push({
        type: "scatter", mode: "markers", x: [point.belief], y: [0], legendgroup: point.belief,
        showlegend: false, cliponaxis: false, marker: { color, size: 9 },
        hovertemplate: `believed deadline ${point.belief}<extra></extra>`,
      });
    });
    const layout = {
      margin: { l: 50, r: 10, t: 24, b: 40 }, height: narrow ? 420 : 360,
      yaxis: { tickformat: top < 0.1 ? ".1%" : ".0%", range: [0, Math.min(1, top * 1.25)], title: { text: "P(deal by date)" } },
      xaxis: { type: "date", title: { text: narrow ? "" : "round date" } },
      // below the plot, so that no line hides behind it
      legend: { orientation: "h", x: 0, y: narrow ? -0.15 : -0.2, yanchor: "top", font: { size: 11 } },
      shapes: [{ type: "line", x0: r.deadline, x1: r.deadline, yref: "paper", y0: 0, y1: 1, line: { dash: "dot", color: "#c53030" } }],
      annotations: [{ x: r.deadline, yref: "paper", y: 1, text: "protocol deadline", showarrow: false, yanchor: "bottom", font: { color: "#c53030" } }],
    };
    if (window.Plotly) Plotly.react("deadline-chart", traces, layout, PLOT_CONFIG);
    const each = r.n_sessions.toLocaleString("en-US");
    $("deadline-note").textContent = r.sessions_cut
      ? `Fewer sessions than asked: ${r.sessions_cut.reason}.`
      : `${each} sessions per line, ${negotiatorWords(r.negotiators)}, seed ${r.seed}.`;
    const tbody = $("deadline-table").querySelector("tbody");
    tbody.replaceChildren();
    for (const point of r.points) {
      tbody.append(el("tr", {}, el("td", { text: point.belief }), el("td", { text: pct(point.p_agreement) }),
        el("td", { text: pct(point.p_agreement_by_deadline) }), el("td", { text: point.median_agreement_date || "no deals" })));
    }
    state.deadline.updates += 1;
    document.body.dataset.deadlineUpdates = String(state.deadline.updates);
  }

  // -- forecasts: the combined forecast first, then each model ----------------------------------

  async function runForecast() {
    if (!state.info) return;
    const f = state.forecast;
    const seq = ++f.seq;
    if (f.controller) f.controller.abort();
    f.controller = new AbortController();
    $("forecast-busy").hidden = false;
    try {
      const result = await postJson("/api/forecast", { ...state.source }, f.controller.signal);
      if (seq !== f.seq) return;
      show("forecast-error", "");
      renderForecast(result);
    } catch (err) {
      if (err.name === "AbortError" || seq !== f.seq) return;
      show("forecast-error", describeError(err));
    } finally {
      if (seq === f.seq) $("forecast-busy").hidden = true;
    }
  }

  function renderForecast(r) {
    const c = r.combined;
    const spread = c.display.spread
      ? `the ${Object.keys(c.predictions).length} forecasts span ${c.display.spread[0]} to ${c.display.spread[1]}`
      : "no model gave a forecast";
    $("combined-text").textContent = c.available
      ? `${c.display.point}, 80% interval ${c.display.low} to ${c.display.high}; ${spread}.`
      : `No combined forecast: ${spread}.`;
    $("combined-note").textContent = c.note;
    $("forecast-guidance").textContent = c.available
      ? `Which to trust: the combined forecast and its interval (fitted out of sample on ${c.n_rounds} past rounds), not any one row.`
      : "Which to trust: no single row; without fitted combination weights the spread is the forecast.";
    const names = Object.keys(c.predictions).sort((a, b) => c.predictions[a] - c.predictions[b]);
    const trace = {
      type: "scatter", mode: "markers", x: names.map((n) => c.predictions[n]), y: names,
      marker: { size: names.map((n) => (n in c.members ? 11 : 7)), color: names.map((n) => KIND_COLORS[n.split(":")[0]] || "#555555") },
      hovertemplate: "%{y}: %{x:,.1f}<extra></extra>",
    };
    const shapes = [];
    if (c.available) {
      shapes.push({ type: "rect", x0: c.low, x1: c.high, yref: "paper", y0: 0, y1: 1, fillcolor: "#009E73", opacity: 0.15, line: { width: 0 } });
      shapes.push({ type: "line", x0: c.point, x1: c.point, yref: "paper", y0: 0, y1: 1, line: { color: "#009E73", width: 3 } });
    }
    const layout = {
      margin: { l: 190, r: 10, t: 10, b: 40 }, height: 120 + 18 * names.length, showlegend: false,
      xaxis: { title: { text: c.issue } }, yaxis: { automargin: true }, shapes,
    };
    if (window.Plotly) Plotly.react("spread-chart", [trace], layout, PLOT_CONFIG);
    const tbody = $("forecast-table").querySelector("tbody");
    tbody.replaceChildren();
    for (const row of (r.forecasts ? r.forecasts.forecasts : [])) {
      const w = c.members[`forecast:${row.model}`];
      tbody.append(el("tr", {}, el("td", { text: row.model }), el("td", { text: row.display }),
        el("td", { text: w === undefined ? "–" : pct(w) })));
    }
    if (!r.forecasts) {
      tbody.append(el("tr", {}, el("td", { text: r.forecasts_note, colspan: 3 })));
    }
    renderHindsight(r.hindsight);
    state.forecast.updates += 1;
    document.body.dataset.forecastUpdates = String(state.forecast.updates);
  }

  function renderHindsight(h) {
    $("hindsight").hidden = !h;
    if (!h) return;
    const shown = Object.entries(h.display).map(([k, v]) => `${k} ${v}`).join("; ");
    $("hindsight-what").textContent = `By ${h.date}: ${h.outcome === "agreement" ? "a deal" + (shown ? ` (${shown})` : "") : "no deal"}.`;
    const dl = $("hindsight-lines");
    dl.replaceChildren();
    const lines = [["Zone", h.verdict],
      ["Timing", h.timing_verdict || "not scored here: no ensemble of the scenario as written (burdenshare run and the report score it)."],
      ["Settlement", h.settlement_verdict]];
    for (const [label, text] of lines) {
      if (!text) continue;
      dl.append(el("dt", { text: label }), el("dd", { class: text.startsWith("Wrong") ? "wrong" : "", text }));
    }
  }

  // -- replay ---------------------------------------------------------------------------------

  async function startReplay(session) {
    show("replay-error", "");
    const body = { ...settings(), session };
    try {
      const r = await postJson("/api/replay", body);
      state.replay = r;
      state.step = 0;
      drawReplay();
    } catch (err) {
      show("replay-error", describeError(err));
    }
  }

  const VERBS = { accept: "accepts", reject: "rejects", walk_away: "walks away" };

  function offerText(offer) {
    return Object.entries(offer.display).map(([k, v]) => `${k}: ${v}`).join("; ");
  }

  function drawReplay() {
    const r = state.replay;
    $("replay").hidden = false;
    const how = r.session === null ? "central beliefs" : `session ${r.session.toLocaleString("en-US")} of the ensemble`;
    const deal = r.agreement_display ? Object.values(r.agreement_display).join("; ") : null;
    const cast = r.parties.map((p, k) => `${p} (${r.negotiator_names[k]})`).join(" vs ");
    $("replay-summary").textContent = `${cast}, ${how}: ` +
      (deal ? `agreement on ${deal} in round ${r.round} (${r.date})` : `${r.outcome.replace("_", " ")} in round ${r.round} (${r.date}) — ${r.cause}`);
    const n = r.transcript.length;
    const k = Math.min(state.step, Math.max(0, n - 1));
    $("replay-step").textContent = n ? `offer ${k + 1} of ${n}` : "no offers";
    const body = $("replay-table").querySelector("tbody");
    body.replaceChildren();
    r.transcript.forEach((o, i) => {
      const utils = Object.entries(o.utilities).map(([p, u]) => `${p} ${u.toFixed(3)}`).join(", ");
      const row = el("tr", { class: i === k ? "current" : i > k ? "future" : "past" },
        el("td", { text: o.round }), el("td", { text: o.date }), el("td", { text: `${o.proposer} → ${o.responder}` }),
        el("td", { text: offerText(o) }), el("td", { text: o.response.replace("_", " ") + (o.ratified === false ? " (not ratified)" : "") }),
        el("td", { text: utils }));
      row.hidden = i > k;
      body.append(row);
    });
    const o = r.transcript[k];
    $("replay-offer").textContent = o
      ? `Round ${o.round}, ${o.date}: ${o.proposer} offers ${offerText(o)}; ${o.responder} ${VERBS[o.response] || o.response}.`
      : "";
    $("replay-first").disabled = $("replay-prev").disabled = k <= 0;
    $("replay-last").disabled = $("replay-next").disabled = k >= n - 1;
    const sampled = Object.entries(r.sampled || {}).map(([p, v]) => `${p.split(".").slice(1).join(".")} = ${v.display}`);
    $("replay-sampled").textContent = sampled.length ? "Sampled beliefs: " + sampled.join("; ") : "";
  }

  function stepReplay(to) {
    if (!state.replay) return;
    const n = state.replay.transcript.length;
    state.step = Math.max(0, Math.min(n - 1, to));
    drawReplay();
  }

  // -- stored runs ----------------------------------------------------------------------------

  async function refreshRuns() {
    show("runs-error", "");
    try {
      const data = await api("/api/runs?limit=50");
      const body = $("runs-table").querySelector("tbody");
      body.replaceChildren();
      for (const run of data.runs) {
        const links = el("td", { class: "links" },
          el("a", { href: run.links.json, download: `run-${run.id}.json`, text: "JSON" }), " ",
          el("a", { href: run.links.csv, download: `run-${run.id}.csv`, text: "CSV" }), " ",
          el("a", { href: run.links.report, target: "_blank", rel: "noopener", text: "report" }));
        body.append(el("tr", { "data-run": run.id },
          el("td", { text: run.created_at.replace("T", " ").slice(0, 19) }),
          el("td", { text: run.scenario_id }),
          el("td", { text: run.n_sessions_done.toLocaleString("en-US") }),
          el("td", { text: run.status }),
          el("td", { text: run.p_agreement ? pct(run.p_agreement.estimate) : "–" }),
          links));
      }
      if (!data.runs.length) body.append(el("tr", {}, el("td", { colspan: 6, class: "muted", text: "no stored runs yet" })));
    } catch (err) {
      show("runs-error", describeError(err));
    }
  }

  async function storeRun() {
    show("runs-error", "");
    const button = $("store-run");
    button.disabled = true;
    const s = settings();
    try {
      await postJson("/api/runs", { ...state.source, negotiators: s.negotiators, seed: s.seed, n: 100000 });
      await refreshRuns();
    } catch (err) {
      show("runs-error", describeError(err));
    } finally {
      button.disabled = false;
    }
  }

  // -- wiring ---------------------------------------------------------------------------------

  function init() {
    for (const id of ["sessions", "seed", "uncertain"]) {
      $(id).addEventListener("change", () => schedule(0));
    }
    $("seed").addEventListener("change", runDeadlines);
    $("currency").addEventListener("change", () => state.last && renderHistogram(state.last));
    $("scenario-select").addEventListener("change", (e) => {
      if (e.target.value !== "__upload__") loadBundled(e.target.value);
    });
    $("upload").addEventListener("change", (e) => {
      const file = e.target.files && e.target.files[0];
      if (file) upload(file);
    });
    $("reset-all").addEventListener("click", () => { if (state.info) useScenario(state.info); });
    $("replay-central").addEventListener("click", () => startReplay(null));
    for (const button of document.querySelectorAll(".replay-example")) {
      button.addEventListener("click", () => {
        const i = state.last && state.last.example_sessions[button.dataset.outcome];
        if (i !== null && i !== undefined) startReplay(i);
      });
    }
    $("replay-first").addEventListener("click", () => stepReplay(0));
    $("replay-prev").addEventListener("click", () => stepReplay(state.step - 1));
    $("replay-next").addEventListener("click", () => stepReplay(state.step + 1));
    $("replay-last").addEventListener("click", () => stepReplay(Infinity));
    $("store-run").addEventListener("click", storeRun);
    $("refresh-runs").addEventListener("click", refreshRuns);
    loadBundled($("scenario-select").value || boot.flagship);
    refreshRuns();
  }

  init();
})();
