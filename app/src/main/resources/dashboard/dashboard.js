// The dashboard's entry point: polls the node's one JSON endpoint every second and renders it.
// A failed poll keeps the last good data on screen and says so in the status line.

import { setText } from "./dom.js";
import { clock } from "./format.js";
import { History } from "./history.js";
import { Charts, MAX_SERIES } from "./charts.js";
import { renderTable } from "./table.js";
import { renderAgent, renderEvents, renderStatus } from "./panels.js";

const API = "api/v1/dashboard"; // relative, so the page also works behind a path prefix
const POLL_MS = 1000;
const TIMEOUT_MS = 3000;

const history = new History();
const charts = new Charts(document.getElementById("charts"), document.getElementById("legend"), history);
const status = document.getElementById("status");
let lastUpdate = null;

class BadResponse extends Error {}

async function fetchDashboard() {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
  try {
    const response = await fetch(API, { cache: "no-store", signal: abort.signal, headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error("HTTP " + response.status);
    let body;
    try {
      body = await response.json();
    } catch {
      throw new BadResponse("the answer is not JSON");
    }
    if (body === null || typeof body !== "object" || (body.endpoints != null && !Array.isArray(body.endpoints))) {
      throw new BadResponse("the answer is not a dashboard document");
    }
    return body;
  } finally {
    clearTimeout(timer);
  }
}

function render(d) {
  const endpoints = Array.isArray(d.endpoints) ? d.endpoints : [];
  renderTable(document.querySelector("#endpoints tbody"), endpoints);
  renderAgent(document.getElementById("agent"), d.agent, d.gateway);
  const shown = renderEvents(document.querySelector("#events tbody"), d.events);
  setText("events-count", shown > 0 ? String(shown) : "");

  const at = Date.parse(d.generated_at);
  history.add(Math.floor((Number.isNaN(at) ? Date.now() : at) / 1000), endpoints);
  charts.render();
  const hidden = Math.max(0, endpoints.length - MAX_SERIES);
  setText("charts-note", hidden > 0 ? `worst ${MAX_SERIES} of ${endpoints.length} endpoints` : "");

  setText("meta", `${endpoints.length} endpoint${endpoints.length === 1 ? "" : "s"}` +
    (typeof d.window === "string" ? ` \u00b7 window ${d.window}` : ""));
  lastUpdate = Number.isNaN(at) ? new Date().toISOString() : d.generated_at;
  renderStatus(status, "live", `live \u00b7 updated ${clock(lastUpdate)} UTC`);
}

function since() {
  return lastUpdate ? ` \u00b7 last update ${clock(lastUpdate)} UTC` : "";
}

async function poll() {
  try {
    let body;
    try {
      body = await fetchDashboard();
    } catch (e) {
      if (e instanceof BadResponse) {
        renderStatus(status, "bad", `bad response from the node (${e.message}), retrying${since()}`);
      } else {
        renderStatus(status, "lost", `connection lost, retrying${since()}`);
      }
      status.title = e.message;
      return;
    }
    try {
      render(body);
      status.title = "";
    } catch (e) {
      // A rendering bug must not stop the polling: say so and keep going.
      renderStatus(status, "bad", `cannot show this update (${e.message}), retrying${since()}`);
    }
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

charts.load().then(() => charts.render());
poll();
