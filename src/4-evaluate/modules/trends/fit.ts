// Least-squares line fit, accumulated one point at a time so a window is fitted without copying it.
// Trend rules fit a line rather than compare first and last sample: one noisy sample at either end of the
// window would otherwise decide the rate (a sensor's noise is often as large as a slow, real trend).

/** LineResult is a fitted line y = intercept + slope·x with its quality. */
export interface LineResult {
  n: number
  slope: number
  intercept: number
  /** coefficient of determination, 1 for a perfect line (1 too when y does not vary at all) */
  r2: number
  /** standard error of the slope (0 for a perfect line, Infinity below 3 points) */
  slopeSe: number
}

/**
 * LineFit accumulates (x, y) points and fits them. x should be small (relative to a recent origin):
 * the sums of squares of epoch milliseconds would lose the precision the fit needs.
 */
export class LineFit {
  private n = 0
  private sx = 0
  private sy = 0
  private sxx = 0
  private sxy = 0
  private syy = 0

  add (x: number, y: number): void {
    this.n++
    this.sx += x
    this.sy += y
    this.sxx += x * x
    this.sxy += x * y
    this.syy += y * y
  }

  /** result fits the points added so far; null below 2 points or when every x is the same */
  result (): LineResult | null {
    const { n } = this
    if (n < 2) return null
    const mx = this.sx / n
    const my = this.sy / n
    const sxx = this.sxx - n * mx * mx
    const sxy = this.sxy - n * mx * my
    const syy = Math.max(0, this.syy - n * my * my)
    if (!(sxx > 0)) return null
    const slope = sxy / sxx
    const ssRes = Math.max(0, syy - slope * sxy)
    const r2 = syy === 0 ? 1 : 1 - ssRes / syy
    const slopeSe = n > 2 ? Math.sqrt(ssRes / (n - 2) / sxx) : Infinity
    return { n, slope, intercept: my - slope * mx, r2, slopeSe }
  }
}

/** fitLine fits y against x for two equal-length arrays (a convenience for tests and small series). */
export function fitLine (xs: readonly number[], ys: readonly number[]): LineResult | null {
  const f = new LineFit()
  for (let i = 0; i < xs.length; i++) f.add(xs[i] as number, ys[i] as number)
  return f.result()
}
