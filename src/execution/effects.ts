/**
 * What a state transition implies, for the coordinator to carry out in the order given. The state
 * machine decides; it never performs I/O, emits, or touches timers, slots and waiters itself.
 */
export type Effect =
  /** Emit `started` (pid and command). */
  | { readonly type: 'emitStarted' }
  /** Record the spawned attempt (pid, start time) in the journal. */
  | { readonly type: 'journalStarted' }
  /** Fire the execution's timeout at `deadline` (epoch ms). */
  | { readonly type: 'armTimeout'; readonly deadline: number }
  /** Disarm the timeout. */
  | { readonly type: 'clearTimeout' }
  /** Terminate the process group of the running attempt. */
  | { readonly type: 'terminate' }
  /** Take the execution out of the admission queue. */
  | { readonly type: 'dequeue' }
  /** Stopped before it ever ran: settle it at once, with no process outcome. */
  | { readonly type: 'settleUnstarted' }
  /** The execution is terminal: build and keep its result (`counted` in the engine's totals). */
  | { readonly type: 'keepResult'; readonly counted: boolean }
  /** Record the terminal state in the journal. */
  | { readonly type: 'journalTerminal' }
  /** Emit the one terminal event (`replayOnly`: keep it for replay without emitting it). */
  | { readonly type: 'terminalEvent'; readonly replayOnly: boolean }
  /** Resolve everyone waiting for the result. */
  | { readonly type: 'settleWaiters' }
  /** Free the admission slot the execution held. */
  | { readonly type: 'releaseSlot' }
  /** A retry starts: collect its output afresh (earlier attempts' lines stay for replay). */
  | { readonly type: 'newOutput' }
  /** The attempt's driver is done (the execution waits for a retry). */
  | { readonly type: 'forgetDriver' }
  /** Record the ended attempt and when the next one may start in the journal (status `queued`). */
  | { readonly type: 'journalRetry' }
  /** Emit `retrying`: the next attempt, the delay, how the previous one ended. */
  | { readonly type: 'emitRetrying'; readonly delayMs: number }
  /** Hand the execution back to admission at `at` (epoch ms). */
  | { readonly type: 'scheduleRetry'; readonly at: number }
  /** Disarm the wait for a retry. */
  | { readonly type: 'clearRetry' };

/** The `type` of an {@link Effect}. */
export type EffectType = Effect['type'];
