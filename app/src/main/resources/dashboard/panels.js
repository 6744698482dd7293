// The agent's own health, the gateway's shedding, the recent business-error events and the
// connection status line.

import { el } from "./dom.js";
import { DASH, clock, count, isNumber } from "./format.js";

export const MAX_EVENTS_SHOWN = 50;

export function renderAgent(container, agent, gateway) {
  const a = agent ?? {};
  const capturing = a.capturing === true;
  const reason = typeof a.reason === "string" && a.reason !== "" ? a.reason : null;
  const drops = isNumber(a.drops_total) ? a.drops_total : null;
  const g = gateway ?? null;
  const gatewayOn = g !== null && g.enabled === true;
  container.replaceChildren(
    stat("Capture", agent == null ? DASH : capturing ? "capturing" : "not capturing",
      { field: "capturing", tone: agent == null ? "" : capturing ? "ok" : "warn",
        note: capturing ? null : reason ?? (agent == null ? "no agent data" : null) }),
    stat("Events", count(a.events_total), { field: "events_total" }),
    stat("Drops", count(a.drops_total), { field: "drops_total", tone: drops > 0 ? "alert" : "" }),
    stat("Exchanges", count(a.exchanges_total), { field: "exchanges_total" }),
    stat("Ignored connections", count(a.ignored_connections_total), { field: "ignored_connections_total" }),
    stat("Gateway shed", gatewayOn ? count(g.shed_total) : "gateway off",
      { field: "shed_total", tone: gatewayOn && g.shed_total > 0 ? "warn" : "" }),
  );
}

function stat(label, value, { field, tone = "", note = null }) {
  return el("div", { class: "stat" + (tone ? " " + tone : "") },
    el("div", { class: "label" }, label),
    el("div", { class: "value", "data-field": field }, value),
    note ? el("div", { class: "note", "data-field": field + "_reason", title: note }, note) : null);
}

/** Newest first, at most MAX_EVENTS_SHOWN. Only type, route and severity: the JSON has no bodies. */
export function renderEvents(tbody, events) {
  const list = Array.isArray(events) ? [...events] : [];
  list.sort((a, b) => (Date.parse(b.at) || 0) - (Date.parse(a.at) || 0));
  const rows = list.slice(0, MAX_EVENTS_SHOWN).map((e) =>
    el("tr", { "data-event": "" },
      el("td", { class: "time" }, clock(e.at)),
      el("td", { class: "where" },
        el("code", { title: e.path ?? "" }, e.path ?? DASH),
        el("div", { class: "muted small" }, e.service ?? "")),
      el("td", {},
        el("div", {}, e.error_type ?? DASH),
        el("span", { class: "sev sev-" + (e.severity ?? "none") }, e.severity ?? DASH)),
      el("td", {}, e.silent ? el("span", { class: "silent" }, "silent " + (e.status ?? 200)) : String(e.status ?? DASH)),
    ));
  if (rows.length === 0) {
    rows.push(el("tr", { class: "empty" }, el("td", { colspan: 4 }, "No business errors in the window.")));
  }
  tbody.replaceChildren(...rows);
  return Math.min(list.length, MAX_EVENTS_SHOWN);
}

/** state: "live" | "lost" | "bad"; the line keeps the last good data on screen meanwhile. */
export function renderStatus(node, state, text) {
  node.dataset.state = state;
  node.className = "status status-" + state;
  node.textContent = text;
}
