/** Request bodies for plan commands. The actor is never in a body: it comes from the bearer token. */
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDefined,
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
import { DURATION_PATTERN, LIST_LIMITS, TEXT_LIMITS } from '../../../libs/domain';
import { AgencyDto, TaskDto } from '../congresses/congress.dto';

const DURATION = DURATION_PATTERN;

export class ReasonBodyDto {
  @ApiProperty({ example: 'Theo kết luận phiên họp Tiểu ban' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(TEXT_LIMITS.reason)
  reason!: string;
}

export class AddTaskDto extends ReasonBodyDto {
  @ApiProperty({ type: TaskDto }) @IsDefined() @ValidateNested() @Type(() => TaskDto) task!: TaskDto;
}

export class EditTaskDto extends ReasonBodyDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(TEXT_LIMITS.taskTitle) title?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT_LIMITS.id) responsible?: string;
  @ApiPropertyOptional()
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIST_LIMITS.coordinatingAgencies)
  @IsString({ each: true })
  @MaxLength(TEXT_LIMITS.code, { each: true })
  coordinatingAgencies?: string[];
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1e15) budgetVnd?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT_LIMITS.deliverable) deliverable?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() requiresApproval?: boolean;
}

export class ProgressDto {
  @ApiProperty({ example: 40, minimum: 0, maximum: 99 }) @IsInt() @Min(0) @Max(99) progress!: number;
  @ApiPropertyOptional({ example: 'Đã hoàn thành dự thảo' })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT_LIMITS.note)
  note?: string;
}

export class CompleteTaskDto {
  @ApiPropertyOptional({ example: 'Đã ban hành văn bản' })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT_LIMITS.note)
  note?: string;
}

export class ReassignTaskDto extends ReasonBodyDto {
  @ApiPropertyOptional({ example: 'BTG' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(TEXT_LIMITS.code)
  leadAgency?: string;
  @ApiPropertyOptional({ example: 'ptthang' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(TEXT_LIMITS.id)
  responsible?: string;
}

export class ReassignAgencyDto extends ReasonBodyDto {
  @ApiProperty({ example: 'STTTT' }) @IsString() @IsNotEmpty() @MaxLength(TEXT_LIMITS.code) fromAgency!: string;
  @ApiProperty({ example: 'SVHTTDL' }) @IsString() @IsNotEmpty() @MaxLength(TEXT_LIMITS.code) toAgency!: string;
  @ApiPropertyOptional({ type: AgencyDto, description: 'the merged agency, when it is new to the plan' })
  @IsOptional()
  @ValidateNested()
  @Type(() => AgencyDto)
  newAgency?: AgencyDto;
}

export class ChangeDeadlineDto extends ReasonBodyDto {
  @ApiProperty({ example: 'T-20d' }) @IsString() @IsNotEmpty() @MaxLength(TEXT_LIMITS.due) due!: string;
}

export class AcknowledgeDto {
  @ApiProperty({ example: '2d', description: 'how long the escalation holds while you take ownership' })
  @Matches(DURATION, { message: 'holdFor must be a duration such as 2d or 12h' })
  holdFor!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT_LIMITS.note) note?: string;
}

export class CommentDto {
  @ApiProperty({ example: 'Đề nghị bổ sung tiến độ thực hiện cho từng tổ' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(TEXT_LIMITS.commentText)
  text!: string;
}

export class OptionalReasonDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT_LIMITS.reason) reason?: string;
}

export class DecisionDto {
  @ApiProperty({ enum: ['approve', 'reject'] }) @IsIn(['approve', 'reject']) decision!: 'approve' | 'reject';
  @ApiPropertyOptional({ example: 'Đồng ý' })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT_LIMITS.decisionComment)
  comment?: string;
}

const toBool = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ListPlansQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsString() congress?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() unit?: string;
  @ApiPropertyOptional({ enum: ['draft', 'awaiting_approval', 'active', 'closed', 'stopped'] })
  @IsOptional()
  @IsIn(['draft', 'awaiting_approval', 'active', 'closed', 'stopped'])
  status?: string;
  @ApiPropertyOptional({ type: Boolean }) @IsOptional() @Transform(toBool) @IsBoolean() overdue?: boolean;
  @ApiPropertyOptional({ example: 'epidemic' }) @IsOptional() @IsString() contingency?: string;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) @Max(10000) offset?: number;
  @ApiPropertyOptional({ default: 50 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(200) limit?: number;
}

export class AuditQueryDto {
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset?: number;
  @ApiPropertyOptional({ default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500) limit?: number;
}
