import { ExecutionNotFoundError } from '../errors.js';
import type { AnyEngine, Principal } from './http-options.js';

/** Executions (and pipelines) whose group is remembered; the oldest is forgotten past this. */
const MAX_REMEMBERED = 10_000;

function rememberIn(map: Map<string, string | undefined>, id: string, group: string | undefined): void {
  map.delete(id);
  map.set(id, group);
  if (map.size > MAX_REMEMBERED) map.delete(map.keys().next().value as string);
}

/**
 * Scopes tenants (principals with a `group`) to their group's executions and pipelines: another
 * group's id answers 404 as if it did not exist. A pipeline's group is the one every step's
 * request names (`PipelineSnapshot.group`). Groups are remembered per id (bounded), so checking a
 * stream's or a live event's execution does not build a snapshot each time.
 */
export class Tenancy {
  readonly #engine: AnyEngine;
  readonly #groups = new Map<string, string | undefined>();
  readonly #pipelineGroups = new Map<string, string | undefined>();

  constructor(engine: AnyEngine) {
    this.#engine = engine;
  }

  /** Notes the group of an execution created through this handler. */
  remember(id: string, group: string | undefined): void {
    rememberIn(this.#groups, id, group);
  }

  /** Forgets a removed execution. */
  forget(id: string): void {
    this.#groups.delete(id);
  }

  /** The group of execution `id`. @throws ExecutionNotFoundError */
  groupOf(id: string): string | undefined {
    if (this.#groups.has(id)) return this.#groups.get(id);
    const { group } = this.#engine.getExecution(id);
    this.remember(id, group);
    return group;
  }

  /** True when `principal` may see execution `id` (false for an unknown id). */
  sees(principal: Principal, id: string): boolean {
    if (principal.group === undefined) return true;
    try {
      return this.groupOf(id) === principal.group;
    } catch {
      return false;
    }
  }

  /** @throws ExecutionNotFoundError when `principal` may not see execution `id`, or it does not exist. */
  check(principal: Principal, id: string): void {
    if (!this.sees(principal, id)) throw new ExecutionNotFoundError(id);
  }

  /** Notes the group of a pipeline started through this handler. */
  rememberPipeline(id: string, group: string | undefined): void {
    rememberIn(this.#pipelineGroups, id, group);
  }

  /** True when `principal` may see pipeline `id` (false for an unknown id). */
  seesPipeline(principal: Principal, id: string): boolean {
    if (principal.group === undefined) return true;
    try {
      if (!this.#pipelineGroups.has(id))
        rememberIn(this.#pipelineGroups, id, this.#engine.getPipeline(id).group);
      return this.#pipelineGroups.get(id) === principal.group;
    } catch {
      return false;
    }
  }

  /** @throws ExecutionNotFoundError when `principal` may not see pipeline `id`, or it does not exist. */
  checkPipeline(principal: Principal, id: string): void {
    if (!this.seesPipeline(principal, id)) throw new ExecutionNotFoundError(id);
  }
}
