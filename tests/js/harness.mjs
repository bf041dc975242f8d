// Test harness shared by the JS suite. In Node this is node:test + node:assert/strict; the browser
// run bundles the same suite files with harness.browser.mjs in its place.
export { test } from 'node:test';
import assert from 'node:assert/strict';
export { assert };
/** 'node' or 'browser': lets a test say where it ran (never to skip a check silently). */
export const platform = 'node';
