/**
 * Canvas drawing (uPlot, the latent plane) needs concrete colours, but the theme's custom
 * properties hold light-dark() expressions that getPropertyValue returns unresolved; the
 * computed `color` of an element using the variable is resolved for the current scheme.
 */
export function cssColor(within: Element, variable: string): string {
  const probe = document.createElement('span')
  probe.style.color = `var(${variable})`
  probe.style.display = 'none'
  within.append(probe)
  const color = getComputedStyle(probe).color
  probe.remove()
  return color
}

/** Calls `onchange` whenever the OS scheme or the studio's theme attribute changes. */
export function watchScheme(onchange: () => void): () => void {
  const media = matchMedia('(prefers-color-scheme: dark)')
  media.addEventListener('change', onchange)
  const observer = new MutationObserver(onchange)
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] })
  return () => {
    media.removeEventListener('change', onchange)
    observer.disconnect()
  }
}
