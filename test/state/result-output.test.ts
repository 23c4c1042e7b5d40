import { afterEach, describe, expect, test } from 'vitest';
import { exec } from '../../src/index.js';
import { createEngine, shutDownTrackedEngines } from '../helpers/tracked-engine.js';

afterEach(shutDownTrackedEngines);

/** A result field's own descriptor: a data property holds `value`, a lazy one a getter. */
function descriptor(result: object, key: 'stdout' | 'stderr'): PropertyDescriptor {
  const found = Object.getOwnPropertyDescriptor(result, key);
  if (found === undefined) throw new Error(`no ${key}`);
  return found;
}

describe('a result keeps small output as plain text and decodes large output on first read', () => {
  test('small output: stdout and stderr are data properties, so a retained result stays a plain object', async () => {
    const engine = createEngine();
    const result = await engine.run({
      command: exec('node', ['-e', 'console.log("hi"); console.error("oops")']),
    });
    expect(descriptor(result, 'stdout')).toMatchObject({ value: 'hi', enumerable: true });
    expect(descriptor(result, 'stderr')).toMatchObject({ value: 'oops', enumerable: true });
    expect(JSON.parse(JSON.stringify(result))).toMatchObject({ stdout: 'hi', stderr: 'oops' });
  });

  test('large output (over 16 KB) is decoded only when read, and reads the same every time', async () => {
    const engine = createEngine();
    const script =
      'process.stdout.write("x".repeat(99) + "\\n"); for (let i = 0; i < 400; i++) process.stdout.write("y".repeat(99) + "\\n")';
    const result = await engine.run({ command: exec('node', ['-e', script]) });
    const lazy = descriptor(result, 'stdout');
    expect(lazy.get).toBeTypeOf('function');
    expect(lazy.enumerable).toBe(true);
    expect(result.stdout.split('\n')).toHaveLength(401);
    expect(result.stdout).toBe(result.stdout);
    expect({ ...result }.stdout).toBe(result.stdout);
    expect(engine.getExecution(result.id).stdout).toBe(result.stdout);
  });
});
