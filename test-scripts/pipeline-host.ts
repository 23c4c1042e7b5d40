// A host app that runs a diamond pipeline (a → b, a → c, b + c → d) with a journal, for crash
// tests. The test SIGKILLs it while b runs.
// Usage: node --import tsx pipeline-host.ts <journalDir> <markDir> <plain|function>
// Each step appends a line to <markDir>/<step> when it runs (so a second run would show). b waits
// for <markDir>/release, writes the output `tag=v-<release content>` and exits 3 (onFailure
// 'continue', so d still runs); d records the tag it got through a placeholder. With `function`,
// step c is a function (the pipeline cannot be resumed). One slot: c waits while b runs. The host
// prints `started <executionId>` for every spawn, and `pipeline <id>` once it is registered.
import { ExecutionEngine, type PipelineStep, shell } from '../src/index.js';

const [dir = '', marks = '', mode = 'plain'] = process.argv.slice(2);
const engine = new ExecutionEngine({ journal: { dir }, maxConcurrentExecutions: 1 });
await engine.recover();
engine.on('started', (event) => process.stdout.write(`started ${event.executionId}\n`));
const mark = (step: string) => `echo ${step} >> ${marks}/${step}`;
const cRequest = { command: shell(mark('c')) };
const steps: PipelineStep[] = [
  { key: 'a', request: { command: shell(mark('a')) } },
  {
    key: 'b',
    dependsOn: ['a'],
    onFailure: 'continue',
    request: {
      command: shell(
        `${mark('b')}; while [ ! -f ${marks}/release ]; do sleep 0.05; done; echo "tag=v-$(cat ${marks}/release)" >> "$EXECUTION_OUTPUT"; exit 3`,
      ),
    },
  },
  { key: 'c', dependsOn: ['a'], request: mode === 'function' ? () => cRequest : cRequest },
  {
    key: 'd',
    dependsOn: ['b', 'c'],
    request: { command: shell(`echo "d $TAG" >> ${marks}/d`), env: { TAG: '${{ steps.b.outputs.tag }}' } },
  },
];
const id = await engine.startPipeline({ id: mode === 'function' ? 'fn' : 'diamond', steps });
process.stdout.write(`pipeline ${id}\n`);
setInterval(() => {}, 1000);
