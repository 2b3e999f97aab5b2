import { createCancellationActivities } from './cancellation.activities';
import { createNotificationActivities, type NotificationConfig } from './notifications.activities';
import { createReportActivities, type ReportConfig } from './reports.activities';

export type ActivitiesConfig = NotificationConfig & ReportConfig;

/** Every activity the worker registers, built from configuration (the worker injects it). */
export function createActivities(config: ActivitiesConfig) {
  return {
    ...createNotificationActivities(config),
    ...createReportActivities(config),
    ...createCancellationActivities(),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { NotificationInput, NotificationResult } from './notifications.activities';
export type { ArchiveInput, WriteReportInput } from './reports.activities';
export type { CancelRequest, CancelRequestInput } from './cancellation.activities';
