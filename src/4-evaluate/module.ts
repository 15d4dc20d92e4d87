// The seam for rule kinds: every kind the engine runs (thresholds, status bits and silence as much as
// trends, roll-ups, personnel, video, power, data quality) belongs to a rule module. A module declares its
// kinds' schema and semantic checks (so `rules:check` knows them without an engine), and each engine
// creates its own instance, which binds the module's rules to the registry and evaluates them. A new kind is
// a new folder under modules/ plus one line in modules/index.ts; the engine itself never names a kind.
//
// Instances keep per-condition state in env.states by key (KeyState), or in their own maps keyed the same
// way: the instance lives as long as the engine, so a recompile (new registry version, rule reload) never
// forgets an open condition or a window of recent values.
import type { SchedulerLike } from 'rxjs'
import type { ReadingRow } from '../contract/rows.js'
import type { RegistryView } from '../registry/types.js'
import type { EvalContext } from './change.js'
import type { ChannelView } from './channels.js'
import type { CompileEnv } from './compile.js'
import type { EngineInput } from './inputs.js'
import type { RuleDef } from './rule-file.js'
import type { Issue } from './issue.js'
import type { ConditionChange } from './types.js'
import type { Log } from '../lib/log.js'

/** ModuleContext is what every module callback gets: the batch's time and emit, plus the registries. */
export interface ModuleContext extends EvalContext {
  registry: RegistryView
  channels: ChannelView
}

/** ModuleEnv is what an instance is created with: state shared with the engine, time, and logging. */
export interface ModuleEnv {
  env: CompileEnv
  scheduler: SchedulerLike
  log: Log
}

/** RuleModuleInstance evaluates the rules of its kinds inside one engine. Every callback is optional. */
export interface RuleModuleInstance {
  /**
   * bind (re)binds the module's rules (only those of its kinds) to the registry; called when the rule set or
   * the registry changed. Returns every condition key it uses, so the engine keeps their state.
   */
  bind: (rules: readonly RuleDef[], registry: RegistryView, channels: ChannelView) => Iterable<string>
  /**
   * reading gets each accepted reading in event-time order, interleaved with the other modules that have
   * this hook (in module order), so per reading their changes come out in that order; before any module's
   * `readings`. For kinds judged reading by reading on the hot path: no allocation per reading, please.
   * Returns true when the reading was skipped as not newer than a condition's last one (counted once per
   * reading, in stats.outOfOrder, however many modules skipped it).
   */
  reading?: (row: ReadingRow, ctx: ModuleContext) => boolean
  /** readings gets each batch of accepted readings in event-time order, after every `reading` of the batch */
  readings?: (rows: readonly ReadingRow[], ctx: ModuleContext) => void
  /** input gets each personnel or video input, in arrival order */
  input?: (input: EngineInput, ctx: ModuleContext) => void
  /** change gets every condition change emitted by the other modules */
  change?: (c: ConditionChange, ctx: ModuleContext) => void
  /** check runs on the engine's periodic tick (offlineCheckMs), in module order, for conditions decided by time passing */
  check?: (ctx: ModuleContext) => void
}

/** RuleModule describes a module: its kinds with their JSON Schemas, checks, and how to instantiate it. */
export interface RuleModule {
  name: string
  /**
   * kinds maps each rule kind to the JSON Schema of its own fields (`properties` and `required`); the
   * common fields (id, kind, title, category, source, hazardClause, description, match) are added by the
   * rule-file schema. Fields not listed are rejected.
   */
  kinds: Record<string, KindSchema>
  /** issues returns semantic problems of one schema-valid rule of the module's kinds (JSON pointer `base`) */
  issues?: (rule: RuleDef, base: string) => Issue[]
  create: (env: ModuleEnv) => RuleModuleInstance
}

/** KindSchema is the JSON Schema fragment of one rule kind's own fields. */
export interface KindSchema {
  required?: string[]
  properties: Record<string, unknown>
}
