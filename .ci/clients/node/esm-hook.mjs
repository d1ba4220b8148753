// Loader hook for @neo4j-labs/experimental-query-api-wrapper@0.0.1-alpha07.
//
// That package (the only Query API client on npm) is published as bundler
// output: lib/*.js use ES module syntax (import/export) although its
// package.json says "type": "commonjs", and its relative imports have no
// file extension ("./logging", "./http-connection"). Plain Node refuses it
// ("Cannot use import statement outside a module"). This hook changes no byte
// of the package; for files under its lib/ only, it does what a bundler
// would: treat them as ES modules and resolve "./x" to "./x.js" or
// "./x/index.js". Loaded with: node --import ./esm-hook.mjs ...
import { register } from 'node:module';

register('data:text/javascript,' + encodeURIComponent(`
  const PKG = '/@neo4j-labs/experimental-query-api-wrapper/lib/';
  export async function resolve(specifier, context, next) {
    const parent = context.parentURL || '';
    if (parent.includes(PKG) && specifier.startsWith('.') && !specifier.endsWith('.js')) {
      for (const suffix of ['.js', '/index.js']) {
        try { return await next(specifier + suffix, context); } catch {}
      }
    }
    return next(specifier, context);
  }
  export async function load(url, context, next) {
    if (url.includes(PKG)) return next(url, { ...context, format: 'module' });
    return next(url, context);
  }
`));
