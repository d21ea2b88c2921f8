// The peers the conformance matrix compares against the goldens: TensorFlow.js 4.22 with its
// cpu and wasm backends and ONNX Runtime 1.30. Outside the published package (they import npm
// packages the library does not depend on); run them with `deno task conformance --impl <peer>`
// or all of them with `--peers`.

import type { Implementation } from "../conformance/mod.ts";

/** Peer names, in matrix order. */
export const PEERS = ["tfjs-cpu", "tfjs-wasm", "onnxruntime"] as const;

/** A peer's name. */
export type PeerName = typeof PEERS[number];

/** Whether `name` is a peer. */
export function isPeer(name: string): name is PeerName {
  return (PEERS as readonly string[]).includes(name);
}

/** Creates a peer's adapter (loading its package on first use). */
export async function createPeer(name: PeerName): Promise<Implementation> {
  if (name === "onnxruntime") return (await import("./ort.ts")).ortImplementation();
  return (await import("./tfjs.ts")).tfjsImplementation(name);
}

/** The version string of a peer's package. */
export async function peerVersion(name: PeerName): Promise<string> {
  if (name === "onnxruntime") return `onnxruntime-node ${(await import("./ort.ts")).ORT_VERSION}`;
  const backend = name === "tfjs-cpu" ? "tfjs-backend-cpu" : "tfjs-backend-wasm (1 thread)";
  return `${backend} ${(await import("./tfjs.ts")).TFJS_VERSION}`;
}
