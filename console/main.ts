// The console's shell: login, the sound step, the header with navigation and the sound warning, the live
// region that announces new alarms, and the page of the current route.
import { html } from 'htm/preact'
import { render } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { lang, setLang, t } from './i18n.js'
import { logIn, logOut, restore, user } from './session.js'
import { announced, feed } from './store.js'
import { enable, enabled, mutedUntil, setMutedUntil } from './sound.js'
import { BASE, onLink, path, routeOf } from './router.js'
import { Board } from './board.js'
import { Sites } from './sites.js'
import { SitePage } from './site.js'
import { AlarmPage } from './alarm.js'
import { MuteForm } from './forms.js'
import { api, ApiError, fire } from './api.js'

function Login () {
  const [error, setError] = useState('')
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault()
    const f = new FormData(e.target as HTMLFormElement)
    try {
      await logIn(String(f.get('username')), String(f.get('password')))
    } catch (err) {
      setError(err instanceof ApiError && err.status === 429 ? t('loginLocked') : t('loginFailed'))
    }
  }
  return html`<main class="login">
    <h1>${t('appTitle')}</h1>
    <form onSubmit=${submit} aria-label=${t('login')}>
      <label>${t('username')}<input name="username" autocomplete="username" required autofocus /></label>
      <label>${t('password')}<input name="password" type="password" autocomplete="current-password" required /></label>
      ${error !== '' && html`<p class="error" role="alert">${error}</p>`}
      <button type="submit" class="primary">${t('login')}</button>
    </form>
    <${LangSwitch} />
  </main>`
}

function LangSwitch () {
  const l = lang.use()
  return html`<button type="button" class="lang" onClick=${() => setLang(l === 'en' ? 'zh-CN' : 'en')}>${t('language')}</button>`
}

// Ending a mute early is audited like the mute; the sound comes back even if the record fails.
async function unmute (): Promise<void> {
  setMutedUntil(0)
  await api('DELETE', '/v1/console/mute')
}

// The warning stays on screen for as long as the console would not be heard.
function SoundBanner () {
  const on = enabled.use()
  const until = mutedUntil.use()
  const [now, setNow] = useState(Date.now())
  useEffect(() => { const i = setInterval(() => setNow(Date.now()), 5000); return () => clearInterval(i) }, [])
  const [muting, setMuting] = useState(false)
  if (!on) {
    return html`<div class="sound-warning" role="status" data-sound="off">
      <span>🔇 ${t('soundOff')}</span>
      <button type="button" class="primary" onClick=${() => { fire(enable()) }}>${t('enableSound')}</button>
    </div>`
  }
  if (until > now) {
    return html`<div class="sound-warning" role="status" data-sound="muted">
      <span>🔇 ${t('soundMuted', { m: Math.ceil((until - now) / 60_000) })}</span>
      <button type="button" onClick=${() => { fire(unmute()) }}>${t('unmute')}</button>
    </div>`
  }
  return html`<div class="sound-on" data-sound="on">
    <button type="button" onClick=${() => setMuting(!muting)} aria-expanded=${muting}>${t('mute')}</button>
    ${muting && html`<${MuteForm} done=${() => setMuting(false)} />`}
  </div>`
}

function SoundStep ({ done }: { done: () => void }) {
  return html`<main class="sound-step">
    <h1>${t('enableSound')}</h1>
    <p>${t('soundOff')}</p>
    <button type="button" class="primary big" autofocus onClick=${async () => { await enable(); done() }}>${t('enableSound')}</button>
    <button type="button" onClick=${done}>${t('cancel')}</button>
  </main>`
}

function Header () {
  const u = user.use()
  const f = feed.use()
  const r = routeOf(path.use())
  return html`<header>
    <span class="brand">${t('appTitle')}</span>
    <nav aria-label="main">
      <a href=${BASE} onClick=${onLink} aria-current=${r.page === 'board' ? 'page' : undefined}>${t('board')}</a>
      <a href=${BASE + 'sites'} onClick=${onLink} aria-current=${r.page === 'sites' || r.page === 'site' ? 'page' : undefined}>${t('sites')}</a>
    </nav>
    <span class=${'feed feed-' + f} title=${t('connection')}>● ${f === 'live' ? t('connected') : t('reconnecting')}</span>
    <${SoundBanner} />
    <${LangSwitch} />
    <span class="who">${u?.displayName ?? ''}</span>
    <button type="button" onClick=${() => { fire(logOut()) }}>${t('logout')}</button>
  </header>`
}

// Screen readers hear each new alarm once (the board itself is not live: it changes too often).
function LiveRegion () {
  const a = announced.use()
  return html`<div class="sr-only" aria-live="assertive" role="log" id="announce">
    ${a !== null && t('newAlarm', { level: t(a.level), site: a.siteCode, title: a.title })}
  </div>`
}

function Page () {
  const r = routeOf(path.use())
  if (r.page === 'sites') return html`<${Sites} />`
  if (r.page === 'site') return html`<${SitePage} site=${r.site} module=${r.module} />`
  if (r.page === 'alarm') return html`<${AlarmPage} alarmId=${r.alarmId} />`
  return html`<${Board} />`
}

function App () {
  lang.use()
  const u = user.use()
  const [stepDone, setStepDone] = useState(false)
  if (u === undefined) return html`<p class="loading">…</p>`
  if (u === null) return html`<${Login} />`
  if (!stepDone && !enabled.get()) return html`<${SoundStep} done=${() => setStepDone(true)} />`
  return html`<${Header} /><${LiveRegion} /><main id="main"><${Page} /></main>`
}

document.documentElement.lang = lang.get()
const root = document.getElementById('app')
if (root !== null) {
  root.textContent = ''
  render(html`<${App} />`, root)
}
restore().catch((err: unknown) => { console.error(err) })
