/** `@IsCalendarDate()`: a real date YYYY-MM-DD (2026-02-30 is refused), read by the domain's strict parser. */
import { ValidateBy, buildMessage, type ValidationOptions } from 'class-validator';
import { isLocalDate } from '../../../libs/domain';

export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isLocalDate(value),
        defaultMessage: buildMessage(
          (each) =>
            each
              ? '$property must hold real calendar dates YYYY-MM-DD'
              : '$property must be a real calendar date YYYY-MM-DD',
          options,
        ),
      },
    },
    options,
  );
}
