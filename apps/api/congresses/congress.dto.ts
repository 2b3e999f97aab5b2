/**
 * Request bodies for congresses and plan definitions. class-validator checks shape and types (400 naming each
 * bad field); the domain validator in libs/domain then checks meaning (references, cycles, deadlines).
 */
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
  ValidateNested,
} from 'class-validator';
import {
  CHECK_IN_CADENCES,
  CONGRESS_LEVELS,
  DURATION_PATTERN,
  LOCAL_DATE_PATTERN,
  ESCALATION_AUDIENCES,
  PHASES,
  QUORUMS,
  type CheckInCadence,
  type CongressLevel,
  type EscalationAudience,
  type Phase,
  type Quorum,
} from '../../../libs/domain';

const DATE = LOCAL_DATE_PATTERN;
const DURATION = DURATION_PATTERN;
const MAX_TASKS = 2000;

export class PersonDto {
  @ApiProperty({ example: 'ptthang' }) @IsString() @IsNotEmpty() @MaxLength(64) id!: string;
  @ApiProperty({ example: 'Phạm Thị Thu Hằng' }) @IsString() @IsNotEmpty() @MaxLength(200) name!: string;
  @ApiPropertyOptional({ example: 'Trưởng Ban Tuyên giáo Tỉnh ủy' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  title?: string;
  @ApiPropertyOptional({ example: 'hang@example.vn' }) @IsOptional() @IsEmail() email?: string;
}

export class SubcommitteePeopleDto {
  @ApiProperty({ type: PersonDto }) @IsDefined() @ValidateNested() @Type(() => PersonDto) head!: PersonDto;
  @ApiProperty({ type: [PersonDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PersonDto)
  deputyHeads!: PersonDto[];
  @ApiProperty({ type: [PersonDto] })
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PersonDto)
  standingSection!: PersonDto[];
  @ApiProperty({ type: [PersonDto], description: 'Ban Thường vụ: the approvers' })
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => PersonDto)
  standingCommittee!: PersonDto[];
}

export class CongressDto {
  @ApiProperty({ example: 'dh-tinh-xx', description: 'lowercase key, part of every workflow ID' })
  @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: 'id must be 2-63 lowercase letters, digits or dashes' })
  id!: string;
  @ApiProperty({ example: 'Đại hội Đảng bộ tỉnh lần thứ XX' }) @IsString() @IsNotEmpty() @MaxLength(300) name!: string;
  @ApiProperty({ enum: CONGRESS_LEVELS }) @IsIn(CONGRESS_LEVELS) level!: CongressLevel;
  @ApiProperty({ example: '2026-10-14' })
  @Matches(DATE, { message: 'startDate must be YYYY-MM-DD' })
  startDate!: string;
  @ApiProperty({ example: '2026-10-16' }) @Matches(DATE, { message: 'endDate must be YYYY-MM-DD' }) endDate!: string;
  @ApiPropertyOptional({ example: 'Asia/Ho_Chi_Minh' }) @IsOptional() @IsString() timeZone?: string;
  @ApiProperty({ type: SubcommitteePeopleDto })
  @IsDefined()
  @ValidateNested()
  @Type(() => SubcommitteePeopleDto)
  people!: SubcommitteePeopleDto;
}

export class AgencyDto {
  @ApiProperty({ example: 'BTG' }) @IsString() @IsNotEmpty() @MaxLength(32) code!: string;
  @ApiProperty({ example: 'Ban Tuyên giáo Tỉnh ủy' }) @IsString() @IsNotEmpty() @MaxLength(300) name!: string;
  @ApiPropertyOptional({ example: 'ptthang' }) @IsOptional() @IsString() head?: string;
}

export class TaskGroupDto {
  @ApiProperty({ example: 'noi-dung' }) @IsString() @IsNotEmpty() @MaxLength(64) id!: string;
  @ApiProperty({ example: 'Nội dung tuyên truyền' }) @IsString() @IsNotEmpty() @MaxLength(300) name!: string;
}

export class TaskDto {
  @ApiProperty({ example: 'TT-01' }) @IsString() @IsNotEmpty() @MaxLength(64) id!: string;
  @ApiProperty({ example: 'Ban hành kế hoạch tuyên truyền Đại hội' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  title!: string;
  @ApiProperty({ example: 'noi-dung' }) @IsString() @IsNotEmpty() group!: string;
  @ApiProperty({ enum: PHASES }) @IsIn(PHASES) phase!: Phase;
  @ApiProperty({ example: 'BTG' }) @IsString() @IsNotEmpty() leadAgency!: string;
  @ApiPropertyOptional({ example: ['BAO'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  coordinatingAgencies?: string[];
  @ApiPropertyOptional({ example: 'ptthang' }) @IsOptional() @IsString() responsible?: string;
  @ApiProperty({
    example: 'T-30d',
    description:
      'T-30d, T-10wd, T+1d@08:00, E+7d (after the last day), after:<task>+5d, A+2d (scenario tasks), or an ISO instant',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  due!: string;
  @ApiPropertyOptional({ example: ['TT-00', 'BPHC:HC-02'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  dependsOn?: string[];
  @ApiPropertyOptional({ example: 50000000 }) @IsOptional() @IsInt() @Min(0) @Max(1e15) budgetVnd?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() requiresApproval?: boolean;
  @ApiPropertyOptional({ example: 'Kế hoạch 03-KH/TB-BPTT' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  deliverable?: string;
}

export class EscalationStepDto {
  @ApiProperty({ example: '2d' })
  @Matches(DURATION, { message: 'after must be a duration such as 0m, 2d, 12h' })
  after!: string;
  @ApiProperty({ enum: ESCALATION_AUDIENCES, isArray: true, example: ['unitLead'] })
  @IsArray()
  @ArrayMinSize(1)
  @IsIn(ESCALATION_AUDIENCES, { each: true })
  notify!: EscalationAudience[];
}

export class ApprovalPolicyDto {
  @ApiPropertyOptional({ example: ['btv-1', 'btv-2', 'btv-3'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
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

export class ScenarioDto {
  @ApiProperty({ example: 'epidemic' }) @IsString() @IsNotEmpty() code!: string;
  @ApiProperty({ example: 'Kịch bản khi có dịch bệnh' }) @IsString() @IsNotEmpty() name!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() description?: string;
  @ApiProperty({ type: [TaskDto] }) @IsArray() @ValidateNested({ each: true }) @Type(() => TaskDto) tasks!: TaskDto[];
  @ApiProperty({ example: ['TT-05'] }) @IsArray() @IsString({ each: true }) suspends!: string[];
  @ApiPropertyOptional() @IsOptional() @IsBoolean() requiresApproval?: boolean;
}

export class GovernmentDecisionDto {
  @ApiProperty({ example: 'Thông báo 6150/TB-BNV' }) @IsString() @IsNotEmpty() @MaxLength(300) decision!: string;
  @ApiPropertyOptional({ example: ['2025-01-27'] })
  @IsOptional()
  @IsArray()
  @Matches(DATE, { each: true, message: 'daysOff must hold dates YYYY-MM-DD' })
  daysOff?: string[];
  @ApiPropertyOptional({ example: ['2025-02-08'] })
  @IsOptional()
  @IsArray()
  @Matches(DATE, { each: true, message: 'workingDays must hold dates YYYY-MM-DD' })
  workingDays?: string[];
}

export class CalendarDto {
  @ApiPropertyOptional({ enum: ['VN', 'NONE'] }) @IsOptional() @IsIn(['VN', 'NONE']) base?: 'VN' | 'NONE';
  @ApiPropertyOptional({ example: ['2026-09-03'] })
  @IsOptional()
  @IsArray()
  @Matches(DATE, { each: true, message: 'extraHolidays must hold dates YYYY-MM-DD' })
  extraHolidays?: string[];
  @ApiPropertyOptional()
  @IsOptional()
  @IsArray()
  @Matches(DATE, { each: true, message: 'extraWorkingDays must hold dates YYYY-MM-DD' })
  extraWorkingDays?: string[];
  @ApiPropertyOptional({ example: [0, 6] })
  @IsOptional()
  @IsArray()
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
  @Matches(/^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/, { message: 'unitCode must be 1-32 letters, digits or dashes' })
  unitCode!: string;
  @ApiProperty({ example: 'Bộ phận tuyên truyền' }) @IsString() @IsNotEmpty() @MaxLength(300) unitName!: string;
  @ApiPropertyOptional({ example: 'Propaganda unit' }) @IsOptional() @IsString() unitNameEn?: string;
  @ApiProperty({ example: 'ptthang' }) @IsString() @IsNotEmpty() unitLead!: string;
  @ApiPropertyOptional({ example: '03-KH/TB-BPTT' }) @IsOptional() @IsString() @MaxLength(100) documentNumber?: string;
  @ApiPropertyOptional({ type: [PersonDto] })
  @IsOptional()
  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => PersonDto)
  people?: PersonDto[];
  @ApiProperty({ type: [AgencyDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => AgencyDto)
  agencies!: AgencyDto[];
  @ApiProperty({ type: [TaskGroupDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ValidateNested({ each: true })
  @Type(() => TaskGroupDto)
  groups!: TaskGroupDto[];
  @ApiProperty({ type: [TaskDto] })
  @IsArray()
  @ArrayMaxSize(MAX_TASKS)
  @ValidateNested({ each: true })
  @Type(() => TaskDto)
  tasks!: TaskDto[];
  @ApiProperty({ example: ['7d', '1d'] })
  @IsArray()
  @Matches(DURATION, { each: true, message: 'reminders must hold durations such as 7d' })
  reminders!: string[];
  @ApiProperty({ type: [EscalationStepDto] })
  @IsArray()
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
  @ValidateNested({ each: true })
  @Type(() => ScenarioDto)
  scenarios!: ScenarioDto[];
  @ApiProperty({ enum: CHECK_IN_CADENCES }) @IsIn(CHECK_IN_CADENCES) checkInCadence!: CheckInCadence;
  @ApiPropertyOptional({ type: CalendarDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => CalendarDto)
  calendar?: CalendarDto;
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
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => UnitPlanDto)
  plans!: UnitPlanDto[];
}

export const TEMPLATES = ['provincial'] as const;

export class CreateCongressFromTemplateDto {
  @ApiProperty({ enum: TEMPLATES, description: 'provincial: propaganda, logistics and security units (seed 004)' })
  @IsIn(TEMPLATES)
  template!: (typeof TEMPLATES)[number];
  @ApiProperty({ example: 'dh-tinh-xxi' })
  @Matches(/^[a-z0-9][a-z0-9-]{1,62}$/, { message: 'id must be 2-63 lowercase letters, digits or dashes' })
  id!: string;
  @ApiProperty({ example: '2026-10-14' })
  @Matches(DATE, { message: 'startDate must be YYYY-MM-DD' })
  startDate!: string;
  @ApiPropertyOptional({ example: 'Đại hội Đảng bộ tỉnh lần thứ XXI' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  name?: string;
}

export class MoveCongressDayDto {
  @ApiProperty({ example: '2026-10-21' })
  @Matches(DATE, { message: 'startDate must be YYYY-MM-DD' })
  startDate!: string;
  @ApiProperty({ example: '2026-10-23' }) @Matches(DATE, { message: 'endDate must be YYYY-MM-DD' }) endDate!: string;
  @ApiProperty({ example: 'Bộ Chính trị cho ý kiến lùi thời gian tổ chức' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason!: string;
}

export class ReasonDto {
  @ApiProperty({ example: 'Theo kết luận của Ban Thường vụ' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason!: string;
}

export class AddPlanDto {
  @ApiProperty({ type: UnitPlanDto }) @IsDefined() @ValidateNested() @Type(() => UnitPlanDto) plan!: UnitPlanDto;
}
