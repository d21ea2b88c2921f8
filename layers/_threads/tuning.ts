// The sizes below which a kernel stays on the calling thread, read at every call. Results do not
// depend on them (every path computes the same bits on any thread count), only the time does:
// a job costs some 20-60 µs to hand out and collect here, about what one thread needs for 1 M
// multiply-adds, so a problem must be several times that for a second thread to pay. The
// conformance task (`--threads N`) and the tests set them to 0 so that every covered problem,
// however small, runs through the threads.

/** The thresholds (multiply-adds for GEMM and convolution passes, input bytes for pooling). */
export const THREAD_TUNING = {
  /**
   * GEMM m·n·k. Measured (bench/gemm_bench.ts --threads 2, quiet machine): square products gain
   * from about 2 M multiply-adds on; 4 M leaves margin for a loaded machine.
   */
  gemmMinWork: 1 << 22,
  /**
   * Convolution pass N·(Cout/groups)·(Cin/groups·k)·positions per group, the same rule for the
   * implicit and the im2col path. Measured in a training-like loop (forward, ReLU and backward of
   * one layer on fresh tensors, 1 vs 2 threads, AMD EPYC 2-vCPU guest, two runs): W1 (33.6 M)
   * 1.42-1.52× faster on 2 threads, W3 1.52-1.65×, but W2 (9.8 M, LeNet-5's second layer) 0.85-
   * 0.92× — slower, though the same pass timed alone gains 1.3-1.9×. In a loop the worker is
   * descheduled now and then (V8's own helper threads, busy with the freed tensors, want one of
   * the two vCPUs): the calling thread then waits for its unit, 0.1-0.4 ms per job on average in
   * LeNet-5 training, which only a pass of a few milliseconds absorbs. A LeNet-5 step took 5.2 ms
   * on one thread and 7.0-7.8 ms on two with the earlier threshold of 4 M. Hence 16 M: LeNet-5's
   * convolutions (5.5 M and 9.8 M) stay on the calling thread.
   */
  convMinWork: 1 << 24,
  /**
   * Direct (depthwise, narrow-group) convolution pass N·Cout·(Cin/groups·k)·positions. Its
   * kernels do about one multiply-add per byte the calling thread copies in and out (which does
   * not divide), so threads pay only on large passes. Measured with 2 threads (bench, paired
   * 2t/1t, 3 runs each): W6 (depthwise 8×64×56² k3, 14.5 M) 1.15–1.67× on every pass; W6s2
   * (stride 2, 3.6 M) 1.04–1.19× forward and input gradient, 0.85–1.07× weight gradient: below
   * this threshold, so it stays on one thread.
   */
  directMinWork: 1 << 22,
  /**
   * Max-pool input bytes. The pass is bound by the calling thread's copies into and out of the
   * memory, so threads only take the kernel's share off it; measured on W5 (6.4 MB) that does
   * not repay the hand-off, hence effectively off.
   */
  poolMinBytes: 64 << 20,
  /**
   * Units per thread of the implicit-GEMM convolution's forward and input gradient (chunks of
   * images, or output-channel parts of few chunks). Measured with the W1 and W2 shapes, the
   * threaded and the single-thread pass timed in alternation: 4 per thread took 5-12% less time
   * than 2 (W2 forward 0.56 vs 0.63 ms, W1 1.94 vs 2.07 ms); 8 was within noise of 4. A worker
   * wakes some 20-50 µs after the job is posted here, so with 2 units each the early thread
   * sat idle at the end.
   */
  unitsPerThread: 4,
};

const DEFAULTS = { ...THREAD_TUNING };

/** Sets every threshold to 0 (`true`: all covered problems use the threads) or back to the defaults. */
export function forceThreads(on: boolean): void {
  if (on) {
    Object.assign(THREAD_TUNING, {
      gemmMinWork: 0,
      convMinWork: 0,
      directMinWork: 0,
      poolMinBytes: 0,
    });
  } else Object.assign(THREAD_TUNING, DEFAULTS);
}
