import { describe, expect, it } from 'vitest'
import type { CompressionResult, NearestResult } from '../../../../shared/contract'
import type { RawImage } from '../../../../shared/images'
import { deferred, fakeStudio, settle } from '../../../../../test/support/fake-studio'
import { Exporter } from '../exporter.svelte'
import { Notices } from '../notices.svelte'
import { ToolsStore } from './tools.svelte'

const image = (v: number): RawImage => ({ width: 1, height: 1, channels: 1, pixels: new Uint8Array([v]) })

function setup() {
  const fake = fakeStudio({
    recipeList: () => [],
    attributeList: () => [{ name: 'glasses', vector: [1, 0], withIndices: [0], withoutIndices: [1], createdAt: 'now' }],
    toolsCompression: ({ index }): CompressionResult => ({
      original: image(index),
      reconstruction: image(index),
      latentDim: 2,
      codeBytesFloat32: 8,
      codeBytesFloat16: 4,
      rawBytes: 1,
      pngBytes: 70,
      jpegBytes: 300,
      jpegPsnr: 30,
      psnr: 20,
      ssim: 0.7,
      psnrFloat16: 19.9
    }),
    toolsNearest: ({ code }): NearestResult => ({ index: code[0], distance: 0.1, generated: image(1), nearest: image(2) })
  })
  const notices = new Notices()
  return { fake, tools: new ToolsStore(fake.api, notices, new Exporter(fake.api, notices, false)), notices }
}

describe('ToolsStore', () => {
  it('loads the project’s recipes and attributes once and starts filling the shown tool', async () => {
    const { fake, tools } = setup()
    await tools.open()
    await tools.open()
    expect(fake.callsOf('recipeList')).toHaveLength(1)
    expect(tools.attributes.selected).toBe('glasses')
    expect(tools.picker.active).toBe(tools.interpolation.start)
    tools.reset({ project: null, kind: 'switched' })
    expect(tools.attributes.attributes).toEqual([])
    await tools.open()
    expect(fake.callsOf('recipeList')).toHaveLength(2)
  })

  it('routes picks to the shown tool, which runs when its input is complete', async () => {
    const { fake, tools } = setup()
    tools.select('compression')
    tools.picker.pick({ kind: 'index', index: 6 })
    await settle()
    expect(fake.callsOf('toolsCompression')).toEqual([{ index: 6 }])
    expect(tools.compression.result?.pngBytes).toBe(70)

    tools.select('nearest')
    expect(tools.picker.source).toBe('tray')
    tools.picker.pick({ kind: 'index', index: 2 }) // a dataset image is no generated image
    tools.picker.pick({ kind: 'code', code: [5, 0], image: image(3), label: 'sample 1' })
    await settle()
    expect(fake.callsOf('toolsNearest')).toEqual([{ code: [5, 0] }])
    expect(tools.nearest.result?.index).toBe(5)

    tools.select('timeline')
    expect(tools.picker.active).toBeNull()
  })

  it('stays busy, and shows no stale answer, until the latest of overlapping requests answers', async () => {
    const gates = {
      compression: [] as Array<ReturnType<typeof deferred<CompressionResult>>>,
      nearest: [] as Array<ReturnType<typeof deferred<NearestResult>>>
    }
    const fake = fakeStudio({
      toolsCompression: () => {
        gates.compression.push(deferred<CompressionResult>())
        return gates.compression.at(-1)!.promise
      },
      toolsNearest: () => {
        gates.nearest.push(deferred<NearestResult>())
        return gates.nearest.at(-1)!.promise
      }
    })
    const notices = new Notices()
    const tools = new ToolsStore(fake.api, notices, new Exporter(fake.api, notices, false))
    const compressed = (pngBytes: number): CompressionResult => ({
      original: image(0),
      reconstruction: image(0),
      latentDim: 2,
      codeBytesFloat32: 8,
      codeBytesFloat16: 4,
      rawBytes: 1,
      pngBytes,
      jpegBytes: 300,
      jpegPsnr: 30,
      psnr: 20,
      ssim: 0.7,
      psnrFloat16: 19.9
    })
    tools.select('compression')
    tools.picker.pick({ kind: 'index', index: 1 })
    tools.picker.pick({ kind: 'index', index: 2 }) // replaces the pick: a second request
    expect(gates.compression).toHaveLength(2)
    gates.compression[0].resolve(compressed(11))
    await settle()
    expect(tools.compression.busy).toBe(true)
    expect(tools.compression.result).toBeNull()
    gates.compression[1].resolve(compressed(22))
    await settle()
    expect(tools.compression.busy).toBe(false)
    expect(tools.compression.result?.pngBytes).toBe(22)

    const first = tools.nearest.check([1, 0], image(1), 'first')
    const second = tools.nearest.check([2, 0], image(2), 'second')
    gates.nearest[0].resolve({ index: 1, distance: 0.1, generated: image(1), nearest: image(1) })
    await first
    expect(tools.nearest.busy).toBe(true)
    gates.nearest[1].resolve({ index: 2, distance: 0.2, generated: image(2), nearest: image(2) })
    await second
    expect(tools.nearest.busy).toBe(false)
    expect(tools.nearest.result?.index).toBe(2)
  })

  it('picks up with the input the user was filling when a tool is shown again', () => {
    const { tools } = setup()
    tools.select('interpolate')
    tools.picker.pick({ kind: 'index', index: 0 })
    tools.select('attributes')
    expect(tools.picker.active).toBe(tools.attributes.with)
    tools.picker.activate(tools.attributes.target, tools.attributes.slots)
    tools.select('interpolate')
    expect(tools.picker.active).toBe(tools.interpolation.end)
    tools.select('attributes')
    expect(tools.picker.active).toBe(tools.attributes.target)
  })
})
