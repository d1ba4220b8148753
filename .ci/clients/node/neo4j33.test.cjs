// Neo4j 3.3 HTTP API with the unmodified `neo4j` npm package 2.0.0-RC2
// (thingdom node-neo4j v2: GraphDatabase, checkPasswordChangeNeeded,
// changePassword over GET /user/{name} and POST /user/{name}/password).
// The server is `authconform serve --flavor neo4j-3.3` with its default user
// neo4j/neo4j (password change required); ../run.sh starts it and sets the URL.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { promisify } = require('node:util');
const neo4j = require('neo4j');

// Shim for a bug of the library on any Node newer than ~0.12, not of the
// server: neo4j.Error (CoffeeScript) copies the enumerable statics of the
// global Error, but V8 made Error.captureStackTrace non-enumerable, so every
// error the library builds from an HTTP 4xx throws "Error.captureStackTrace
// is not a function" instead. Giving the class the static it expects changes
// no library code; without it no error path of the library can be tested.
if (typeof neo4j.Error.captureStackTrace !== 'function') {
  neo4j.Error.captureStackTrace = Error.captureStackTrace;
}

const URL = process.env.AUTHCONFORM_NEO4J33_URL;
const NEW_PASSWORD = 'client-check-' + process.pid;

function db(auth) {
  const g = new neo4j.GraphDatabase({ url: URL, auth });
  return {
    g,
    root: promisify(g.http.bind(g, { path: '/db/data/' })),
    needed: promisify(g.checkPasswordChangeNeeded.bind(g)),
    change: promisify(g.changePassword.bind(g)),
  };
}

async function rejectsWith(p, { cls, code, status }) {
  await assert.rejects(p, (err) => {
    assert.ok(err instanceof neo4j[cls], `expected neo4j.${cls}, got ${err && err.name}: ${err && err.message}`);
    if (code) assert.equal(err.neo4j.code, code, err.message);
    if (status) assert.match(err.message, new RegExp('^' + status + ' '));
    return true;
  });
}

test('neo4j-3.3 with node-neo4j 2.0.0-RC2', { concurrency: false }, async (t) => {
  assert.ok(URL, 'AUTHCONFORM_NEO4J33_URL is not set (run .ci/clients/run.sh)');

  await t.test('no credentials: 401 Neo.ClientError.Security.Unauthorized', async () => {
    await rejectsWith(db({}).root(), { cls: 'ClientError', code: 'Neo.ClientError.Security.Unauthorized' });
  });

  await t.test('wrong password: checkPasswordChangeNeeded fails with Unauthorized', async () => {
    await rejectsWith(db({ username: 'neo4j', password: 'wrong' }).needed(),
      { cls: 'ClientError', code: 'Neo.ClientError.Security.Unauthorized' });
  });

  const d = db({ username: 'neo4j', password: 'neo4j' });

  await t.test('default password: /db/data/ is 403 Forbidden (change required)', async () => {
    await assert.rejects(d.root(), (err) => {
      assert.ok(err instanceof neo4j.ClientError, err.message);
      assert.equal(err.neo4j.code, 'Neo.ClientError.Security.Forbidden');
      assert.match(err.neo4j.message, /change their password/);
      return true;
    });
    // The library keeps only errors[0]; its raw mode shows the whole answer,
    // whose top-level password_change link is where the change must go.
    const resp = await promisify(d.g.http.bind(d.g, { path: '/db/data/', raw: true }))();
    assert.equal(resp.statusCode, 403);
    assert.match(resp.body.password_change || '', /\/user\/neo4j\/password$/);
  });

  await t.test('checkPasswordChangeNeeded() is true with the default password', async () => {
    assert.equal(await d.needed(), true);
  });

  await t.test('changePassword() succeeds and the client keeps the new password', async () => {
    await d.change(NEW_PASSWORD);
    assert.equal(d.g.auth.password, NEW_PASSWORD);
  });

  await t.test('after the change: checkPasswordChangeNeeded() is false', async () => {
    assert.equal(await d.needed(), false);
  });

  await t.test('after the change: the service root answers with the new password', async () => {
    const root = await d.root();
    assert.equal(typeof root.neo4j_version, 'string');
    assert.match(root.transaction, /\/db\/data\/transaction$/);
  });

  await t.test('a fresh client with the new password works; the old one is refused', async () => {
    const root = await db(`neo4j:${NEW_PASSWORD}`).root();
    assert.equal(typeof root.neo4j_version, 'string');
    await rejectsWith(db({ username: 'neo4j', password: 'neo4j' }).root(),
      { cls: 'ClientError', code: 'Neo.ClientError.Security.Unauthorized' });
  });
});
