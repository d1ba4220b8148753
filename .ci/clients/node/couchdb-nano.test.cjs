// CouchDB with the unmodified `nano` 11.0.7 (Apache CouchDB's official Node
// client): cookie sessions through nano.auth() and its cookie jar, Basic
// through URL userinfo, and the wrong-password error. The server is
// `authconform serve --flavor couchdb` with its default users admin/secret
// (_admin) and alice/alicepw, the public db `db` (doc `document`) and the
// admin-only db `authtest`; ../run.sh starts it and sets the URL.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const Nano = require('nano');

const URL = process.env.AUTHCONFORM_COUCHDB_URL;
const withUserinfo = (name, password) => {
  const u = new globalThis.URL(URL);
  u.username = name;
  u.password = password;
  return u.toString().replace(/\/$/, '');
};

async function rejectsHTTP(p, status, reason) {
  await assert.rejects(p, (err) => {
    assert.equal(err.statusCode, status, `${err.statusCode} ${err.message}`);
    if (reason) assert.equal(err.reason, reason);
    return true;
  });
}

test('couchdb with nano 11.0.7', { concurrency: false }, async (t) => {
  assert.ok(URL, 'AUTHCONFORM_COUCHDB_URL is not set (run .ci/clients/run.sh)');

  await t.test('anonymous: session() has no user, the public doc reads, authtest is 401', async () => {
    const nano = Nano(URL);
    const s = await nano.session();
    assert.equal(s.ok, true);
    assert.equal(s.userCtx.name, null);
    const doc = await nano.use('db').get('document');
    assert.equal(doc._id, 'document');
    await rejectsHTTP(nano.use('authtest').info(), 401);
  });

  await t.test('cookie: auth(admin, secret) then session() is admin via cookie, authtest readable', async () => {
    const nano = Nano(URL);
    const login = await nano.auth('admin', 'secret');
    assert.deepEqual(login, { ok: true, name: 'admin', roles: ['_admin'] });
    const s = await nano.session();
    assert.equal(s.userCtx.name, 'admin');
    assert.deepEqual(s.userCtx.roles, ['_admin']);
    assert.equal(s.info.authenticated, 'cookie');
    const info = await nano.use('authtest').info();
    assert.equal(info.db_name, 'authtest');
  });

  await t.test('cookie: auth(alice, alicepw) reads db/document, authtest is 403', async () => {
    const nano = Nano(URL);
    const login = await nano.auth('alice', 'alicepw');
    assert.equal(login.ok, true);
    assert.equal(login.name, 'alice');
    const s = await nano.session();
    assert.equal(s.userCtx.name, 'alice');
    assert.equal(s.info.authenticated, 'cookie');
    assert.equal((await nano.use('db').get('document'))._id, 'document');
    await rejectsHTTP(nano.use('authtest').info(), 403, 'You are not allowed to access this db.');
  });

  await t.test('cookie: DELETE /_session logs out (session() is anonymous again)', async () => {
    const nano = Nano(URL);
    await nano.auth('admin', 'secret');
    assert.equal((await nano.session()).userCtx.name, 'admin');
    const out = await nano.request({ method: 'DELETE', path: '_session' });
    assert.equal(out.ok, true);
    const s = await nano.session();
    assert.equal(s.userCtx.name, null);
    await rejectsHTTP(nano.use('authtest').info(), 401);
  });

  await t.test('basic: http://admin:secret@host, session() is admin via default (Basic)', async () => {
    const nano = Nano(withUserinfo('admin', 'secret'));
    const s = await nano.session();
    assert.equal(s.userCtx.name, 'admin');
    assert.deepEqual(s.userCtx.roles, ['_admin']);
    assert.equal(s.info.authenticated, 'default');
    assert.equal((await nano.use('authtest').info()).db_name, 'authtest');
  });

  await t.test('wrong password via auth(): 401 unauthorized "Name or password is incorrect."', async () => {
    await assert.rejects(Nano(URL).auth('admin', 'wrong'), (err) => {
      assert.equal(err.statusCode, 401);
      assert.equal(err.error, 'unauthorized');
      assert.equal(err.reason, 'Name or password is incorrect.');
      return true;
    });
  });

  await t.test('wrong password via URL userinfo: 401 "Name or password is incorrect."', async () => {
    await rejectsHTTP(Nano(withUserinfo('alice', 'wrong')).use('db').get('document'),
      401, 'Name or password is incorrect.');
  });

  await t.test('setup by a test: admin creates a database, a user and a document; the new user logs in', async () => {
    const admin = Nano(withUserinfo('admin', 'secret'));
    assert.deepEqual(await admin.db.create('nano_shop'), { ok: true });
    await rejectsHTTP(admin.db.create('nano_shop'), 412);
    const users = admin.use('_users');
    const created = await users.insert({ name: 'nanobob', password: 'nanopw', roles: ['staff'], type: 'user' }, 'org.couchdb.user:nanobob');
    assert.equal(created.ok, true);
    const stored = await users.get('org.couchdb.user:nanobob');
    assert.equal(stored.password, undefined);
    assert.equal(stored.password_scheme, 'pbkdf2');
    await admin.request({ db: 'nano_shop', method: 'PUT', path: '_security', body: { members: { roles: ['staff'] } } });

    const bob = Nano(URL);
    const login = await bob.auth('nanobob', 'nanopw');
    assert.deepEqual(login, { ok: true, name: 'nanobob', roles: ['staff'] });
    const shop = bob.use('nano_shop');
    const doc = await shop.insert({ total: 3 }, 'order1');
    assert.equal(doc.ok, true);
    assert.match(doc.rev, /^1-/);
    assert.equal((await shop.get('order1')).total, 3);
    await rejectsHTTP(shop.insert({ total: 4 }, 'order1'), 409, 'Document update conflict.');
    const updated = await shop.insert({ _rev: doc.rev, total: 4 }, 'order1');
    assert.match(updated.rev, /^2-/);
    await rejectsHTTP(bob.db.create('nano_other'), 401, 'You are not a server admin.');

    const alice = Nano(withUserinfo('alice', 'alicepw'));
    await rejectsHTTP(alice.use('nano_shop').get('order1'), 403, 'You are not allowed to access this db.');
    await rejectsHTTP(Nano(URL).use('nano_shop').get('order1'), 401);

    await users.destroy('org.couchdb.user:nanobob', stored._rev);
    await rejectsHTTP(Nano(URL).auth('nanobob', 'nanopw'), 401, 'Name or password is incorrect.');
    assert.deepEqual(await admin.db.destroy('nano_shop'), { ok: true });
  });
});
