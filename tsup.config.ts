import { defineConfig, type Options } from 'tsup';

const shared: Options = {
  sourcemap: true,
  target: 'node20',
  platform: 'node',
  treeshake: true,
  // Bundled, tree-shaken to its `v7()` (a few hundred bytes): importing `uuid` itself loads every
  // UUID version it has, which made importing the engine about 7 ms slower (ESM; 3 ms CJS). It is
  // a devDependency for that reason. Every other dependency stays external.
  noExternal: ['uuid'],
  // Only `execution-engine/metrics` loads prom-client, only `execution-engine/bullmq` loads bullmq
  // and ioredis (optional peer dependencies). `execution-engine/electron` loads `electron` only in
  // Electron's main process, never bundled.
  external: ['prom-client', 'bullmq', 'ioredis', 'electron'],
};

export default defineConfig([
  {
    ...shared,
    // The main entry and its subpaths: `execution-engine/http`, `/client`, `/protocol`, `/metrics`,
    // `/electron` and `/bullmq`.
    entry: {
      index: 'src/index.ts',
      http: 'src/http/index.ts',
      client: 'src/client/index.ts',
      metrics: 'src/metrics/index.ts',
      protocol: 'src/protocol/index.ts',
      electron: 'src/electron/index.ts',
      bullmq: 'src/bullmq/index.ts',
    },
    format: ['esm', 'cjs'],
    // Shared code goes to chunks that every entry loads: one copy of each class, so an error
    // thrown through `execution-engine/http` or `/client` is `instanceof` the class imported
    // from `execution-engine` (CommonJS too).
    splitting: true,
    dts: true,
    // `import.meta.url` in the CommonJS build (prom-client is loaded with `createRequire`).
    shims: true,
    clean: true,
  },
  {
    // The `execution-engine` command (package.json `bin`): one ESM file; its shebang comes from
    // src/cli/index.ts.
    ...shared,
    entry: { cli: 'src/cli/index.ts' },
    format: ['esm'],
    splitting: false,
    dts: false,
    clean: false,
  },
]);
