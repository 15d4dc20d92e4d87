// The figures of the KPI fixture (./fixture.ts), computed by hand. Rates are rounded to 6 decimals, times in s.
import type { Figures, Handling } from '../../../src/reports/types.js'

const none = { confirmed: 0, false_alarm: 0, planned: 0, other: 0 }

// S1 responses: A3 60 s, L1 600 s (02:00→02:10), A4 660 s (05:09→05:20), L2 2700 s (03:00→03:45), A1 5400 s (05:00→06:30).
// Nearest rank of 5: p50 = 3rd = 660, p90 = 5th = 5400. Within 60 min: 4 of 6 due (A2, raised 23:50, unanswered 6 h 10 min later).
// Closed: L1 2 h, A3 27 min, A4 51 min, A1 2 h, L2 25 h → 4 of 5 within 24 h (A2 not closed and not yet 24 h old: not due).
const s1All: Handling = {
  alarms: 6,
  acknowledged: 5,
  ackP50S: 660,
  ackP90S: 5400,
  ackWithin60mShare: 0.666667,
  closed: 5,
  closedWithin24hShare: 0.8,
  falseAlarms: 2,
  falseAlarmShare: 0.4,
  dispositions: { confirmed: 1, false_alarm: 2, planned: 1, other: 1 }
}
// faults of S1: L1 600 s, L2 2700 s → p50 = 1st = 600, p90 = 2nd = 2700; both within 60 min; closed L1 2 h, L2 25 h
const s1Fault: Handling = {
  alarms: 2,
  acknowledged: 2,
  ackP50S: 600,
  ackP90S: 2700,
  ackWithin60mShare: 1,
  closed: 2,
  closedWithin24hShare: 0.5,
  falseAlarms: 0,
  falseAlarmShare: 0,
  dispositions: { confirmed: 1, false_alarm: 0, planned: 1, other: 0 }
}
// S2: L4 raised 17:00, unanswered 13 h later (due, not within), not closed and not 24 h old (not due)
const s2: Handling = {
  alarms: 1,
  acknowledged: 0,
  ackP50S: null,
  ackP90S: null,
  ackWithin60mShare: 0,
  closed: 0,
  closedWithin24hShare: null,
  falseAlarms: 0,
  falseAlarmShare: null,
  dispositions: none
}

const system = { availability: 0.979167, downS: 1800 } // 84600 / 86400: down 10:00–10:30; the 120 s gap at 15:00 is up

export const EXPECTED_S1: Figures = {
  siteCode: 'KPI-S1',
  name: '一号矿',
  monitoredS: 86400,
  // L1 02:00–03:30: 1 − 5400 / 86400
  link: { onlineRate: 0.9375, offlineS: 5400, outages: 1 },
  // P1 86400 s, offline 02:00–04:00 (L1 ∪ L2) 7200 s; P2 12:00–24:00 43200 s, none: 1 − 7200 / 129600
  points: { count: 2, onlineRate: 0.944444, offlineS: 7200 },
  // P1 1440 expected, 1300 stored; P2 720 expected, 800 stored → 720: 2020 / 2160
  completeness: { rate: 0.935185, expected: 2160, stored: 2020 },
  // raises L1, L2, A1, A3, A4, A4 again, A2 = 7 in 144 windows of 10 min; 05:00, 05:03, 05:09 in one window
  alarms: {
    count: 6,
    raises: 7,
    byCategory: { early_warning: 1, over_limit: 2, violation: 1, fault: 2 },
    byLevel: { blue: 1, yellow: 2, orange: 2, red: 1 },
    ratePer10m: 0.048611,
    peak10m: 3
  },
  handling: { all: s1All, fault: s1Fault },
  system
}

export const EXPECTED_S2: Figures = {
  siteCode: 'KPI-S2',
  name: '二号矿',
  // closed from 18:00
  monitoredS: 64800,
  // L3 00:00–01:00 (raised the evening before), L4 17:00–18:00 (then closed): 1 − 7200 / 64800
  link: { onlineRate: 0.888889, offlineS: 7200, outages: 2 },
  points: { count: 1, onlineRate: 0.888889, offlineS: 7200 },
  // Q1 64800 s / 30 s = 2160 expected, 2100 stored
  completeness: { rate: 0.972222, expected: 2160, stored: 2100 },
  alarms: {
    count: 1,
    raises: 1,
    byCategory: { early_warning: 0, over_limit: 0, violation: 0, fault: 1 },
    byLevel: { blue: 0, yellow: 0, orange: 1, red: 0 },
    ratePer10m: 0.006944,
    peak10m: 1
  },
  handling: { all: s2, fault: s2 },
  system
}

export const EXPECTED_OVERALL: Figures = {
  siteCode: '*',
  name: '全部',
  monitoredS: 151200,
  // 1 − 12600 / 151200
  link: { onlineRate: 0.916667, offlineS: 12600, outages: 3 },
  // 1 − 14400 / 194400
  points: { count: 3, onlineRate: 0.925926, offlineS: 14400 },
  // 4120 / 4320
  completeness: { rate: 0.953704, expected: 4320, stored: 4120 },
  alarms: {
    count: 7,
    raises: 8,
    byCategory: { early_warning: 1, over_limit: 2, violation: 1, fault: 3 },
    byLevel: { blue: 1, yellow: 2, orange: 3, red: 1 },
    ratePer10m: 0.055556,
    peak10m: 3
  },
  handling: {
    // within 60 min: 4 of 7 due (L4 too); closed within 24 h: 4 of 5 due
    all: { ...s1All, alarms: 7, ackWithin60mShare: 0.571429 },
    // L1, L2, L4: 2 of 3 answered within 60 min; L1 of L1, L2 closed within 24 h
    fault: { ...s1Fault, alarms: 3, ackWithin60mShare: 0.666667 }
  },
  system
}
