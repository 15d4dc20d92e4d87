// The rule engine: readings in, condition changes out. Per-reading work is plain Maps and loops
// (RxJS costs ~35× a Map lookup per event, shared/research/perf-limits.md); RxJS carries the output
// (a Subject), the periodic no-data check (interval on the injected scheduler) and the lifecycle.
// Time comes only from the scheduler, so tests run in virtual time.
import { Subject, interval, type Observable, type SchedulerLike } from 'rxjs'
import type { Level } from '../contract/index.js'
import type { ReadingRow } from '../ingest/types.js'
import type { RegistryView } from '../registry/types.js'
import type { EngineStats, EvalContext } from './change.js'
import { fixedChannels, type ChannelView } from './channels.js'
import { compileRules, newCompileEnv, type CompileEnv } from './compile.js'
import { newKeyState, type CompiledRules, type PointRules } from './compiled.js'
import { evaluateReading } from './evaluate.js'
import type { EngineInput } from './inputs.js'
import type { ModuleContext, RuleModule, RuleModuleInstance } from './module.js'
import { MODULES } from './modules/index.js'
import type { RuleDef } from './rule-file.js'
import { checkSilence } from './silence-check.js'
import type { ConditionChange, EngineLogger, RuleHealth } from './types.js'

export type { EngineStats } from './change.js'

/** EngineOptions is what an engine needs: time, the registry, and its two time bounds. */
export interface EngineOptions {
  scheduler: SchedulerLike
  registry: RegistryView
  /** a change decided from a reading older than this (scheduler time − ts) is marked late */
  lateAfterMs: number
  /** period of the no-data check */
  offlineCheckMs: number
  /** video channels, for the video rules, from the composition root (default: none) */
  channels?: ChannelView
  /** the rule modules to run (default: all of src/engine/modules) */
  modules?: readonly RuleModule[]
  log?: EngineLogger
}

/** SeedState restores a condition from an open alarm at restart. */
export interface SeedState {
  key: string
  level: Level | null
  /** event time of the alarm's last change: replayed readings up to it are skipped */
  eventTs: number
}

/** Engine evaluates readings against the rule set and emits ConditionChange values. */
export interface Engine {
  /** ingest evaluates a batch of accepted readings, in event-time order, synchronously */
  ingest: (rows: readonly ReadingRow[]) => void
  /** observe evaluates personnel and video inputs, in the order given, synchronously */
  observe: (inputs: readonly EngineInput[]) => void
  /** changes$ emits every level change of every condition (hot: subscribe before ingesting) */
  changes$: Observable<ConditionChange>
  /** setRules replaces the rule set; state of unchanged keys carries over */
  setRules: (rules: RuleDef[]) => void
  /** seed restores open conditions (from open alarms) before replay and live data */
  seed: (states: SeedState[]) => void
  health: () => RuleHealth[]
  stats: () => EngineStats
  /** stop ends the periodic check and completes changes$ */
  stop: () => void
}

const consoleLog: EngineLogger = {
  warn: (obj, msg) => console.warn(msg, obj),
  error: (obj, msg) => console.error(msg, obj)
}

/** createEngine starts an engine with an empty rule set; call setRules to give it rules. */
export function createEngine (opts: EngineOptions): Engine {
  const { scheduler, registry } = opts
  const log = opts.log ?? consoleLog
  const out = new Subject<ConditionChange>()
  const stats: EngineStats = { evaluations: 0, outOfOrder: 0, changes: 0 }
  const env: CompileEnv = { ...newCompileEnv(scheduler.now()), now: () => scheduler.now(), log }
  let rules: RuleDef[] = []
  let compiled: CompiledRules | null = null
  let compiledFor = NaN

  const channels = opts.channels ?? fixedChannels()
  const modules: Array<{ module: RuleModule, inst: RuleModuleInstance }> = (opts.modules ?? MODULES)
    .map((module) => ({ module, inst: module.create({ env, scheduler, log }) }))

  // Every change goes out, and to every module but the one that made it (a roll-up listens to the others).
  const emitFrom = (origin: number, c: ConditionChange): void => {
    stats.changes++
    out.next(c)
    for (let i = 0; i < modules.length; i++) {
      const { inst } = modules[i] as { inst: RuleModuleInstance }
      if (i !== origin && inst.change !== undefined) guard(i, 'change', () => inst.change?.(c, moduleContext(i)))
    }
  }
  const emit = (c: ConditionChange): void => emitFrom(-1, c)
  const context = (): EvalContext => ({ now: scheduler.now(), lateAfterMs: opts.lateAfterMs, emit, stats })
  const moduleContext = (i: number): ModuleContext => ({
    now: scheduler.now(), lateAfterMs: opts.lateAfterMs, emit: (c) => emitFrom(i, c), stats, registry, channels
  })
  // A module is expected to keep its own per-rule health; this is the last line, so that one module's bug
  // never stops the core kinds or the other modules.
  function guard (i: number, what: string, fn: () => void): void {
    try {
      fn()
    } catch (err) {
      log.error({ err, module: modules[i]?.module.name, callback: what }, 'rule module failed')
    }
  }

  // Rebuilt lazily when the registry moved on or the rules changed; cheap to ask on every batch.
  function current (): CompiledRules {
    const version = registry.version()
    if (compiled === null || version !== compiledFor) {
      compiled = compileRules(rules, registry, env)
      compiledFor = version
      bindModules(compiled)
      prune(env, compiled)
    }
    return compiled
  }

  function bindModules (c: CompiledRules): void {
    modules.forEach(({ module, inst }, i) => guard(i, 'bind', () => {
      const own = rules.filter((r) => Object.hasOwn(module.kinds, r.kind))
      for (const key of inst.bind(own, registry, channels)) c.keys.add(key)
    }))
  }

  function ingest (rows: readonly ReadingRow[]): void {
    if (rows.length === 0) return
    const c = current()
    const ctx = context()
    const ordered = inEventOrder(rows)
    let siteCode: string | undefined
    let points: Map<string, PointRules> | undefined
    for (const row of ordered) {
      // batches are per site: look the site up once, not once per reading
      if (row.site !== siteCode) {
        siteCode = row.site
        points = c.bySite.get(row.site)
      }
      const pr = points?.get(row.point)
      if (pr !== undefined) evaluateReading(pr, row, ctx)
    }
    modules.forEach(({ inst }, i) => {
      if (inst.readings !== undefined) guard(i, 'readings', () => inst.readings?.(ordered, moduleContext(i)))
    })
  }

  function observe (inputs: readonly EngineInput[]): void {
    if (inputs.length === 0) return
    current()
    modules.forEach(({ inst }, i) => {
      if (inst.input === undefined) return
      const ctx = moduleContext(i)
      for (const input of inputs) guard(i, 'input', () => inst.input?.(input, ctx))
    })
  }

  function check (): void {
    try {
      const ctx = context()
      const closed = new Map<string, boolean>()
      const isClosed = (site: string): boolean => {
        let v = closed.get(site)
        if (v === undefined) closed.set(site, v = registry.statusAt(site, ctx.now) === 'closed')
        return v
      }
      checkSilence(current(), { ...ctx, closed: isClosed })
    } catch (err) {
      // the check must survive anything: an error here would end the interval and with it all no-data alarms
      log.error({ err }, 'no-data check failed')
    }
    modules.forEach(({ inst }, i) => {
      if (inst.check !== undefined) guard(i, 'check', () => inst.check?.(moduleContext(i)))
    })
  }

  const tick = interval(opts.offlineCheckMs, scheduler).subscribe(check)

  return {
    ingest,
    observe,
    changes$: out.asObservable(),
    setRules (next) {
      // The reload cron hands over the same rules every 30 s: recompiling a large registry for nothing
      // stalls ingest for a few hundred ms each time (it showed as the bench's p99).
      if (sameRules(rules, next)) return
      rules = [...next]
      env.health.sync(rules)
      compiled = null
    },
    seed (states) {
      for (const { key, level, eventTs } of states) {
        let s = env.states.get(key)
        if (s === undefined) env.states.set(key, s = newKeyState())
        s.level = level
        s.lastTs = Math.max(s.lastTs, eventTs)
        s.pendingSince = null
        s.pendingLevel = null
      }
    },
    health: () => env.health.list(),
    stats: () => ({ ...stats }),
    stop () {
      tick.unsubscribe()
      out.complete()
    }
  }
}

function sameRules (a: readonly RuleDef[], b: readonly RuleDef[]): boolean {
  return a.length === b.length && a.every((r, i) => r.id === b[i]?.id && r.ruleVersion === b[i]?.ruleVersion)
}

// Sorting the whole batch by ts orders each point's readings too; Array#sort is stable, so equal
// timestamps keep their arrival order. Most batches are already in order: check before copying.
function inEventOrder (rows: readonly ReadingRow[]): readonly ReadingRow[] {
  for (let i = 1; i < rows.length; i++) {
    if ((rows[i] as ReadingRow).ts < (rows[i - 1] as ReadingRow).ts) return [...rows].sort((a, b) => a.ts - b.ts)
  }
  return rows
}

// Drop state nobody uses any more, except open conditions: those may be seeds waiting for their rule,
// or alarms whose point was removed, and forgetting them would lose the level they stand at.
function prune (env: CompileEnv, c: CompiledRules): void {
  for (const [key, s] of env.states) {
    if (s.level === null && !c.keys.has(key)) env.states.delete(key)
  }
  for (const id of env.tracks.keys()) {
    const [site, point] = id.split('|') as [string, string]
    if (c.bySite.get(site)?.has(point) !== true) env.tracks.delete(id)
  }
}
