// Names of the engine's codes as the duty room reads them: rule families (modules), alarm transitions, audit
// actions and outcomes. A code without a name shows as itself, so a new rule family is never hidden.
import { lang } from './i18n.js'

type Table = Record<string, string>
interface Names { module: Table, transition: Table, action: Table, outcome: Table, reason: Table, delivery: Table }

const zh: Names = {
  module: {
    gas: '有毒有害气体',
    ventilation: '通风',
    connectivity: '联网通信',
    device: '设备状态',
    hazchem: '危险化学品',
    personnel: '人员定位',
    power: '用电监测',
    quality: '数据质量',
    slope: '边坡位移',
    tailings: '尾矿库',
    trend: '趋势预测',
    video: '视频智能分析',
    other: '其他监测'
  },
  transition: {
    raised: '报警产生',
    escalated: '级别升高',
    deescalated: '级别降低',
    cleared: '条件消除',
    acknowledged: '已确认',
    dispatched: '已派人核查',
    closed: '已关闭',
    response_overdue: '超时未确认，已升级',
    repair_overdue: '超时未处置',
    verification_overdue: '核查逾期',
    shelved: '已搁置',
    unshelved: '取消搁置'
  },
  action: {
    login: '登录',
    login_failed: '登录失败',
    lockout: '账户锁定',
    logout: '退出',
    ack: '确认',
    dispatch: '派人核查',
    close: '关闭',
    note: '备注',
    mute: '静音',
    unmute: '取消静音',
    shelve: '搁置',
    unshelve: '取消搁置',
    maintenance: '开设维护窗口',
    maintenance_end: '结束维护窗口',
    rules_reload: '重载规则',
    user_put: '修改用户',
    roster_put: '修改值班表',
    evidence_export: '导出证据'
  },
  outcome: { ok: '成功', requested: '已申请', denied: '被拒绝', failed: '失败' },
  reason: { raised: '报警产生', level_up: '级别升高', escalation: '超时升级', repeat: '未确认重复提醒' },
  delivery: { delivered: '已送达', failed: '发送失败（将重试）', gave_up: '多次失败，已放弃' }
}

const en: Names = {
  module: {
    gas: 'Toxic gases',
    ventilation: 'Ventilation',
    connectivity: 'Connectivity',
    device: 'Device status',
    hazchem: 'Hazardous chemicals',
    personnel: 'Personnel',
    power: 'Power',
    quality: 'Data quality',
    slope: 'Slope',
    tailings: 'Tailings pond',
    trend: 'Trends',
    video: 'Video AI',
    other: 'Other'
  },
  transition: {
    response_overdue: 'not acknowledged in time: escalated',
    repair_overdue: 'not closed in time',
    verification_overdue: 'verification overdue'
  },
  action: { login_failed: 'failed login', maintenance: 'maintenance window', maintenance_end: 'maintenance ended', rules_reload: 'rules reloaded', user_put: 'user changed', roster_put: 'roster changed', evidence_export: 'evidence exported' },
  outcome: {},
  reason: { level_up: 'level raised', escalation: 'escalated', repeat: 'reminder' },
  delivery: { failed: 'failed (will retry)', gave_up: 'gave up' }
}

/** nameOf is a code's name in the current language, or the code itself. */
export function nameOf (kind: keyof Names, code: string): string {
  return (lang.get() === 'en' ? en : zh)[kind][code] ?? code
}
