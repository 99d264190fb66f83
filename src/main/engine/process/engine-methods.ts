/** The contract methods the engine process answers; the host answers the rest itself. */
import type { MethodName } from '../../../shared/contract'

export const engineMethodNames = [
  'engineInfo',
  'projectCreate',
  'projectOpen',
  'projectSave',
  'projectCurrent',
  'datasetImport',
  'datasetDemo',
  'datasetThumbnails',
  'datasetSkipped',
  'trainStart',
  'trainPause',
  'trainResume',
  'trainStop',
  'trainSetBeta',
  'trainHistory',
  'modelEncode',
  'modelDecode',
  'modelSample',
  'modelReconstruct',
  'latentMap',
  'latentInterpolate',
  'latentArithmetic',
  'recipeSave',
  'recipeList',
  'recipeDelete',
  'attributeCreate',
  'attributeList',
  'attributeDelete',
  'attributeApply',
  'toolsDenoise',
  'toolsCompression',
  'toolsNearest',
  'latentTimeline',
  'latentFromPng',
  'exportCodePng',
  'exportAnimation',
  'exportModel',
  'exportPng'
] as const satisfies readonly MethodName[]

export type EngineMethodName = (typeof engineMethodNames)[number]

export function isEngineMethod(name: string): name is EngineMethodName {
  return (engineMethodNames as readonly string[]).includes(name)
}
