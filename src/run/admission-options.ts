import type { AdmissionOptions } from '../scheduler/admission.js';
import type { ExecutionRecord } from '../state/execution-record.js';

/**
 * How `record` is submitted to admission: its priority and group, and, while it has never started,
 * the deadline of its `queueTimeoutMs` (counted from its creation, so a recovered execution keeps
 * its original deadline) with `expire` to call when it passes. A later submission of the same
 * execution (another attempt) keeps its priority and group and has no deadline.
 */
export function admissionOptions(record: ExecutionRecord, expire: () => void): AdmissionOptions {
  const { priority, group, queueTimeoutMs } = record.admission;
  const options: AdmissionOptions = { priority, group };
  if (queueTimeoutMs !== undefined && record.state.attempts.length === 0) {
    options.expiresAt = queueDeadline(record, queueTimeoutMs);
    options.onExpire = expire;
  }
  return options;
}

/** Epoch ms at which `record`'s wait for a first start ends. */
export function queueDeadline(record: ExecutionRecord, queueTimeoutMs: number): number {
  return record.createdAt.getTime() + queueTimeoutMs;
}
