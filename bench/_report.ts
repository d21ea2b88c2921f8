// Formatting of the bench report: the table (markdown, so it pastes into the README), the
// targets of the issue checked against the measured numbers, and the JSON report.

import { type ImplName, IMPLS, type Measured, type Row } from "./_run.ts";
import { PER_FLOP_BASELINE } from "./_workloads.ts";
import type { MemoryReport } from "./_memory.ts";

/** Column titles. */
const TITLES: Record<ImplName, string> = {
  "fast": "ours fast",
  "fast-ts": "ours fast (TS)",
  "reference": "ours reference",
  "tfjs-wasm": "tfjs-wasm",
  "tfjs-cpu": "tfjs-cpu",
  "ort": "ORT",
};

/** Single-thread numbers of PyTorch 1.13 on this machine, from the issue (GFLOP/s, GB/s). */
export const PYTORCH: Record<string, number> = {
  "W1 fwd": 111,
  "W1 dX": 93,
  "W1 dW": 102,
  "W2 fwd": 89,
  "W2 dX": 35,
  "W2 dW": 56,
  "W3 fwd": 96,
  "W3 dX": 101,
  "W3 dW": 91,
  "W4 fwd": 89,
  "W4 dX": 87,
  "W4 dW": 84,
  "W5 fwd": 1.1,
};

function isMeasured(cell: Measured | string | undefined): cell is Measured {
  return typeof cell === "object";
}

function formatRate(rate: number): string {
  if (rate >= 100) return rate.toFixed(0);
  if (rate >= 10) return rate.toFixed(1);
  if (rate >= 1) return rate.toFixed(2);
  return rate.toPrecision(2);
}

function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/** "40.1 (12.3 ms) ✓", with the run count when capped. */
function formatCell(cell: Measured | string | undefined): string {
  if (cell === undefined) return "";
  if (typeof cell === "string") return cell;
  let text = `${formatRate(cell.rate)} (${formatMs(cell.timing.ms)}`;
  if (cell.timing.note) text += `; ${cell.timing.note}`;
  else if (cell.timing.capped) text += `; n=${cell.timing.runs}`;
  text += ")";
  if (cell.agreement) text += cell.agreement.ok ? " ✓" : " ✗";
  return text;
}

function ratio(row: Row, peer: ImplName): string {
  const ours = row.cells.fast, other = row.cells[peer];
  if (!isMeasured(ours) || !isMeasured(other)) return "";
  const r = ours.rate / other.rate;
  return `${r >= 10 ? r.toFixed(0) : r.toFixed(1)}×`;
}

/** The markdown table of all rows. */
export function table(rows: Row[]): string {
  const used = IMPLS.filter((impl) => rows.some((r) => r.cells[impl] !== undefined));
  const peers = (["tfjs-wasm", "tfjs-cpu", "ort"] as const).filter((p) => used.includes(p));
  const header = [
    "workload",
    "pass",
    "unit",
    ...used.map((i) => TITLES[i]),
    ...peers.map((p) => `fast/${TITLES[p]}`),
    "fast/PyTorch¹",
  ];
  const lines = [header, header.map(() => "---")];
  for (const row of rows) {
    const torch = PYTORCH[`${row.workload} ${row.pass}`];
    const fast = row.cells.fast;
    lines.push([
      row.workload,
      row.pass,
      row.unit,
      ...used.map((i) => formatCell(row.cells[i])),
      ...peers.map((p) => ratio(row, p)),
      torch && isMeasured(fast) ? `${(fast.rate / torch).toFixed(2)}` : "",
    ]);
  }
  return lines.map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

/** One checked target. */
export interface Target {
  target: string;
  measured: string;
  ok: boolean;
}

function rateOf(rows: Row[], workload: string, pass: string, impl: ImplName): number | undefined {
  const cell = rows.find((r) => r.workload === workload && r.pass === pass)?.cells[impl];
  return isMeasured(cell) ? cell.rate : undefined;
}

/** The targets, evaluated on what was measured (targets without data are left out). */
export function targets(rows: Row[], memory: MemoryReport | undefined): Target[] {
  const out: Target[] = [];
  const convs = [...new Set(rows.filter((r) => r.unit === "GFLOP/s" && r.pass !== "step"))]
    .map((r) => r.workload).filter((w, i, all) =>
      all.indexOf(w) === i && PER_FLOP_BASELINE[w] === undefined
    );
  for (const w of convs) {
    for (const pass of ["fwd", "dX", "dW"]) {
      const fast = rateOf(rows, w, pass, "fast");
      if (fast === undefined) continue;
      out.push({ target: `${w} ${pass} ≥ 20 GFLOP/s`, measured: formatRate(fast), ok: fast >= 20 });
      const cpu = rateOf(rows, w, pass, "tfjs-cpu");
      if (cpu !== undefined) {
        out.push({
          target: `${w} ${pass} ≥ 15× tfjs-cpu`,
          measured: `${(fast / cpu).toFixed(1)}×`,
          ok: fast >= 15 * cpu,
        });
      }
      const wasmFwd = rateOf(rows, w, "fwd", "tfjs-wasm");
      if (wasmFwd !== undefined) {
        out.push({
          target: `${w} ${pass} ≥ tfjs-wasm forward (${formatRate(wasmFwd)})`,
          measured: formatRate(fast),
          ok: fast >= wasmFwd,
        });
      }
      const wasmDx = rateOf(rows, w, "dX", "tfjs-wasm");
      if (pass === "dX" && wasmDx !== undefined) {
        out.push({
          target: `${w} dX ≥ 10× tfjs-wasm dX`,
          measured: `${(fast / wasmDx).toFixed(1)}×`,
          ok: fast >= 10 * wasmDx,
        });
      }
    }
  }
  for (const [w, dense] of Object.entries(PER_FLOP_BASELINE)) {
    for (const pass of ["fwd", "dX", "dW"]) {
      const fast = rateOf(rows, w, pass, "fast"), base = rateOf(rows, dense, pass, "fast");
      if (fast === undefined || base === undefined) continue;
      out.push({
        target: `${w} ${pass} per FLOP within 2× of dense ${dense} ${pass} (${formatRate(base)})`,
        measured: `${formatRate(fast)}: ${(base / fast).toFixed(1)}× slower per FLOP`,
        ok: base / fast <= 2,
      });
    }
  }
  const poolFwd = rows.find((r) => r.unit === "GB/s" && r.pass === "fwd")?.cells.fast;
  const poolBwd = rows.find((r) => r.unit === "GB/s" && r.pass === "bwd")?.cells.fast;
  if (isMeasured(poolFwd)) {
    out.push({
      target: "W5 max pool forward ≥ 12 GB/s (input bytes / time)",
      measured: formatRate(poolFwd.rate),
      ok: poolFwd.rate >= 12,
    });
  }
  if (isMeasured(poolFwd) && isMeasured(poolBwd)) {
    const r = poolBwd.timing.ms / poolFwd.timing.ms;
    out.push({
      target: "W5 max pool backward within 2× of forward (time)",
      measured: `${r.toFixed(2)}×`,
      ok: r <= 2,
    });
  }
  if (memory) {
    out.push({
      target: `${memory.workload} forward+backward peak memory ≤ 3× tensor bytes ` +
        `(${(memory.budget / 2 ** 20).toFixed(1)} MiB)`,
      measured: `${(memory.peak / 2 ** 20).toFixed(1)} MiB (${
        (memory.peak / memory.tensorBytes).toFixed(2)
      }×)`,
      ok: memory.ok,
    });
  }
  for (const [key, torch] of Object.entries(PYTORCH)) {
    const [w, pass] = key.split(" ");
    const fast = rateOf(rows, w, pass, "fast");
    if (fast === undefined) continue;
    out.push({
      target: `${key}: half of PyTorch (${formatRate(torch / 2)})`,
      measured: `${formatRate(fast)} (${(fast / torch).toFixed(2)} of PyTorch)`,
      ok: fast >= torch / 2,
    });
  }
  return out;
}

/** The targets as a markdown checklist. */
export function targetList(list: Target[]): string {
  return list.map((t) => `- ${t.ok ? "✓" : "✗"} ${t.target}: ${t.measured}`).join("\n");
}
