import { fileURLToPath } from 'node:url';

/** Absolute path of a fixture in test-scripts/. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`../../test-scripts/${name}`, import.meta.url));
}

/** Path of the Node binary running the tests. */
export const node = process.execPath;
