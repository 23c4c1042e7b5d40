/** A node of the step graph: its key and the keys it depends on. */
export interface DagNode {
  key: string;
  dependsOn: readonly string[];
}

/**
 * A cycle of the graph as a path that comes back to its start (`['a', 'b', 'a']`), or `undefined`
 * when there is none. Every dependency must name a node. Depth-first, iterative (a long chain
 * cannot overflow the stack); the first cycle found, following the nodes in order.
 */
export function findCycle(nodes: readonly DagNode[]): string[] | undefined {
  const byKey = new Map(nodes.map((node) => [node.key, node]));
  /** 1: on the current path; 2: fully explored. */
  const state = new Map<string, 1 | 2>();
  for (const root of nodes) {
    if (state.has(root.key)) continue;
    const path: string[] = [root.key];
    const next: number[] = [0];
    state.set(root.key, 1);
    while (path.length > 0) {
      const key = path[path.length - 1]!;
      const deps = byKey.get(key)!.dependsOn;
      const index = next[next.length - 1]!;
      if (index >= deps.length) {
        state.set(key, 2);
        path.pop();
        next.pop();
        continue;
      }
      next[next.length - 1] = index + 1;
      const dep = deps[index]!;
      const seen = state.get(dep);
      if (seen === 1) {
        // The path from `dep` to here, then `dep` again: written in the order steps run.
        const cycle = path.slice(path.indexOf(dep));
        return [...cycle, dep].reverse();
      }
      if (seen === undefined) {
        state.set(dep, 1);
        path.push(dep);
        next.push(0);
      }
    }
  }
  return undefined;
}

/** The keys in an order where every step comes after its dependencies (the graph has no cycle). */
export function topologicalOrder(nodes: readonly DagNode[]): string[] {
  const waiting = new Map(nodes.map((node) => [node.key, node.dependsOn.length]));
  const dependents = dependentsOf(nodes);
  const ready = nodes.filter((node) => node.dependsOn.length === 0).map((node) => node.key);
  const order: string[] = [];
  for (let i = 0; i < ready.length; i++) {
    const key = ready[i]!;
    order.push(key);
    for (const dependent of dependents.get(key) ?? []) {
      const left = waiting.get(dependent)! - 1;
      waiting.set(dependent, left);
      if (left === 0) ready.push(dependent);
    }
  }
  return order;
}

/** For each key, the keys that depend on it directly. */
export function dependentsOf(nodes: readonly DagNode[]): Map<string, string[]> {
  const dependents = new Map<string, string[]>();
  for (const node of nodes) {
    for (const dep of node.dependsOn) {
      const list = dependents.get(dep);
      if (list === undefined) dependents.set(dep, [node.key]);
      else list.push(node.key);
    }
  }
  return dependents;
}
