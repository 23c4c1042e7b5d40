import type { AdmissionFactory } from '../../src/scheduler/admission.js';
import { Scheduler } from '../../src/scheduler/scheduler.js';
import { describeAdmissionConformance } from './admission-conformance.js';

/** Every implementation of the Admission port, each run through the one conformance suite. */
const IMPLEMENTATIONS: [name: string, make: AdmissionFactory][] = [
  ['Scheduler', (limits) => new Scheduler(limits)],
];

// Contenders measured against the built-in scheduler (bench/admission/), run through the suite on
// request: `ADMISSION_CONTENDERS=p-queue npx vitest run test/scheduler/admission.test.ts`.
const CONTENDERS: Record<string, string> = { 'p-queue': '../../bench/admission/p-queue-admission.mjs' };
for (const name of (process.env.ADMISSION_CONTENDERS ?? '').split(',').filter(Boolean)) {
  const path = CONTENDERS[name];
  if (path === undefined) throw new Error(`unknown admission contender ${name}`);
  const module = (await import(path)) as {
    PQueueAdmission: new (...args: Parameters<AdmissionFactory>) => ReturnType<AdmissionFactory>;
  };
  IMPLEMENTATIONS.push([`${name} (contender)`, (limits) => new module.PQueueAdmission(limits)]);
}

for (const [name, make] of IMPLEMENTATIONS) describeAdmissionConformance(name, make);
