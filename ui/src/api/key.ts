/** The API key for this browser session only (sessionStorage: gone when the tab closes). */
const STORAGE = 'deploy-orchestrator.api-key';

export const apiKey = {
  get: (): string | null => sessionStorage.getItem(STORAGE),
  set: (key: string): void => sessionStorage.setItem(STORAGE, key),
  clear: (): void => sessionStorage.removeItem(STORAGE),
};
