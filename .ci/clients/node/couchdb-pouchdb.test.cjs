// CouchDB with PouchDB 9.0.0's HTTP adapter (pouchdb-core + pouchdb-adapter-http,
// unmodified): Basic auth through the `auth` option and through URL userinfo,
// and the errors for a wrong password and a forbidden db. ../run.sh starts
// `authconform serve --flavor couchdb` and sets the URL.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const PouchDB = require('pouchdb-core').plugin(require('pouchdb-adapter-http'));

const URL = (process.env.AUTHCONFORM_COUCHDB_URL || '').replace(/\/$/, '');
// skip_setup: never try to create the database (PUT) when it looks missing.
const open = (db, auth) => new PouchDB(`${URL}/${db}`, { skip_setup: true, ...(auth ? { auth } : {}) });

async function rejectsStatus(p, status) {
  await assert.rejects(p, (err) => {
    assert.equal(err.status, status, `${err.status} ${err.name}: ${err.message}`);
    return true;
  });
}

test('couchdb with pouchdb-adapter-http 9.0.0', { concurrency: false }, async (t) => {
  assert.ok(URL, 'AUTHCONFORM_COUCHDB_URL is not set (run .ci/clients/run.sh)');

  await t.test('anonymous: db/document reads, authtest is 401', async () => {
    assert.equal((await open('db').get('document'))._id, 'document');
    // (PouchDB's info() resolves even on an error status, so probe with get().)
    await rejectsStatus(open('authtest').get('document'), 401);
  });

  await t.test('basic (auth option) admin/secret: authtest is let in (info(), a missing doc is 404)', async () => {
    const db = open('authtest', { username: 'admin', password: 'secret' });
    assert.equal((await db.info()).db_name, 'authtest');
    await rejectsStatus(db.get('document'), 404);
  });

  await t.test('basic (URL userinfo) admin:secret@: authtest info()', async () => {
    const u = new globalThis.URL(`${URL}/authtest`);
    u.username = 'admin';
    u.password = 'secret';
    const db = new PouchDB(u.toString(), { skip_setup: true });
    assert.equal((await db.info()).db_name, 'authtest');
  });

  await t.test('basic alice/alicepw: db/document reads, authtest is 403', async () => {
    const auth = { username: 'alice', password: 'alicepw' };
    assert.equal((await open('db', auth).get('document'))._id, 'document');
    await rejectsStatus(open('authtest', auth).get('document'), 403);
  });

  await t.test('basic with a wrong password: 401', async () => {
    await rejectsStatus(open('db', { username: 'alice', password: 'wrong' }).get('document'), 401);
  });
});
