import { describe, expect, it } from 'vitest'
import { methodNames } from '../contract'
import { StudioError, type Envelope } from '../errors'
import { createClient, type StudioTransport } from './create-client'

function fakeTransport(answer: (method: string, payload: unknown) => Envelope<unknown>) {
  const calls: Array<{ method: string; payload: unknown }> = []
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const transport: StudioTransport = {
    async invoke(method, payload) {
      calls.push({ method, payload })
      return answer(method, payload)
    },
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set()
      set.add(listener)
      listeners.set(event, set)
      return () => set.delete(listener)
    }
  }
  const emit = (event: string, payload: unknown) => listeners.get(event)?.forEach((l) => l(payload))
  return { transport, calls, emit }
}

describe('createClient', () => {
  it('has one function per contract method, each sending its request under the method name', async () => {
    const { transport, calls } = fakeTransport((method) => ({ result: `answer of ${method}` }))
    const client = createClient(transport) as unknown as Record<string, (payload?: unknown) => Promise<unknown>>
    for (const method of methodNames) {
      expect(typeof client[method], method).toBe('function')
      await expect(client[method]({ probe: method })).resolves.toBe(`answer of ${method}`)
    }
    expect(calls.map((c) => c.method)).toEqual(methodNames)
    expect(calls[0].payload).toEqual({ probe: methodNames[0] })
  })

  it('passes typed payloads through and returns the result', async () => {
    const pixels = new Uint8Array([1, 2, 3, 4])
    const { transport, calls } = fakeTransport(() => ({ result: [{ width: 2, height: 2, channels: 1, pixels }] }))
    const client = createClient(transport)
    const images = await client.modelDecode({ z: [[0, 1]] })
    expect(images[0].pixels).toBe(pixels)
    expect(calls).toEqual([{ method: 'modelDecode', payload: { z: [[0, 1]] } }])
    await client.projectSave()
    expect(calls[1]).toEqual({ method: 'projectSave', payload: undefined })
  })

  it('throws a StudioError with the envelope code and message', async () => {
    const { transport } = fakeTransport(() => ({ error: { code: 'busy', message: 'a run is already going' } }))
    const client = createClient(transport)
    const failure = await client.trainStop().catch((err: unknown) => err)
    expect(failure).toBeInstanceOf(StudioError)
    expect(failure).toMatchObject({ code: 'busy', message: 'a run is already going' })
  })

  it('lets a transport failure through unchanged', async () => {
    const lost = new StudioError('internal', 'connection to the studio server lost')
    const client = createClient({ invoke: () => Promise.reject(lost), subscribe: () => () => {} })
    await expect(client.engineInfo()).rejects.toBe(lost)
  })

  it('delivers events to subscribers until they unsubscribe', () => {
    const { transport, emit } = fakeTransport(() => ({ result: null }))
    const client = createClient(transport)
    const seen: unknown[] = []
    const off = client.on('train:state', (payload) => seen.push(payload))
    emit('train:state', { state: 'running' })
    emit('train:progress', { step: 1 })
    off()
    emit('train:state', { state: 'stopped' })
    expect(seen).toEqual([{ state: 'running' }])
  })
})
