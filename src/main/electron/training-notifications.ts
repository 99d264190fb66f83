/** An OS notification when a long training run ends, since the user has likely looked away. */
import { Notification } from 'electron'
import type { TrainState } from '../../shared/events'
import type { StudioHost } from '../host/types'
import { createRunWatch } from './run-watch'

export function setupTrainingNotifications(host: StudioHost, focusWindow: () => void): () => void {
  const watch = createRunWatch()
  return host.subscribe((event, payload) => {
    if (event !== 'train:state') return
    const notice = watch(payload as TrainState)
    if (!notice || !Notification.isSupported()) return
    const notification = new Notification(notice)
    notification.on('click', focusWindow)
    notification.show()
  })
}
