/**
 * A first-in first-out queue whose items can be withdrawn from the middle in O(1): a withdrawn item
 * is skipped when it reaches the head. S3-FIFO's queues are these; a `Map` used as a queue (delete at
 * the head, insert at the tail) leaves deleted slots that every walk from its head must step over.
 * @module
 */

/** An item a {@link FifoQueue} can hold: the queue stamps it with the ticket of its current slot. */
export interface Queued {
  /** The ticket of the slot holding this item, or 0 when it is in no queue. */
  ticket: number;
}

let nextTicket = 1;

/** See the module description. Items are objects; each is in at most one slot of one queue at a time. */
export class FifoQueue<T extends Queued> {
  private items: T[] = [];
  private tickets: number[] = [];
  private head = 0;
  /** Items in the queue (withdrawn ones excluded). */
  size = 0;

  /** Appends `item` at the tail (withdrawing it from wherever it was first). */
  push(item: T): void {
    if (item.ticket !== 0) throw new Error('FifoQueue: item is already queued');
    const ticket = nextTicket++;
    item.ticket = ticket;
    this.items.push(item);
    this.tickets.push(ticket);
    this.size++;
    // Withdrawn items that never reached the head (keys set again and again) must not pile up.
    if (this.items.length - this.head > 2 * this.size + 1024) this.dropWithdrawn();
  }

  /** Removes `item` from this queue (it must be in it). */
  withdraw(item: T): void {
    item.ticket = 0;
    this.size--;
  }

  /** Removes and returns the oldest item, or undefined when the queue is empty. */
  shift(): T | undefined {
    const items = this.items;
    const tickets = this.tickets;
    while (this.head < items.length) {
      const i = this.head++;
      const item = items[i];
      const live = item.ticket === tickets[i];
      (items as (T | undefined)[])[i] = undefined;
      if (live) {
        item.ticket = 0;
        this.size--;
        this.compact();
        return item;
      }
    }
    this.compact();
    return undefined;
  }

  /** Empties the queue. */
  clear(): void {
    for (let i = this.head; i < this.items.length; i++) {
      const item = this.items[i];
      if (item !== undefined && item.ticket === this.tickets[i]) item.ticket = 0;
    }
    this.items = [];
    this.tickets = [];
    this.head = 0;
    this.size = 0;
  }

  /** Rebuilds the arrays from the live items, in order. */
  private dropWithdrawn(): void {
    const items: T[] = [];
    const tickets: number[] = [];
    for (let i = this.head; i < this.items.length; i++) {
      const item = this.items[i];
      if (item.ticket === this.tickets[i]) {
        items.push(item);
        tickets.push(this.tickets[i]);
      }
    }
    this.items = items;
    this.tickets = tickets;
    this.head = 0;
  }

  /** Drops the consumed prefix once it is most of the arrays (amortised O(1) per item). */
  private compact(): void {
    if (this.head < 1024 || this.head * 2 < this.items.length) return;
    this.items = this.items.slice(this.head);
    this.tickets = this.tickets.slice(this.head);
    this.head = 0;
  }
}
