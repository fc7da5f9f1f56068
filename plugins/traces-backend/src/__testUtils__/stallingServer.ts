import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A real HTTP server on a free local port that answers every request with 200, the given
 * content type and the start of a body, then sends nothing more: msw's interceptor cannot
 * leave a response hanging mid-body and let the client abort it, a socket can.
 */
export async function startStallingServer(
  options: { contentType?: string; firstBytes?: string } = {},
): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => {
    res.writeHead(200, {
      'Content-Type': options.contentType ?? 'application/json',
    });
    res.write(options.firstBytes ?? '{"traces":[');
  });
  server.on('connection', socket => sockets.add(socket));
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close() {
      sockets.forEach(socket => socket.destroy());
      return new Promise(resolve => server.close(() => resolve()));
    },
  };
}
