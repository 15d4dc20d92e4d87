// Why a JetStream publish failed, in the few bounded reasons the outboxes count and act on.
import type { NatsError } from 'nats'

/** PublishFailureReason classifies a failed publish (a metric label: keep the set small and fixed). */
export type PublishFailureReason = 'timeout' | 'no_stream' | 'disconnected' | 'other'

/** classifyPublishError maps a publish (or stream) error to its reason; no_stream means the stream is gone. */
export function classifyPublishError (err: unknown): PublishFailureReason {
  const code = (err as NatsError | undefined)?.code
  if (code === 'TIMEOUT') return 'timeout'
  if (code === '503') return 'no_stream'
  if (code === 'DISCONNECT' || code === 'CONNECTION_CLOSED' || code === 'CONNECTION_DRAINING') return 'disconnected'
  return 'other'
}
