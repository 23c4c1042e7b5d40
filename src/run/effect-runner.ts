import type { ExecutionEvent, RetryingEvent } from '../events/event-types.js';
import type { Effect } from '../execution/effects.js';
import type { TerminationReason } from '../execution/outcome.js';
import type { ProcessDriver } from '../execution/process-driver.js';
import type { Durability } from '../journal/durability.js';
import type { Admission } from '../scheduler/admission.js';
import type { ExecutionRecord } from '../state/execution-record.js';
import { makeEvent } from '../state/make-event.js';
import type { Registry } from '../state/registry.js';
import { terminalEvent } from '../state/terminal-event.js';
import type { Waiters } from '../state/waiters.js';
import type { TerminalStatus } from '../types.js';
import { type LongTimer, setLongTimeout } from '../utils/long-timer.js';

/** The `retrying` event after the attempt that just ended. */
function retryingEvent(record: ExecutionRecord, delayMs: number) {
  const ended = record.state.lastAttempt;
  const previous: RetryingEvent['previous'] = {
    status: ended?.status ?? 'failed',
    exitCode: ended?.exitCode ?? null,
    signal: ended?.signal ?? null,
  };
  if (ended?.error !== undefined) previous.error = ended.error;
  return makeEvent(record, 'retrying', { attempt: record.state.attemptCount + 1, delayMs, previous });
}

/** Terminal counts since the engine was constructed. */
export type Totals = Record<TerminalStatus, number>;

/** What carrying out effects touches: the coordinator's own parts, lent to the runner. */
export interface EffectTargets {
  registry: Registry;
  scheduler: Admission;
  waiters: Waiters;
  drivers: Map<string, ProcessDriver>;
  totals: Totals;
  durability: Durability | undefined;
  emit(record: ExecutionRecord, event: ExecutionEvent): void;
  stop(record: ExecutionRecord, reason: TerminationReason): void;
  settleUnstarted(record: ExecutionRecord): void;
  /** Hands an execution waiting for a retry back to admission. */
  resubmit(record: ExecutionRecord): void;
  /** Deletes files an earlier attempt left that nothing refers to any more (temporary overflow files). */
  discardFiles(files: (string | undefined)[]): void;
}

/**
 * Carries out the effects a state transition returns, in order: the single place where events,
 * journal writes, timeouts, slots, waiters and drivers follow from a change of state. Each
 * execution's timeout lives here, and only here.
 */
export class EffectRunner {
  readonly #targets: EffectTargets;
  /** Armed timeouts, by execution id. */
  readonly #timeouts = new Map<string, LongTimer>();
  /**
   * Waits before a retry, by execution id. Ref'd on purpose, like queued work: the execution is
   * not finished, and cancelling it (or `shutdown()`) clears the wait.
   */
  readonly #retries = new Map<string, LongTimer>();

  constructor(targets: EffectTargets) {
    this.#targets = targets;
  }

  apply(record: ExecutionRecord, effects: readonly Effect[]): void {
    for (const effect of effects) this.#perform(record, effect);
  }

  /** Executions waiting for a retry. */
  get waitingRetries(): number {
    return this.#retries.size;
  }

  /** Disarms every timeout (the processes are handed over to another engine). */
  clearTimeouts(): void {
    for (const timer of this.#timeouts.values()) timer.clear();
    this.#timeouts.clear();
  }

  #perform(record: ExecutionRecord, effect: Effect): void {
    const targets = this.#targets;
    const { id } = record;
    switch (effect.type) {
      case 'emitStarted':
        targets.emit(
          record,
          makeEvent(record, 'started', {
            pid: record.pid ?? 0,
            command: record.command,
            attempt: record.state.attemptCount,
          }),
        );
        return;
      case 'journalStarted':
        void targets.durability?.started(record);
        return;
      case 'armTimeout': {
        const fire = () => targets.stop(record, 'timeout');
        this.#timeouts.set(id, setLongTimeout(fire, effect.deadline - Date.now(), { unref: true }));
        return;
      }
      case 'clearTimeout':
        this.#timeouts.get(id)?.clear();
        this.#timeouts.delete(id);
        return;
      case 'terminate':
        void targets.drivers.get(id)?.terminate();
        return;
      case 'dequeue':
        targets.scheduler.remove(id);
        return;
      case 'settleUnstarted':
        targets.settleUnstarted(record);
        return;
      case 'keepResult': {
        targets.drivers.delete(id);
        const result = record.keepResult();
        targets.registry.markTerminal(record);
        if (effect.counted) targets.totals[result.status as TerminalStatus]++;
        return;
      }
      case 'journalTerminal':
        void targets.durability?.terminal(record);
        return;
      case 'terminalEvent': {
        const event = terminalEvent(record, record.result!);
        if (effect.replayOnly) record.log.addControl(event);
        else targets.emit(record, event);
        return;
      }
      case 'settleWaiters':
        targets.waiters.settle(record.result!);
        return;
      case 'releaseSlot':
        // Freed after the terminal event, so observers never see more than the limit running.
        targets.scheduler.release(id);
        return;
      case 'newOutput':
        targets.discardFiles(record.newOutput());
        return;
      case 'forgetDriver':
        targets.drivers.delete(id);
        return;
      case 'journalRetry':
        void targets.durability?.retrying(record);
        return;
      case 'emitRetrying':
        targets.emit(record, retryingEvent(record, effect.delayMs));
        return;
      case 'scheduleRetry': {
        const resubmit = () => {
          this.#retries.delete(id);
          targets.resubmit(record);
        };
        this.#retries.set(id, setLongTimeout(resubmit, effect.at - Date.now()));
        return;
      }
      case 'clearRetry':
        this.#retries.get(id)?.clear();
        this.#retries.delete(id);
        return;
    }
  }
}
