import { defineConfig } from 'tsup';

export default defineConfig({
  // `metrics` is the `execution-engine/metrics` subpath (the only code that loads prom-client);
  // `cli` is the `execution-engine` command (package.json `bin`), which has no types.
  entry: { index: 'src/index.ts', metrics: 'src/metrics/index.ts', cli: 'src/cli/index.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', metrics: 'src/metrics/index.ts' } },
  // `import.meta.url` in the CommonJS build (prom-client is loaded with `createRequire`).
  shims: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  platform: 'node',
  splitting: false,
  treeshake: true,
  // Bundled, tree-shaken to its `v7()` (a few hundred bytes): importing `uuid` itself loads every
  // UUID version it has, which made importing the engine about 7 ms slower (ESM; 3 ms CJS). It is
  // a devDependency for that reason. Every other dependency stays external.
  noExternal: ['uuid'],
  external: ['prom-client'],
});
