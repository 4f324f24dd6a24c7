/** What the global setup hands to the browser tests: where the server is and who is seeded. */
export const CHROMIUM = '/usr/bin/chromium';

export interface SeededUser { username: string; password: string; displayName: string }

export interface E2eEnv {
  /** Empty when the suite is skipped (no Chromium). */
  baseUrl: string;
  admin: SeededUser;
  agent: SeededUser;
  handler: SeededUser;
  customerA: SeededUser & { customerName: string; ticketTitle: string };
  customerB: SeededUser & { customerName: string; ticketTitle: string; ticketId: string };
  categoryName: string;
  resultsDir: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    e2e: E2eEnv | null;
  }
}
