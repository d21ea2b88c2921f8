/**
 * Training of classifiers: the training loop and its evaluation, a terminal progress reporter,
 * and the loss/accuracy curve as SVG.
 *
 * @module
 */

export * from "./trainer.ts";
export * from "./progress.ts";
export * from "./svg.ts";
export * from "./fine_tuner.ts";
