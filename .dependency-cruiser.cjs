// Import rules for src/, checked by `npm run lint` (dependency-cruiser). Imports go one way, down
// this list of layers, and never in a circle; type-only imports count like any other.
//
// A module belongs to the first layer whose `files` name it, otherwise to the layer of its folder.
// A module may import its own layer and the layers below it, never one above. Most layers are one
// folder, so folders import each other one way only; the no-circular rule keeps the imports within
// a layer from looping.

/** Lowest first. `folders` and `files` are paths relative to src/. */
const LAYERS = [
  {
    name: 'contracts',
    comment: 'Public types, errors and the journal record types: what everything else is written against.',
    files: [
      'types.ts',
      'errors.ts',
      'journal/journal-types.ts',
      'progress/progress-types.ts',
      'pipeline/pipeline-types.ts',
      'pipeline/pipeline-record-types.ts',
    ],
  },
  { name: 'utils', comment: 'Helpers that know nothing of executions.', folders: ['utils'] },
  { name: 'io', comment: 'Bytes: line splitting, output buffers, files.', folders: ['io'] },
  {
    name: 'progress',
    comment: 'Progress parsing: the presets, checking custom parsers, throttling progress events.',
    folders: ['progress'],
  },
  {
    name: 'commands',
    comment: 'shell, exec, script, awsCli: a command to { file, args }.',
    folders: ['commands'],
  },
  {
    name: 'arguments',
    comment: 'Validating configuration and requests, ids.',
    folders: ['arguments'],
    files: ['config.ts'],
  },
  {
    name: 'execution',
    comment: 'The execution state machine, attempts, outcomes, and the ProcessDriver port.',
    folders: ['execution'],
  },
  { name: 'events', comment: 'Event types, the bus, the replay log.', folders: ['events'] },
  {
    name: 'observe',
    comment: 'Debug lines (NODE_DEBUG) and the tracing channel, hooked on the event bus.',
    folders: ['observe'],
  },
  {
    name: 'state',
    comment: 'Execution records, the registry, waiters, retention, building events from records.',
    folders: ['state'],
  },
  {
    name: 'capture',
    comment: 'Output of a running execution into its record and events.',
    folders: ['capture'],
  },
  {
    name: 'process',
    comment: 'Admission, spawning, killing process trees.',
    folders: ['scheduler', 'spawn', 'terminate'],
  },
  {
    name: 'journal',
    comment: 'Durable records, the lock, detached runs under the wrapper.',
    folders: ['journal'],
  },
  {
    name: 'inspect',
    comment: 'Reading a journal directory from another process: statuses, owner, stale executions.',
    folders: ['inspect'],
  },
  {
    name: 'run',
    comment: 'The coordinator: applies what the state machine decides, drives process drivers.',
    folders: ['run'],
  },
  {
    name: 'recovery',
    comment: "Feeding a previous host's executions into the state machine.",
    folders: ['recovery'],
  },
  {
    name: 'pipeline',
    comment:
      'Pipelines: DAG validation, the step runner, placeholders, snapshots, the pipeline record and its resume.',
    folders: ['pipeline'],
  },
  {
    name: 'schedule',
    comment: 'Cron schedules: timers, overlap, the last fired occurrence kept in the journal directory.',
    folders: ['schedule'],
  },
  { name: 'engine', comment: 'The public facade.', files: ['engine.ts'] },
  {
    name: 'protocol',
    comment:
      'JSON-RPC over message transports: serveProtocol, the stdio and MessagePort server transports (entry execution-engine/protocol).',
    folders: ['protocol'],
  },
  {
    name: 'http',
    comment: 'The HTTP + SSE handler, serve() on node:http, the dashboard (entry execution-engine/http).',
    folders: ['http'],
  },
  {
    name: 'client',
    comment: 'EngineClient and its transports (entry execution-engine/client); runs in browsers.',
    folders: ['client'],
  },
  {
    name: 'electron',
    comment:
      'The Electron bridge (entry execution-engine/electron): exposeEngine in the main process, exposeEngineClient in a preload.',
    folders: ['electron'],
  },
  { name: 'index', comment: 'The public entry point; nothing imports it.', files: ['index.ts'] },
  {
    name: 'adapters',
    comment:
      'Entry points of their own over the public API: metrics (execution-engine/metrics), the execution-engine command (serve, status), distributed mode on BullMQ (execution-engine/bullmq).',
    folders: ['metrics', 'cli', 'bullmq'],
  },
];

const escapeRe = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const fileRe = (file) => `^src/${escapeRe(file)}$`;
const folderRe = (folder) => `^src/${escapeRe(folder)}/`;
const anyOf = (patterns) => (patterns.length === 0 ? '^$' : `(${patterns.join('|')})`);

/** Paths a layer claims by file name (these win over any folder). */
const filesOf = (layers) => layers.flatMap((layer) => (layer.files ?? []).map(fileRe));
/** Paths a layer claims by folder or file name. */
const claimsOf = (layers) => [...filesOf(layers), ...layers.flatMap((l) => (l.folders ?? []).map(folderRe))];

/** Matches the modules of `LAYERS[index]`: its claims, minus files placed in another layer. */
const membersOf = (index) => ({
  path: anyOf(claimsOf([LAYERS[index]])),
  pathNot: anyOf(filesOf(LAYERS.filter((_, i) => i !== index))),
});
/** Matches every module of a layer above `LAYERS[index]`. */
const aboveOf = (index) => ({
  path: anyOf(claimsOf(LAYERS.slice(index + 1))),
  pathNot: anyOf(filesOf(LAYERS.slice(0, index + 1))),
});

const layerRules = LAYERS.slice(0, -1).map((layer, index) => ({
  name: `layer-${layer.name}`,
  comment: `${layer.comment} Imports only from '${LAYERS.slice(0, index + 1)
    .map((l) => l.name)
    .join("', '")}'.`,
  severity: 'error',
  from: membersOf(index),
  to: aboveOf(index),
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Modules must not import each other in a circle, not even through type-only imports.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'client-runs-in-browsers',
      comment:
        'The client (execution-engine/client) runs in browsers: at run time it uses only the contracts and pure helpers.',
      severity: 'error',
      from: { path: '^src/client/' },
      to: {
        path: '^src/',
        pathNot:
          '^src/(client/|errors[.]ts$|protocol/message-port[.]ts$|events/event-types[.]ts$|execution/failure-text[.]ts$|pipeline/pipeline-failure-text[.]ts$|utils/format-command[.]ts$|types[.]ts$)',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'bullmq-only-in-its-subpath',
      comment:
        'bullmq and ioredis are optional peer dependencies: only execution-engine/bullmq (src/bullmq/) loads them.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/bullmq/' },
      to: { path: 'node_modules/(bullmq|ioredis)/' },
    },
    {
      name: 'in-a-layer',
      comment: 'Every module of src/ belongs to a layer: add a new folder or file to LAYERS.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/', pathNot: anyOf(claimsOf(LAYERS)) },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that cannot be resolved would escape every rule above.',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    cache: false,
    progress: { type: 'none' },
  },
};
