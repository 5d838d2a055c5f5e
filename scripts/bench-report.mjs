// Renders benchmarks/results/*.json (written by `pnpm bench`) into docs/benchmarks.md, with one
// SVG bar chart per workload in docs/img/bench-<name>.svg: time per engine, or, for workloads
// that report a "speedup" column, speedup per strategy. Plain Node, no dependencies, so it runs
// before anything is built: `node scripts/bench-report.mjs`.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";

const root = new URL("../", import.meta.url);
const resultsDir = new URL("benchmarks/results/", root);
const docsDir = new URL("docs/", root);
const imgDir = new URL("docs/img/", root);

const ORDER = ["udf", "builtins", "relational", "io"]; // the rest follow alphabetically

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
  if (speedup)
    return { value: (c) => c.derived?.speedup, text: (v) => `${fmtValue(v, "ratio")} speedup` };
  return { value: (c) => c.medianMs, text: (v) => `${fmtMs(v)} ms` };
}

/** One panel per group, one bar per case; deft's bars in orange. */
function renderSvg(result) {
  const W = 760;
  const labelW = 270;
  const barW = 340;
  const rowH = 22;
  const lines = [];
  let y = 28;
  const hasSpeedup = result.derived?.some((d) => d.name === "speedup");
  lines.push(
    `<text x="10" y="18" font-weight="bold">${xml(result.name)}: ${hasSpeedup ? "speedup (longer is better)" : "median time (shorter is better)"}</text>`,
  );
  for (const [group, cases] of groupsOf(result)) {
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
    "[benchmarks/README.md](../benchmarks/README.md); the targets: PERF.md in the shared notes.",
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
