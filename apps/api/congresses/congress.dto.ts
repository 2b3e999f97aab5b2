/**
 * Request bodies for congresses and plan definitions. class-validator checks shape and types (400 naming each
 * bad field), with the patterns and limits of the domain (libs/domain/congress/normalise.ts); the domain then
 * checks meaning (references, cycles, deadlines, a start date not in the past) where the congress enters.
 */
import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
  buildMessage,
  type ValidationArguments,
} from 'class-validator';
import {
  CHECK_IN_CADENCES,
  CONGRESS_ID_PATTERN,
  CONGRESS_LEVELS,
  DURATION_PATTERN,
  ESCALATION_AUDIENCES,
  MAX_PLANS_PER_CONGRESS,
  MAX_TASKS_PER_PLAN,
  TASK_ID_PATTERN,
  UNIT_CODE_PATTERN,
  LIST_LIMITS,
  TEXT_LIMITS,
  daysFromToday,
  isLocalDate,
  isLocalMoment,
  PHASES,
  QUORUMS,
  type CheckInCadence,
  type CongressLevel,
  type EscalationAudience,
  type Phase,
  type Quorum,
} from '../../../libs/domain';
import { IsCalendarDate } from '../common/calendar-date.validator';

const DURATION = DURATION_PATTERN;
/** The domain's limit for a kind of text (libs/domain/limits.ts). */
const Text = (kind: keyof typeof TEXT_LIMITS) => MaxLength(TEXT_LIMITS[kind]);
/** The domain's limit for a kind of list (libs/domain/limits.ts). */
const List = (kind: keyof typeof LIST_LIMITS) => ArrayMaxSize(LIST_LIMITS[kind]);
/** Extra holidays or working days in a plan's calendar: the domain sets no limit; a few years' worth. */
const MAX_CALENDAR_DAYS = 366 * 3;
/** A congress's number, as the Party writes it (lần thứ XXI). */
const ROMAN_NUMERAL = /^[IVXLCDM]{1,10}$/;

/** Example dates computed when the API starts, so that the documented examples are never in the past. */
const EXAMPLE_START = daysFromToday(Date.now(), 320);
const EXAMPLE_END = daysFromToday(Date.now(), 322);
const EXAMPLE_MOVED_START = daysFromToday(Date.now(), 327);
const EXAMPLE_MOVED_END = daysFromToday(Date.now(), 329);

export class PersonDto {
  @ApiProperty({ example: 'ptthang' }) @IsString() @IsNotEmpty() @Text('id') id!: string;
  @ApiProperty({ example: 'Phạm Thị Thu Hằng' }) @IsString() @IsNotEmpty() @Text('name') name!: string;
  @ApiPropertyOptional({ example: 'Trưởng Ban Tuyên giáo Tỉnh ủy' })
  @IsOptional()
  @IsString()
  @Text('name')
  title?: string;
  @ApiPropertyOptional({ example: 'hang@example.vn' }) @IsOptional() @IsEmail() @Text('email') email?: string;
}

export class SubcommitteePeopleDto {
  @ApiProperty({ type: PersonDto }) @IsDefined() @ValidateNested() @Type(() => PersonDto) head!: PersonDto;
  @ApiProperty({ type: [PersonDto] })
  @IsArray()
  @List('people')
  @ValidateNested({ each: true })
  @Type(() => PersonDto)
  deputyHeads!: PersonDto[];
  @ApiProperty({ type: [PersonDto] })
  @IsArray()
  @List('people')
  @ValidateNested({ each: true })
  @Type(() => PersonDto)
  standingSection!: PersonDto[];
  @ApiProperty({ type: [PersonDto], description: 'Ban Thường vụ: the approvers' })
  @IsArray()
  @List('people')
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => PersonDto)
  standingCommittee!: PersonDto[];
}

export class CongressDto {
  @ApiProperty({ example: 'dh-tinh-xx', description: 'lowercase key, part of every workflow ID' })
  @Matches(CONGRESS_ID_PATTERN, { message: 'id must be 2-63 lowercase letters, digits or dashes' })
  id!: string;
  @ApiProperty({ example: 'Đại hội Đảng bộ tỉnh lần thứ XX' }) @IsString() @IsNotEmpty() @Text('name') name!: string;
  @ApiProperty({ enum: CONGRESS_LEVELS }) @IsIn(CONGRESS_LEVELS) level!: CongressLevel;
  @ApiProperty({ example: EXAMPLE_START, description: 'first congress day, not before today' })
  @IsCalendarDate()
  startDate!: string;
  @ApiProperty({ example: EXAMPLE_END }) @IsCalendarDate() endDate!: string;
  @ApiPropertyOptional({ example: 'Asia/Ho_Chi_Minh', description: 'IANA zone; default Asia/Ho_Chi_Minh' })
  @IsOptional()
  @IsString()
  @Text('id')
  timeZone?: string;
  @ApiProperty({ type: SubcommitteePeopleDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => SubcommitteePeopleDto)
  people!: SubcommitteePeopleDto;
}

export class AgencyDto {
  @ApiProperty({ example: 'BTG' }) @IsString() @IsNotEmpty() @Text('code') code!: string;
  @ApiProperty({ example: 'Ban Tuyên giáo Tỉnh ủy' }) @IsString() @IsNotEmpty() @Text('name') name!: string;
  @ApiPropertyOptional({ example: 'ptthang' }) @IsOptional() @IsString() @Text('id') head?: string;
}

export class TaskGroupDto {
  @ApiProperty({ example: 'noi-dung' }) @IsString() @IsNotEmpty() @Text('id') id!: string;
  @ApiProperty({ example: 'Nội dung tuyên truyền' }) @IsString() @IsNotEmpty() @Text('name') name!: string;
}

export class TaskDto {
  @ApiProperty({ example: 'TT-01' })
  @Matches(TASK_ID_PATTERN, { message: 'id must be 1-64 letters, digits, dots, dashes or underscores' })
  id!: string;
  @ApiProperty({ example: 'Ban hành kế hoạch tuyên truyền Đại hội' })
  @IsString()
  @IsNotEmpty()
  @Text('taskTitle')
  title!: string;
  @ApiProperty({ example: 'noi-dung' }) @IsString() @IsNotEmpty() @Text('id') group!: string;
  @ApiProperty({ enum: PHASES }) @IsIn(PHASES) phase!: Phase;
  @ApiProperty({ example: 'BTG' }) @IsString() @IsNotEmpty() @Text('code') leadAgency!: string;
  @ApiPropertyOptional({ example: ['BAO'] })
  @IsOptional()
  @IsArray()
  @List('coordinatingAgencies')
  @IsString({ each: true })
  @MaxLength(TEXT_LIMITS.code, { each: true })
  coordinatingAgencies?: string[];
  @ApiPropertyOptional({ example: 'ptthang' }) @IsOptional() @IsString() @Text('id') responsible?: string;
  @ApiProperty({
    example: 'T-30d',
    description:
      'T-30d, T-10wd, T+1d@08:00, E+7d (after the last day), after:<task>+5d, A+2d (scenario tasks), or an ISO instant',
  })
  @IsString()
  @IsNotEmpty()
  @Text('due')
  due!: string;
  @ApiPropertyOptional({ example: ['TT-00', 'BPHC:HC-02'] })
  @IsOptional()
  @IsArray()
  @List('dependsOn')
  @IsString({ each: true })
  @MaxLength(TEXT_LIMITS.code + 1 + TEXT_LIMITS.id, { each: true })
  dependsOn?: string[];
  @ApiPropertyOptional({ example: 50000000 }) @IsOptional() @IsInt() @Min(0) @Max(1e15) budgetVnd?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() requiresApproval?: boolean;
  @ApiPropertyOptional({ example: 'Kế hoạch 03-KH/TB-BPTT' })
  @IsOptional()
  @IsString()
  @Text('deliverable')
  deliverable?: string;
}

export class EscalationStepDto {
  @ApiProperty({ example: '2d' })
  @Matches(DURATION, { message: 'after must be a duration such as 0m, 2d, 12h' })
  after!: string;
  @ApiProperty({ enum: ESCALATION_AUDIENCES, isArray: true, example: ['unitLead'] })
  @IsArray()
  @ArrayMaxSize(ESCALATION_AUDIENCES.length)
  @ArrayMinSize(1)
  @IsIn(ESCALATION_AUDIENCES, { each: true })
  notify!: EscalationAudience[];
}

export class ApprovalPolicyDto {
  @ApiPropertyOptional({ example: ['btv-1', 'btv-2', 'btv-3'] })
  @IsOptional()
  @IsArray()
  @List('people')
  @IsString({ each: true })
  @MaxLength(TEXT_LIMITS.id, { each: true })
  approvers?: string[];
  @ApiProperty({ enum: QUORUMS }) @IsIn(QUORUMS) quorum!: Quorum;
  @ApiProperty({ example: '5d' })
  @Matches(DURATION, { message: 'decisionWindow must be a duration such as 5d' })
  decisionWindow!: string;
  @ApiProperty() @IsBoolean() planRequiresApproval!: boolean;
  @ApiPropertyOptional({ example: '3d' })
  @IsOptional()
  @Matches(DURATION, { message: 'commentWindow must be a duration such as 3d' })
  commentWindow?: string;
}

/** A plan's or a scenario's tasks: each one validated, at most as many as a plan may hold. */
function TaskList(): PropertyDecorator {
  return applyDecorators(
    ApiProperty({ type: [TaskDto] }),
    IsArray(),
    ArrayMaxSize(MAX_TASKS_PER_PLAN),
    ValidateNested({ each: true }),
    Type(() => TaskDto),
  );
}

export class ScenarioDto {
  @ApiProperty({ example: 'epidemic' }) @IsString() @IsNotEmpty() @Text('id') code!: string;
  @ApiProperty({ example: 'Kịch bản khi có dịch bệnh' }) @IsString() @IsNotEmpty() @Text('name') name!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @Text('description') description?: string;
  @TaskList()
  tasks!: TaskDto[];
  @ApiProperty({ example: ['TT-05'] })
  @IsArray()
  @List('suspends')
  @IsString({ each: true })
  @MaxLength(TEXT_LIMITS.id, { each: true })
  suspends!: string[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() requiresApproval?: boolean;
}

export class GovernmentDecisionDto {
  @ApiProperty({ example: 'Thông báo 6150/TB-BNV' }) @IsString() @IsNotEmpty() @MaxLength(300) decision!: string;
  @ApiPropertyOptional({ example: ['2025-01-27'] })
  @IsOptional()
  @IsArray()
  @IsCalendarDate({ each: true })
  daysOff?: string[];
  @ApiPropertyOptional({ example: ['2025-02-08'] })
  @IsOptional()
  @IsArray()
  @IsCalendarDate({ each: true })
  workingDays?: string[];
}

export class CalendarDto {
  @ApiPropertyOptional({ enum: ['VN', 'NONE'] }) @IsOptional() @IsIn(['VN', 'NONE']) base?: 'VN' | 'NONE';
  @ApiPropertyOptional({ example: ['2026-09-03'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_CALENDAR_DAYS)
  @IsCalendarDate({ each: true })
  extraHolidays?: string[];
  @ApiPropertyOptional()
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_CALENDAR_DAYS)
  @IsCalendarDate({ each: true })
  extraWorkingDays?: string[];
  @ApiPropertyOptional({ example: [0, 6] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(7)
  @IsInt({ each: true })
  @Min(0, { each: true })
  @Max(6, { each: true })
  weekendDays?: number[];
  @ApiPropertyOptional({ type: [GovernmentDecisionDto], description: "the government's yearly days off and swaps" })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => GovernmentDecisionDto)
  governmentDecisions?: GovernmentDecisionDto[];
}

export class UnitPlanDto {
  @ApiProperty({ example: 'BPTT' })
  @Matches(UNIT_CODE_PATTERN, { message: 'unitCode must be 1-32 letters, digits or dashes' })
  unitCode!: string;
  @ApiProperty({ example: 'Bộ phận tuyên truyền' }) @IsString() @IsNotEmpty() @Text('name') unitName!: string;
  @ApiPropertyOptional({ example: 'Propaganda unit' })
  @IsOptional()
  @IsString()
  @Text('name')
  unitNameEn?: string;
  @ApiProperty({ example: 'ptthang' }) @IsString() @IsNotEmpty() @Text('id') unitLead!: string;
  @ApiPropertyOptional({ example: '03-KH/TB-BPTT' })
  @IsOptional()
  @IsString()
  @Text('documentNumber')
  documentNumber?: string;
  @ApiPropertyOptional({ type: [PersonDto] })
  @IsOptional()
  @IsArray()
  @List('people')
  @ValidateNested({ each: true })
  @Type(() => PersonDto)
  people?: PersonDto[];
  @ApiProperty({ type: [AgencyDto] })
  @IsArray()
  @List('agencies')
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => AgencyDto)
  agencies!: AgencyDto[];
  @ApiProperty({ type: [TaskGroupDto] })
  @IsArray()
  @List('groups')
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => TaskGroupDto)
  groups!: TaskGroupDto[];
  @TaskList()
  tasks!: TaskDto[];
  @ApiProperty({ example: ['7d', '1d'] })
  @IsArray()
  @List('reminders')
  @Matches(DURATION, { each: true, message: 'reminders must hold durations such as 7d' })
  reminders!: string[];
  @ApiProperty({ type: [EscalationStepDto] })
  @IsArray()
  @List('escalationSteps')
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => EscalationStepDto)
  escalationLadder!: EscalationStepDto[];
  @ApiProperty({ type: ApprovalPolicyDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => ApprovalPolicyDto)
  approvalPolicy!: ApprovalPolicyDto;
  @ApiProperty({ type: [ScenarioDto] })
  @IsArray()
  @List('scenarios')
  @ValidateNested({ each: true })
  @Type(() => ScenarioDto)
  scenarios!: ScenarioDto[];
  @ApiProperty({ enum: CHECK_IN_CADENCES }) @IsIn(CHECK_IN_CADENCES) checkInCadence!: CheckInCadence;
  @ApiPropertyOptional({ type: CalendarDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CalendarDto)
  calendar?: CalendarDto;
  @ApiPropertyOptional({
    example: '28d',
    description: 'besides the cadence, a check-in every Monday at 08:00 in this last stretch before congress day',
  })
  @IsOptional()
  @Matches(DURATION, { message: 'weeklyCheckInsBefore must be a duration such as 28d' })
  weeklyCheckInsBefore?: string;
  @ApiPropertyOptional({ example: '30d' })
  @IsOptional()
  @Matches(DURATION, { message: 'closeAfter must be a duration such as 30d' })
  closeAfter?: string;
}

export class CreateCongressDto {
  @ApiProperty({ type: CongressDto }) @IsDefined() @ValidateNested() @Type(() => CongressDto) congress!: CongressDto;
  @ApiProperty({ type: [UnitPlanDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PLANS_PER_CONGRESS)
  @ValidateNested({ each: true })
  @Type(() => UnitPlanDto)
  plans!: UnitPlanDto[];
}

/** A congress's term: two years, the second after the first (e.g. 2025-2030). */
function IsTerm(): PropertyDecorator {
  return ValidateBy({
    name: 'isTerm',
    validator: {
      validate: (value: unknown) => {
        const match = typeof value === 'string' ? /^(\d{4})-(\d{4})$/.exec(value) : null;
        return match !== null && Number(match[2]) > Number(match[1]);
      },
      defaultMessage: buildMessage(() => '$property must be two years YYYY-YYYY, the second after the first'),
    },
  });
}

/** An end date not before the same object's `startDate` (when that is a date at all: its own check names it). */
function NotBeforeStartDate(): PropertyDecorator {
  return ValidateBy({
    name: 'notBeforeStartDate',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        const start = (args?.object as { startDate?: unknown } | undefined)?.startDate;
        if (typeof value !== 'string' || typeof start !== 'string' || !isLocalDate(start)) return true;
        return value >= start;
      },
      defaultMessage: buildMessage(() => '$property must not be before startDate'),
    },
  });
}

/** How many people one request may change in a template. */
export const MAX_PEOPLE_OVERRIDES = 50;

/** A person of the template, by id, with what changes (the rest stays as the template has it). */
export class PersonOverrideDto {
  @ApiProperty({
    example: 'ptthang',
    description: "a person's id in the template: head, deputy heads, standing section or committee",
  })
  @IsString()
  @IsNotEmpty()
  @Text('id')
  id!: string;
  @ApiPropertyOptional({ example: 'Nguyễn Thị Thu Hà' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @Text('name')
  name?: string;
  @ApiPropertyOptional({ example: 'Trưởng Ban Tuyên giáo và Dân vận Tỉnh ủy' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @Text('name')
  title?: string;
  @ApiPropertyOptional({ example: 'ha.ntt@example.vn' }) @IsOptional() @IsEmail() @Text('email') email?: string;
}

export class CreateCongressFromTemplateDto {
  @ApiProperty({
    example: 'province',
    description: 'a template id from GET /templates; provincial is accepted for province',
  })
  @IsString()
  @IsNotEmpty()
  @Text('id')
  template!: string;
  @ApiProperty({ example: 'dh-tinh-xxi' })
  @Matches(CONGRESS_ID_PATTERN, { message: 'id must be 2-63 lowercase letters, digits or dashes' })
  id!: string;
  @ApiProperty({ example: EXAMPLE_START, description: 'first congress day, not before today' })
  @IsCalendarDate()
  startDate!: string;
  @ApiPropertyOptional({
    example: EXAMPLE_END,
    description: "last congress day, not before startDate; by default the template's number of days",
  })
  @IsOptional()
  @IsCalendarDate()
  @NotBeforeStartDate()
  endDate?: string;
  @ApiPropertyOptional({
    example: 'Đại hội đại biểu Đảng bộ tỉnh lần thứ XXI, nhiệm kỳ 2025-2030',
    description: "the whole name, instead of the template's pattern filled with number and term",
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @Text('name')
  name?: string;
  @ApiPropertyOptional({ example: 'XXI', description: "a roman numeral; by default the template's" })
  @IsOptional()
  @Matches(ROMAN_NUMERAL, { message: 'number must be a roman numeral such as XXI' })
  number?: string;
  @ApiPropertyOptional({ example: '2025-2030', description: "by default five years from startDate's year" })
  @IsOptional()
  @IsTerm()
  term?: string;
  @ApiPropertyOptional({ type: [PersonOverrideDto], description: 'people of the template, by id, with what changes' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_PEOPLE_OVERRIDES)
  @ValidateNested({ each: true })
  @Type(() => PersonOverrideDto)
  people?: PersonOverrideDto[];
}

export class CongressDayDto {
  @ApiProperty({ example: EXAMPLE_MOVED_START })
  @IsCalendarDate()
  startDate!: string;
  @ApiProperty({ example: EXAMPLE_MOVED_END })
  @IsCalendarDate()
  endDate!: string;
}

export class MoveCongressDayDto extends CongressDayDto {
  @ApiPropertyOptional({
    description:
      'must be true when the move ends the congress before now, so that plans close (see GET …/congress-day/preview)',
  })
  @IsOptional()
  @IsBoolean()
  confirmClosingPlans?: boolean;
  @ApiProperty({ example: 'Bộ Chính trị cho ý kiến lùi thời gian tổ chức' })
  @IsString()
  @IsNotEmpty()
  @Text('reason')
  reason!: string;
}

export class ReasonDto {
  @ApiProperty({ example: 'Theo kết luận của Ban Thường vụ' })
  @IsString()
  @IsNotEmpty()
  @Text('reason')
  reason!: string;
}

export class AddPlanDto {
  @ApiProperty({ type: UnitPlanDto }) @IsDefined() @ValidateNested() @Type(() => UnitPlanDto) plan!: UnitPlanDto;
}

/** The most days late a simulation makes every task. */
export const MAX_SIMULATED_LATE_DAYS = 60;
/** The most scenario requests one simulation plays. */
export const MAX_SIMULATED_SCENARIOS = 20;

/** A moment in the congress's local time: `YYYY-MM-DDTHH:mm`, or a date `YYYY-MM-DD` (08:00). */
function IsLocalMoment(): PropertyDecorator {
  return ValidateBy({
    name: 'isLocalMoment',
    validator: {
      validate: (value: unknown) => {
        return typeof value === 'string' && isLocalMoment(value);
      },
      defaultMessage: buildMessage(
        () => '$property must be a local date and time YYYY-MM-DDTHH:mm, or a date YYYY-MM-DD (08:00)',
      ),
    },
  });
}

export class SimulatedScenarioDto {
  @ApiProperty({ example: 'epidemic', description: "a scenario code of one of the body's plans" })
  @IsString()
  @IsNotEmpty()
  @Text('id')
  code!: string;
  @ApiProperty({
    example: `${EXAMPLE_START}T08:00`,
    description:
      "when the unit's lead requests it, in the congress's local time: YYYY-MM-DDTHH:mm or YYYY-MM-DD (08:00)",
  })
  @IsLocalMoment()
  at!: string;
}

/** A congress and its plans as `POST /congresses` takes them, and how the simulated office behaves. */
export class SimulateCongressDto extends CreateCongressDto {
  @ApiPropertyOptional({
    example: 3,
    minimum: 0,
    maximum: MAX_SIMULATED_LATE_DAYS,
    description: 'every task is completed this many days after its deadline (default 0: on its deadline)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_SIMULATED_LATE_DAYS)
  lateDays?: number;
  @ApiPropertyOptional({
    type: [SimulatedScenarioDto],
    description: 'contingency scenarios requested, approved at once',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_SIMULATED_SCENARIOS)
  @ValidateNested({ each: true })
  @Type(() => SimulatedScenarioDto)
  scenarios?: SimulatedScenarioDto[];
  @ApiPropertyOptional({
    example: EXAMPLE_START,
    description:
      'the day the plans start (08:00 local); by default a week before the first reminder of the earliest deadline',
  })
  @IsOptional()
  @IsCalendarDate()
  start?: string;
}

/** `GET /templates/:id/simulate`'s query. */
export class SimulateTemplateQueryDto {
  @ApiProperty({
    example: EXAMPLE_START,
    description: 'the congress day to simulate the template for, not before today',
  })
  @IsCalendarDate()
  congressDay!: string;
  @ApiPropertyOptional({ example: 3, minimum: 0, maximum: MAX_SIMULATED_LATE_DAYS, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_SIMULATED_LATE_DAYS)
  lateDays?: number;
}
