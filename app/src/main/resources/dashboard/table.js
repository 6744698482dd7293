// The endpoint table, worst first. Each row and cell carries stable test hooks:
// <tr data-path=...> and cells with data-field="score" | "state" | "breaker".

import { el } from "./dom.js";
import {
  DASH, band, breakerText, endpointKey, errorTypes, number, penalties, percent, scoreText, worstFirst,
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
    el("td", { class: "route" }, el("code", {}, e.path ?? DASH), e.stale ? el("span", { class: "tag" }, "stale") : null),
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
