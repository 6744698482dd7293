// Time series accumulated client-side from the polls. Bounded three ways: by age (the window),
// by point count, and by how many endpoints one sample keeps; what does not fit is counted.

import { endpointKey, isNumber, worstFirst } from "./format.js";

export const WINDOW_SECONDS = 600;
export const MAX_POINTS = 720;
export const MAX_TRACKED = 50;
const PALETTE = [
  "#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989",
  "#0a7d8c", "#bc4c00", "#57606a", "#6639ba", "#116329", "#953800",
];

export class History {
  constructor() {
    this.times = [];      // seconds since the epoch, ascending
    this.samples = [];    // per time: Map(endpoint key -> {score, business, server})
    this.latest = [];     // endpoint keys of the last poll, worst first
    this.labels = new Map(); // endpoint key -> {service, path}
    this.colors = new Map(); // endpoint key -> palette colour, stable while the key is in the window
    this.untracked = 0;   // endpoints of the last poll left out of the history
  }

  /** Adds one poll. Returns false when it adds nothing new (same generated_at as the last one). */
  add(seconds, endpoints) {
    const last = this.times.length ? this.times[this.times.length - 1] : -Infinity;
    if (seconds === last) return false;
    if (seconds < last) this.clear(); // the node restarted or its clock stepped back
    const worst = [...endpoints].sort(worstFirst);
    const kept = worst.slice(0, MAX_TRACKED);
    this.untracked = worst.length - kept.length;
    const sample = new Map();
    for (const e of kept) {
      const key = endpointKey(e);
      sample.set(key, {
        score: isNumber(e.score) ? e.score : null,
        business: isNumber(e.business_error_pct) ? e.business_error_pct : null,
        server: isNumber(e.server_error_pct) ? e.server_error_pct : null,
      });
      this.labels.set(key, { service: e.service ?? "", path: e.path ?? "" });
    }
    this.times.push(seconds);
    this.samples.push(sample);
    this.latest = kept.map(endpointKey);
    this.trim(seconds);
    return true;
  }

  clear() {
    this.times = [];
    this.samples = [];
    this.labels.clear();
    this.colors.clear();
  }

  trim(now) {
    let drop = 0;
    while (drop < this.times.length && (now - this.times[drop] > WINDOW_SECONDS || this.times.length - drop > MAX_POINTS)) {
      drop++;
    }
    if (drop === 0) return;
    this.times.splice(0, drop);
    this.samples.splice(0, drop);
    const alive = new Set();
    for (const s of this.samples) for (const k of s.keys()) alive.add(k);
    for (const k of [...this.labels.keys()]) {
      if (!alive.has(k)) {
        this.labels.delete(k);
        this.colors.delete(k);
      }
    }
  }

  /** The worst endpoints of the last poll, at most {@code max}, in a stable (name) order. */
  charted(max) {
    return this.latest.slice(0, max).sort();
  }

  color(key) {
    if (!this.colors.has(key)) {
      const used = new Set(this.colors.values());
      const free = PALETTE.find((c) => !used.has(c));
      this.colors.set(key, free ?? PALETTE[this.colors.size % PALETTE.length]);
    }
    return this.colors.get(key);
  }

  label(key, keys) {
    const l = this.labels.get(key) ?? { service: "", path: key };
    const shared = keys.some((k) => k !== key && this.labels.get(k)?.path === l.path);
    return shared ? l.service + " " + l.path : l.path;
  }

  /** uPlot's data layout: [xs, ys for each key], null where an endpoint had no value. */
  data(metric, keys) {
    return [
      this.times.slice(),
      ...keys.map((k) => this.samples.map((s) => s.get(k)?.[metric] ?? null)),
    ];
  }
}
