import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';
import { DEFAULT_CONFIG, type ExecutionConfig } from '../src/index.js';

// DEFAULT_CONFIG is the one source of the defaults; these tests keep every place that shows them
// (the `@default` tags of ExecutionConfig, the README's Config section and the tables in docs/)
// from drifting away from it.

const root = join(import.meta.dirname, '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');
const KEYS = Object.keys(DEFAULT_CONFIG) as (keyof ExecutionConfig)[];

/** How the docs write a default: `300000`, `true`, `'queue'`, `undefined`. */
function written(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/** The `@default` tag of each member of `ExecutionConfig` in src/config.ts. */
function jsdocDefaults(): Map<string, string | undefined> {
  const source = ts.createSourceFile('config.ts', read('src/config.ts'), ts.ScriptTarget.Latest, true);
  const found = new Map<string, string | undefined>();
  source.forEachChild((node) => {
    if (!ts.isInterfaceDeclaration(node) || node.name.text !== 'ExecutionConfig') return;
    for (const member of node.members) {
      const tag = ts.getJSDocTags(member).find((t) => t.tagName.text === 'default');
      const text = tag === undefined ? undefined : ts.getTextOfJSDocComment(tag.comment)?.trim();
      found.set(member.name!.getText(source), text);
    }
  });
  return found;
}

/** The first `value` after `Default:` under each `#### \`key\`` heading of the README. */
function readmeDefaults(): Map<string, string | undefined> {
  const readme = read('README.md');
  const section = readme.slice(
    readme.indexOf('### Config'),
    readme.indexOf('\n## ', readme.indexOf('### Config')),
  );
  const found = new Map<string, string | undefined>();
  for (const part of section.split(/^#### /m).slice(1)) {
    const key = /^`(\w+)`/.exec(part)?.[1];
    if (key !== undefined) found.set(key, /^Default: `([^`]*)`/m.exec(part)?.[1]);
  }
  return found;
}

/** Rows of every `| config key | default | ... |` table in docs/: [file, key, default]. */
function docsTableDefaults(): [string, string, string | undefined][] {
  const rows: [string, string, string | undefined][] = [];
  for (const name of readdirSync(join(root, 'docs')).filter((file) => file.endsWith('.md'))) {
    let inTable = false;
    for (const line of read(`docs/${name}`).split('\n')) {
      const cells = line.startsWith('|') ? line.split('|').map((cell) => cell.trim()) : undefined;
      if (cells === undefined) inTable = false;
      else if (cells[1] === 'config key' && cells[2] === 'default') inTable = true;
      else if (inTable && !cells[1]?.startsWith('---')) {
        const key = /^`(\w+)`$/.exec(cells[1] ?? '')?.[1];
        if (key !== undefined) rows.push([name, key, /^`([^`]*)`/.exec(cells[2] ?? '')?.[1]]);
      }
    }
  }
  return rows;
}

describe('the defaults in the docs are those of DEFAULT_CONFIG', () => {
  test('each key of ExecutionConfig has a @default tag equal to its default', () => {
    const tags = jsdocDefaults();
    expect([...tags.keys()].sort()).toEqual([...KEYS].sort());
    for (const key of KEYS)
      expect({ key, tag: tags.get(key) }).toEqual({ key, tag: written(DEFAULT_CONFIG[key]) });
  });

  test("each key has a README heading whose 'Default:' is its default", () => {
    const readme = readmeDefaults();
    expect([...readme.keys()].sort()).toEqual([...KEYS].sort());
    for (const key of KEYS)
      expect({ key, readme: readme.get(key) }).toEqual({ key, readme: written(DEFAULT_CONFIG[key]) });
  });

  test('every config key in a table of docs/ shows its default', () => {
    const rows = docsTableDefaults();
    expect(rows.length).toBeGreaterThan(0);
    for (const [file, key, value] of rows) {
      expect(KEYS, `${file}: unknown config key ${key}`).toContain(key);
      expect({ file, key, value }).toEqual({
        file,
        key,
        value: written(DEFAULT_CONFIG[key as keyof ExecutionConfig]),
      });
    }
  });
});
