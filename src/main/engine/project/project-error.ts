/**
 * Why a project folder could not be used. The host turns these into the contract's error envelope
 * with `toStudioError`, so the user sees one clear sentence instead of a stack trace.
 */
import { StudioError, type ErrorCode } from '../../../shared/errors'

export type ProjectErrorCode = 'missing' | 'not-a-project' | 'exists' | 'damaged' | 'newer-schema'

const envelopeCodes: Record<ProjectErrorCode, ErrorCode> = {
  missing: 'not-found',
  'not-a-project': 'bad-data',
  exists: 'invalid-request',
  damaged: 'bad-data',
  'newer-schema': 'newer-schema'
}

export class ProjectError extends Error {
  constructor(
    readonly code: ProjectErrorCode,
    message: string
  ) {
    super(message)
    this.name = 'ProjectError'
  }

  toStudioError(): StudioError {
    return new StudioError(envelopeCodes[this.code], this.message)
  }
}
