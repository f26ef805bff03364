/** The logger the trigger writes to (pino's shape: fields first, then the message). */
export interface PagerDutyLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}
