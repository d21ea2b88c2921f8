// PyTorch as a bench peer, measured in the same run as ours: one `/usr/bin/python3
// bench/torch_bench.py` process (Debian's python3-torch) kept for the whole bench, fed one job
// per workload as a JSON line; the inputs go through raw float32 files in a temporary directory,
// and the one-thread results come back the same way for the agreement check. Absent (with the
// reason logged) when that Python or its torch is missing.

import type { Timing } from "./_timing.ts";
import type { Workload } from "./_workloads.ts";

/** Timings per pass name ("fwd", "dX", ...) and thread count. */
export type TorchTimings = Record<string, Record<string, Timing>>;

/** A running torch_bench.py. */
export interface TorchPeer {
  version: string;
  /** Times a workload's passes at each thread count; writes its inputs first. */
  run(
    w: Workload,
    inputs: Record<string, Float32Array | Int32Array>,
    threads: number[],
    budget: number,
  ): Promise<{ timings: TorchTimings; results: Record<string, Float32Array> }>;
  close(): Promise<void>;
}

const SCRIPT = new URL("./torch_bench.py", import.meta.url);

/** Starts the PyTorch peer, or returns the reason it cannot run. */
export async function startTorch(python: string): Promise<TorchPeer | string> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(python, {
      args: [SCRIPT.pathname],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    return `cannot run ${python}: ${(error as Error).message}`;
  }
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(splitLines())
    .getReader();
  const writer = child.stdin.getWriter();
  const stderr = new Response(child.stderr).text();
  const next = async (): Promise<Record<string, unknown> | undefined> => {
    const { value, done } = await lines.read();
    return done ? undefined : JSON.parse(value);
  };
  const hello = await next();
  if (hello?.ready !== true) {
    await writer.close().catch(() => {});
    const status = await child.status;
    const reason = (await stderr).trim().split("\n").at(-1) ?? `exit ${status.code}`;
    return `${python} ${SCRIPT.pathname} did not start: ${reason}`;
  }
  const dir = await Deno.makeTempDir({ prefix: "bench_torch_" });
  return {
    version: String(hello.torch),
    async run(w, inputs, threads, budget) {
      for (const [name, data] of Object.entries(inputs)) {
        await Deno.writeFile(
          `${dir}/${name}.${data instanceof Int32Array ? "i32" : "f32"}`,
          new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
        );
      }
      const job = { ...w, dir, threads, budget };
      await writer.write(new TextEncoder().encode(JSON.stringify(job) + "\n"));
      const answer = await next();
      if (answer === undefined) throw new Error(`PyTorch exited: ${await stderr}`);
      if (answer.ok !== true) throw new Error(`PyTorch failed: ${answer.error}`);
      const timings = answer.passes as TorchTimings;
      const results: Record<string, Float32Array> = {};
      for (const pass of Object.keys(timings)) {
        try {
          const bytes = await Deno.readFile(`${dir}/${pass}.f32`);
          results[pass] = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
          await Deno.remove(`${dir}/${pass}.f32`);
        } catch { /* no result for this pass (the LeNet step) */ }
      }
      return { timings, results };
    },
    async close() {
      await writer.close().catch(() => {});
      await child.status;
      await stderr;
      await Deno.remove(dir, { recursive: true });
    },
  };
}

function splitLines(): TransformStream<string, string> {
  let buffer = "";
  return new TransformStream({
    transform(chunk, controller) {
      buffer += chunk;
      const parts = buffer.split("\n");
      buffer = parts.pop() ?? "";
      for (const line of parts) if (line.trim() !== "") controller.enqueue(line);
    },
    flush(controller) {
      if (buffer.trim() !== "") controller.enqueue(buffer);
    },
  });
}
