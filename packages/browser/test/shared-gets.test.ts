// The shared-memory get path, both ends on one Node thread: answers in the buffer, values too large
// for it and errors by ordinary reply, and a request made before a message answered before it.
import { VelocityError } from '@velocity/core';
import { describe, expect, it } from 'vitest';
import { SharedGetsClient } from '../src/client/shared-gets-client.js';
import type { Reply } from '../src/protocol.js';
import { SHARED_BYTES } from '../src/shared-gets.js';
import { SharedGetsServer } from '../src/worker/shared-gets-server.js';

const text = new TextEncoder();

function pair(getSync: (key: Uint8Array) => Uint8Array | undefined) {
  const client = new SharedGetsClient();
  const replies: Reply[] = [];
  const keys: string[] = [];
  const server = new SharedGetsServer(
    client.buffer,
    {
      getSync(key) {
        keys.push(new TextDecoder().decode(key));
        return getSync(key);
      },
    },
    (reply) => replies.push(reply),
  );
  return { client, server, replies, keys };
}

describe('shared-memory gets', () => {
  it('answers found and absent keys in the buffer', async () => {
    const { client, server } = pair((key) => (key[0] === 0x61 ? text.encode('apple') : undefined));
    server.start();
    expect(client.send(1, 'a')).toBe(true);
    const found = await client.answer(1);
    expect(found !== 'by-message' && new TextDecoder().decode(found.value)).toBe('apple');
    expect(client.send(2, new Uint8Array([0x62]))).toBe(true);
    expect(await client.answer(2)).toEqual({ value: undefined });
    server.stop();
  });

  it('sends values larger than the buffer and errors as ordinary replies', async () => {
    const big = new Uint8Array(SHARED_BYTES);
    const { client, server, replies } = pair((key) => {
      if (key[0] === 0x62) return big;
      throw new VelocityError('CORRUPTION', 'bad block');
    });
    server.start();
    client.send(1, 'b');
    expect(await client.answer(1)).toBe('by-message');
    client.send(2, 'c');
    expect(await client.answer(2)).toBe('by-message');
    expect(replies[0]).toMatchObject({ id: 1, ok: true });
    expect((replies[0] as { value: Uint8Array }).value.length).toBe(SHARED_BYTES);
    expect(replies[1]).toMatchObject({ id: 2, ok: false, error: { code: 'CORRUPTION' } });
    server.stop();
  });

  it('refuses keys that cannot go through the buffer', () => {
    const { client } = pair(() => undefined);
    expect(client.send(1, '')).toBe(false);
    expect(client.send(2, new Uint8Array(0))).toBe(false);
    expect(client.send(3, 'x'.repeat(SHARED_BYTES))).toBe(false);
    expect(client.send(4, 42 as unknown as string)).toBe(false);
    expect(client.send(2 ** 31, 'a')).toBe(false); // ids cross as Int32s
  });

  it('answers a pending request before the calls of a message posted after it', async () => {
    const { client, server, keys } = pair(() => undefined);
    client.send(7, 'first'); // the server has not started listening: only the message handler sees it
    client.posted();
    server.beforeMessage();
    expect(keys).toEqual(['first']);
    expect(await client.answer(7)).toEqual({ value: undefined });
    server.stop();
  });
});
