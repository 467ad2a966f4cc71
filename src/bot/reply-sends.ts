// An update's replies are sent after its turn (issue 19). A reply may wait for a send slot (a
// chat's 1 s interval, a 429 pause: pacer.ts); that wait must not hold one of the workers'
// CONCURRENCY slots, or a handful of such chats stalls everyone. So the update's turn ends at its
// commit, its send runs here, and its chat's next update (polling: chat-queues.ts; webhook:
// webhook.ts) starts once the send is over: one chat's replies stay in order and a chat's next
// update still sees its previous replies out, while other chats take the slot meanwhile.
import { log } from "../log.ts";

export class ReplySends {
  private byUpdate = new Map<number, Promise<void>>();

  /**
   * Starts an update's send. It never rejects: a send that failed in a way sendReplies did not
   * handle (the database away while it hands replies to the outbox) is logged and `onFail` runs;
   * the replies stay in the outbox, which sends them when their hold ends.
   */
  start(updateId: number, send: () => Promise<void>, onFail: () => void): void {
    const sending = send().catch((err) => {
      log.warn("replies not sent now; the outbox delivery will send them", { updateId, err: err as Error });
      onFail();
    });
    this.byUpdate.set(updateId, sending);
  }

  /** The update's send (resolves when it is over), or undefined when it has none; forgets it. */
  take(updateId: number): Promise<void> | undefined {
    const sending = this.byUpdate.get(updateId);
    this.byUpdate.delete(updateId);
    return sending;
  }
}
