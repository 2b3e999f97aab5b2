/**
 * Ready-made definitions in the users' own words: a provincial congress (modelled on the 20th provincial
 * congress, term 2020-2025, in seed 004) with its propaganda, logistics and security units, and a generator
 * of larger plans (the national service subcommittee's "100+ tasks") for tests and benchmarks.
 */
import { addCalendarDays } from './calendar';
import type {
  Agency,
  ContingencyScenario,
  CongressDefinition,
  EscalationStep,
  Person,
  Phase,
  TaskDefinition,
  UnitPlanDefinition,
} from './model';

export const DEFAULT_ESCALATION_LADDER: EscalationStep[] = [
  { after: '0m', notify: ['assignee', 'leadAgencyHead'] },
  { after: '2d', notify: ['unitLead'] },
  { after: '4d', notify: ['standingSection'] },
  { after: '7d', notify: ['head'] },
];

export const DEFAULT_REMINDERS = ['7d', '1d'];

const people = {
  head: { id: 'tvchung', name: 'Trần Văn Chung', title: 'Phó Bí thư Thường trực Tỉnh ủy, Trưởng Tiểu ban' },
  deputies: [
    { id: 'ngtu', name: 'Ngô Gia Tự', title: 'Phó Chủ tịch Thường trực UBND tỉnh, Phó trưởng Tiểu ban' },
    { id: 'ptthang', name: 'Phạm Thị Thu Hằng', title: 'Trưởng Ban Tuyên giáo Tỉnh ủy, Phó trưởng Tiểu ban' },
    { id: 'tldoai', name: 'Trần Lê Đoài', title: 'Phó Chủ tịch UBND tỉnh, Phó trưởng Tiểu ban' },
    { id: 'nphoan', name: 'Nguyễn Phùng Hoan', title: 'Phó Chủ tịch UBND tỉnh, Phó trưởng Tiểu ban' },
  ],
  standingSection: [
    { id: 'vptu-tt1', name: 'Lê Minh Thường trực', title: 'Chánh Văn phòng Tỉnh ủy' },
    { id: 'vptu-tt2', name: 'Đỗ Thu Tổng hợp', title: 'Phó Chánh Văn phòng Tỉnh ủy' },
  ],
  standingCommittee: [
    { id: 'btv-1', name: 'Ủy viên Ban Thường vụ 1' },
    { id: 'btv-2', name: 'Ủy viên Ban Thường vụ 2' },
    { id: 'btv-3', name: 'Ủy viên Ban Thường vụ 3' },
  ],
} satisfies Record<string, Person | Person[]>;

/** A provincial congress on `startDate` (two days), with the subcommittee's people. */
export function provincialCongress(id = 'dh-tinh-xx', startDate = '2026-10-14'): CongressDefinition {
  return {
    id,
    name: 'Đại hội Đảng bộ tỉnh lần thứ XX, nhiệm kỳ 2020-2025',
    level: 'province',
    startDate,
    endDate: addCalendarDays(startDate, 2),
    timeZone: 'Asia/Ho_Chi_Minh',
    people: {
      head: people.head,
      deputyHeads: people.deputies,
      standingSection: people.standingSection,
      standingCommittee: people.standingCommittee,
    },
  };
}

const AGENCIES: readonly Agency[] = [
  { code: 'BTG', name: 'Ban Tuyên giáo Tỉnh ủy', head: 'ptthang' },
  { code: 'VPTU', name: 'Văn phòng Tỉnh ủy', head: 'vptu-tt1' },
  { code: 'SVHTTDL', name: 'Sở Văn hóa, Thể thao và Du lịch' },
  { code: 'STTTT', name: 'Sở Thông tin và Truyền thông' },
  { code: 'BAO', name: 'Báo tỉnh' },
  { code: 'DPTTH', name: 'Đài Phát thanh và Truyền hình tỉnh' },
  { code: 'CA', name: 'Công an tỉnh' },
  { code: 'SYT', name: 'Sở Y tế' },
  { code: 'STC', name: 'Sở Tài chính' },
  { code: 'SGTVT', name: 'Sở Giao thông vận tải' },
];

/** A fresh copy for each plan, so that no two definitions share the list. */
const agencies = (): Agency[] => AGENCIES.map((a) => ({ ...a }));

const epidemicScenario = (suspends: string[], leadAgency: string): ContingencyScenario => ({
  code: 'epidemic',
  name: 'Kịch bản phục vụ Đại hội khi có dịch COVID-19 lây lan trên diện rộng',
  tasks: [
    {
      id: 'DB-01',
      title: 'Xét nghiệm, sàng lọc y tế toàn bộ đại biểu',
      group: 'du-phong',
      phase: 'before',
      leadAgency: 'SYT',
      coordinatingAgencies: [leadAgency],
      due: 'A+2d',
      budgetVnd: 150_000_000,
    },
    {
      id: 'DB-02',
      title: 'Chuyển các hoạt động bên lề sang hình thức trực tuyến',
      group: 'du-phong',
      phase: 'before',
      leadAgency,
      due: 'A+3d',
    },
  ],
  suspends,
  requiresApproval: true,
});

function task(
  id: string,
  title: string,
  group: string,
  phase: Phase,
  leadAgency: string,
  due: string,
  extra: Partial<TaskDefinition> = {},
): TaskDefinition {
  return { id, title, group, phase, leadAgency, due, ...extra };
}

/** Bộ phận tuyên truyền: Kế hoạch số 03-KH/TB-BPTT (seed 004). */
export function propagandaPlan(): UnitPlanDefinition {
  return {
    unitCode: 'BPTT',
    unitName: 'Bộ phận tuyên truyền',
    unitNameEn: 'Propaganda unit',
    unitLead: 'ptthang',
    documentNumber: '03-KH/TB-BPTT',
    agencies: agencies(),
    groups: [
      { id: 'noi-dung', name: 'Nội dung tuyên truyền' },
      { id: 'co-dong', name: 'Cổ động trực quan, trang trí' },
      { id: 'bao-chi', name: 'Báo chí, truyền thông' },
      { id: 'du-phong', name: 'Phương án dự phòng' },
    ],
    tasks: [
      task('TT-01', 'Ban hành kế hoạch tuyên truyền Đại hội', 'noi-dung', 'before', 'BTG', 'T-90d', {
        responsible: 'ptthang',
        budgetVnd: 0,
        requiresApproval: true,
        deliverable: 'Kế hoạch 03-KH/TB-BPTT',
      }),
      task('TT-02', 'Biên soạn đề cương tuyên truyền', 'noi-dung', 'before', 'BTG', 'T-60d', {
        dependsOn: ['TT-01'],
        budgetVnd: 50_000_000,
      }),
      task('TT-03', 'Trang trí, khánh tiết các tuyến phố chính', 'co-dong', 'before', 'SVHTTDL', 'T-10wd', {
        coordinatingAgencies: ['SGTVT'],
        budgetVnd: 800_000_000,
      }),
      task('TT-04', 'Mở chuyên trang, chuyên mục về Đại hội', 'bao-chi', 'before', 'BAO', 'T-30d', {
        coordinatingAgencies: ['DPTTH', 'STTTT'],
        budgetVnd: 120_000_000,
      }),
      task('TT-05', 'Triển lãm ảnh thành tựu nhiệm kỳ', 'co-dong', 'before', 'SVHTTDL', 'T-7d', {
        dependsOn: ['TT-02'],
        budgetVnd: 300_000_000,
      }),
      task('TT-06', 'Đưa tin trực tiếp phiên khai mạc', 'bao-chi', 'during', 'DPTTH', 'T+0d@12:00', {
        coordinatingAgencies: ['BAO'],
      }),
      task('TT-07', 'Tuyên truyền kết quả Đại hội', 'bao-chi', 'after', 'BTG', 'E+14d', {
        coordinatingAgencies: ['BAO', 'DPTTH'],
        budgetVnd: 80_000_000,
      }),
    ],
    reminders: DEFAULT_REMINDERS,
    escalationLadder: DEFAULT_ESCALATION_LADDER,
    approvalPolicy: { quorum: 'majority', decisionWindow: '5d', planRequiresApproval: true, commentWindow: '3d' },
    scenarios: [epidemicScenario(['TT-05'], 'BTG')],
    checkInCadence: 'monthly',
  };
}

/** Bộ phận hậu cần phục vụ: Kế hoạch 02-KH/TB (seed 004). */
export function logisticsPlan(): UnitPlanDefinition {
  return {
    unitCode: 'BPHC',
    unitName: 'Bộ phận hậu cần phục vụ',
    unitNameEn: 'Logistics and service unit',
    unitLead: 'ngtu',
    documentNumber: '02-KH/TB',
    agencies: agencies(),
    groups: [
      { id: 'dia-diem', name: 'Địa điểm, hội trường' },
      { id: 'le-tan', name: 'Lễ tân, nhà khách' },
      { id: 'y-te', name: 'Y tế, an toàn thực phẩm' },
      { id: 'du-phong', name: 'Phương án dự phòng' },
    ],
    tasks: [
      task('HC-01', 'Xin ý kiến Ban Thường vụ về địa điểm tổ chức Đại hội', 'dia-diem', 'before', 'VPTU', 'T-60d', {
        requiresApproval: true,
        responsible: 'vptu-tt1',
      }),
      task('HC-02', 'Chuẩn bị hội trường, âm thanh, ánh sáng', 'dia-diem', 'before', 'VPTU', 'after:HC-01+30d', {
        budgetVnd: 1_200_000_000,
      }),
      task('HC-03', 'Bố trí nơi ăn, nghỉ cho đại biểu', 'le-tan', 'before', 'VPTU', 'T-5wd', {
        budgetVnd: 900_000_000,
      }),
      task('HC-04', 'Kiểm tra an toàn thực phẩm các bữa ăn', 'y-te', 'during', 'SYT', 'T+0d@10:00'),
      task('HC-05', 'Quyết toán kinh phí phục vụ Đại hội', 'le-tan', 'after', 'STC', 'E+20d', { dependsOn: ['HC-03'] }),
    ],
    reminders: DEFAULT_REMINDERS,
    escalationLadder: DEFAULT_ESCALATION_LADDER,
    approvalPolicy: { quorum: 'majority', decisionWindow: '5d', planRequiresApproval: true, commentWindow: '3d' },
    scenarios: [
      epidemicScenario(['HC-03'], 'VPTU'),
      {
        code: 'food-safety',
        name: 'Xử lý sự cố an toàn thực phẩm',
        tasks: [task('ATTP-01', 'Đổi nhà cung cấp suất ăn dự phòng', 'du-phong', 'during', 'SYT', 'A+6h')],
        suspends: [],
        requiresApproval: false,
      },
    ],
    checkInCadence: 'monthly',
  };
}

/** Bộ phận đảm bảo an ninh trật tự và an toàn: Kế hoạch số 39/KH-BPĐBANTT (seed 004). */
export function securityPlan(): UnitPlanDefinition {
  return {
    unitCode: 'BPANTT',
    unitName: 'Bộ phận đảm bảo an ninh trật tự và an toàn',
    unitNameEn: 'Security, order and safety unit',
    unitLead: 'tldoai',
    documentNumber: '39/KH-BPĐBANTT',
    agencies: agencies(),
    groups: [
      { id: 'an-ninh', name: 'An ninh, trật tự' },
      { id: 'du-phong', name: 'Phương án dự phòng' },
    ],
    tasks: [
      task('AN-01', 'Xây dựng phương án bảo vệ Đại hội', 'an-ninh', 'before', 'CA', 'T-45d', {
        requiresApproval: true,
      }),
      task('AN-02', 'Kiểm tra an ninh hội trường đã chuẩn bị', 'an-ninh', 'before', 'CA', 'T-3d', {
        dependsOn: ['BPHC:HC-02'],
      }),
      task('AN-03', 'Phân luồng giao thông các ngày Đại hội', 'an-ninh', 'during', 'SGTVT', 'T+0d@06:00', {
        coordinatingAgencies: ['CA'],
      }),
    ],
    reminders: DEFAULT_REMINDERS,
    escalationLadder: DEFAULT_ESCALATION_LADDER,
    approvalPolicy: { quorum: 'majority', decisionWindow: '5d', planRequiresApproval: false },
    scenarios: [
      {
        code: 'security-incident',
        name: 'Xử lý tình huống an ninh khẩn cấp',
        tasks: [task('ANKC-01', 'Triển khai lực lượng dự phòng', 'du-phong', 'during', 'CA', 'A+2h')],
        suspends: ['AN-03'],
      },
    ],
    checkInCadence: 'quarterly',
  };
}

/**
 * A plan of `taskCount` tasks spread from T-`spanDays` to the congress, in chains of five (each task after the
 * previous one), with a few after-phase tasks: the shape of a national unit's 100+ task catalogue.
 */
export function generatedPlan(
  taskCount: number,
  options: { spanDays?: number; unitCode?: string } = {},
): UnitPlanDefinition {
  const span = options.spanDays ?? 110;
  const tasks: TaskDefinition[] = [];
  const groups = ['noi-dung', 'hau-can', 'an-ninh', 'y-te', 'le-tan', 'bao-chi', 'tai-chinh', 'cntt'];
  for (let i = 0; i < taskCount; i++) {
    const id = `G-${String(i + 1).padStart(3, '0')}`;
    const after = i >= taskCount - Math.max(1, Math.floor(taskCount / 20));
    const daysBefore = Math.max(1, Math.round(span - (i * (span - 2)) / Math.max(1, taskCount - 1)));
    tasks.push({
      id,
      title: `Nhiệm vụ ${i + 1}: ${groups[i % groups.length]}`,
      group: groups[i % groups.length],
      phase: after ? 'after' : 'before',
      leadAgency: AGENCIES[i % AGENCIES.length].code,
      coordinatingAgencies: [AGENCIES[(i + 1) % AGENCIES.length].code],
      responsible: people.standingSection[i % 2].id,
      due: after ? `E+${1 + (i % 5)}d` : `T-${daysBefore}d`,
      ...(i % 5 !== 0 && !after ? { dependsOn: [`G-${String(i).padStart(3, '0')}`] } : {}),
      budgetVnd: 10_000_000 * ((i % 7) + 1),
      requiresApproval: i % 25 === 0,
    });
  }
  return {
    unitCode: options.unitCode ?? 'BPTH',
    unitName: 'Bộ phận tổng hợp',
    unitLead: 'ngtu',
    agencies: agencies(),
    groups: [...groups, 'du-phong'].map((id) => ({ id, name: id })),
    tasks,
    reminders: DEFAULT_REMINDERS,
    escalationLadder: DEFAULT_ESCALATION_LADDER,
    approvalPolicy: { quorum: 'majority', decisionWindow: '5d', planRequiresApproval: true, commentWindow: '3d' },
    scenarios: [epidemicScenario([tasks[Math.floor(taskCount / 2)].id], AGENCIES[0].code)],
    checkInCadence: 'monthly',
  };
}
