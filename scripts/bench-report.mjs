// Renders benchmarks/results/*.json (written by `pnpm bench`) into docs/benchmarks.md, with one
// SVG bar chart per workload in docs/img/bench-<name>.svg: time per engine, or, for workloads
// that report a "speedup" column, speedup per strategy. Plain Node, no dependencies, so it runs
// before anything is built: `node scripts/bench-report.mjs`.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";

const root = new URL("../", import.meta.url);
const resultsDir = new URL("benchmarks/results/", root);
const docsDir = new URL("docs/", root);
const imgDir = new URL("docs/img/", root);

const ORDER = [
  "udf",
  "api",
  "pipelines",
  "scaling",
  "chunking",
  "embedding",
  "builtins",
  "relational",
  "io",
]; // the rest follow alphabetically

function loadResults() {
  let files;
  try {
    files = readdirSync(resultsDir).filter((f) => f.endsWith(".json"));
  } catch {
    files = [];
  }
  if (files.length === 0) {
    throw new Error("no benchmarks/results/*.json yet: run `npx pnpm@10 bench` first");
  }
  const results = files.map((f) => {
    const r = JSON.parse(readFileSync(new URL(f, resultsDir), "utf8"));
    if (typeof r.name !== "string" || !Array.isArray(r.cases)) {
      throw new Error(`benchmarks/results/${f} is not a workload result (no name/cases)`);
    }
    return r;
  });
  const rank = (n) => (ORDER.includes(n) ? ORDER.indexOf(n) : ORDER.length);
  return results.sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
}

const fmtMs = (ms) =>
  ms === undefined ? "" : ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2);
function fmtValue(v, format) {
  if (v === undefined || v === null) return "";
  if (format === "ratio") return `${v >= 10 ? v.toFixed(1) : v.toFixed(2)}x`;
  if (format === "percent") return `${v.toFixed(1)}%`;
  return Math.abs(v) >= 100 ? v.toFixed(0) : v.toFixed(2);
}
const xml = (s) =>
  String(s).replace(/[&<>"]/g, (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot" }[c]};`);
const md = (s) => String(s).replaceAll("|", "\\|");

/** "<= 1.2x", "< 1.0x", ">= 47x", ">= 95%": does value meet it? undefined when not parseable. */
function meetsTarget(value, target) {
  const m = /^\s*(<=|>=|<|>)\s*([\d.]+)\s*(x|%)?\s*$/.exec(target ?? "");
  if (!m || value === undefined || value === null) return undefined;
  const limit = Number(m[2]);
  return { "<=": value <= limit, ">=": value >= limit, "<": value < limit, ">": value > limit }[
    m[1]
  ];
}

function groupsOf(result) {
  const groups = new Map();
  for (const c of result.cases) {
    if (!groups.has(c.group)) groups.set(c.group, []);
    groups.get(c.group).push(c);
  }
  return groups;
}

/** How a group's bars are drawn: by the "speedup" column when the workload has one (longer is
 * better); a lone case (nothing to be faster than) by its percent column, e.g. "% of limit",
 * on a 0-100% scale; otherwise by median time (shorter is better). */
function groupMeasure(result, cases) {
  const speedup = result.derived?.find((d) => d.name === "speedup");
  const percent = result.derived?.find((d) => d.format === "percent");
  if (cases.length === 1 && percent && cases[0].derived?.[percent.name] !== undefined) {
    const name = percent.name;
    return {
      value: (c) => c.derived?.[name],
      text: (v) => `${fmtValue(v, "percent")} ${name}`,
      max: 100,
    };
  }
  if (speedup && cases.some((c) => c.derived?.speedup !== undefined))
    return { value: (c) => c.derived?.speedup, text: (v) => `${fmtValue(v, "ratio")} speedup` };
  return { value: (c) => c.medianMs, text: (v) => `${fmtMs(v)} ms` };
}

const W = 760;
const labelW = 270;
const barW = 340;
const rowH = 22;

/** Groups named "<curve> @ <x>" whose cases all report `metrics.x` are points of curves
 * (e.g. the scaling workload's "async trivial fn, µs/row @ 10k rows"): one panel per curve
 * name, one line per case label. Returns Map(curve name -> cases), in order of appearance. */
function curvesOf(result) {
  const curves = new Map();
  for (const [group, cases] of groupsOf(result)) {
    const at = group.lastIndexOf(" @ ");
    if (at < 0 || !cases.every((c) => typeof c.metrics?.x === "number")) continue;
    const name = group.slice(0, at);
    // "10k rows" -> "rows": what x counts, for the axis title (the last group's, plural).
    const unit = group.slice(at + 3).replace(/^[\d.]+[kM]?\s*/, "");
    if (!curves.has(name)) curves.set(name, { cases: [], unit });
    curves.get(name).cases.push(...cases);
    curves.get(name).unit = unit;
  }
  return curves;
}

/** The y value of a curve: the first derived column (in the workload's order) that every
 * measured point has, else the median time. */
function curveMeasure(result, cases) {
  const measured = cases.filter((c) => c.medianMs !== undefined);
  for (const d of result.derived ?? []) {
    if (measured.length > 0 && measured.every((c) => c.derived?.[d.name] !== undefined)) {
      return { name: d.name, value: (c) => c.derived?.[d.name], format: d.format };
    }
  }
  return { name: "median ms", value: (c) => c.medianMs, format: "ms" };
}

const shortNumber = (n) =>
  n >= 1e6 && n % 1e5 === 0 ? `${n / 1e6}M` : n >= 1e3 && n % 100 === 0 ? `${n / 1e3}k` : `${n}`;
const PALETTE = ["#1971c2", "#2f9e44", "#868e96", "#7048e8", "#e8590c"];

/** A line chart: x = metrics.x (log scale when it spans 8x or more), y from 0. */
function renderCurvePanel(result, name, cases, unit, y0) {
  const lines = [];
  const m = curveMeasure(result, cases);
  const fmt = (v) => (m.format === "ms" ? `${fmtMs(v)} ms` : fmtValue(v, m.format));
  lines.push(`<text x="10" y="${y0 + 20}" font-style="italic">${xml(name)}</text>`);
  const left = 70;
  const plotW = 470;
  const top = y0 + 34;
  const plotH = 170;
  const pts = cases.filter((c) => m.value(c) !== undefined);
  const xs = [...new Set(cases.map((c) => c.metrics.x))].sort((a, b) => a - b);
  const log = xs[0] > 0 && xs.at(-1) / xs[0] >= 8;
  const fx = (x) => (log ? Math.log(x) : x);
  const [lo, hi] = [fx(xs[0]), fx(xs.at(-1))];
  const px = (x) => left + (hi === lo ? plotW / 2 : ((fx(x) - lo) / (hi - lo)) * plotW);
  const ymax = Math.max(...pts.map((c) => m.value(c)), 1e-9) * 1.1;
  const py = (v) => top + plotH - (v / ymax) * plotH;
  for (let k = 0; k <= 4; k++) {
    const v = (ymax * k) / 4;
    const yy = py(v).toFixed(1);
    lines.push(
      `<line x1="${left}" x2="${left + plotW}" y1="${yy}" y2="${yy}" stroke="#e9ecef"/>`,
      `<text x="${left - 6}" y="${(py(v) + 4).toFixed(1)}" text-anchor="end" font-size="11">${xml(fmtValue(v, m.format === "ms" ? "number" : m.format))}</text>`,
    );
  }
  for (const x of xs) {
    lines.push(
      `<text x="${px(x).toFixed(1)}" y="${top + plotH + 16}" text-anchor="middle" font-size="11">${xml(shortNumber(x))}</text>`,
    );
  }
  lines.push(
    `<text x="${left + plotW / 2}" y="${top + plotH + 32}" text-anchor="middle" font-size="11">x: ${xml(unit || "size")}${log ? " (log scale)" : ""}; y: ${xml(m.name)}</text>`,
  );
  const series = [...new Set(cases.map((c) => c.label))];
  series.forEach((label, i) => {
    const deft = /^deft\b/.test(label);
    const color = deft ? "#d9480f" : PALETTE[i % PALETTE.length];
    const own = pts.filter((c) => c.label === label).sort((a, b) => a.metrics.x - b.metrics.x);
    const path = own.map((c) => `${px(c.metrics.x).toFixed(1)},${py(m.value(c)).toFixed(1)}`);
    if (path.length > 1) {
      lines.push(
        `<polyline points="${path.join(" ")}" fill="none" stroke="${color}" stroke-width="${deft ? 3 : 2}"/>`,
      );
    }
    for (const c of own) {
      lines.push(
        `<circle cx="${px(c.metrics.x).toFixed(1)}" cy="${py(m.value(c)).toFixed(1)}" r="3.5" fill="${color}"><title>${xml(`${label} @ ${shortNumber(c.metrics.x)}: ${fmt(m.value(c))}`)}</title></circle>`,
      );
    }
    const lastPoint = own.at(-1);
    const ly = top + 12 + i * 18;
    lines.push(
      `<rect x="${left + plotW + 20}" y="${ly - 9}" width="12" height="12" fill="${color}"/>`,
      `<text x="${left + plotW + 38}" y="${ly + 1}">${xml(label)}${lastPoint ? ` (${xml(fmt(m.value(lastPoint)))})` : ""}</text>`,
    );
  });
  return { lines, height: plotH + 34 + 44 };
}

/** One panel per group, one bar per case (deft's bars in orange); curve groups as line charts. */
function renderSvg(result) {
  const lines = [];
  let y = 28;
  const curves = curvesOf(result);
  const inCurve = new Set([...curves.values()].flatMap((c) => c.cases));
  const hasSpeedup = result.derived?.some((d) => d.name === "speedup");
  const title =
    curves.size > 0
      ? "cost curves"
      : hasSpeedup
        ? "speedup (longer is better)"
        : "median time (shorter is better)";
  lines.push(`<text x="10" y="18" font-weight="bold">${xml(result.name)}: ${title}</text>`);
  for (const [name, { cases, unit }] of curves) {
    const panel = renderCurvePanel(result, name, cases, unit, y);
    lines.push(...panel.lines);
    y += panel.height;
  }
  for (const [group, all] of groupsOf(result)) {
    const cases = all.filter((c) => !inCurve.has(c));
    if (cases.length === 0) continue;
    const m = groupMeasure(result, cases);
    const max = m.max ?? Math.max(...cases.map((c) => m.value(c) ?? 0), 1e-9);
    if (group) {
      y += 8;
      lines.push(`<text x="10" y="${y + 12}" font-style="italic">${xml(group)}</text>`);
      y += rowH;
    }
    for (const c of cases) {
      const v = m.value(c);
      const deft = /^deft\b/.test(c.label);
      lines.push(`<text x="${labelW - 8}" y="${y + 15}" text-anchor="end">${xml(c.label)}</text>`);
      if (v === undefined) {
        const why =
          c.status === "ok" ? "no figure" : c.status === "unavailable" ? "not available" : "failed";
        lines.push(`<text x="${labelW}" y="${y + 15}" fill="#868e96">${why}</text>`);
      } else {
        const w = Math.max(1, (Math.min(v, max) / max) * barW);
        const fill = deft ? "#d9480f" : "#868e96";
        lines.push(
          `<rect x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="${fill}"/>`,
        );
        lines.push(
          `<text x="${(labelW + w + 6).toFixed(1)}" y="${y + 15}">${xml(m.text(v))}</text>`,
        );
      }
      y += rowH;
    }
  }
  const H = y + 10;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="13">`,
    `<rect width="${W}" height="${H}" fill="#ffffff"/>`,
    ...lines,
    "</svg>",
    "",
  ].join("\n");
}

function renderTable(result) {
  const showGroup = result.cases.some((c) => c.group);
  const derived = result.derived ?? [];
  const header = [
    ...(showGroup ? ["group"] : []),
    "case",
    "median ms",
    "min ms",
    "ratio",
    ...derived.map((d) => d.name),
    "note",
  ];
  const rows = result.cases.map((c) => [
    ...(showGroup ? [c.group] : []),
    c.label,
    fmtMs(c.medianMs),
    fmtMs(c.minMs),
    fmtValue(c.ratio, "ratio"),
    ...derived.map((d) => fmtValue(c.derived?.[d.name], d.format)),
    c.status === "ok"
      ? ""
      : `${c.status === "unavailable" ? "not available" : "FAILED"}: ${c.error ?? ""}`,
  ]);
  if (rows.every((r) => r.at(-1) === "")) {
    header.pop();
    for (const r of rows) r.pop();
  }
  const align = header.map((h) => (["group", "case", "note"].includes(h) ? "---" : "---:"));
  return [
    `| ${header.map(md).join(" | ")} |`,
    `| ${align.join(" | ")} |`,
    ...rows.map((r) => `| ${r.map(md).join(" | ")} |`),
  ];
}

function renderComparisons(result) {
  if (!result.comparisons?.length) return [];
  const out = ["", "| figure | measured | target | met |", "| --- | ---: | --- | --- |"];
  for (const c of result.comparisons) {
    const met = meetsTarget(c.value, c.target);
    const v = c.value === undefined || c.value === null ? "n/a" : fmtValue(c.value, "ratio");
    out.push(
      `| ${md(c.name)} | ${v} | ${md(c.target ?? "")} | ${met === undefined ? "" : met ? "yes" : "**no**"} |`,
    );
  }
  return out;
}

function renderMarkdown(results) {
  const out = [
    "# Benchmarks",
    "",
    "Generated by `node scripts/bench-report.mjs` from `benchmarks/results/*.json`; do not edit",
    "by hand. Reproduce with `npx pnpm@10 bench` (all workloads) or `npx pnpm@10 bench <name>`,",
    "then re-run the script. How the runner measures, and how to add a workload:",
    "[benchmarks/README.md](../benchmarks/README.md); each workload's targets are the `target`",
    "column of its figures table below.",
    "",
    "Every figure is the median of several runs after a warm-up, with the cases of a workload",
    "interleaved round by round on one machine, so **ratios** between rows are the figures to",
    "read: absolute times on these shared 2-core machines drift by ±30%. `ratio` is the time",
    "relative to the group's baseline (lower is faster); `deft / this` below 1 means deft is",
    "faster than that row.",
  ];
  for (const r of results) {
    const m = r.machine ?? {};
    out.push(
      "",
      `## ${r.name}`,
      "",
      r.description,
      "",
      `Median of ${r.runs} runs after ${r.warmup} warm-up; ${m.cpus} x ${m.cpuModel}, Node ${m.node}, ` +
        `load average ${(m.loadAvg ?? []).join(" ")}; measured ${r.date}.`,
      "",
      `![${r.name} chart](img/bench-${r.name}.svg)`,
      "",
      ...renderTable(r),
      ...renderComparisons(r),
    );
  }
  return `${out.join("\n")}\n`;
}

const results = loadResults();
mkdirSync(imgDir, { recursive: true });
for (const r of results) writeFileSync(new URL(`bench-${r.name}.svg`, imgDir), renderSvg(r));
writeFileSync(new URL("benchmarks.md", docsDir), renderMarkdown(results));
console.log(
  `wrote docs/benchmarks.md and ${results.map((r) => `docs/img/bench-${r.name}.svg`).join(", ")}`,
);
