import { readFileSync } from 'node:fs';

/** The package's version, read from its package.json (next to dist/ or src/). */
export function readVersion(): string {
  for (const path of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'execution-engine' && pkg.version !== undefined) return pkg.version;
    } catch {}
  }
  return 'unknown';
}
