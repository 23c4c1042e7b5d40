/** The dashboard page: one self-contained HTML document. */
export function dashboardPage(): Response {
  return new Response('<!doctype html><title>execution-engine</title>', {
    status: 200,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' },
  });
}
