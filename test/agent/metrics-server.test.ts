import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/agent-process';
import { startMetricsServer, type MetricsServer } from '../../src/agent/metrics-server';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function ask(port: number, method: string, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the metrics endpoint', () => {
  let port = 0;
  let server: MetricsServer;
  let scrapes = 0;
  beforeAll(async () => {
    port = await freePort();
    server = await startMetricsServer({
      address: '127.0.0.1',
      port,
      render: () => `# HELP x X.\n# TYPE x gauge\nx ${++scrapes}\n`,
    });
  });
  afterAll(() => server.close());

  it('serves GET /metrics in the text format 0.0.4, made anew at each scrape', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${port}/metrics`);
    const first = await ask(port, 'GET', '/metrics');
    expect(first.status).toBe(200);
    expect(first.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(first.body).toMatch(/^x \d+$/m);
    const second = await ask(port, 'GET', '/metrics?unused=1');
    expect(second.body).not.toBe(first.body);
  });

  it('answers HEAD with the headers and no body', async () => {
    const head = await ask(port, 'HEAD', '/metrics');
    expect(head.status).toBe(200);
    expect(head.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(Number(head.headers['content-length'])).toBeGreaterThan(0);
    expect(head.body).toBe('');
  });

  it('has nothing else: 404 for other paths, 405 for other methods', async () => {
    for (const path of ['/', '/metrics/', '/favicon.ico', '/../metrics']) {
      expect((await ask(port, 'GET', path)).status).toBe(404);
    }
    const post = await ask(port, 'POST', '/metrics');
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
    expect((await ask(port, 'DELETE', '/metrics')).status).toBe(405);
  });

  it('reads no request body: the answer comes before it, and the connection is closed', async () => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    const closed = new Promise((resolve) => socket.on('close', resolve));
    // A body of 100 MB is announced and never sent: answering needs none of it.
    socket.write(
      'POST /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000000\r\n\r\nabc',
    );
    await closed;
    expect(received).toMatch(/^HTTP\/1\.1 405 /);
    expect(received).toMatch(/\r\nConnection: close\r\n/i);
  });

  it('says why it cannot listen', async () => {
    await expect(
      startMetricsServer({ address: '127.0.0.1', port, render: () => '' }),
    ).rejects.toThrow(`metrics: cannot listen on 127.0.0.1:${port} (EADDRINUSE)`);
  });
});
