// Pure formatting helpers: every text the page shows from the JSON goes through here, so the
// test hooks (data-field cells) have one definition of "exactly the value".

export const DASH = "\u2013"; // shown for a missing value

// Default score bands, the same as the scorer's states: healthy >= 85, degraded 70-85, critical < 70.
const HEALTHY_AT = 85;
const DEGRADED_AT = 70;
const STATES = new Set(["healthy", "degraded", "critical", "unknown"]);

export function isNumber(v) {
  return typeof v === "number" && Number.isFinite(v);
}

/** Score with one decimal, or "unknown" when there is none. */
export function scoreText(score) {
  return isNumber(score) ? score.toFixed(1) : "unknown";
}

/**
 * The colour band of a row. The node's state wins, since it knows its configured thresholds;
 * the score decides only when the state is missing or not one we know.
 */
export function band(state, score) {
  if (STATES.has(state)) return state;
  if (!isNumber(score)) return "unknown";
  if (score >= HEALTHY_AT) return "healthy";
  if (score >= DEGRADED_AT) return "degraded";
  return "critical";
}

/** Breaker state uppercased (OPEN, HALF_OPEN...), or a dash when there is no breaker. */
export function breakerText(breaker) {
  if (!breaker || typeof breaker.state !== "string" || breaker.state === "") return DASH;
  return breaker.state.toUpperCase();
}

export function number(v, digits = 1) {
  return isNumber(v) ? v.toFixed(digits) : DASH;
}

export function percent(v) {
  return isNumber(v) ? v.toFixed(1) + " %" : DASH;
}

export function count(v) {
  return isNumber(v) ? Math.round(v).toLocaleString("en-US") : DASH;
}

/** HH:MM:SS in UTC, the clock the node reports in. */
export function clock(iso) {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return DASH;
  return new Date(t).toISOString().substring(11, 19);
}

/** Non-zero penalties, largest first: [["business_error", 30], ...]. */
export function penalties(endpoint) {
  const p = endpoint && endpoint.penalties;
  if (!p || typeof p !== "object") return [];
  return Object.entries(p)
    .filter(([, v]) => isNumber(v) && v > 0)
    .sort((a, b) => b[1] - a[1]);
}

/** Business-error types with a share above zero, largest first. */
export function errorTypes(endpoint) {
  const by = endpoint && endpoint.business_errors_by_type;
  if (!by || typeof by !== "object") return [];
  return Object.entries(by)
    .filter(([, v]) => isNumber(v) && v > 0)
    .sort((a, b) => b[1] - a[1]);
}

const STATE_RANK = { critical: 0, degraded: 1, unknown: 2, healthy: 3 };

/** Worst first: by band, then by score, then by business errors; ties by service and route. */
export function worstFirst(a, b) {
  const ra = STATE_RANK[band(a.state, a.score)];
  const rb = STATE_RANK[band(b.state, b.score)];
  if (ra !== rb) return ra - rb;
  const sa = isNumber(a.score) ? a.score : 101;
  const sb = isNumber(b.score) ? b.score : 101;
  if (sa !== sb) return sa - sb;
  const ea = isNumber(a.business_error_pct) ? a.business_error_pct : 0;
  const eb = isNumber(b.business_error_pct) ? b.business_error_pct : 0;
  if (ea !== eb) return eb - ea;
  return endpointKey(a).localeCompare(endpointKey(b));
}

export function endpointKey(endpoint) {
  return String(endpoint.service ?? "") + " " + String(endpoint.path ?? "");
}
