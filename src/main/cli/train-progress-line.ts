/**
 * The live line of `vae-studio train` on a terminal: how far the run is in the unit it was asked
 * in, the losses, and the measured speed (steps and images per second, each counted, so a set
 * smaller than a batch shows its real images per step) with the time left.
 */
import type { TrainProgress } from '../../shared/events'
import { formatDuration, formatNumber, progressBar } from './format'

export function trainProgressLine(p: TrainProgress): string {
  const { unit, amount } = p.length
  const epochs = (p.imagesSeen / p.epochImages).toFixed(1)
  const where =
    unit === 'minutes'
      ? `${formatDuration(p.trainedSec)}/${formatDuration(amount * 60)} · step ${p.step} · epoch ${epochs}`
      : unit === 'epochs'
        ? `epoch ${epochs}/${amount} · step ${p.step}/${p.totalSteps}`
        : `step ${p.step}/${p.totalSteps} · epoch ${epochs}`
  const speed = p.stepsPerSec > 0 ? `${formatNumber(p.stepsPerSec)} steps/s, ${p.imgPerSec.toFixed(1)} img/s` : 'measuring the speed'
  const left = p.etaSec === null ? '' : ` · ${formatDuration(p.etaSec)} left`
  return (
    `${progressBar(p.fraction)} ${where} · loss ${formatNumber(p.loss)} (recon ${formatNumber(p.recon)}, kl ${formatNumber(p.kl)}) ` +
    `β ${formatNumber(p.beta)} · ${speed}${left}`
  )
}
