// A trend chart in plain SVG: one line per point, the alarm's limit as a dashed line and its start as a
// vertical mark. No chart library: a few hundred readings need nothing more, and the CSP stays strict.
import { html } from 'htm/preact'
import { clock, num } from './format.js'

export interface Series { point: string, readings: Array<{ ts: string, value: number }> }

const W = 900
const H = 280
const PAD = { left: 60, right: 16, top: 16, bottom: 36 }
const COLOURS = ['#4fc3f7', '#aed581', '#ffb74d', '#ce93d8', '#fff176']
// sparse series get a dot per reading: a line through one reading draws nothing, and each dot tells its value
const DOTS = 120

export function Chart ({ series, limit, mark, label }: { series: Series[], limit: number | null, mark: number, label: string }) {
  const points = series.flatMap((s) => s.readings.map((r) => ({ x: Date.parse(r.ts), y: r.value })))
  if (points.length === 0) return html`<p class="empty">—</p>`
  const xs = [...points.map((p) => p.x), mark]
  const ys = [...points.map((p) => p.y), ...(limit === null ? [] : [limit])]
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)]
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)]
  if (y0 === y1) { y0 -= 1; y1 += 1 }
  const sx = (x: number): number => PAD.left + (x1 === x0 ? 0 : (x - x0) / (x1 - x0)) * (W - PAD.left - PAD.right)
  const sy = (y: number): number => H - PAD.bottom - (y - y0) / (y1 - y0) * (H - PAD.top - PAD.bottom)
  return html`<svg class="chart" viewBox=${`0 0 ${W} ${H}`} role="img" aria-label=${label}>
    <line x1=${PAD.left} y1=${H - PAD.bottom} x2=${W - PAD.right} y2=${H - PAD.bottom} class="axis" />
    <line x1=${PAD.left} y1=${PAD.top} x2=${PAD.left} y2=${H - PAD.bottom} class="axis" />
    <text x=${PAD.left - 6} y=${sy(y1) + 4} text-anchor="end" class="tick">${num(y1)}</text>
    <text x=${PAD.left - 6} y=${sy(y0) + 4} text-anchor="end" class="tick">${num(y0)}</text>
    <text x=${PAD.left} y=${H - 12} class="tick">${clock(new Date(x0).toISOString())}</text>
    <text x=${W - PAD.right} y=${H - 12} text-anchor="end" class="tick">${clock(new Date(x1).toISOString())}</text>
    ${limit !== null && html`<line x1=${PAD.left} x2=${W - PAD.right} y1=${sy(limit)} y2=${sy(limit)} class="limit" />`}
    <line x1=${sx(mark)} x2=${sx(mark)} y1=${PAD.top} y2=${H - PAD.bottom} class="mark" />
    ${series.map((s, i) => {
      const xy = s.readings.map((r) => ({ r, x: sx(Date.parse(r.ts)).toFixed(1), y: sy(r.value).toFixed(1) }))
      return html`<g class="series" data-point=${s.point} stroke=${COLOURS[i % COLOURS.length]} fill=${COLOURS[i % COLOURS.length]}>
        <polyline fill="none" stroke-width="2" points=${xy.map((p) => `${p.x},${p.y}`).join(' ')} />
        ${xy.length <= DOTS && xy.map((p) => html`<circle cx=${p.x} cy=${p.y} r="3"><title>${clock(p.r.ts)} ${num(p.r.value)}</title></circle>`)}
      </g>`
    })}
    ${series.map((s, i) => html`<text x=${W - PAD.right - 4} y=${PAD.top + 14 + i * 16} text-anchor="end" fill=${COLOURS[i % COLOURS.length]} class="tick">${s.point}</text>`)}
  </svg>`
}
