import type { LoadedFlow } from '../flows/flow-loader.js';
import type { StepNode } from '../flows/flow-stepper.js';
import type { Facts } from '../profile/facts.js';

/**
 * The memoised flow node a stored call is at, so that moving it on reuses the steps earlier
 * calls took instead of asking XState again (each XState `transition()` builds a throwaway actor,
 * which is most of the cost of a webhook). Keyed like FlowStepper's memo: the facts the flow's
 * guards read, the state value and the context without the facts. A miss is only slower.
 */
export class FlowNodeCache {
  private readonly nodes = new Map<string, StepNode>();

  constructor(private readonly maxNodes = 100_000) {}

  /** Key of a persisted snapshot (value and context as stored). */
  key(flow: LoadedFlow, facts: Facts, persisted: { value?: unknown; context?: Record<string, unknown> }): string {
    let k = flow.id + '\u0000';
    for (const f of flow.guardFacts) k += JSON.stringify(facts[f] ?? null) + '|';
    const { facts: _facts, ...rest } = persisted.context ?? {};
    return k + JSON.stringify([persisted.value, rest]);
  }

  get(key: string): StepNode | undefined {
    return this.nodes.get(key);
  }

  remember(key: string, node: StepNode): void {
    if (this.nodes.has(key)) return;
    if (this.nodes.size >= this.maxNodes) this.nodes.clear();
    this.nodes.set(key, node);
  }
}
