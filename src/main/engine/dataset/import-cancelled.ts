/** How every import (a folder, the demo faces) stops when the user cancels it: in one set of words. */
import { StudioError } from '../../../shared/errors'

export function checkImportCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new StudioError('cancelled', 'import cancelled; the previous dataset is unchanged')
}
