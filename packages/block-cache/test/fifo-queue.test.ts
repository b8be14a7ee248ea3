import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FifoQueue } from '../src/fifo-queue.js';

interface Item {
  ticket: number;
  id: number;
}

describe('FifoQueue', () => {
  it('behaves like an array with removal from the middle (model-based)', () => {
    const op = fc.oneof(
      fc.record({ t: fc.constant('push' as const), id: fc.nat(40) }),
      fc.record({ t: fc.constant('withdraw' as const), id: fc.nat(40) }),
      fc.record({ t: fc.constant('shift' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 3000 }), (ops) => {
        const queue = new FifoQueue<Item>();
        const items = new Map<number, Item>();
        const model: number[] = [];
        for (const o of ops) {
          if (o.t === 'push') {
            const item = items.get(o.id) ?? { ticket: 0, id: o.id };
            items.set(o.id, item);
            if (model.includes(o.id)) {
              expect(() => queue.push(item)).toThrow(/already queued/);
              continue;
            }
            queue.push(item);
            model.push(o.id);
          } else if (o.t === 'withdraw') {
            const at = model.indexOf(o.id);
            if (at < 0) continue;
            queue.withdraw(items.get(o.id) as Item);
            model.splice(at, 1);
          } else {
            expect(queue.shift()?.id).toBe(model.shift());
          }
          expect(queue.size).toBe(model.length);
        }
        const rest: number[] = [];
        for (let item = queue.shift(); item !== undefined; item = queue.shift()) rest.push(item.id);
        expect(rest).toEqual(model);
      }),
      { numRuns: 200 },
    );
  });

  it('does not accumulate withdrawn items that never reach the head', () => {
    const queue = new FifoQueue<Item>();
    const item = { ticket: 0, id: 1 };
    for (let i = 0; i < 100_000; i++) {
      queue.push(item);
      queue.withdraw(item);
    }
    // The arrays are private; their length shows in how much a shift of an empty queue has to skip.
    const internal = queue as unknown as { items: unknown[] };
    expect(internal.items.length).toBeLessThan(2048);
    expect(queue.shift()).toBeUndefined();
  });
});
