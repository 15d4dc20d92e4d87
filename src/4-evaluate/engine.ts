// The rule engine: readings in, condition changes out. Every rule kind belongs to a rule module (module.ts,
// modules/index.ts): the engine binds each module's rules, hands it readings and inputs, passes changes
// between modules, and ticks their periodic checks; it never names a kind. Per-reading work is plain Maps
// and loops (RxJS costs ~35× a Map lookup per event, shared/research/perf-limits.md); RxJS carries the
// output (a Subject), the periodic check (interval on the injected scheduler) and the lifecycle.
// Time comes only from the scheduler, so tests run in virtual time.
import { Subject, interval, type Observable, type SchedulerLike } from 'rxjs'
import type { Level } from '../contract/index.js'
import type { ReadingRow } from '../contract/rows.js'
import type { RegistryView } from '../registry/types.js'
import type { EngineStats } from './change.js'
import { fixedChannels, type ChannelView } from './channels.js'
import { newCompileEnv, pruneStates, type CompileEnv } from './compile.js'
import { newKeyState } from './compiled.js'
import { evaluateBatch, type ModuleRun } from './evaluate.js'
import type { EngineInput } from './inputs.js'
import type { ModuleContext, RuleModule, RuleModuleInstance } from './module.js'
import { MODULES } from './modules/index.js'
import type { RuleDef } from './rule-file.js'
import { checkModules } from './silence-check.js'
import type { ConditionChange, RuleHealth } from './types.js'
import { silentLog, type Log } from '../lib/log.js'

export type { EngineStats } from './change.js'

/** EngineOptions is what an engine needs: time, the registry, and its two time bounds. */
export interface EngineOptions {
  scheduler: SchedulerLike
  registry: RegistryView
  /** a change decided from a reading older than this (scheduler time − ts) is marked late */
  lateAfterMs: number
  /** period of the modules' periodic check (no data, offline channels, …) */
  offlineCheckMs: number
  /** video channels, for the video rules, from the composition root (default: none) */
  channels?: ChannelView
  /** the rule modules to run, in evaluation order (default: all of src/4-evaluate/modules, MODULES) */
  modules?: readonly RuleModule[]
  log?: Log
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

const consoleLog: Log = {
  ...silentLog,
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
  // the registry version the modules were last bound at (NaN: bind at the next batch)
  let boundAt = NaN

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
  const moduleContext = (i: number): ModuleContext => ({
    now: scheduler.now(), lateAfterMs: opts.lateAfterMs, emit: (c) => emitFrom(i, c), stats, registry, channels
  })
  // one context per module for a whole batch (or check): time stands still while it runs
  const runs = (): ModuleRun[] => modules.map(({ inst }, i) => ({ inst, ctx: moduleContext(i), fail: (what, err) => failed(i, what, err) }))
  // A module is expected to keep its own per-rule health; this is the last line, so that one module's bug
  // never stops the other modules.
  function guard (i: number, what: string, fn: () => void): void {
    try {
      fn()
    } catch (err) {
      failed(i, what, err)
    }
  }
  function failed (i: number, what: string, err: unknown): void {
    log.error({ err, module: modules[i]?.module.name, callback: what }, 'rule module failed')
  }

  // Rebound lazily when the registry moved on or the rules changed; cheap to ask on every batch.
  function current (): void {
    const version = registry.version()
    if (version === boundAt) return
    boundAt = version
    const keys = new Set<string>()
    modules.forEach(({ module, inst }, i) => guard(i, 'bind', () => {
      const own = rules.filter((r) => Object.hasOwn(module.kinds, r.kind))
      for (const key of inst.bind(own, registry, channels)) keys.add(key)
    }))
    pruneStates(env, keys)
  }

  function ingest (rows: readonly ReadingRow[]): void {
    if (rows.length === 0) return
    current()
    evaluateBatch(inEventOrder(rows), runs(), stats)
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
      current()
    } catch (err) {
      // the check must survive anything: an error here would end the interval and with it every periodic check
      log.error({ err }, 'rule binding failed')
    }
    checkModules(runs())
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
      boundAt = NaN
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
