/**
 * The congress `npm start -- --demo` creates: congress day tomorrow, and tasks due within minutes of `now`, so that
 * reminders, escalations and an approval waiting on the Standing Committee show in the Temporal UI at once.
 * Pure: everything is computed from `now`, nothing is sent anywhere.
 */
import {
  DEFAULT_TIME_ZONE,
  addCalendarDays,
  localDateOf,
  zoneOffsetMs,
  type Agency,
  type CongressDefinition,
  type EscalationStep,
  type Person,
  type UnitPlanDefinition,
} from '../../libs/domain';

export interface DemoCongress {
  congress: CongressDefinition;
  plans: UnitPlanDefinition[];
  /** The coordinator who creates it (a member of the standing section): the `sub` of the demo's token. */
  coordinator: Person;
  /** The Standing Committee member whose token may decide the pending approval. */
  approver: Person;
  /** The task the seeder completes, so that it waits on the Standing Committee. */
  approvalTask: { unitCode: string; taskId: string };
  /** A task the printed "complete" command completes (it unblocks another). */
  taskToComplete: { unitCode: string; taskId: string };
}

const TZ = DEFAULT_TIME_ZONE;
const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;

const pad = (n: number) => String(n).padStart(2, '0');

/** Local wall-clock parts of an instant in the congress's zone. */
function localParts(at: number) {
  const offset = zoneOffsetMs(TZ, at);
  const local = new Date(Math.floor(at / SECOND_MS) * SECOND_MS + offset);
  return {
    date: localDateOf(at, TZ),
    hh: pad(local.getUTCHours()),
    mm: pad(local.getUTCMinutes()),
    ss: pad(local.getUTCSeconds()),
    offset,
  };
}

/**
 * An instant as a `due` the domain accepts, in local time with its offset (`2026-11-24T04:31:10+07:00`), whole
 * seconds rounded up so that the deadline is never earlier than asked.
 */
export function localInstant(at: number): string {
  const p = localParts(Math.ceil(at / SECOND_MS) * SECOND_MS);
  const sign = p.offset < 0 ? '-' : '+';
  const abs = Math.abs(p.offset) / MINUTE_MS;
  return `${p.date}T${p.hh}:${p.mm}:${p.ss}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** `demo-<yyyymmdd>-<hhmmss>` in local time: a new congress for each start (one a second at most). */
export function demoCongressId(now: number): string {
  const p = localParts(now);
  return `demo-${p.date.replace(/-/g, '')}-${p.hh}${p.mm}${p.ss}`;
}

const people = {
  head: { id: 'demo-truong-tb', name: 'Nguyễn Văn Trưởng', title: 'Phó Bí thư Thường trực, Trưởng Tiểu ban' },
  deputy: { id: 'demo-pho-tb', name: 'Trần Thị Phó', title: 'Trưởng Ban Tuyên giáo, Phó trưởng Tiểu ban' },
  standing: { id: 'demo-thuong-truc', name: 'Lê Minh Thường trực', title: 'Chánh Văn phòng, Bộ phận Thường trực' },
  committee: [
    { id: 'demo-btv-1', name: 'Phạm Văn Thường vụ', title: 'Ủy viên Ban Thường vụ' },
    { id: 'demo-btv-2', name: 'Hoàng Thị Thường vụ', title: 'Ủy viên Ban Thường vụ' },
  ],
  logisticsLead: { id: 'demo-hau-can', name: 'Đỗ Văn Hậu cần', title: 'Phó Chánh Văn phòng' },
  propagandaOfficer: { id: 'demo-chuyen-vien', name: 'Vũ Thị Chuyên viên', title: 'Chuyên viên Ban Tuyên giáo' },
} satisfies Record<string, Person | Person[]>;

const agencies = (): Agency[] => [
  { code: 'BTG', name: 'Ban Tuyên giáo', head: people.deputy.id },
  { code: 'VP', name: 'Văn phòng', head: people.standing.id },
  { code: 'SVHTTDL', name: 'Sở Văn hóa, Thể thao và Du lịch' },
];

/**
 * Minutes, not days: the overdue notice at the deadline, then the unit lead, the standing section and the head,
 * one to four minutes later.
 */
export const DEMO_ESCALATION_LADDER: EscalationStep[] = [
  { after: '0m', notify: ['assignee', 'leadAgencyHead'] },
  { after: '1m', notify: ['unitLead'] },
  { after: '2m', notify: ['standingSection'] },
  { after: '4m', notify: ['head'] },
];

export const DEMO_REMINDERS = ['2m', '1m'];

/** Everything not about timing that both plans share, fresh for each plan (no two definitions share a list). */
function shared(): Pick<
  UnitPlanDefinition,
  'agencies' | 'reminders' | 'escalationLadder' | 'approvalPolicy' | 'scenarios' | 'checkInCadence'
> {
  return {
    agencies: agencies(),
    reminders: [...DEMO_REMINDERS],
    escalationLadder: DEMO_ESCALATION_LADDER.map((step) => ({ ...step, notify: [...step.notify] })),
    // Runs at once (no draft); one Standing Committee member decides; the head is alerted after two minutes.
    approvalPolicy: { quorum: 'any', decisionWindow: '2m', planRequiresApproval: false },
    scenarios: [],
    checkInCadence: 'none',
  };
}

/** The demo congress and its two plans, with every deadline computed from `now`. */
export function demoCongress(now: number): DemoCongress {
  const id = demoCongressId(now);
  const startDate = addCalendarDays(localDateOf(now, TZ), 1);
  const clock = localParts(now);
  const due = (ms: number) => localInstant(now + ms);
  const congress: CongressDefinition = {
    id,
    name: `Đại hội chạy thử (demo), tạo lúc ${clock.hh}:${clock.mm} ngày ${clock.date.split('-').reverse().join('/')}`,
    level: 'province',
    startDate,
    endDate: addCalendarDays(startDate, 1),
    timeZone: TZ,
    people: {
      head: people.head,
      deputyHeads: [people.deputy],
      standingSection: [people.standing],
      standingCommittee: people.committee,
    },
  };
  const propaganda: UnitPlanDefinition = {
    unitCode: 'BPTT',
    unitName: 'Bộ phận tuyên truyền',
    unitLead: people.deputy.id,
    documentNumber: '01-KH/DEMO-BPTT',
    people: [people.propagandaOfficer],
    ...shared(),
    groups: [
      { id: 'noi-dung', name: 'Nội dung tuyên truyền' },
      { id: 'co-dong', name: 'Cổ động trực quan, trang trí' },
    ],
    tasks: [
      {
        id: 'TT-01',
        title: 'Gửi dự thảo đề cương tuyên truyền Đại hội',
        group: 'noi-dung',
        phase: 'before',
        leadAgency: 'BTG',
        responsible: people.propagandaOfficer.id,
        due: due(40 * SECOND_MS),
      },
      {
        id: 'TT-02',
        title: 'Treo băng rôn, khẩu hiệu chào mừng Đại hội',
        group: 'co-dong',
        phase: 'before',
        leadAgency: 'SVHTTDL',
        coordinatingAgencies: ['VP'],
        due: due(90 * SECOND_MS),
        budgetVnd: 50_000_000,
      },
      {
        id: 'TT-03',
        title: 'Kiểm tra cổ động trực quan các tuyến phố chính',
        group: 'co-dong',
        phase: 'before',
        leadAgency: 'BTG',
        dependsOn: ['TT-02'],
        due: due(4 * MINUTE_MS),
      },
    ],
  };
  const logistics: UnitPlanDefinition = {
    unitCode: 'BPHC',
    unitName: 'Bộ phận hậu cần phục vụ',
    unitLead: people.logisticsLead.id,
    documentNumber: '02-KH/DEMO-BPHC',
    people: [people.logisticsLead],
    ...shared(),
    groups: [
      { id: 'dia-diem', name: 'Địa điểm, hội trường' },
      { id: 'le-tan', name: 'Lễ tân, nhà khách' },
    ],
    tasks: [
      {
        id: 'HC-01',
        title: 'Xin ý kiến Ban Thường vụ về phương án bố trí hội trường',
        group: 'dia-diem',
        phase: 'before',
        leadAgency: 'VP',
        responsible: people.logisticsLead.id,
        due: due(5 * MINUTE_MS),
        requiresApproval: true,
      },
      {
        id: 'HC-02',
        title: 'Bố trí nơi ăn, nghỉ cho đại biểu',
        group: 'le-tan',
        phase: 'before',
        leadAgency: 'VP',
        due: due(3 * MINUTE_MS),
        budgetVnd: 120_000_000,
      },
    ],
  };
  return {
    congress,
    plans: [propaganda, logistics],
    coordinator: people.standing,
    approver: people.committee[0],
    approvalTask: { unitCode: 'BPHC', taskId: 'HC-01' },
    taskToComplete: { unitCode: 'BPTT', taskId: 'TT-02' },
  };
}
