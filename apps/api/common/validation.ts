import { BadRequestException, ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import type { ValidationIssue } from '../../../libs/domain';

/** Flattens nested class-validator errors into issues with full paths (`plans[0].tasks[3].due`). */
export function toIssues(errors: ValidationError[], parent = ''): ValidationIssue[] {
  return errors.flatMap((error) => {
    const path = /^\d+$/.test(error.property)
      ? `${parent}[${error.property}]`
      : parent
        ? `${parent}.${error.property}`
        : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({
      path,
      message: message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message,
    }));
    return [...own, ...toIssues(error.children ?? [], path)];
  });
}

/**
 * How deep a request's JSON may nest. The deepest real body (a congress: plans → scenarios → tasks → dependsOn)
 * is 8 levels; class-transformer and the validator recurse, so a body nested thousands deep would overflow
 * the stack (a 500) instead of being refused.
 */
export const MAX_JSON_DEPTH = 32;

/** True when `value` nests objects or arrays deeper than `max` levels (walked without recursion). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

/** The strict pipe, refusing over-deep input with 400 before anything recursive looks at it. */
class DepthLimitedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (nestsDeeperThan(value, MAX_JSON_DEPTH)) {
      throw new BadRequestException({
        error: 'Bad Request',
        code: 'JSON_TOO_DEEP',
        message: `the request ${metadata.type === 'body' ? 'body' : metadata.type} is nested deeper than ${MAX_JSON_DEPTH} levels`,
      });
    }
    return super.transform(value, metadata);
  }
}

/** Whitelist, reject unknown fields, transform: the strict pipe every route runs behind. */
export function strictValidationPipe(): ValidationPipe {
  return new DepthLimitedValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    exceptionFactory: (errors) => {
      const issues = toIssues(errors);
      return new BadRequestException({
        error: 'Bad Request',
        code: 'INVALID_INPUT',
        message: issues.map((i) => `${i.path}: ${i.message}`),
        issues,
      });
    },
  });
}
