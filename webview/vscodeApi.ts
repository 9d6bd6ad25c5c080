/**
 * The webview side of VS Code's messaging. `acquireVsCodeApi` may be called only once per page;
 * outside VS Code (a plain browser opening the bundle) a no-op stand-in keeps the page usable.
 */
import type { WebviewToExtension } from '../extension/protocol';

export interface HostApi {
  postMessage(msg: WebviewToExtension): void;
  getState(): unknown;
  setState(state: unknown): void;
}

interface VsCodeApi {
  postMessage(msg: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export function acquireHostApi(): HostApi {
  if (typeof acquireVsCodeApi === 'function') {
    const api = acquireVsCodeApi();
    return {
      postMessage: (m) => api.postMessage(m),
      getState: () => api.getState(),
      setState: (s) => api.setState(s),
    };
  }
  let state: unknown;
  return {
    postMessage: () => undefined,
    getState: () => state,
    setState: (s) => {
      state = s;
    },
  };
}
