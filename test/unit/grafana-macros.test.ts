// The Grafana macro expander the panel-query test relies on (test/helpers/grafana-macros.ts): each macro and
// variable form the dashboards use expands as Grafana's PostgreSQL datasource would, and anything else fails.
/* eslint-disable no-template-curly-in-string -- Grafana's ${name} variable syntax is what these strings test */
import t from 'tap'
import { expandSql, intervalMs, parseDuration, rfc3339Nano, roundInterval, UnknownMacro, usedMacros, type ExpandContext } from '../helpers/grafana-macros.js'

const FROM = Date.UTC(2026, 0, 2, 3, 4, 5)
const TO = Date.UTC(2026, 0, 2, 10, 4, 5, 500)
const ctx: ExpandContext = {
  from: FROM,
  to: TO,
  intervalMs: 30_000,
  vars: {
    site: { values: ['SG-XS'], quoted: false },
    point: { values: ['CO-001', "O'2"], quoted: true },
    note: { values: ["it's"], quoted: false }
  }
}

t.test('grafana macros - time macros as the server expands them (UTC, RFC 3339, fraction trimmed)', async (t) => {
  t.equal(expandSql('WHERE $__timeFilter(ts)', ctx), "WHERE ts BETWEEN '2026-01-02T03:04:05Z' AND '2026-01-02T10:04:05.5Z'")
  t.equal(expandSql('$__timeFrom() .. $__timeTo()', ctx), "'2026-01-02T03:04:05Z' .. '2026-01-02T10:04:05.5Z'")
  t.equal(expandSql('WHERE $__timeFilter( r.ts )', ctx), "WHERE r.ts BETWEEN '2026-01-02T03:04:05Z' AND '2026-01-02T10:04:05.5Z'", 'arguments are trimmed')
  t.equal(rfc3339Nano(Date.UTC(2026, 0, 1, 0, 0, 0, 120)), '2026-01-01T00:00:00.12Z')
})

t.test('grafana macros - variables and the interval as the browser replaces them', async (t) => {
  t.equal(expandSql("site = '$site' AND x = '${site}' AND y = '[[site]]'", ctx), "site = 'SG-XS' AND x = 'SG-XS' AND y = 'SG-XS'")
  t.equal(expandSql('point IN ($point)', ctx), "point IN ('CO-001','O''2')", 'multi-value: quoted literals')
  t.equal(expandSql("note = '$note'", ctx), "note = 'it''s'", 'single value: quotes doubled')
  t.equal(expandSql('SAMPLE BY ${__interval_ms}T, $__interval_ms', ctx), 'SAMPLE BY 30000T, 30000')
  t.equal(expandSql("regexp_replace(x, '^([0-9]+).*$', '$1'), json_extract(d, '$.quantity')", ctx), "regexp_replace(x, '^([0-9]+).*$', '$1'), json_extract(d, '$.quantity')",
    'a back-reference and a JSON path are left alone')
  t.same(usedMacros('$__timeFilter(ts) ${__interval_ms} $site'), ['$__interval_ms', '$__timeFilter'])
})

t.test('grafana macros - anything else fails, naming it', async (t) => {
  t.throws(() => expandSql("$__timeGroup(ts, '5m')", ctx), new UnknownMacro("$__timeGroup(ts, '5m'): unknown macro $__timeGroup"))
  t.throws(() => expandSql('$__unixEpochFilter(ts)', ctx), { name: 'UnknownMacro', message: /unknown macro \$__unixEpochFilter/ })
  t.throws(() => expandSql("site = '$stie'", ctx), /\$stie: no such variable/)
  t.throws(() => expandSql('${__interval}', ctx), /__interval/)
  t.throws(() => expandSql('${site:csv}', ctx), /formats/)
  t.throws(() => expandSql('$__timeFilter()', ctx), /missing time column/)
})

t.test('grafana macros - the interval Grafana computes', async (t) => {
  t.equal(roundInterval(72_000), 60_000)
  t.equal(roundInterval(504_000), 600_000)
  t.equal(intervalMs(7 * 3_600_000, 1800), 15_000, '7 h on an 1800 px panel: 14 s rounds to 15 s')
  t.equal(intervalMs(3_600_000, 1800), 10_000, 'never below the datasource minimum of 10 s')
  t.equal(intervalMs(30 * 86_400_000, 900), 3_600_000, '30 days on a 900 px panel: 1 h')
  t.equal(parseDuration('1h'), 3_600_000)
  t.throws(() => parseDuration('1 hour'), { name: 'UnknownMacro' })
})
