// The video capability (section 5): channel lists loaded from QuestDB into memory at start, storage of
// heartbeats and AI events, and the streams later rules subscribe to (fastify.video.events$ / heartbeats$).
import fp from 'fastify-plugin'
import { walApplied } from '../../3-store/wal.js'
import { MemoryChannels } from './memory.js'
import { createVideoService, type VideoService } from './service.js'
import { CHANNELS_TABLE } from './rows.js'
import { createVideoStore, loadChannels } from './store.js'

declare module 'fastify' {
  interface FastifyInstance { video: VideoService }
}

/** videoPlugin exposes `fastify.video`. */
export default fp(async (fastify) => {
  const { reader, writer, eventWriter } = fastify.questdb
  // a change acknowledged just before a restart is loaded only once the WAL is applied
  if (!await walApplied(reader, [CHANNELS_TABLE])) fastify.log.warn('QuestDB has not applied all video channel rows yet; loading what is visible')
  const channels = await loadChannels(reader)
  fastify.log.info({ channels: channels.length }, 'video channels loaded')
  const service = createVideoService(new MemoryChannels(channels), createVideoStore(eventWriter, writer), fastify.clock)
  fastify.decorate('video', service)
  fastify.addHook('onClose', async () => service.close())
}, { name: 'video', dependencies: ['questdb', 'clock', 'registry'] })
