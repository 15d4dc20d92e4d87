// The access standard's examples (shared/spec/access-standard-v1.md, docs/access-standard-v1.zh.md), as request
// bodies of the OpenAPI description: the contract's own words, with its "..." filled in. test/http/openapi.test.ts
// checks each one against the schema its route validates with, so an example can never show a body the server
// refuses.

/** Example is an OpenAPI Example Object. */
export interface Example { summary: string, value: unknown }

/** BODY_EXAMPLES are the named request body examples, by "METHOD url" (Fastify's url, ":param"). */
export const BODY_EXAMPLES: Readonly<Record<string, Record<string, Example>>> = {
  'PUT /v1/sites/:siteCode': {
    site: {
      summary: 'An open-pit iron mine (section 2)',
      value: {
        name: '水厂铁矿',
        kind: 'open_pit',
        regionCode: '110000',
        enterprise: '首钢矿业',
        status: 'producing',
        approvedHeadcount: 120,
        attributes: { slopeHeightM: 210 }
      }
    }
  },
  'POST /v1/sites/:siteCode/status': {
    suspended: { summary: 'Suspended for rectification (停产整顿) from a given time', value: { status: 'suspended', since: '2026-11-21T08:00:00+08:00' } }
  },
  'PUT /v1/sites/:siteCode/points': {
    points: {
      summary: 'One CO sensor with its own limits (section 2, 测点定义)',
      value: [{
        pointCode: 'CO-101',
        quantity: 'co',
        unit: 'ppm',
        kind: 'analog',
        location: '-200m 主运输巷',
        area: 'A3',
        item: 'gas',
        intervalS: 20,
        range: [0, 1000],
        limits: { upperAlarm: 24, upperRelease: 20 },
        attributes: { equipment: 'main_fan' }
      }]
    }
  },
  'POST /v1/readings': {
    readings: {
      summary: 'One CO reading with its device status (section 3)',
      value: { siteCode: 'SC-IRON', readings: [{ point: 'CO-101', ts: '2026-11-21T08:00:20.000+08:00', value: 12.5, status: 0 }] }
    },
    epochMs: {
      summary: 'The time as epoch milliseconds; status defaults to 0',
      value: { siteCode: 'SC-IRON', readings: [{ point: 'CO-101', ts: 1795219220000, value: 31 }] }
    }
  },
  'POST /v1/sites/:siteCode/personnel': {
    snapshot: {
      summary: 'Everyone underground, at least every 30 s (section 4, 人员定位)',
      value: {
        ts: '2026-11-21T08:00:30+08:00',
        people: [{ card: 'C0042', name: '张三', role: 'leader', area: 'A3', enteredAt: '2026-11-21T06:58:00+08:00' }]
      }
    },
    empty: { summary: 'Nobody underground', value: { ts: '2026-11-21T20:00:30+08:00', people: [] } }
  },
  'POST /v1/sites/:siteCode/personnel/events': {
    sos: { summary: 'An SOS from a card (section 4)', value: { type: 'sos', card: 'C0042', ts: '2026-11-21T08:05:00+08:00', area: 'A3' } }
  },
  'PUT /v1/sites/:siteCode/video/channels': {
    channels: { summary: 'One channel at the main shaft (section 5, 视频通道)', value: [{ channelCode: 'V01', name: '主井口', location: '主井井口' }] }
  },
  'POST /v1/video/heartbeats': {
    heartbeat: {
      summary: 'Channel states (section 5)',
      value: { siteCode: 'SC-IRON', ts: '2026-11-21T08:00:00+08:00', channels: [{ channelCode: 'V01', online: true }] }
    }
  },
  'POST /v1/video/events': {
    noHelmet: {
      summary: 'A person without a helmet, with the snapshot as evidence (section 5, AI视频识别)',
      value: {
        siteCode: 'SC-IRON',
        events: [{
          channel: 'V01',
          ts: '2026-11-21T08:00:05+08:00',
          type: 'no_helmet',
          confidence: 0.93,
          count: 1,
          evidence: { sha256: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', url: 'http://nvr.local/snap/123.jpg' }
        }]
      }
    }
  },
  'POST /v1/alarms/:alarmId/ack': {
    ack: { summary: 'Acknowledge (确认, section 7)', value: { by: '值班员A', note: '已通知井下核查' } }
  },
  'POST /v1/alarms/:alarmId/dispatch': {
    dispatch: { summary: 'Dispatch for on-site verification (派发现场核查, section 7)', value: { by: '值班员A', assignee: '通风队李工', note: '核查 -200m 主运输巷 CO' } },
    deadline: {
      summary: 'With a deadline (A.18): after the server\'s clock, at most 7 days ahead',
      value: { by: '值班员A', assignee: '通风队李工', note: '核查 -200m 主运输巷 CO', deadline: '2026-11-21T10:00:00+08:00' }
    }
  },
  'POST /v1/alarms/:alarmId/close': {
    close: { summary: 'Close as confirmed (关闭, section 7)', value: { by: '值班员A', disposition: 'confirmed', note: '通风恢复后 CO 回落' } },
    falseAlarm: { summary: 'Close as a false alarm (误报)', value: { by: '值班员A', disposition: 'false_alarm', note: '传感器标校' } }
  }
}
