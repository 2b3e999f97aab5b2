/** Request logs: lean at info (no headers, no token), full at debug with the token redacted. */
import { Writable } from 'node:stream';
import { createServer, request as httpRequest, type Server } from 'node:http';
import pinoHttp from 'pino-http';
import { requestLogOptions } from './request-logging';

async function logOneRequest(level: string): Promise<Record<string, unknown>> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = pinoHttp(requestLogOptions(level), sink);
  const server: Server = createServer((req, res) => {
    logger(req, res);
    res.setHeader('x-secret-header', 'leak');
    res.end('ok');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve, reject) => {
    const req = httpRequest(
      {
        port,
        host: '127.0.0.1',
        path: '/plans/dh/BPTT?x=1',
        headers: { authorization: 'Bearer eyJ.secret.sig', cookie: 'c=1' },
      },
      (res) => res.resume().on('end', resolve),
    );
    req.on('error', reject);
    req.end();
  });
  await new Promise((resolve) => server.close(resolve));
  await new Promise((resolve) => setImmediate(resolve));
  const completed = lines
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .find((l) => l.msg === 'request completed');
  if (!completed) throw new Error(`no request log line in ${lines.join('')}`);
  return completed;
}

describe('request logs', () => {
  it('at info: method, path, status and request id only', async () => {
    const line = await logOneRequest('info');
    expect(line.req).toEqual({ id: expect.any(String), method: 'GET', url: '/plans/dh/BPTT?x=1' });
    expect(line.res).toEqual({ statusCode: 200 });
    expect(JSON.stringify(line)).not.toMatch(/secret|cookie|leak/);
  });

  it('at debug: headers too, with the bearer token redacted', async () => {
    const line = (await logOneRequest('debug')) as { req: { headers: Record<string, string> } };
    expect(line.req.headers.cookie).toBe('c=1');
    expect(line.req.headers.authorization).toBe('[Redacted]');
  });
});
