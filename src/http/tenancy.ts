import { ExecutionNotFoundError } from '../errors.js';
import type { AnyEngine, Principal } from './http-options.js';

/** Executions whose group is remembered; the oldest is forgotten past this. */
const MAX_REMEMBERED = 10_000;

/**
 * Scopes tenants (principals with a `group`) to their group's executions: another group's id
 * answers 404 as if it did not exist. Groups are remembered per id (bounded), so checking a
 * stream's or a live event's execution does not build a snapshot each time.
 */
export class Tenancy {
  readonly #engine: AnyEngine;
  readonly #groups = new Map<string, string | undefined>();

  constructor(engine: AnyEngine) {
    this.#engine = engine;
  }

  /** Notes the group of an execution created through this handler. */
  remember(id: string, group: string | undefined): void {
    this.#groups.delete(id);
    this.#groups.set(id, group);
    if (this.#groups.size > MAX_REMEMBERED) {
      this.#groups.delete(this.#groups.keys().next().value as string);
    }
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
}
