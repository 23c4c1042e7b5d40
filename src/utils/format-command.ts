import type { SpawnedCommand } from '../types.js';

const SAFE = /^[\w@%+=:,./-]+$/;

/** A command as a readable line for messages: `git log '--format=%h %s'`. */
export function formatCommand(command: SpawnedCommand): string {
  const quote = (part: string) => (SAFE.test(part) ? part : `'${part.replaceAll("'", `'\\''`)}'`);
  const text = [command.file, ...command.args].map(quote).join(' ');
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
