/**
 * The decoder as a graph of built-in tfjs layers only, for export: a user's web page loads it
 * with plain `tf.loadLayersModel`, without the studio's layer classes. Each upsample-conv layer
 * becomes the stride-2 Conv2DTranspose it equals (4×4), holding the derived kernel; every other
 * layer is rebuilt from its config with a copy of its weights.
 */
import * as tf from '../tf'
import { UpsampleConv2D, upsampleKernel } from './upsample-conv'

type Layer = tf.layers.layers.Layer
type LayerClass = tf.serialization.SerializableConstructor<Layer>

/** A new model owning new weights: the caller disposes it. */
export function standardDecoder(decoder: tf.layers.LayersModel): tf.layers.LayersModel {
  const [input] = decoder.inputs
  const z = tf.layers.input({ shape: input.shape.slice(1) as number[], name: input.name })
  let h = z
  const assign: Array<() => void> = []
  for (const layer of decoder.layers) {
    if (layer.getClassName() === 'InputLayer') continue
    if (layer.inboundNodes.length !== 1 || layer.inboundNodes[0].inboundLayers.length !== 1) {
      throw new Error(`the decoder is not a chain of layers (at ${layer.name}); export needs one`)
    }
    const rebuilt = layer instanceof UpsampleConv2D ? transposedEquivalent(layer) : fromConfig(layer)
    h = rebuilt.apply(h) as tf.layers.SymbolicTensor
    assign.push(() => {
      const weights = layer.getWeights()
      if (layer instanceof UpsampleConv2D) {
        const kernel = upsampleKernel(weights[0] as tf.Tensor4D)
        rebuilt.setWeights([kernel, weights[1]])
        kernel.dispose()
      } else rebuilt.setWeights(weights)
    })
  }
  const model = tf.layers.model({ inputs: z, outputs: h, name: decoder.name })
  for (const set of assign) set()
  return model
}

function transposedEquivalent(layer: UpsampleConv2D): Layer {
  return tf.layers.layers.conv2dTranspose({ filters: layer.filters, kernelSize: 4, strides: 2, padding: 'same', name: layer.name })
}

function fromConfig(layer: Layer): Layer {
  const cls = layer.constructor as LayerClass
  return cls.fromConfig(cls, layer.getConfig())
}
