import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { AppEnv } from '../config/app-env.js';
import { APP_ENV } from '../tokens.js';
import { markInternal } from './listener.js';

/**
 * The second HTTP server, over the same Fastify instance as the public one (its router, hooks and
 * body parsers): one set of providers (configuration versions, Redis, screen-pop streams) serves
 * both, and each request is marked with the listener that accepted it for ListenerGuard to route.
 */
@Injectable()
export class InternalListener implements BeforeApplicationShutdown {
  private http: Server | null = null;

  constructor(
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
    @Inject(APP_ENV) private readonly env: AppEnv,
  ) {}

  /** The server (not listening until `listen`); tests hand it to supertest. */
  get server(): Server {
    if (!this.http) {
      const fastify = this.adapterHost.httpAdapter.getInstance<{ routing(req: IncomingMessage, res: ServerResponse): void }>();
      this.http = createServer((req, res) => {
        markInternal(req);
        fastify.routing(req, res);
      });
    }
    return this.http;
  }

  /** Listens on INTERNAL_HOST:INTERNAL_PORT (127.0.0.1:3001 by default); resolves with the address bound. */
  listen(port = this.env.internal.port, host = this.env.internal.host): Promise<AddressInfo> {
    const server = this.server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.removeListener('error', reject);
        resolve(server.address() as AddressInfo);
      });
    });
  }

  /** After the event streams were ended (onModuleDestroy), before the public server closes. */
  async beforeApplicationShutdown(): Promise<void> {
    const server = this.http;
    if (!server?.listening) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }
}
