/*
 * The floor of any proxy on this machine: a Node HTTP server that sends each request on to
 * Tempo with fetch() and answers Tempo's bytes — no auth, no checks, no parsing. bench:load
 * measures it beside Tempo direct and the backend, so that what a hop through one more Node
 * process costs on a loaded machine is told apart from what the backend itself adds.
 *
 *   node bench/load/bareProxy.ts <port> <tempo url>
 */
import { createServer } from 'node:http';

const [port, upstream] = process.argv.slice(2);

createServer(async (req, res) => {
  try {
    const answer = await fetch(upstream + req.url, {
      headers: { Accept: req.headers.accept ?? '*/*' },
    });
    const body = Buffer.from(await answer.arrayBuffer());
    res.writeHead(answer.status, {
      'Content-Type': answer.headers.get('content-type') ?? 'text/plain',
    });
    res.end(body);
  } catch (error) {
    res.writeHead(502).end(String(error));
  }
}).listen(Number(port), '127.0.0.1');
