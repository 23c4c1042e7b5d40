/** Date fields of snapshots, results and attempts, sent as ISO strings. */
const DATE_FIELDS = ['createdAt', 'startedAt', 'completedAt'] as const;

/** A snapshot or result read from JSON, with its dates (and its attempts' dates) as `Date`s again. */
export function reviveDates<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  const record = value as Record<string, unknown>;
  for (const field of DATE_FIELDS) {
    if (typeof record[field] === 'string') record[field] = new Date(record[field] as string);
  }
  if (Array.isArray(record.attempts)) for (const attempt of record.attempts) reviveDates(attempt);
  return value;
}

/** An event read from JSON: a terminal event's result gets its dates back. */
export function reviveEvent<T>(event: T): T {
  const result = (event as { result?: unknown }).result;
  if (result !== undefined) reviveDates(result);
  return event;
}

/** A pipeline snapshot or result read from JSON: its dates, and its steps' results' dates. */
export function revivePipeline<T>(value: T): T {
  reviveDates(value);
  const results = (value as { results?: Record<string, unknown> }).results;
  for (const result of Object.values(results ?? {})) reviveDates(result);
  return value;
}
