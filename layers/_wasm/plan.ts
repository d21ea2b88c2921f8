// Block sizes and the memory layout of one wasm GEMM call, sized for Zen 4 (32 KiB L1d, 1 MiB L2
// per core, a shared L3). Computed once per distinct (m, n, k, accumulate) and reused, since
// layers call gemm with the same shape over and over.

/** Register block: 6×8 keeps 12 v128 accumulators plus 2 B vectors and 1 A splat in 15 xmm. */
export const MR = 6;
export const NR = 8;
/** k block: the A and B micro-panels (KC·(MR+NR)·4 bytes ≈ 14 KiB) stay in L1d. */
const KC = 256;
/** Rows of an A block: MC·KC·4 = 144 KiB, inside L2. */
export const MC = 144;
/** Columns of a B block: KC·NC·4 = 4 MiB, in L3. */
const NC = 4096;
/** Floats allowed for each of: staged A, packed or staged B, C panels, finished C rows. */
const BUDGET = 1 << 21;
/**
 * A whole packed A up to this size is packed once and kept (in L2) while B goes by in column
 * chunks of B_RESIDENT bytes that are packed and consumed while still in L2. This suits the
 * skinny products of convolutions (m = output channels, n = pixels). A row-major B is staged
 * one row segment per set() call, so narrow chunks (large k) would cost more in calls than
 * they save in cache traffic: then chunks must be at least RESIDENT_MIN_NC wide.
 */
const A_RESIDENT = 384 << 10;
const B_RESIDENT = 256 << 10;
const RESIDENT_MIN_NC = 512;
/** Rows of B staged at a time before packing, so the staging stays in L2. */
export const B_CHUNK = 16;

/** Sizes (elements) and byte offsets in wasm memory for one call. */
export interface Plan {
  m: number;
  n: number;
  k: number;
  accumulate: boolean;
  /** B is staged along k (rowStride 1), one long run per column. */
  bTransposed: boolean;
  /** Largest k block (a multiple of 4; blocks are balanced, 576 → 288 + 288). */
  kcMax: number;
  /** Columns per column block (a multiple of NR). */
  ncMax: number;
  /** Rows per row chunk (all of m unless C would exceed the budget). */
  rowsMax: number;
  /** rowsMax rounded up to whole MR panels. */
  rowsPad: number;
  /** k per super-block: the k range staged and packed together (a multiple of kcMax). */
  ksMax: number;
  /** Row pitch (floats) of staged rows that run along k. */
  ksLd: number;
  /** Whether all packed A blocks of the call are kept across column blocks. */
  resident: boolean;
  aPanelBytes: number;
  /** Bytes of one packed A block (MC rows × one k block). */
  aBlockBytes: number;
  bPanelBytes: number;
  /** Bytes of one packed B block (ncMax columns × one k block). */
  bBlockBytes: number;
  cPanelBytes: number;
  /** Whether partial sums are kept in C panels (accumulating, or several k blocks). */
  cPanels: boolean;
  aPack: number;
  bPack: number;
  cBuf: number;
  aStage: number;
  bStage: number;
  cRows: number;
  /** Bytes of memory the call needs. */
  end: number;
}

const roundUp = (x: number, to: number) => Math.ceil(x / to) * to;
const align64 = (bytes: number) => roundUp(bytes, 64);

let last: Plan | undefined;

/**
 * The plan for C[m×n] (+)= A[m×k]·B[k×n]; m, n, k ≥ 1. `bTransposed`: B is staged along k
 * (rowStride 1), one long run per column.
 */
export function planGemm(
  m: number,
  n: number,
  k: number,
  accumulate: boolean,
  bTransposed: boolean,
): Plan {
  if (
    last && last.m === m && last.n === n && last.k === k && last.accumulate === accumulate &&
    last.bTransposed === bTransposed
  ) return last;
  const kcMax = roundUp(Math.ceil(k / Math.ceil(k / KC)), 4);
  const kBlocks = Math.ceil(k / kcMax);
  const kPad = roundUp(k, 4);
  const rowsFor = (nc: number) =>
    Math.min(m, Math.max(MC, Math.floor(BUDGET / Math.max(nc, kcMax))));
  // Resident A: B in column chunks that fit B_RESIDENT, all of A packed once.
  let ncMax = Math.min(
    roundUp(n, NR),
    Math.max(NR, Math.floor(B_RESIDENT / 4 / kPad / NR) * NR),
    NC,
  );
  const resident = roundUp(m, MR) * kPad * 4 <= A_RESIDENT && rowsFor(ncMax) === m &&
    (bTransposed || ncMax >= Math.min(n, RESIDENT_MIN_NC));
  if (!resident) ncMax = Math.min(roundUp(n, NR), NC);
  const rowsMax = rowsFor(ncMax);
  const rowsPad = roundUp(rowsMax, MR);
  const mcMax = Math.min(MC, rowsPad);
  const ksMax = resident ? kBlocks * kcMax : Math.min(
    kBlocks * kcMax,
    kcMax * Math.max(1, Math.floor(BUDGET / Math.max(ncMax, rowsPad) / kcMax)),
  );
  const ksLd = Math.min(ksMax, kPad);
  const aPanelBytes = kcMax * MR * 4;
  const aBlockBytes = (mcMax / MR) * aPanelBytes;
  const bPanelBytes = kcMax * NR * 4;
  const bBlockBytes = (ncMax / NR) * bPanelBytes;
  const cPanelBytes = rowsMax * NR * 4;
  const cPanels = accumulate || kcMax < k;
  // Layout: packed A | packed B | C panels | staged A | staged B | finished C rows.
  const aPack = 0;
  const aBlocks = resident ? kBlocks * Math.ceil(rowsMax / MC) : 1;
  const bPack = align64(aPack + aBlocks * aBlockBytes);
  const cBuf = align64(bPack + (ksMax / kcMax) * bBlockBytes);
  const aStage = align64(cBuf + (cPanels ? (ncMax / NR) * cPanelBytes : 0));
  const bStage = align64(aStage + rowsPad * ksLd * 4);
  const cRows = align64(bStage + Math.max(B_CHUNK * ncMax, NR * ksLd) * 4);
  const end = cRows + rowsMax * ncMax * 4;
  const plan: Plan = {
    m,
    n,
    k,
    accumulate,
    bTransposed,
    kcMax,
    ncMax,
    rowsMax,
    rowsPad,
    ksMax,
    ksLd,
    resident,
    aPanelBytes,
    aBlockBytes,
    bPanelBytes,
    bBlockBytes,
    cPanelBytes,
    cPanels,
    aPack,
    bPack,
    cBuf,
    aStage,
    bStage,
    cRows,
    end,
  };
  last = plan;
  return plan;
}
