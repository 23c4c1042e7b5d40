/** A command turned into what is spawned. */
export interface ResolvedCommand {
  file: string;
  args: string[];
  /** Pass arguments unquoted on Windows (cmd.exe does its own parsing). */
  verbatim: boolean;
}
