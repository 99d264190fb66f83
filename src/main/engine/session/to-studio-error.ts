/** Maps the engine's internal errors to the contract's error codes, once, at the boundary. */
import { StudioError, messageOf } from '../../../shared/errors'
import { ProjectError } from '../project/project-error'

export function toStudioError(err: unknown): StudioError {
  if (err instanceof StudioError) return err
  if (err instanceof ProjectError) return err.toStudioError()
  const message = messageOf(err)
  const code = (err as NodeJS.ErrnoException)?.code
  if (code === 'ENOENT') return new StudioError('not-found', message)
  if (code === 'EACCES' || code === 'EPERM') return new StudioError('forbidden-path', message)
  return new StudioError('internal', message)
}
