import lightMyRequest from 'light-my-request';
import type { InjectOptions, Response } from 'light-my-request';
import type { FastifyInstance } from 'fastify';

/**
 * `app.inject()` for jest. Fastify's own inject loads light-my-request 6.8, which requires the
 * ES-module-only cookie 2 with require(); jest's module runtime cannot, so the tests inject
 * through light-my-request 6.6 (pinned in devDependencies) into the same request handler.
 */
export async function inject(app: FastifyInstance, options: InjectOptions | string): Promise<Response> {
  await app.ready();
  return lightMyRequest((request, response) => app.routing(request, response), options);
}
