// A TCP proxy the tests can cut and restore, to take a database "away" and bring it back.
// reset() is cut() with new connections reset instead of refused.
// cut() closes every connection and stops listening (clients get "connection refused", as
// when a database server is down); restore() listens again on the same port. blackhole()
// closes every connection and then accepts new ones without ever answering (a server that
// hangs, or a network that drops packets): clients wait for their own timeouts.
import type { Socket, TCPSocketListener } from "bun";

type Side = { peer?: Socket<Side>; buffered: Uint8Array[] };

export async function startTcpProxy(targetHost: string, targetPort: number) {
  const open = new Set<Socket<Side>>();

  const listen = (port: number): TCPSocketListener<Side> =>
    Bun.listen<Side>({
      hostname: "127.0.0.1",
      port,
      socket: {
        async open(client) {
          client.data = { buffered: [] };
          if (resetting) return void client.terminate(); // down: every new connection reset at once
          open.add(client);
          if (silent) return; // accepted, never forwarded: what the client sends goes nowhere
          const upstream = await Bun.connect<Side>({
            hostname: targetHost,
            port: targetPort,
            data: { buffered: [], peer: client },
            socket: {
              data: (_s, chunk) => void client.write(chunk),
              close: () => client.terminate(),
              error: () => client.terminate(),
            },
          }).catch(() => null);
          if (!upstream) return void client.terminate();
          open.add(upstream);
          client.data.peer = upstream;
          for (const chunk of client.data.buffered) upstream.write(chunk);
        },
        data(client, chunk) {
          if (client.data.peer) client.data.peer.write(chunk);
          else client.data.buffered.push(new Uint8Array(chunk));
        },
        close(client) {
          client.data.peer?.terminate();
          open.delete(client);
        },
        error(client) {
          client.data.peer?.terminate();
        },
      },
    });

  let silent = false;
  let resetting = false;
  let server: TCPSocketListener<Side> | null = listen(0);
  const port = server.port;
  const cut = () => {
    server?.stop(true);
    server = null;
    for (const s of open) s.terminate();
    open.clear();
  };
  return {
    port,
    cut,
    restore: () => ((silent = false), (resetting = false), void (server ??= listen(port))),
    /**
     * The server down, as cut() makes it, except that new connections are reset instead of refused.
     * (Seen with cut(): now and then a pool reconnecting while nothing listens gets an ECONNREFUSED
     * that surfaces from node:net as an uncaught error in the test process, failing the test.)
     */
    reset: () => {
      resetting = true;
      for (const s of open) s.terminate();
      open.clear();
    },
    blackhole: () => {
      for (const s of open) s.terminate();
      open.clear();
      silent = true;
    },
    stop: cut,
  };
}
