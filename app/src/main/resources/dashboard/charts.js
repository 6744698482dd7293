// uPlot charts of the history: score, business-error % and 5xx % per endpoint.
// uPlot is loaded lazily so that a missing WebJar costs the charts, not the whole page.

import { el } from "./dom.js";

export const MAX_SERIES = 8;
const HEIGHT = 190;

const CHARTS = [
  { id: "score", title: "Health score", metric: "score", unit: "", range: () => [0, 100], bands: true },
  { id: "business", title: "Business errors", metric: "business", unit: " %", range: upTo(5) },
  { id: "server", title: "5xx", metric: "server", unit: " %", range: upTo(5) },
];

/** A y range from 0 that grows with the data, at least 0..floor, so a quiet chart stays flat. */
function upTo(floor) {
  return (u, min, max) => [0, Math.max(floor, Math.ceil((max ?? 0) * 1.15))];
}

export class Charts {
  constructor(container, legend, history) {
    this.container = container;
    this.legend = legend;
    this.history = history;
    this.plots = new Map(); // chart id -> uPlot instance
    this.keys = [];         // the endpoints plotted, the same in every chart
    this.uPlot = null;
    this.boxes = new Map(CHARTS.map((c) => [c.id, this.box(c)]));
    this.container.replaceChildren(...this.boxes.values());
    window.addEventListener("resize", () => this.resize());
  }

  async load() {
    try {
      this.uPlot = (await import("../uplot/uPlot.esm.js")).default;
    } catch {
      for (const box of this.boxes.values()) {
        box.querySelector(".plot").replaceChildren(el("p", { class: "muted" }, "Charts unavailable: uPlot could not be loaded."));
      }
    }
  }

  box(chart) {
    return el("figure", { class: "chart", "data-chart": chart.id, "data-points": 0, "data-series": 0 },
      el("figcaption", {}, chart.title),
      el("div", { class: "plot" }));
  }

  render() {
    if (!this.uPlot) return;
    const keys = this.history.charted(MAX_SERIES);
    // uPlot's series are fixed at creation: a new set of endpoints means new plots.
    const rebuild = !sameKeys(this.keys, keys);
    if (rebuild) {
      this.keys = keys;
      this.renderLegend(keys);
    }
    for (const chart of CHARTS) {
      const box = this.boxes.get(chart.id);
      const data = this.history.data(chart.metric, keys);
      const plot = this.plots.get(chart.id);
      if (plot && !rebuild) {
        plot.setData(data);
      } else {
        if (plot) plot.destroy();
        this.plots.set(chart.id, new this.uPlot(this.options(chart, keys, box), data, box.querySelector(".plot")));
      }
      box.dataset.points = String(data[0].length);
      box.dataset.series = String(keys.length);
    }
  }

  /** One legend for the three charts: they plot the same endpoints in the same colours. */
  renderLegend(keys) {
    this.legend.replaceChildren(...keys.map((k) =>
      el("span", { class: "key" },
        el("span", { class: "swatch", style: "background:" + this.history.color(k) }),
        el("code", {}, this.history.label(k, keys)))));
  }

  options(chart, keys, box) {
    const uPlot = this.uPlot;
    return {
      width: plotWidth(box),
      height: HEIGHT,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"),
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: chart.range } },
      legend: { show: false },
      series: [
        {},
        ...keys.map((k) => ({
          label: this.history.label(k, keys),
          stroke: this.history.color(k),
          width: 2,
          points: { show: false },
        })),
      ],
      axes: [
        {
          stroke: "#57606a", grid: { stroke: "#eaeef2" }, ticks: { stroke: "#d0d7de" },
          values: (u, ticks) => ticks.map((t) => new Date(t * 1e3).toISOString().substring(11, 19)),
        },
        {
          stroke: "#57606a", grid: { stroke: "#eaeef2" }, ticks: { stroke: "#d0d7de" }, size: 48,
          values: (u, ticks) => ticks.map((v) => v + chart.unit),
        },
      ],
      hooks: chart.bands ? { drawClear: [drawBands] } : {},
    };
  }

  resize() {
    for (const [id, plot] of this.plots) {
      plot.setSize({ width: plotWidth(this.boxes.get(id)), height: HEIGHT });
    }
  }
}

/** Shades the score chart's degraded (70-85) and critical (< 70) bands behind the lines. */
function drawBands(u) {
  const { ctx, bbox } = u;
  const y = (v) => u.valToPos(v, "y", true);
  ctx.save();
  ctx.fillStyle = "rgba(207, 34, 46, 0.07)";
  ctx.fillRect(bbox.left, y(70), bbox.width, y(0) - y(70));
  ctx.fillStyle = "rgba(212, 167, 44, 0.2)";
  ctx.fillRect(bbox.left, y(85), bbox.width, y(70) - y(85));
  ctx.restore();
}

function plotWidth(box) {
  return Math.max(240, Math.floor(box.clientWidth - 2));
}

function sameKeys(a, b) {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}
