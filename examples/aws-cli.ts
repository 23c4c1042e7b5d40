/**
 * Calling the AWS CLI.
 *
 *   npx tsx examples/aws-cli.ts
 *
 * `awsCli(service, operation, args, options)` runs the `aws` program found on PATH, never through
 * a shell: `aws sts get-caller-identity --region us-east-1 --output json` here. With
 * `output: 'json'` the result carries the parsed stdout as `result.json`.
 *
 * This runs as written on any machine: without credentials the CLI exits non-zero and says why
 * on stderr; without the CLI installed the execution ends `failed` with SPAWN_FAILED. Either way
 * we print what happened instead of crashing.
 */
import { awsCli, ExecutionEngine } from 'execution-engine';

const engine = new ExecutionEngine();

const id = await engine.execute({
  command: awsCli('sts', 'get-caller-identity', [], { region: 'us-east-1', output: 'json' }),
  // Request env is merged over process.env. AWS_PAGER='' stops CLI v2 from piping output into
  // `less`, which would wait for a key press that never comes.
  env: { AWS_PAGER: '' },
  // The CLI may spend a few seconds looking for credentials (instance metadata and the like).
  timeoutMs: 30_000,
});

// Show the exact argv the engine builds: no shell, every argument passed as it is.
const { command } = engine.getExecution(id);
console.log(`running: ${command.file} ${command.args.join(' ')}`);

// waitForCompletion resolves for every outcome (it rejects only if the id is unknown or *our*
// wait is cut short), so no try/catch is needed to read a failure.
const result = await engine.waitForCompletion(id);

console.log(`status: ${result.status}, exit code: ${result.exitCode ?? '-'}, ${result.durationMs} ms`);
if (result.success) {
  // For `output: 'json'`, `json` is the parsed stdout (undefined when stdout is not JSON).
  const identity = result.json as { Account?: string; Arn?: string } | undefined;
  console.log(`account: ${identity?.Account ?? '?'}, arn: ${identity?.Arn ?? '?'}`);
} else if (result.error?.code === 'SPAWN_FAILED') {
  console.log('the `aws` program is not installed (or not on PATH): nothing to call');
} else if (result.status === 'completed') {
  // The CLI ran and exited non-zero: usually missing credentials or no permission.
  const reason = result.stderr.trim().split('\n').at(-1) ?? '';
  console.log(`the AWS CLI reported a problem: ${reason || '(no message)'}`);
} else {
  console.log(`the call did not finish: ${result.error?.message ?? result.status}`);
}

await engine.shutdown();
