// The part of `@tauri-apps/plugin-shell` this example uses, with the plugin's signatures, so that it
// typechecks in this repository, where Tauri is not installed. In an app, delete this file: the
// plugin's own types take over.
declare module '@tauri-apps/plugin-shell' {
  interface OutputEmitter {
    on(event: 'data', listener: (line: string) => void): this;
  }
  export class Child {
    readonly pid: number;
    write(data: string | Uint8Array | number[]): Promise<void>;
    kill(): Promise<void>;
  }
  export class Command {
    static sidecar(program: string, args?: string | string[]): Command;
    readonly stdout: OutputEmitter;
    readonly stderr: OutputEmitter;
    on(event: 'close', listener: (payload: { code: number | null; signal: number | null }) => void): this;
    on(event: 'error', listener: (error: string) => void): this;
    spawn(): Promise<Child>;
  }
}
