import { AdapterMessage } from '../contract';

/**
 * The messages with their checkpoints passed on only once `every` records (or deletions) came since the
 * last one passed on. The engine saves the whole state at each checkpoint, in a transaction of its own;
 * one with next to nothing before it (each phase of a delta read of a few changes) costs that and saves
 * no work on resuming: resuming from an earlier checkpoint reads a little more again, nothing is lost.
 * The caller yields its last checkpoint itself, after these.
 */
export async function* pacedCheckpoints(messages: AsyncIterable<AdapterMessage>, every: number): AsyncGenerator<AdapterMessage> {
  let since = 0;
  for await (const message of messages) {
    if (message.type === 'checkpoint') {
      if (since < every) continue;
      since = 0;
    } else if (message.type === 'record' || message.type === 'deleted') {
      since++;
    }
    yield message;
  }
}
