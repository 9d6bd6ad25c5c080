/**
 * The URL that opens code-server's web workbench on a folder, with the extension under
 * development (and optionally a test entry) passed through the `payload` query parameter,
 * the mechanism VS Code's own browser integration tests use.
 */
export interface WorkbenchUrlOptions {
  /** http://127.0.0.1:PORT */
  baseUrl: string;
  /** Absolute folder to open, on the server's file system. */
  folder: string;
  /** Absolute path of the extension under development (the repo root). */
  extensionDevelopmentPath?: string;
  /** Absolute path of the compiled test entry exporting run(). */
  extensionTestsPath?: string;
}

export function workbenchUrl(options: WorkbenchUrlOptions): string {
  // The authority of vscode-remote URIs must be exactly the host:port the browser uses,
  // otherwise the workbench treats the path as belonging to another remote and ignores it.
  const authority = new URL(options.baseUrl).host;
  const remote = (absPath: string): string => `vscode-remote://${authority}${absPath}`;
  const payload: [string, string][] = [];
  if (options.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)]);
  if (options.extensionTestsPath) payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
  payload.push(['skipWelcome', 'true']);
  const query = `folder=${encodeURIComponent(options.folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return `${options.baseUrl}/?${query}`;
}
