/**
 * Installs code-server (= the VS Code server + web workbench) from the npm registry into
 * .vscode-test/code-server-<version>/, offline apart from the registry. Idempotent: an install whose
 * `--version` answers is reused.
 *
 * Three workarounds are needed (see /work/shared/reference/vscode-offline/README.md):
 *  1. @vscode/ripgrep's postinstall downloads `rg` from GitHub: we seed its download cache with
 *     Debian's /usr/bin/rg under the exact file name it looks for.
 *  2. npm_config_unsafe_perm=true: code-server's postinstall refuses to run as root otherwise.
 *  3. npm_config_yes=true: node-pty's post-install runs `npx node-gyp`, which would prompt.
 */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {
  CODE_SERVER_DIR,
  CODE_SERVER_ENTRY,
  CODE_SERVER_VERSION,
  SCRATCH_DIR,
  VSCODE_TEST_DIR,
  scratchEnv,
} from './paths';
import { HarnessError, step, tail } from './log';
import { isAlive } from './processTree';

/** @vscode/ripgrep version pulled in by code-server 4.100.3, and the rg release it downloads. */
const RIPGREP_PKG_VERSION = '1.15.11';
const RIPGREP_RELEASE = 'v13.0.0-10';
const RG_PATH = process.env.PCB_RG || '/usr/bin/rg';
const INSTALL_LOG = path.join(VSCODE_TEST_DIR, `code-server-${CODE_SERVER_VERSION}-install.log`);
const LOCK_DIR = `${CODE_SERVER_DIR}.install-lock`;
const INSTALL_TIMEOUT_MS = 15 * 60_000;

/** `node entry.js --version` of the installed copy, or null when it is missing or broken. */
export function installedVersion(): string | null {
  if (!fs.existsSync(CODE_SERVER_ENTRY)) return null;
  const result = spawnSync(process.execPath, [CODE_SERVER_ENTRY, '--version'], {
    encoding: 'utf8',
    timeout: 60_000,
    env: scratchEnv(),
  });
  if (result.status !== 0) return null;
  // Output ends with a line like "4.100.3 <commit> with Code 1.100.3".
  const line = result.stdout.trim().split('\n').pop() ?? '';
  return line.startsWith(CODE_SERVER_VERSION) ? line : null;
}

/** Ensure code-server is installed; returns the path of its entry.js. */
export async function ensureCodeServer(): Promise<string> {
  const existing = installedVersion();
  if (existing) {
    step(`code-server already installed: ${existing}`);
    return CODE_SERVER_ENTRY;
  }
  const release = await acquireLock();
  try {
    // Another harness may have finished the install while we waited for the lock.
    const raced = installedVersion();
    if (raced) return CODE_SERVER_ENTRY;
    preflight();
    await install();
    const version = installedVersion();
    if (!version) {
      throw new HarnessError(
        `code-server was installed into ${CODE_SERVER_DIR} but \`node ${CODE_SERVER_ENTRY} --version\` does not work.\n` +
          `Install log: ${INSTALL_LOG}`,
      );
    }
    step(`code-server installed: ${version}`);
    return CODE_SERVER_ENTRY;
  } finally {
    release();
  }
}

/** Fail early, with the apt command to run, instead of deep inside an npm postinstall. */
function preflight(): void {
  const major = Number(process.versions.node.split('.')[0]);
  if (major !== 20) {
    step(`warning: code-server ${CODE_SERVER_VERSION} declares engines.node 20; this is Node ${process.versions.node}`);
  }
  if (!fs.existsSync(RG_PATH)) {
    throw new HarnessError(`ripgrep not found at ${RG_PATH} (needed to seed @vscode/ripgrep offline): apt-get install -y ripgrep (or set PCB_RG)`);
  }
  const krb = spawnSync('pkg-config', ['--exists', 'krb5-gssapi'], { stdio: 'ignore' });
  if (krb.error || krb.status !== 0) {
    throw new HarnessError(
      "code-server's kerberos native module needs the GSSAPI headers and pkg-config: apt-get install -y libkrb5-dev pkg-config",
    );
  }
  const tar = spawnSync('tar', ['--version'], { stdio: 'ignore' });
  if (tar.error) throw new HarnessError('tar not found (needed to seed the ripgrep cache): apt-get install -y tar');
}

function ripgrepTarget(): string {
  switch (process.arch) {
    case 'x64':
      return 'x86_64-unknown-linux-musl';
    case 'arm64':
      return 'aarch64-unknown-linux-musl';
    default:
      throw new HarnessError(`No known @vscode/ripgrep asset for ${process.platform}/${process.arch}`);
  }
}

/**
 * @vscode/ripgrep looks in `${os.tmpdir()}/vscode-ripgrep-cache-<pkg version>/` for
 * `ripgrep-<release>-<target>.tar.gz` before downloading; the name must match exactly.
 */
function seedRipgrepCache(env: NodeJS.ProcessEnv): void {
  const cacheDir = path.join(env.TMPDIR!, `vscode-ripgrep-cache-${RIPGREP_PKG_VERSION}`);
  const tarball = path.join(cacheDir, `ripgrep-${RIPGREP_RELEASE}-${ripgrepTarget()}.tar.gz`);
  if (fs.existsSync(tarball)) return;
  fs.mkdirSync(cacheDir, { recursive: true });
  const staging = fs.mkdtempSync(path.join(SCRATCH_DIR, 'rg-'));
  try {
    fs.copyFileSync(RG_PATH, path.join(staging, 'rg'));
    fs.chmodSync(path.join(staging, 'rg'), 0o755);
    const result = spawnSync('tar', ['czf', tarball, '-C', staging, 'rg'], { encoding: 'utf8' });
    if (result.status !== 0) throw new HarnessError(`Could not create ${tarball}: ${result.stderr}`);
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

async function install(): Promise<void> {
  const env: NodeJS.ProcessEnv = {
    ...scratchEnv(),
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  };
  seedRipgrepCache(env);
  // A broken previous attempt (interrupted install) is removed rather than patched.
  fs.rmSync(path.join(CODE_SERVER_DIR, 'node_modules'), { recursive: true, force: true });
  fs.mkdirSync(CODE_SERVER_DIR, { recursive: true });
  // Our own package.json makes this folder npm's prefix, so npm never touches the project's.
  fs.writeFileSync(
    path.join(CODE_SERVER_DIR, 'package.json'),
    JSON.stringify({ name: 'pcb-code-server', private: true, description: 'installed by test/harness' }, null, 2) + '\n',
  );
  const args = ['install', '--no-audit', '--no-fund', '--foreground-scripts', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`];
  step(`installing code-server ${CODE_SERVER_VERSION} into ${CODE_SERVER_DIR} (about 35 s; log: ${INSTALL_LOG})`);
  const log = fs.openSync(INSTALL_LOG, 'w');
  try {
    const code = await new Promise<number | string>((resolve, reject) => {
      const child = spawn('npm', args, { cwd: CODE_SERVER_DIR, env, stdio: ['ignore', log, log] });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve(`timed out after ${INSTALL_TIMEOUT_MS / 60_000} min`);
      }, INSTALL_TIMEOUT_MS);
      child.on('error', (err) => {
        clearTimeout(timer);
        reject(new HarnessError(`Could not run npm: ${err.message}`));
      });
      child.on('exit', (status, signal) => {
        clearTimeout(timer);
        resolve(status ?? `killed by ${signal}`);
      });
    });
    if (code !== 0) {
      const text = fs.readFileSync(INSTALL_LOG, 'utf8');
      throw new HarnessError(
        `npm install code-server@${CODE_SERVER_VERSION} failed (${code}). Last lines of ${INSTALL_LOG}:\n${tail(text)}\n` +
          'Hints: the npm registry must be reachable; "ENOTFOUND github.com" means the ripgrep cache seed was not used; ' +
          '"gssapi" errors need `apt-get install -y libkrb5-dev pkg-config`.',
      );
    }
  } finally {
    fs.closeSync(log);
  }
}

/**
 * An atomic mkdir lock so two harnesses started at once do not install over each other.
 * A lock whose owner pid is dead is stale and taken over.
 */
async function acquireLock(): Promise<() => void> {
  fs.mkdirSync(VSCODE_TEST_DIR, { recursive: true });
  const deadline = Date.now() + INSTALL_TIMEOUT_MS;
  const ownerFile = path.join(LOCK_DIR, 'pid');
  let announced = false;
  for (;;) {
    try {
      fs.mkdirSync(LOCK_DIR);
      fs.writeFileSync(ownerFile, String(process.pid));
      return () => fs.rmSync(LOCK_DIR, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = Number(readOr(ownerFile, '0'));
    if (!owner || !isAlive(owner)) {
      // Owner died (or had not written its pid yet: give it a moment before calling it stale).
      await new Promise((resolve) => setTimeout(resolve, 500));
      if (Number(readOr(ownerFile, '0')) === owner) fs.rmSync(LOCK_DIR, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) throw new HarnessError(`Timed out waiting for the install lock ${LOCK_DIR} held by pid ${owner}`);
    if (!announced) step(`another harness (pid ${owner}) is installing code-server; waiting for it`);
    announced = true;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return fallback;
  }
}
