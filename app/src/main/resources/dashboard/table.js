// The endpoint table, worst first. Each row and cell carries stable test hooks:
// <tr data-path=...> and cells with data-field="score" | "state" | "breaker".

import { el } from "./dom.js";
import {
  DASH, band, breakerText, count, endpointKey, errorTypes, number, penalties, percent, scoreText, worstFirst,
} from "./format.js";

// The node bounds its routes, but a page redrawn every second should not trust that blindly.
export const MAX_ROWS = 200;

export function renderTable(tbody, endpoints) {
  const sorted = [...endpoints].sort(worstFirst);
  const rows = sorted.slice(0, MAX_ROWS).map(row);
  if (sorted.length > MAX_ROWS) {
    rows.push(el("tr", { class: "empty", "data-hidden": sorted.length - MAX_ROWS },
      el("td", { colspan: 10 }, `${sorted.length - MAX_ROWS} healthier endpoints not shown.`)));
  }
  if (rows.length === 0) {
    rows.push(el("tr", { class: "empty" }, el("td", { colspan: 10 }, "No endpoints observed yet.")));
  }
  tbody.replaceChildren(...rows);
}

function row(e) {
  const b = band(e.state, e.score);
  const breaker = breakerText(e.breaker);
  return el("tr", {
      "data-path": e.path ?? "", "data-service": e.service ?? "", "data-key": endpointKey(e),
      class: "band-row-" + b + (e.stale ? " stale" : ""),
    },
    el("td", { class: "service" }, e.service ?? DASH),
    el("td", { class: "route" }, el("code", {}, e.path ?? DASH), e.stale ? el("span", { class: "tag" }, "stale") : null,
      baseline(e.baseline)),
    el("td", { class: "num" }, number(e.rps)),
    el("td", { class: "num" }, number(e.p99_ms)),
    el("td", { class: "num" + (e.server_error_pct > 0 ? " hot" : "") }, percent(e.server_error_pct)),
    el("td", { class: "num business" },
      el("span", { class: e.business_error_pct > 0 ? "hot" : "" }, percent(e.business_error_pct)),
      breakdown(e)),
    el("td", { class: "score" },
      el("span", { class: "band band-" + b, "data-field": "score" }, scoreText(e.score))),
    el("td", { class: "state" }, el("span", { "data-field": "state" }, b)),
    el("td", { class: "breaker" },
      el("span", { class: "breaker " + (breaker === DASH ? "breaker-none" : "breaker-" + breaker.toLowerCase()), "data-field": "breaker" }, breaker)),
    el("td", { class: "why" }, why(e)),
  );
}

// The learned per-route baseline: forming (n samples), or formed with its usual outcome values
// (in the tooltip) and how many responses it flagged.
function baseline(b) {
  if (!b || typeof b !== "object") return null;
  const usual = Object.entries(b.usual ?? {}).map(([k, v]) => k + " = " + JSON.stringify(v)).join(", ");
  const text = b.formed ? "learned" + (b.flagged > 0 ? " \u00b7 " + count(b.flagged) + " flagged" : "")
    : "learning " + count(b.samples);
  return el("span", {
    class: "tag baseline" + (b.flagged > 0 ? " hot" : ""), "data-field": "baseline",
    title: b.formed ? "usual: " + (usual || "no outcome field") : "baseline forming: " + b.samples + " samples",
  }, text);
}

function breakdown(e) {
  const types = errorTypes(e);
  if (types.length === 0) return null;
  return el("div", { class: "types" },
    types.map(([type, pct]) => el("span", { class: "chip", title: type }, type + " " + pct.toFixed(1) + " %")));
}

function why(e) {
  const parts = penalties(e).map(([name, points]) =>
    el("span", { class: "penalty" }, name.replaceAll("_", " ") + " \u2212" + points.toFixed(1)));
  if (e.breaker && typeof e.breaker.reason === "string" && e.breaker.reason !== "") {
    parts.push(el("span", { class: "reason" }, "breaker: " + e.breaker.reason));
  }
  return parts.length === 0 ? DASH : parts;
}
