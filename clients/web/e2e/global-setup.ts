import type { TestProject } from 'vitest/node';
import { distDir, servesApp, startPreview, startQuiverd } from './quiverd';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the browser opens the app. */
    appUrl: string;
    /** Where the tests call the API directly. */
    apiUrl: string;
    /** Whether quiverd served the app itself (else vite preview did). */
    quiverdServesApp: boolean;
    demoRows: number;
  }
}

const demoRows = Number(process.env.QUIVER_E2E_DEMO_ROWS ?? 2_000_000);

/** One quiverd with the demo dataset for every e2e file, serving the built app. */
export default async function setup(project: TestProject) {
  const server = await startQuiverd({ demoRows, webRoot: distDir });
  let preview: Awaited<ReturnType<typeof startPreview>> | null = null;
  const direct = await servesApp(server.url);
  if (!direct) preview = await startPreview(server.url);
  project.provide('appUrl', preview?.url ?? server.url);
  project.provide('apiUrl', server.url);
  project.provide('quiverdServesApp', direct);
  project.provide('demoRows', demoRows);
  console.log(
    `e2e: quiverd on ${server.url} with ${demoRows} demo rows; app from ${direct ? 'quiverd --web-root' : `vite preview ${preview?.url ?? ''} (quiverd does not serve static files yet)`}`,
  );
  return async () => {
    await preview?.stop();
    await server.stop();
  };
}
