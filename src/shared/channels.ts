/**
 * Channel and event names of the contract, kept free of zod (and of any runtime import) because
 * the sandboxed preload bundles this file and may not require anything but `electron`.
 * `contract.ts` re-exports both, so callers keep importing from there.
 */
import type { MethodName } from './contract'
import type { StudioEvents } from './events'

/** Channel names, `domain:verb`. */
export const channels = {
  engineInfo: 'engine:info',
  engineStatus: 'engine:status',
  engineRestart: 'engine:restart',
  settingsGet: 'settings:get',
  settingsSet: 'settings:set',
  dialogPickFolder: 'dialog:pick-folder',
  filesList: 'files:list',
  projectCreate: 'project:create',
  projectOpen: 'project:open',
  projectSave: 'project:save',
  projectCurrent: 'project:current',
  projectRecent: 'project:recent',
  datasetImport: 'dataset:import',
  datasetDemo: 'dataset:demo',
  datasetThumbnails: 'dataset:thumbnails',
  datasetSkipped: 'dataset:skipped',
  trainStart: 'train:start',
  trainPause: 'train:pause',
  trainResume: 'train:resume',
  trainStop: 'train:stop',
  trainSetBeta: 'train:set-beta',
  trainHistory: 'train:history',
  modelEncode: 'model:encode',
  modelDecode: 'model:decode',
  modelSample: 'model:sample',
  modelReconstruct: 'model:reconstruct',
  latentMap: 'latent:map',
  latentInterpolate: 'latent:interpolate',
  latentArithmetic: 'latent:arithmetic',
  recipeSave: 'recipe:save',
  recipeList: 'recipe:list',
  recipeDelete: 'recipe:delete',
  attributeCreate: 'attribute:create',
  attributeList: 'attribute:list',
  attributeDelete: 'attribute:delete',
  attributeApply: 'attribute:apply',
  toolsDenoise: 'tools:denoise',
  toolsCompression: 'tools:compression',
  toolsNearest: 'tools:nearest',
  latentTimeline: 'latent:timeline',
  latentFromPng: 'latent:from-png',
  exportCodePng: 'export:code-png',
  exportAnimation: 'export:animation',
  exportModel: 'export:model',
  exportPng: 'export:png'
} as const satisfies Record<MethodName, string>

export const eventNames = [
  'dataset:progress',
  'train:progress',
  'train:epoch',
  'train:state',
  'train:notice',
  'engine:status',
  'project:changed'
] as const satisfies ReadonlyArray<keyof StudioEvents>
