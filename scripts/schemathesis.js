#!/usr/bin/env node
/*
 * Installs the pinned schemathesis (the OpenAPI fuzzer the e2e group runs against the served API) from PyPI
 * into a virtual environment in the git-ignored folder .tools/schemathesis, and finds it again.
 *
 *   node scripts/schemathesis.js install   install when missing (idempotent); exit 1 when it cannot
 *   node scripts/schemathesis.js path      print the executable's path; exit 1 when not installed
 *
 * Plain CommonJS, like temporal-binaries.js: it runs before TypeScript is built (from .ci/run).
 */
'use strict';

const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const PROJECT_ROOT = path.resolve(__dirname, '..');
const VERSION = '4.32.5';
const VENV = path.join(PROJECT_ROOT, '.tools', 'schemathesis');
const EXECUTABLE = path.join(VENV, 'bin', 'st');

function installedVersion() {
  if (!fs.existsSync(EXECUTABLE)) return undefined;
  try {
    return execFileSync(EXECUTABLE, ['--version'], { encoding: 'utf8', timeout: 60000 }).trim();
  } catch {
    return undefined;
  }
}

function findPython() {
  for (const candidate of ['python3', 'python']) {
    if (spawnSync(candidate, ['-m', 'venv', '--help'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  return undefined;
}

/** Returns the executable's path, installing schemathesis first when it is missing or another version. */
function install() {
  const current = installedVersion();
  if (current && current.includes(VERSION)) return EXECUTABLE;
  const python = findPython();
  if (!python) throw new Error('python3 with the venv module is needed to install schemathesis');
  fs.rmSync(VENV, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(VENV), { recursive: true });
  const run = (file, args) => {
    console.log(`[schemathesis] ${file} ${args.join(' ')}`);
    const result = spawnSync(file, args, { stdio: 'inherit', env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' } });
    if (result.status !== 0) throw new Error(`${path.basename(file)} ${args[0]} failed (${result.status})`);
  };
  run(python, ['-m', 'venv', VENV]);
  run(path.join(VENV, 'bin', 'python'), [
    '-m',
    'pip',
    'install',
    '--quiet',
    '--disable-pip-version-check',
    `schemathesis==${VERSION}`,
  ]);
  const installed = installedVersion();
  if (!installed || !installed.includes(VERSION)) throw new Error(`schemathesis ${VERSION} did not install`);
  console.log(`[schemathesis] ${installed} in ${path.relative(PROJECT_ROOT, VENV)}`);
  return EXECUTABLE;
}

module.exports = { install, EXECUTABLE, VERSION };

if (require.main === module) {
  const command = process.argv[2] || 'path';
  try {
    if (command === 'install') install();
    else if (command === 'path') {
      if (!installedVersion()) throw new Error('not installed: run "node scripts/schemathesis.js install"');
      console.log(EXECUTABLE);
    } else {
      console.error(`usage: schemathesis.js install|path (got ${command})`);
      process.exit(2);
    }
  } catch (err) {
    console.error(`[schemathesis] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
