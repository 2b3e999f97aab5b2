/**
 * The plan engine now lives by capability in ./plan (one module per capability, a command registry and one
 * clock). This module keeps the old import path working.
 */
export * from './plan';
