// The console's browser side: settings the server cannot know (time zone, theme choice) and the trend chart (uPlot).
// Data reaches the chart only from the server over the Blazor circuit; nothing here polls.
"use strict";
window.fabricaConsole = (() => {
  const charts = new Map();
  const palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"];

  function settings() {
    const stored = localStorage.getItem("fabrica-theme");
    const dark = stored ? stored === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches;
    return { timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || null, offsetMinutes: new Date().getTimezoneOffset(), dark };
  }

  function saveTheme(dark) { localStorage.setItem("fabrica-theme", dark ? "dark" : "light"); }

  // uPlot draws times in the browser's zone when given seconds; x values are Unix seconds.
  function toColumns(data) {
    const cols = [Float64Array.from(data.x, t => t / 1000)];
    for (const s of data.series) cols.push(s.values.map(v => (v === null ? null : v)));
    return cols;
  }

  // For tests and the benchmark: how many points are drawn, and when (ms since navigation start).
  function markDrawn(element, data) {
    element.setAttribute("data-points", String(data.x.length));
    element.setAttribute("data-series", String(data.series.length));
    element.setAttribute("data-drawn-at", String(Math.round(performance.now())));
  }

  function create(element, data, dotnet) {
    destroy(element.id);
    const width = Math.max(320, element.clientWidth);
    // One y scale per unit: a pressure in bar and a speed in rpm each use the chart's full height.
    const units = [...new Set(data.series.map(s => s.unit || ""))];
    const axes = [{ stroke: "currentColor", grid: { stroke: "rgba(128,128,128,0.2)" } }].concat(units.map((unit, i) => ({
      scale: "u:" + unit, label: unit, show: i < 2, side: i === 0 ? 3 : 1, stroke: "currentColor", size: 60,
      grid: { show: i === 0, stroke: "rgba(128,128,128,0.2)" },
    })));
    const opts = {
      width, height: 320,
      series: [{}].concat(data.series.map((s, i) => ({
        label: s.label + (s.unit ? " (" + s.unit + ")" : ""), scale: "u:" + (s.unit || ""),
        stroke: palette[i % palette.length], width: 1.5, spanGaps: false,
        value: (u, v) => (v == null ? "—" : v.toFixed(Math.abs(v) >= 100 ? 1 : 2) + (s.unit ? " " + s.unit : "")),
      }))),
      axes,
      cursor: { drag: { x: true, y: false, setScale: true } },
      scales: { x: { time: true } },
      hooks: {
        // Drag to zoom: the server answers with finer buckets for the new range (server-side aggregation).
        setSelect: [u => {
          if (u.select.width < 5) return;
          const from = Math.round(u.posToVal(u.select.left, "x") * 1000);
          const to = Math.round(u.posToVal(u.select.left + u.select.width, "x") * 1000);
          dotnet.invokeMethodAsync("OnZoom", from, to);
        }],
      },
    };
    const chart = new uPlot(opts, toColumns(data), element);
    markDrawn(element, data);
    const state = { chart, element, dotnet, resize: null, key: seriesKey(data) };
    state.resize = () => chart.setSize({ width: Math.max(320, element.clientWidth), height: 320 });
    window.addEventListener("resize", state.resize);
    // Wheel zooms around the cursor (server refines on release of the wheel, debounced).
    let wheelTimer = 0;
    chart.over.addEventListener("wheel", e => {
      e.preventDefault();
      const min = chart.scales.x.min, max = chart.scales.x.max;
      const at = chart.posToVal(e.offsetX, "x");
      const factor = e.deltaY < 0 ? 0.75 : 1.33;
      const nmin = at - (at - min) * factor, nmax = at + (max - at) * factor;
      chart.setScale("x", { min: nmin, max: nmax });
      clearTimeout(wheelTimer);
      wheelTimer = setTimeout(() => dotnet.invokeMethodAsync("OnZoom", Math.round(nmin * 1000), Math.round(nmax * 1000)), 400);
    }, { passive: false });
    charts.set(element.id, state);
    return data.x.length;
  }

  function seriesKey(data) { return data.series.map(s => s.label + "\u001f" + (s.unit || "")).join("\u001e"); }

  // Draws or redraws the chart in the element with this id; a different set of series makes a new chart.
  function render(id, data, dotnet) {
    const state = charts.get(id);
    if (!state || state.key !== seriesKey(data)) {
      const element = document.getElementById(id);
      if (!element) return 0;
      return create(element, data, dotnet);
    }
    state.chart.setData(toColumns(data), true);
    markDrawn(state.element, data);
    return data.x.length;
  }

  function destroy(id) {
    const state = charts.get(id);
    if (!state) return;
    window.removeEventListener("resize", state.resize);
    state.chart.destroy();
    charts.delete(id);
  }

  return { settings, saveTheme, render, destroy };
})();
