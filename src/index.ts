export type { GroupLimits } from './arguments/group-limits.js';
export type { AwsCliOptions } from './commands/builders.js';
export { awsCli, exec, script, shell } from './commands/builders.js';
export type {
  ConcurrencyLimitBehavior,
  ExecutionConfig,
  OversizedOutputStrategy,
  PartialExecutionConfig,
} from './config.js';
export { DEFAULT_CONFIG } from './config.js';
export { ExecutionEngine } from './engine.js';
export type { ExecutionErrorOptions } from './errors.js';
export {
  CommandFailedError,
  ConcurrencyLimitReachedError,
  EngineShutDownError,
  ExecutionCancelledError,
  ExecutionError,
  ExecutionExpiredError,
  ExecutionNotFoundError,
  ExecutionTimeoutError,
  InvalidConfigError,
  InvalidRequestError,
  isExecutionError,
  OutputSizeExceededError,
  PipelineFailedError,
  SpawnError,
  WaitTimeoutError,
} from './errors.js';
export type {
  BaseEvent,
  BatchedEvent,
  BatchedEventHandler,
  CancelledEvent,
  CompletedEvent,
  EngineEvents,
  EventHandler,
  ExecutionEvent,
  ExecutionEventType,
  FailedEvent,
  LinesMode,
  OutputEvent,
  OutputTruncatedEvent,
  ProgressEvent,
  QueuedEvent,
  RecoveredEvent,
  RetryingEvent,
  StartedEvent,
  StderrEvent,
  StdoutEvent,
  TerminalEvent,
  TimeoutEvent,
} from './events/event-types.js';
export { isTerminalEvent } from './events/event-types.js';
export { inspectJournal } from './inspect/inspect-journal.js';
export type {
  InspectedExecution,
  InspectedPipeline,
  InspectJournalOptions,
  JournalOwner,
  JournalView,
} from './inspect/inspect-types.js';
export type { FileJournalOptions } from './journal/file-journal.js';
export { FileJournal } from './journal/file-journal.js';
export { JournalLockedError, JournalNotOpenError, JournalWriteError } from './journal/journal-errors.js';
export type {
  ExecutionJournal,
  JournalExit,
  JournalFiles,
  JournalOption,
  JournalReadResult,
  JournalRecord,
  JournalRequest,
  PipelineRecoveryOutcome,
  RecoveryClassification,
  RecoveryReport,
  UnreadableRecord,
} from './journal/journal-types.js';
export type { ExecutionTraceContext } from './observe/trace-channel.js';
export { EXECUTION_CHANNEL } from './observe/trace-channel.js';
export type {
  PipelineEvent,
  PipelineListFilter,
  PipelineResult,
  PipelineSnapshot,
  PipelineSpec,
  PipelineStatus,
  PipelineStep,
  PipelineStepSnapshot,
  PipelineSummary,
  PipelineWaitOptions,
  StepContext,
  StepFailurePolicy,
  StepRequestFactory,
  StepStatus,
} from './pipeline/pipeline-types.js';
export type {
  ProgressOption,
  ProgressParser,
  ProgressPreset,
  ProgressUpdate,
} from './progress/progress-types.js';
export type {
  ScheduleHandle,
  ScheduleInfo,
  ScheduleOptions,
  ScheduleOverlap,
} from './schedule/schedule-types.js';
export type {
  AwsCliCommand,
  AwsCliOutput,
  CancelledResult,
  Command,
  CompletedResult,
  EngineStats,
  ExecCommand,
  ExecutionAttempt,
  ExecutionErrorCode,
  ExecutionErrorInfo,
  ExecutionMetadata,
  ExecutionRequest,
  ExecutionResult,
  ExecutionResultFields,
  ExecutionSnapshot,
  ExecutionSnapshotFields,
  ExecutionStatus,
  FailedResult,
  ListFilter,
  LiveExecutionSnapshot,
  LiveSnapshotFields,
  NonZeroExitResult,
  PipelineRef,
  QueuedSnapshot,
  RetryCondition,
  RetryOptions,
  RunningSnapshot,
  ScriptCommand,
  ShellCommand,
  ShutdownOptions,
  SpawnedCommand,
  SuccessfulResult,
  TerminalStatus,
  TimeoutResult,
  WaitOptions,
} from './types.js';
export { isTerminal } from './types.js';
