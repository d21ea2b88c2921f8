/**
 * A container that chains modules, like PyTorch's `nn.Sequential`.
 *
 * @module
 */

import { Module, type Parameter } from "./module.ts";
import type { Tensor } from "./tensor.ts";

/**
 * Runs its layers in order on `forward` and in reverse on `backward`; `parameters()` lists every
 * layer's parameters in layer order, and `train`/`eval` reach every layer.
 *
 * @example A small classifier head
 * ```ts
 * import { Sequential } from "./sequential.ts";
 * import { Flatten } from "./flatten.ts";
 * import { Linear } from "./linear.ts";
 * import { ReLU } from "./relu.ts";
 * import { Tensor } from "./tensor.ts";
 * const model = new Sequential(new Flatten(), new Linear({ inFeatures: 12, outFeatures: 4 }), new ReLU());
 * const y = model.forward(Tensor.randn([2, 3, 2, 2]));
 * const dx = model.backward(Tensor.full([2, 4], 1));
 * if (y.shape.join() !== "2,4" || dx.shape.join() !== "2,3,2,2") throw new Error("shapes");
 * if (model.parameters().length !== 2) throw new Error("weight and bias");
 * ```
 */
export class Sequential extends Module {
  #layers: readonly Module[];

  /**
   * Builds the layer from its options.
   *
   * @param modules The layers in order, as arguments or as one array.
   * @throws {TypeError} If a layer is not a {@linkcode Module}.
   */
  constructor(...modules: Module[] | [readonly Module[]]) {
    super();
    const list: readonly unknown[] = modules.length === 1 && Array.isArray(modules[0])
      ? modules[0]
      : modules;
    list.forEach((layer, i) => {
      if (!(layer instanceof Module)) {
        throw new TypeError(
          `Cannot create Sequential: layer ${i} must be a Module, got ${
            layer === null ? "null" : typeof layer
          }`,
        );
      }
    });
    this.#layers = Object.freeze([...list as Module[]]);
  }

  /** The layers, in order. */
  get layers(): readonly Module[] {
    return this.#layers;
  }

  /**
   * Applies the layer, keeping what `backward` needs.
   *
   * @param input The first layer's input.
   * @returns The last layer's output (the input itself when there are no layers).
   */
  forward(input: Tensor): Tensor {
    let x = input;
    for (const layer of this.#layers) x = layer.forward(x);
    return x;
  }

  /**
   * Backpropagates through the last `forward`.
   *
   * @param gradOutput Gradient with respect to the last output.
   * @returns Gradient with respect to the last input; every layer accumulates its parameter
   * gradients.
   */
  backward(gradOutput: Tensor): Tensor {
    let g = gradOutput;
    for (let i = this.#layers.length - 1; i >= 0; i--) g = this.#layers[i].backward(g);
    return g;
  }

  /**
   * Backpropagates through the last `forward` for the parameter gradients only: the layers
   * before the first one with parameters are not run at all, and that one skips its input
   * gradient (see {@linkcode Module.backwardParameters}).
   *
   * @param gradOutput Gradient with respect to the last output.
   */
  override backwardParameters(gradOutput: Tensor): void {
    const first = this.#layers.findIndex((layer) => layer.parameters().length > 0);
    if (first < 0) return;
    let g = gradOutput;
    for (let i = this.#layers.length - 1; i > first; i--) g = this.#layers[i].backward(g);
    this.#layers[first].backwardParameters(g);
  }

  /**
   * Lists the trainable parameters.
   *
   * @returns Every layer's parameters, in layer order.
   */
  override parameters(): Parameter[] {
    return this.#layers.flatMap((layer) => layer.parameters());
  }

  /**
   * Switches training mode on this container and every layer in it.
   *
   * @param mode `true` for training, `false` for evaluation.
   * @returns This container, with every layer switched too.
   */
  override train(mode = true): this {
    super.train(mode);
    for (const layer of this.#layers) layer.train(mode);
    return this;
  }
}
