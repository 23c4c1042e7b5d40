import type { Command } from '../types.js';

/** A command turned into what is spawned. */
export interface ResolvedCommand {
  file: string;
  args: string[];
  /** Pass arguments unquoted on Windows (cmd.exe does its own parsing). */
  verbatim: boolean;
}

/**
 * A command read once: `command` is a plain-data copy of the fields that were read and validated
 * (what the journal records), `spawn` what is spawned from them.
 */
export interface CommandSnapshot {
  command: Command;
  spawn: ResolvedCommand;
}
