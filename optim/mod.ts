/**
 * Optimizers with PyTorch's update rules (SGD, Adam, AdamW) and a step learning-rate schedule.
 *
 * @module
 */

export * from "./optimizer.ts";
export * from "./sgd.ts";
export * from "./adam.ts";
export * from "./lr_scheduler.ts";
