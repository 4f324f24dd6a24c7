/**
 * Randomized: random flows (approver nodes in all three modes, reject to initiator or previous,
 * an amount condition) and random action sequences, checked against a reference evaluator written
 * separately from the engine, straight from SPEC Appendix A.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { ApprovalMode, FlowNodeInput } from '@closeloop/contract';
import { act, actionableTasks, startInstance } from './engine.js';
import { context, directory, tree } from './fixtures.js';
import { EngineRefusal, type EngineState } from './types.js';

const POOL = ['p0', 'p1', 'p2', 'p3'];
const dir = directory([...POOL, 'init', 'admin'].map((id) => ({ id, role: 'manager' as const, dept: null })));

interface RefNode { id: string; users: string[]; mode: ApprovalMode; rejectPrevious: boolean }
interface FlowSpec { before: RefNode[]; big: RefNode[]; small: RefNode[]; after: RefNode[]; amount: number }
type Move = { who: number; what: 'approve' | 'reject' | 'withdraw' };

// ---- the reference evaluator ----------------------------------------------------------------------
class Reference {
  route: RefNode[];
  i = 0;
  status: 'running' | 'approved' | 'rejected' | 'cancelled' = 'running';
  pending: string[] = [];
  acted = false;
  constructor(spec: FlowSpec) {
    this.route = [...spec.before, ...(spec.amount > 1000 ? spec.big : spec.small), ...spec.after];
    this.enter(0);
  }
  enter(i: number) {
    this.i = i;
    this.acted = false;
    if (i >= this.route.length) { this.status = 'approved'; return; }
    this.pending = [...this.route[i]!.users];
  }
  /** Who may act now. */
  may(user: string): boolean {
    if (this.status !== 'running') return false;
    const n = this.route[this.i]!;
    return n.mode === 'sequential' ? this.pending[0] === user : this.pending.includes(user);
  }
  approve(user: string) {
    const n = this.route[this.i]!;
    this.acted = true;
    if (n.mode === 'any') return this.enter(this.i + 1);
    this.pending = this.pending.filter((u) => u !== user);
    if (!this.pending.length) this.enter(this.i + 1);
  }
  reject() {
    const n = this.route[this.i]!;
    if (n.rejectPrevious && this.i > 0) return this.enter(this.i - 1);
    this.status = 'rejected';
  }
  canWithdraw() { return this.status === 'running' && !this.acted; }
}

const arbNode = (id: string) => fc.record({
  id: fc.constant(id),
  users: fc.uniqueArray(fc.constantFrom(...POOL), { minLength: 1, maxLength: 3 }),
  mode: fc.constantFrom<ApprovalMode>('sequential', 'all', 'any'),
  rejectPrevious: fc.boolean(),
});
const arbNodes = (prefix: string, max: number) => fc.integer({ min: 0, max }).chain((k) =>
  fc.tuple(...Array.from({ length: k }, (_, j) => arbNode(`${prefix}${j}`))));
const arbSpec: fc.Arbitrary<FlowSpec> = fc.record({
  before: arbNodes('a', 2).map((x) => [...x]),
  big: arbNodes('b', 2).map((x) => [...x]),
  small: arbNodes('s', 2).map((x) => [...x]),
  after: arbNodes('z', 2).map((x) => [...x]),
  amount: fc.constantFrom(10, 1000, 1001, 5000),
}).filter((s) => s.before.length + s.after.length + Math.max(s.big.length, s.small.length) > 0);
const arbMoves = fc.array(fc.record({
  who: fc.integer({ min: 0, max: POOL.length - 1 }),
  what: fc.constantFrom<Move['what']>('approve', 'approve', 'approve', 'reject', 'withdraw'),
}), { maxLength: 40 });

function toNodes(spec: FlowSpec): FlowNodeInput[] {
  const approver = (n: RefNode): FlowNodeInput => ({
    id: n.id, name: n.id, kind: 'approver', approvers: [{ kind: 'users', userIds: n.users }], mode: n.mode,
    rejectTo: { kind: n.rejectPrevious ? 'previous' : 'initiator' },
  });
  return [
    ...spec.before.map(approver),
    {
      id: 'cond', name: 'amount', kind: 'condition', branches: [
        { id: 'big', name: '> 1000', conditions: [{ type: 'number', field: 'subject.amount', op: 'gt', value: 1000 }], nodes: spec.big.map(approver) },
        { id: 'else', name: 'else', isDefault: true, nodes: spec.small.map(approver) },
      ],
    },
    ...spec.after.map(approver),
  ];
}

describe('engine against the reference evaluator', () => {
  it('random flows and random actions', () => {
    fc.assert(fc.property(arbSpec, arbMoves, (spec, moves) => {
      const ctx = context(tree(toNodes(spec)), dir, { fields: { 'subject.amount': spec.amount } });
      const ref = new Reference(spec);
      const started = startInstance({ initiatorId: 'init', adminUserId: 'admin' }, ctx);
      let state: EngineState = started.state;
      let ends = started.outcome ? 1 : 0;
      // What the engine did and what the reference says should happen, step by step.
      const got: string[] = [];
      const want: string[] = [];
      const violations: string[] = [];
      const final = new Map<string, string>(); // task id → its terminal status and actedAt
      const check = () => {
        for (const t of state.tasks) {
          const now = `${t.status}@${t.actedAt}`;
          const prev = final.get(t.id);
          if (prev !== undefined && prev !== now) violations.push(`task ${t.id} changed after it ended: ${prev} → ${now}`);
          else if (prev === undefined && t.status !== 'running' && t.status !== 'waiting') final.set(t.id, now);
        }
      };
      check();
      for (const [k, m] of moves.entries()) {
        const user = POOL[m.who]!;
        if (m.what === 'withdraw') {
          want.push(`${k} withdraw ${ref.canWithdraw()}`);
          let did = true;
          try { const r = act(state, { kind: 'withdraw', actorId: 'init' }, ctx); state = r.state; if (r.outcome) ends++; } catch (e) {
            if (!(e instanceof EngineRefusal)) throw e;
            did = false;
          }
          got.push(`${k} withdraw ${did}`);
          if (did) ref.status = 'cancelled';
        } else {
          const mine = actionableTasks(state, user);
          const may = ref.may(user);
          want.push(`${k} ${user} may ${may}`);
          got.push(`${k} ${user} may ${mine.length > 0}`);
          const anyTask = mine[0] ?? state.tasks.find((t) => t.assigneeId === user) ?? state.tasks[0];
          if (anyTask) {
            let did = true;
            try {
              const r = m.what === 'approve'
                ? act(state, { kind: 'approve', taskId: anyTask.id, actorId: user }, ctx)
                : act(state, { kind: 'reject', taskId: anyTask.id, actorId: user, opinion: 'no' }, ctx);
              state = r.state;
              if (r.outcome) ends++;
            } catch (e) {
              if (!(e instanceof EngineRefusal)) throw e;
              did = false;
            }
            got.push(`${k} ${m.what} ${did}`);
            want.push(`${k} ${m.what} ${may}`);
            if (did && may) { if (m.what === 'approve') ref.approve(user); else ref.reject(); }
          }
        }
        check();
        got.push(`${k} status ${state.status}`);
        want.push(`${k} status ${ref.status}`);
      }
      expect(got).toEqual(want);
      expect(violations).toEqual([]);
      expect(ends).toBe(state.status === 'running' ? 0 : 1);
      const openAfterEnd = state.status !== 'running' && state.tasks.some((t) => t.status === 'running' || t.status === 'waiting');
      expect(openAfterEnd).toBe(false);
    }), { numRuns: 400 });
  });
});
