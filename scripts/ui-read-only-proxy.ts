/**
 * The Temporal UI of `npm start`, read-only. The CLI's dev server builds its UI's configuration in code and has
 * no flag for `disableWriteActions` (temporal 1.9.1: only --ui-codec-endpoint, --ui-port, --ui-ip,
 * --ui-public-path, --ui-asset-path), so `npm start` runs that UI on an internal loopback port and publishes
 * this proxy in its place. It applies the UI server's own rule for disableWriteActions (ui-server
 * server/route/api.go, DisableWriteMiddleware: GET passes, and POSTs of workflow queries; anything else is
 * 405) and answers /api/v1/settings with DisableWriteActions on, so the UI greys out its write buttons.
 * Written here rather than taken from a proxy library: it is one rule and one rewritten JSON document.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';

/** A workflow query, the one POST that changes nothing (the HTTP API's QueryWorkflow route). */
const WORKFLOW_QUERY = /^\/api\/v1\/namespaces\/[^/]+\/workflows\/[^/]+\/query\/[^/]+$/;

/** The ui-server's DisableWriteMiddleware rule, stricter on the query path: reads, and workflow queries. */
export function isReadOnlyUiRequest(method: string | undefined, pathname: string): boolean {
  if (method === 'GET' || method === 'HEAD') return true;
  return method === 'POST' && WORKFLOW_QUERY.test(pathname);
}

/** The UI's settings with every write action switched off. */
export function readOnlySettings(settings: Record<string, unknown>): Record<string, unknown> {
  return {
    ...settings,
    DisableWriteActions: true,
    WorkflowTerminateDisabled: true,
    WorkflowCancelDisabled: true,
    WorkflowSignalDisabled: true,
    WorkflowUpdateDisabled: true,
    WorkflowResetDisabled: true,
    BatchActionsDisabled: true,
    StartWorkflowDisabled: true,
  };
}

export interface ReadOnlyUiProxy {
  url: string;
  close(): Promise<void>;
}

const SETTINGS_PATH = '/api/v1/settings';

function collect(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

export async function startReadOnlyUiProxy(options: {
  host: string;
  port: number;
  target: { host: string; port: number };
}): Promise<ReadOnlyUiProxy> {
  const server: Server = createServer((req, res) => {
    // Judged and forwarded in the same normalised form, so that no "../" slips past the rule.
    const { pathname, search } = new URL(req.url ?? '/', 'http://ui');
    if (!isReadOnlyUiRequest(req.method, pathname)) {
      req.resume();
      res.writeHead(405, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({ message: 'Method Not Allowed: the Temporal UI of npm start is read-only (README, Security)' }),
      );
      return;
    }
    const isSettings = pathname === SETTINGS_PATH;
    const upstream = request(
      {
        host: options.target.host,
        port: options.target.port,
        method: req.method,
        path: `${pathname}${search}`,
        // The settings document is rewritten: ask for it uncompressed.
        headers: isSettings ? { ...req.headers, 'accept-encoding': 'identity' } : req.headers,
      },
      (answer) => {
        if (!isSettings || answer.statusCode !== 200) {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
          return;
        }
        collect(answer)
          .then((body) => {
            const rewritten = Buffer.from(JSON.stringify(readOnlySettings(JSON.parse(body.toString('utf8')))));
            res.writeHead(200, { ...answer.headers, 'content-length': String(rewritten.length) });
            res.end(rewritten);
          })
          .catch(() => {
            res.writeHead(502).end();
          });
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('the Temporal UI is not answering');
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  return {
    url: `http://localhost:${options.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
