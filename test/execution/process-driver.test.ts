import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { journalFiles } from '../../src/journal/journal-files.js';
import { JournaledRun } from '../../src/journal/journaled-run.js';
import { ProcessRun } from '../../src/run/process-run.js';
import { processDriverConformance } from './process-driver-conformance.js';

processDriverConformance('local process group (ProcessRun)', {
  create: async (request, listener, options) => new ProcessRun(request, options, listener),
  cleanup: async () => {},
  input: true,
});

let dir: string | undefined;
processDriverConformance("detached run under the journal's wrapper (JournaledRun)", {
  create: async (request, listener, options) => {
    dir = await mkdtemp(join(tmpdir(), 'driver-conformance-'));
    const files = journalFiles(dir, 'conformance');
    const mode = { kind: 'spawn', request, beforeSpawn: async () => {} } as const;
    return new JournaledRun(mode, files, options, listener);
  },
  cleanup: async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  },
});
