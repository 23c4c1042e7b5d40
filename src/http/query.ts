import { InvalidRequestError } from '../errors.js';

/** A query parameter as a non-negative integer at most `max`, or `undefined` when absent. */
export function integerParam(url: URL, name: string, max: number): number | undefined {
  const text = url.searchParams.get(name);
  if (text === null) return undefined;
  const value = Number(text);
  if (text === '' || !Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new InvalidRequestError(
      name,
      `Expected \`${name}\` to be an integer from 0 to ${max}, got \`${text}\``,
    );
  }
  return value;
}

/** A comma-separated query parameter, or `undefined` when absent. */
export function listParam(url: URL, name: string): string[] | undefined {
  const text = url.searchParams.get(name);
  if (text === null) return undefined;
  return text.split(',').filter((part) => part !== '');
}

/** `?lines=each` (one event per line) or the default, `output` batches. */
export function linesParam(url: URL): 'each' | 'batched' {
  const lines = url.searchParams.get('lines');
  if (lines === null || lines === 'batched') return 'batched';
  if (lines === 'each') return 'each';
  throw new InvalidRequestError('lines', `Expected \`lines\` to be 'each' or 'batched', got \`${lines}\``);
}

/** The `seq` to resume after: `Last-Event-ID`, else `?lastEventId=`; `undefined` for neither. */
export function lastEventId(request: Request, url: URL): number | undefined {
  const text = request.headers.get('last-event-id') ?? url.searchParams.get('lastEventId');
  if (text === null || text === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new InvalidRequestError(
      'lastEventId',
      `Expected \`Last-Event-ID\` to be a non-negative integer, got \`${text.slice(0, 40)}\``,
    );
  }
  return value;
}
