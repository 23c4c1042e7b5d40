import { InvalidRequestError } from '../errors.js';

/** `${{ steps.<key>.outputs.<name> }}`, spaces inside the braces optional. */
const PLACEHOLDER = /\$\{\{\s*steps\.([A-Za-z0-9._-]+?)\.outputs\.([A-Za-z0-9_.-]+)\s*\}\}/g;

/** One placeholder found in a value. */
export interface Placeholder {
  step: string;
  name: string;
}

/**
 * The placeholders of an `env` value. Any other use of `${{` is refused, so a mistyped
 * placeholder never reaches a process as literal text.
 * @throws InvalidRequestError naming `field` for a `${{` that is not a valid placeholder.
 */
export function placeholdersIn(field: string, value: string): Placeholder[] {
  const found: Placeholder[] = [];
  for (const match of value.matchAll(PLACEHOLDER)) found.push({ step: match[1]!, name: match[2]! });
  const rest = value.replace(PLACEHOLDER, '');
  if (rest.includes('${{')) {
    throw new InvalidRequestError(
      field,
      `Expected \`\${{\` in \`${field}\` to start a placeholder \`\${{ steps.<key>.outputs.<name> }}\`, got ${JSON.stringify(value)}`,
    );
  }
  return found;
}

/**
 * `env` with every placeholder replaced by the output it names (an empty string when that step
 * wrote no such output). Values are inserted as they are: they reach the process as environment
 * variables, never as shell text, so an output cannot inject commands.
 */
export function substituteEnv(
  env: Record<string, string>,
  outputs: (step: string) => Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const replaced = value.includes('${{')
      ? value.replace(PLACEHOLDER, (_, step: string, output: string) =>
          Object.hasOwn(outputs(step) ?? {}, output) ? outputs(step)![output]! : '',
        )
      : value;
    Object.defineProperty(out, name, {
      value: replaced,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
