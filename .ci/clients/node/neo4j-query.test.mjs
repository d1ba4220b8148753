// Neo4j 5 Query API v2 with the unmodified @neo4j-labs/experimental-query-api-wrapper
// 0.0.1-alpha07, the only Query API client on npm (Neo4j Labs, neo4j-driver-like
// interface over POST /db/{db}/query/v2 after discovery at GET /). It needs the
// loader hook in ./esm-hook.mjs (node --import ./esm-hook.mjs): see that file.
// The server is `authconform serve --flavor neo4j-query` with its default user
// neo4j/verysecret and token xbhkjnlvianztghqwawxqfe; ../run.sh sets the URL.
import test from 'node:test';
import assert from 'node:assert/strict';
import neo4j from '@neo4j-labs/experimental-query-api-wrapper';

const URL = process.env.AUTHCONFORM_NEO4J_QUERY_URL;
const TOKEN = 'xbhkjnlvianztghqwawxqfe';

async function returnOne(authToken) {
  const wrapper = neo4j.wrapper(URL, authToken);
  const session = wrapper.session({ database: 'neo4j' });
  try {
    const { records } = await session.run('RETURN 1 AS n');
    return records.map((r) => neo4j.integer.toNumber(r.get('n')));
  } finally {
    await session.close();
    await wrapper.close();
  }
}

async function refused(authToken) {
  await assert.rejects(returnOne(authToken), (err) => {
    assert.ok(err instanceof neo4j.Neo4jError, `expected Neo4jError, got ${err}`);
    assert.equal(err.code, 'Neo.ClientError.Security.Unauthorized', err.message);
    return true;
  });
}

test('neo4j-query with @neo4j-labs/experimental-query-api-wrapper 0.0.1-alpha07', { concurrency: false }, async (t) => {
  assert.ok(URL, 'AUTHCONFORM_NEO4J_QUERY_URL is not set (run .ci/clients/run.sh)');

  await t.test('Basic neo4j/verysecret: RETURN 1 AS n gives [1]', async () => {
    assert.deepEqual(await returnOne(neo4j.auth.basic('neo4j', 'verysecret')), [1]);
  });

  // The wrapper sends "Bearer base64(token)", the header format the document gives.
  await t.test('Bearer token: RETURN 1 AS n gives [1]', async () => {
    assert.deepEqual(await returnOne(neo4j.auth.bearer(TOKEN)), [1]);
  });

  await t.test('Basic with a wrong password is refused: Neo.ClientError.Security.Unauthorized', async () => {
    await refused(neo4j.auth.basic('neo4j', 'incorrect'));
  });

  await t.test('Basic with an unknown user is refused: Neo.ClientError.Security.Unauthorized', async () => {
    await refused(neo4j.auth.basic('nobody', 'verysecret'));
  });

  await t.test('Bearer with a wrong token is refused: Neo.ClientError.Security.Unauthorized', async () => {
    await refused(neo4j.auth.bearer('not-the-token'));
  });
});
