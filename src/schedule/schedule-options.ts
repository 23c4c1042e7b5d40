import { Cron } from 'croner';
import { EXECUTION_ID_RULE, isValidExecutionId } from '../arguments/id-pattern.js';
import { checkKeys } from '../arguments/request-keys.js';
import { InvalidRequestError } from '../errors.js';
import { isPlainObject } from '../utils/checks.js';
import { describeValue } from '../utils/describe-value.js';
import type { ScheduleOverlap } from './schedule-types.js';

/** Options of a schedule, checked, with defaults applied. */
export interface CheckedScheduleOptions {
  overlap: ScheduleOverlap;
  timezone: string | undefined;
  catchUp: boolean;
}

const OPTION_KEYS: ReadonlySet<string> = new Set(['overlap', 'timezone', 'catchUp']);
const OVERLAPS: ReadonlySet<unknown> = new Set(['skip', 'queue', 'allow']);

/** @throws InvalidRequestError (field `name`) unless `name` follows the execution id rules. */
export function checkScheduleName(name: unknown): string {
  if (isValidExecutionId(name)) return name;
  throw new InvalidRequestError(
    'name',
    `Expected \`name\` to be ${EXECUTION_ID_RULE}, got ${describeValue(name)}`,
  );
}

/** @throws InvalidRequestError naming the option (`timezone` errors name `cron`). */
export function checkScheduleOptions(options: unknown): CheckedScheduleOptions {
  if (options === undefined || options === null)
    return { overlap: 'skip', timezone: undefined, catchUp: false };
  if (!isPlainObject(options)) {
    throw new InvalidRequestError(
      'options',
      `Expected \`options\` to be an object, got ${describeValue(options)}`,
    );
  }
  checkKeys(options, OPTION_KEYS);
  const { overlap = 'skip', timezone, catchUp = false } = options;
  if (!OVERLAPS.has(overlap)) {
    throw new InvalidRequestError(
      'overlap',
      `Expected \`overlap\` to be 'skip', 'queue' or 'allow', got ${describeValue(overlap)}`,
    );
  }
  if (typeof catchUp !== 'boolean') {
    throw new InvalidRequestError(
      'catchUp',
      `Expected \`catchUp\` to be a boolean, got ${describeValue(catchUp)}`,
    );
  }
  if (timezone !== undefined && !isTimeZone(timezone)) {
    throw new InvalidRequestError(
      'cron',
      `Expected \`timezone\` to be an IANA time zone such as 'Europe/Paris', got ${describeValue(timezone)}`,
    );
  }
  return { overlap: overlap as ScheduleOverlap, timezone: timezone as string | undefined, catchUp };
}

/**
 * Parses a five-field (minute hour day-of-month month day-of-week) or six-field (seconds first)
 * expression, or a nickname such as `@daily`, read in `timezone`. The job is only a calculator:
 * it never starts a timer of its own.
 * @throws InvalidRequestError (field `cron`) for anything else, or an expression no date matches.
 */
export function parseCron(cron: unknown, timezone: string | undefined): Cron {
  if (typeof cron !== 'string') {
    throw new InvalidRequestError(
      'cron',
      `Expected \`cron\` to be a cron expression string, got ${describeValue(cron)}`,
    );
  }
  const text = cron.trim();
  const fields = text.split(/\s+/).length;
  const nickname = text.startsWith('@') && fields === 1;
  if (!nickname && fields !== 5 && fields !== 6) {
    throw new InvalidRequestError(
      'cron',
      `Expected \`cron\` to have five fields (minute hour day month weekday) or six (seconds first), got ${describeValue(cron)}`,
    );
  }
  let job: Cron;
  try {
    job = new Cron(text, {
      paused: true,
      mode: '5-or-6-parts',
      ...(timezone === undefined ? {} : { timezone }),
    });
  } catch (error) {
    throw new InvalidRequestError(
      'cron',
      `Expected \`cron\` to be a valid cron expression, got ${describeValue(cron)}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  if (job.nextRun() === null) {
    throw new InvalidRequestError(
      'cron',
      `Expected \`cron\` to match some date, got ${describeValue(cron)}, which never does`,
    );
  }
  return job;
}

/** True for a time zone name this runtime knows (`Intl`). */
function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
