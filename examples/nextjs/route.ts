/**
 * The engine's HTTP API as Next.js route handlers (App Router). Copy this file to
 * `app/api/engine/[[...path]]/route.ts`; the dashboard is then at `/api/engine/` and the API under
 * it. Set `ENGINE_TOKEN` in the environment (32 random bytes, base64url).
 *
 * Route handlers run in the Node.js runtime here (the engine spawns processes), and the engine
 * lives for the server's lifetime: one per process, kept on `globalThis` so that development
 * reloads do not start a second one.
 */
import { ExecutionEngine } from 'execution-engine';
import { createHttpHandler } from 'execution-engine/http';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

const shared = globalThis as { executionEngine?: ExecutionEngine };
shared.executionEngine ??= new ExecutionEngine();
const engine = shared.executionEngine;
const handler = createHttpHandler(engine, {
  basePath: '/api/engine',
  token: process.env.ENGINE_TOKEN,
});

export const GET = (request: Request) => handler(request);
export const POST = (request: Request) => handler(request);
export const DELETE = (request: Request) => handler(request);
