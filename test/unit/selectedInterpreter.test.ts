/** Interpreter choice with and without the Python extension's API (faked only at its boundary). */
import * as assert from 'assert';
import { interpreterChoice, PythonEnvironmentsApi, selectedInterpreterPath } from '../../extension/host/selectedInterpreter';

function fakeApi(active: string | undefined, executable: string | undefined, fail = false): PythonEnvironmentsApi {
  return {
    getActiveEnvironmentPath: () => {
      if (fail) throw new Error('extension still loading');
      return { path: active ?? '' };
    },
    resolveEnvironment: async (env) => {
      const p = typeof env === 'string' ? env : env.path;
      return p === active && executable ? { executable: { uri: { fsPath: executable } } } : undefined;
    },
  };
}

describe('interpreter choice', () => {
  it('reads the executable of the environment selected in the Python extension', async () => {
    assert.strictEqual(await selectedInterpreterPath(fakeApi('/venv', '/venv/bin/python')), '/venv/bin/python');
  });

  it('has no selection without the API, without an active environment, or when it cannot resolve', async () => {
    assert.strictEqual(await selectedInterpreterPath(undefined), undefined);
    assert.strictEqual(await selectedInterpreterPath(fakeApi(undefined, undefined)), undefined);
    assert.strictEqual(await selectedInterpreterPath(fakeApi('/venv', undefined)), undefined);
    assert.strictEqual(await selectedInterpreterPath(fakeApi('/venv', '/venv/bin/python', true)), undefined);
  });

  it('prefers the Python extension, then the setting, then PATH', () => {
    assert.deepStrictEqual(interpreterChoice('/venv/bin/python', '/opt/py', true), { path: '/venv/bin/python', origin: 'python-extension' });
    assert.deepStrictEqual(interpreterChoice(undefined, ' /opt/py ', true), { path: '/opt/py', origin: 'setting' });
    assert.deepStrictEqual(interpreterChoice(undefined, '', true), { path: undefined, origin: 'path' });
  });

  it('ignores a selection that an untrusted workspace may have made', () => {
    assert.deepStrictEqual(interpreterChoice('/workspace/evil/python', undefined, false), { path: undefined, origin: 'path' });
    assert.deepStrictEqual(interpreterChoice('/workspace/evil/python', '/usr/bin/python3', false), { path: '/usr/bin/python3', origin: 'setting' });
  });
});
