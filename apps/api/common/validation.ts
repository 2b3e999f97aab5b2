import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';
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

/** Whitelist, reject unknown fields, transform: the strict pipe every route runs behind. */
export function strictValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
