/**
 * Malformed requests for every method of the contract. Each method has one valid request (a typed
 * table, so a new method cannot be forgotten); every field of it, at every depth, is then replaced
 * by values of the wrong JSON type, required fields are removed, unknown and prototype-polluting
 * keys are added, and hand-written cases cover what types alone cannot say (ranges, sizes, paths
 * outside the chosen folders). None of these is guessed at: each is malformed by construction,
 * never judged by the schema under test.
 */
import * as path from 'node:path'
import { type MethodName, type Request } from '../../../src/shared/contract'
import { defaultImportOptions, defaultTrainConfig } from '../../../src/shared/config'
import { smallModel } from '../../support/small-setup'

export interface MalformedCase {
  label: string
  method: string
  payload: unknown
  /** The error code the host must answer with. */
  code: 'invalid-request' | 'forbidden-path'
}

export interface FuzzFolders {
  /** A folder the user chose. */
  allowed: string
  /** A folder they did not. */
  outside: string
  /** A symlink inside `allowed` that leads to `outside`. */
  escape: string
}

export function validRequests({ allowed }: FuzzFolders): { [M in MethodName]: Request<M> } {
  const image = { width: 2, height: 1, channels: 3 as const, pixels: new Uint8Array(6) }
  return {
    engineInfo: undefined,
    engineStatus: undefined,
    engineRestart: undefined,
    settingsGet: undefined,
    // Colour given as a number: a wrong type of the default 'auto' would be 1, which is valid.
    settingsSet: { theme: 'dark', lastImportOptions: { ...defaultImportOptions, channels: 3 }, lastTrainConfig: { ...defaultTrainConfig, length: { unit: 'steps', amount: 300 }, warmup: { kind: 'none', steps: 10 } } },
    dialogPickFolder: { purpose: 'import' },
    filesList: { path: allowed },
    filesPlaces: { purpose: 'import' },
    projectCreate: { path: path.join(allowed, 'new.vaeproj'), name: 'New' },
    projectOpen: { path: path.join(allowed, 'new.vaeproj') },
    projectSave: undefined,
    projectCurrent: undefined,
    projectRecent: undefined,
    datasetImport: { folder: allowed, options: { ...defaultImportOptions, channels: 3, faces: { ...defaultImportOptions.faces, find: false } } },
    datasetDemo: { count: 16, seed: 1 },
    datasetCancel: undefined,
    datasetThumbnails: { from: 0, count: 4 },
    datasetSkipped: undefined,
    datasetUndoExclude: undefined,
    datasetScores: undefined,
    datasetFace: { index: 0 },
    datasetExclude: { indices: [0] },
    trainStart: { model: { ...smallModel }, train: { ...defaultTrainConfig, length: { unit: 'epochs', amount: 2 }, warmup: { kind: 'linear', steps: 10 } } },
    trainPlan: { train: { ...defaultTrainConfig, length: { unit: 'minutes', amount: 2.5 } }, measure: false },
    trainPause: undefined,
    trainResume: undefined,
    trainStop: undefined,
    trainSetBeta: { beta: 2 },
    trainHistory: undefined,
    modelEncode: { indices: [0, 1] },
    modelDecode: { z: [[0, 0.5]] },
    modelSample: { count: 2, temperature: 1, seed: 3 },
    modelReconstruct: { indices: [0] },
    qualityMeasure: { samples: 32, seed: 0, temperature: 1 },
    qualityHistory: undefined,
    latentMap: { axes: 'dims', dims: [0, 1] },
    latentInterpolate: { a: { index: 0 }, b: { code: [0, 1] }, frames: 4, mode: 'linear' },
    latentArithmetic: { a: [0], b: [1], c: [2] },
    recipeSave: { name: 'recipe', a: [0], b: [1], c: [2] },
    recipeList: undefined,
    recipeDelete: { name: 'recipe' },
    attributeCreate: { name: 'glasses', withIndices: [0], withoutIndices: [1] },
    attributeFromLabel: { label: 'happy' },
    attributeList: undefined,
    attributeDelete: { name: 'glasses' },
    attributeApply: { ref: { index: 0 }, name: 'glasses', amounts: [1] },
    toolsDenoise: { index: 0, noise: { kind: 'gaussian', sigma: 0.1 }, seed: 1 },
    toolsCompression: { index: 0 },
    toolsNearest: { code: [0, 1] },
    latentTimeline: { count: 2, seed: 1, temperature: 1 },
    latentFromPng: { png: new Uint8Array(8) },
    exportCodePng: { code: [0, 1], seed: 1, path: path.join(allowed, 'code.png') },
    exportAnimation: { frames: [image], format: 'gif', delayMs: 100, loop: 0, path: path.join(allowed, 'anim.gif') },
    exportSamples: { folder: path.join(allowed, 'faces-out'), count: 4, temperature: 1, seed: 1 },
    exportCancel: undefined,
    exportModel: { folder: path.join(allowed, 'model') },
    exportPng: { images: [image], columns: 1, path: path.join(allowed, 'grid.png') }
  }
}

/** Top-level fields a request may leave out. */
const optionalFields = new Set([
  'projectCreate.name',
  'latentMap.dims',
  'exportPng.path',
  'exportCodePng.seed',
  'qualityMeasure.samples',
  'qualityMeasure.seed',
  'qualityMeasure.temperature',
  'exportCodePng.path',
  'exportAnimation.path',
  'settingsSet.theme',
  'settingsSet.lastImportOptions',
  'settingsSet.lastTrainConfig',
  'trainPlan.measure'
])

/**
 * Fields where null means something (a run length's amount: the recommended one); NaN and ±∞
 * are left out there too, as JSON carries them as null.
 */
const nullableLeaves = new Set(['length.amount'])

/** Values no field of the given value's type accepts. */
function wrongTypes(value: unknown): unknown[] {
  if (value instanceof Uint8Array) return ['AAEC', [0, 1, 2, 3, 4, 5], null, {}, 6]
  if (Array.isArray(value)) return ['[0, 1]', 0, null, { 0: 0, length: 1 }, true]
  switch (typeof value) {
    case 'number':
      return ['1', 'NaN', null, true, [], {}, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]
    case 'string':
      return [1, null, true, [], {}, ['x']]
    case 'boolean':
      return ['true', 1, null]
    default:
      return ['x', 1, null, [], true]
  }
}

/** A copy of `value` with an own "__proto__" key, as JSON.parse makes from hostile text. */
function withOwnProto(value: object): object {
  const copy = { ...value }
  Object.defineProperty(copy, '__proto__', { value: { polluted: true }, enumerable: true, configurable: true, writable: true })
  return copy
}

function setAt(root: unknown, keys: Array<string | number>, value: unknown, remove = false): unknown {
  if (keys.length === 0) return value
  const [key, ...rest] = keys
  const copy = (Array.isArray(root) ? [...root] : { ...(root as object) }) as Record<string | number, unknown>
  if (remove && rest.length === 0) delete copy[key]
  else copy[key] = setAt(copy[key], rest, value, remove)
  return copy
}

/** Every value inside `value` (objects' fields, arrays' first element), with where it sits. */
function* leaves(value: unknown, keys: Array<string | number> = []): Generator<{ keys: Array<string | number>; value: unknown }> {
  yield { keys, value }
  if (value instanceof Uint8Array) return
  if (Array.isArray(value)) {
    if (value.length > 0) yield* leaves(value[0], [...keys, 0])
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) yield* leaves(inner, [...keys, key])
  }
}

/** Cases derived from each method's valid request. */
function derivedCases(valid: { [M in MethodName]: Request<M> }): MalformedCase[] {
  const cases: MalformedCase[] = []
  for (const method of Object.keys(valid) as MethodName[]) {
    const request = valid[method] as unknown
    const add = (label: string, payload: unknown) => cases.push({ label: `${method}: ${label}`, method, payload, code: 'invalid-request' })
    if (request === undefined) {
      for (const payload of [null, {}, { x: 1 }, 0, '', 'x', [], false]) add(`takes no payload, got ${JSON.stringify(payload)}`, payload)
      continue
    }
    for (const { keys, value } of leaves(request)) {
      const where = keys.length ? keys.join('.') : 'payload'
      const nullable = nullableLeaves.has(keys.slice(-2).join('.'))
      for (const wrong of wrongTypes(value)) if (!(nullable && JSON.stringify(wrong) === 'null')) add(`${where} = ${String(JSON.stringify(wrong))}`, setAt(request, keys, wrong))
      if (typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)) {
        add(`${where} with an unknown key`, setAt(request, keys, { ...value, unexpected: 1 }))
        add(`${where} with a __proto__ key`, setAt(request, keys, withOwnProto(value)))
        add(`${where} with a constructor key`, setAt(request, keys, { ...value, constructor: { prototype: { polluted: true } } }))
      }
      if (keys.length === 1 && !optionalFields.has(`${method}.${keys[0]}`)) add(`without ${where}`, setAt(request, keys, undefined, true))
    }
  }
  return cases
}

/** What types cannot say: ranges, sizes, enum values, and paths the user never chose. */
function handWrittenCases(valid: { [M in MethodName]: Request<M> }, { allowed, outside, escape }: FuzzFolders): MalformedCase[] {
  const cases: MalformedCase[] = []
  const add = <M extends MethodName>(method: M, label: string, payload: unknown, code: MalformedCase['code'] = 'invalid-request') =>
    cases.push({ label: `${method}: ${label}`, method, payload, code })
  const with_ = <M extends MethodName>(method: M, patch: Record<string, unknown>) => ({ ...(valid[method] as object), ...patch })
  const many = <T>(n: number, item: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => item(i))

  for (const z of [[], [[0]], many(257, () => [0, 0]), [many(257, () => 0)], [[0, Infinity]], [[0, -Infinity]]]) add('modelDecode', `z of shape ${z.length}×${(z[0] as unknown[] | undefined)?.length}`, { z })
  for (const indices of [[], [-1], [1.5], many(4097, (i) => i), [2 ** 53]]) {
    add('modelEncode', `indices ${indices.length > 5 ? `× ${indices.length}` : JSON.stringify(indices)}`, { indices })
    add('modelReconstruct', `indices ${indices.length > 5 ? `× ${indices.length}` : JSON.stringify(indices)}`, { indices })
  }
  for (const patch of [{ count: 0 }, { count: 257 }, { count: 1.5 }, { temperature: -1 }, { temperature: 11 }, { seed: -1 }, { seed: 2 ** 31 }, { seed: 0.5 }]) {
    add('modelSample', JSON.stringify(patch), with_('modelSample', patch))
  }
  for (const patch of [{ samples: 15 }, { samples: 4097 }, { samples: 1.5 }, { temperature: -1 }, { temperature: 11 }, { seed: -1 }, { seed: 2 ** 31 }]) {
    add('qualityMeasure', JSON.stringify(patch), with_('qualityMeasure', patch))
  }
  for (const patch of [{ count: 15 }, { count: 50_001 }, { seed: -1 }, { seed: 2 ** 31 }]) add('datasetDemo', JSON.stringify(patch), with_('datasetDemo', patch))
  for (const patch of [{ from: -1 }, { count: 0 }, { count: 513 }, { from: 0.5 }]) add('datasetThumbnails', JSON.stringify(patch), with_('datasetThumbnails', patch))
  for (const beta of [-1, 1001, -0.000001]) add('trainSetBeta', `beta ${beta}`, { beta })
  const trainStart = valid.trainStart
  for (const model of [{ imageSize: 48 }, { latentDim: 1 }, { latentDim: 257 }, { baseFilters: 3 }, { baseFilters: 129 }, { recon: 'l1' }, { channels: 4 }]) {
    add('trainStart', `model ${JSON.stringify(model)}`, { ...trainStart, model: { ...trainStart.model, ...model } })
  }
  for (const train of [
    { length: { unit: 'epochs', amount: 0 } },
    { length: { unit: 'epochs', amount: 100_001 } },
    { length: { unit: 'steps', amount: 2.5 } },
    { length: { unit: 'minutes', amount: 0.01 } },
    { length: { unit: 'weeks', amount: 1 } },
    { epochs: 20 },
    { batchSize: 0 },
    { batchSize: 1025 },
    { learningRate: 0 },
    { learningRate: -1 },
    { learningRate: 11 },
    { beta: -1 },
    { valFraction: 0.6 },
    { warmup: { kind: 'exponential', steps: 5 } },
    { warmup: { kind: 'linear', steps: 0 } },
    { checkpointEverySteps: 0 },
    { seed: 2 ** 31 }
  ]) {
    add('trainStart', `train ${JSON.stringify(train)}`, { ...trainStart, train: { ...trainStart.train, ...train } })
  }
  for (const options of [{ size: 100 }, { size: 0 }, { fit: 'stretch' }, { channels: 2 }, { channels: 'grey' }, { maxPixels: 0 }, { maxPixels: 1e10 }]) {
    add('datasetImport', `options ${JSON.stringify(options)}`, { folder: allowed, options: { ...defaultImportOptions, ...options } })
  }
  const image = valid.exportPng.images[0]
  for (const [label, images] of [
    ['no images', []],
    ['1025 images', many(1025, () => image)],
    ['width 0', [{ ...image, width: 0, pixels: new Uint8Array(0) }]],
    ['width 4097', [{ ...image, width: 4097, height: 1, pixels: new Uint8Array(4097 * 3) }]],
    ['2 channels', [{ ...image, channels: 2, pixels: new Uint8Array(4) }]],
    ['pixels too short', [{ ...image, pixels: new Uint8Array(5) }]],
    ['pixels too long', [{ ...image, pixels: new Uint8Array(7) }]]
  ] as Array<[string, unknown[]]>) {
    add('exportPng', label, { ...valid.exportPng, images })
  }
  for (const columns of [0, 65, 1.5]) add('exportPng', `columns ${columns}`, { ...valid.exportPng, columns })
  for (const dims of [[256, 0], [0], [0, 1, 2], [-1, 0]]) add('latentMap', `dims ${JSON.stringify(dims)}`, { axes: 'dims', dims })
  add('latentMap', 'axes tsne', { axes: 'tsne' })
  add('dialogPickFolder', 'purpose delete', { purpose: 'delete' })
  add('filesPlaces', 'purpose delete', { purpose: 'delete' })
  for (const patch of [{ recentProjects: ['/'] }, { theme: 'neon' }, { lastImportOptions: { size: 7 } }, { lastTrainConfig: { epochs: -1 } }]) {
    add('settingsSet', JSON.stringify(patch), patch)
  }
  for (const name of ['', 'x'.repeat(201)]) add('projectCreate', `name of ${name.length} characters`, { path: path.join(allowed, 'n.vaeproj'), name })
  for (const name of ['', '   ', 'x'.repeat(101)]) {
    add('recipeSave', `name ${JSON.stringify(name.slice(0, 8))} (${name.length})`, with_('recipeSave', { name }))
    add('attributeCreate', `name ${JSON.stringify(name.slice(0, 8))} (${name.length})`, with_('attributeCreate', { name }))
    add('attributeDelete', `name ${JSON.stringify(name.slice(0, 8))} (${name.length})`, { name })
  }
  for (const patch of [{ frames: 1 }, { frames: 65 }, { mode: 'cubic' }, { a: { index: -1 } }, { a: { index: 0, code: [0, 1] } }, { b: { code: [0] } }, { b: {} }]) {
    add('latentInterpolate', JSON.stringify(patch), with_('latentInterpolate', patch))
  }
  for (const amounts of [[], [21], [-21], many(65, () => 0)]) add('attributeApply', `${amounts.length} amounts`, with_('attributeApply', { amounts }))
  for (const noise of [{ kind: 'gaussian', sigma: 1.5 }, { kind: 'blur', sigma: 0.1 }, { kind: 'mask', x: 0, y: 0, width: 2, height: 0.5 }, { kind: 'salt-pepper', sigma: 0.1 }]) {
    add('toolsDenoise', `noise ${JSON.stringify(noise)}`, with_('toolsDenoise', { noise }))
  }
  for (const code of [[0], many(257, () => 0)]) {
    add('toolsNearest', `code of ${code.length}`, { code })
    add('exportCodePng', `code of ${code.length}`, with_('exportCodePng', { code }))
  }
  for (const patch of [{ count: 0 }, { count: 65 }, { temperature: 11 }]) add('latentTimeline', JSON.stringify(patch), with_('latentTimeline', patch))
  for (const patch of [{ frames: [] }, { frames: many(257, () => image) }, { delayMs: 5 }, { delayMs: 10_001 }, { loop: -1 }, { loop: 65_536 }, { format: 'apng' }]) {
    add('exportAnimation', JSON.stringify(patch).slice(0, 60), with_('exportAnimation', patch))
  }

  // Paths: every field that names a file or folder, pointed where the user never chose.
  const pathFields: Array<{ method: MethodName; request: (target: string) => unknown }> = [
    { method: 'filesList', request: (target) => ({ path: target }) },
    { method: 'projectCreate', request: (target) => ({ path: target }) },
    { method: 'projectOpen', request: (target) => ({ path: target }) },
    { method: 'datasetImport', request: (target) => ({ folder: target, options: { ...defaultImportOptions } }) },
    { method: 'exportPng', request: (target) => ({ ...valid.exportPng, path: target }) },
    { method: 'exportCodePng', request: (target) => ({ ...valid.exportCodePng, path: target }) },
    { method: 'exportAnimation', request: (target) => ({ ...valid.exportAnimation, path: target }) },
    { method: 'exportModel', request: (target) => ({ folder: target }) }
  ]
  const forbidden = ['/', '/etc', '/etc/passwd', outside, path.join(outside, 'x.vaeproj'), escape, path.join(escape, 'x.png'), path.join(allowed, '..', path.basename(outside)), `${allowed}-sibling`, 'relative/path', '~']
  for (const { method, request } of pathFields) {
    for (const target of forbidden) add(method, `path ${target}`, request(target), 'forbidden-path')
    for (const [label, target] of [['empty', ''], ['NUL', `${allowed}/a\0b`], ['4097 characters', `/${'a'.repeat(4096)}`]]) add(method, `path ${label}`, request(target))
  }

  // Channels that are not in the contract, including names every object has.
  for (const method of ['noSuchMethod', '', 'ENGINEINFO', 'engineInfo ', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'engine:info', 'shellExec']) {
    cases.push({ label: `unknown method ${JSON.stringify(method)}`, method, payload: undefined, code: 'invalid-request' })
  }
  return cases
}

export function malformedRequests(folders: FuzzFolders): MalformedCase[] {
  const valid = validRequests(folders)
  return [...derivedCases(valid), ...handWrittenCases(valid, folders)]
}
