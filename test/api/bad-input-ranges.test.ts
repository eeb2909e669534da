/**
 * Input the schemas used to let through and PostgreSQL or the disk then refused (500s): a model
 * filename that is a path (`..`), dates and cursors outside what timestamptz stores, and ids
 * larger than their int or bigint column. Each is a 400 naming the field, or, for the filename,
 * harmless, and the service keeps working for the next request.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { cubeMesh, toBinaryStl } from '../../src/platform/geometry/generate.js';
import { startEmbedded, type EmbeddedPlatform } from '../support/embedded.js';
import { assertError, client, type Client } from './http.js';

const P = '/api/pricing';
const OCTETS = { 'content-type': 'application/octet-stream' };
const ADMIN = { authorization: 'Bearer atelier-admin' };
const PARTNER = { authorization: 'Bearer demo-partner-key' };
const SOME_ID = '01890a5d-ac96-774b-bcce-b302099a8057';

const cursor = (at: string, id = SOME_ID) => Buffer.from(JSON.stringify([at, id])).toString('base64url');

describe('bad input: values beyond what storage and PostgreSQL hold', () => {
  let platform: EmbeddedPlatform;
  let api: Client;
  const cube = toBinaryStl(cubeMesh(10));

  before(async () => {
    platform = await startEmbedded();
    api = client(platform.url);
  });
  after(async () => platform?.destroy());

  const upload = (filename: string) =>
    api<{ id: string; filename: string }>('POST', `${P}/models?filename=${encodeURIComponent(filename)}`, {
      raw: cube,
      headers: OCTETS,
    });

  describe('a model filename that is a path', () => {
    test('`..`, `.` and other paths are kept as the name only, and uploads keep working', async () => {
      for (const filename of ['..', '.', '../..', 'a/../../b.stl', '..\\..\\x.stl']) {
        const r = await upload(filename);
        assert.equal(r.status, 201, `${filename}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.filename, filename);
        const file = await api('GET', `${P}/models/${r.body.id}/file`);
        assert.equal(file.status, 200, `${filename}: ${JSON.stringify(file.body)}`);
      }
      // The pricing folder is still a folder (a `..` upload used to replace it with a file)...
      assert.ok(statSync(join(platform.dataDir, 'files', 'models', 'pricing')).isDirectory());
      // ...so an ordinary upload after them still works, and reads back the same bytes.
      const ok = await upload('ring.stl');
      assert.equal(ok.status, 201, JSON.stringify(ok.body));
      assert.equal(ok.body.filename, 'ring.stl');
      const res = await fetch(`${platform.url}${P}/models/${ok.body.id}/file`);
      assert.equal(res.status, 200);
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(cube));
    });

    test("the partner API's price endpoint with model.filename `..`", async () => {
      const q = await api<{ modelKey: string }>('POST', '/api/partner/v1/quotes', {
        json: { alloy: 'silver-925', model: { filename: '..', contentBase64: cube.toString('base64') } },
        headers: PARTNER,
      });
      assert.equal(q.status, 201, JSON.stringify(q.body));
      assert.ok(!q.body.modelKey.split('/').includes('..'), q.body.modelKey);
      assert.equal((await upload('after-partner.stl')).status, 201);
    });

    test('a filename with a line break or quotes still downloads', async () => {
      const r = await upload('ring\r\nx-injected: 1 "final" ø.stl');
      assert.equal(r.status, 201, JSON.stringify(r.body));
      const file = await api('GET', `${P}/models/${r.body.id}/file`);
      assert.equal(file.status, 200, JSON.stringify(file.body));
      assert.equal(file.headers.get('x-injected'), null);
      assert.match(
        file.headers.get('content-disposition') ?? '',
        /^inline; filename="ring__x-injected: 1 _final_ _\.stl"; filename\*=UTF-8''/,
      );
    });
  });

  describe('dates PostgreSQL cannot store', () => {
    test('workspace date filters before year 0001 or with an offset beyond ±15:59', async () => {
      for (const [query, field] of [
        ['createdFrom=0000-01-01T00:00:00Z', 'querystring/createdFrom'],
        ['createdTo=0000-12-31T23:59:59.999Z', 'querystring/createdTo'],
        ['dueFrom=2026-01-01T00:00:00-16:00', 'querystring/dueFrom'],
        ['dueTo=2026-01-01T00:00:00%2B20:00', 'querystring/dueTo'],
      ] as const) {
        assertError(await api('GET', `/api/mes/workspace/orders?${query}`), 400, 'VALIDATION_FAILED', field);
      }
      // The edges PostgreSQL does store are still taken.
      for (const query of ['createdFrom=0001-01-01T00:00:00Z', 'dueTo=9999-12-31T23:59:59%2B15:59']) {
        const r = await api('GET', `/api/mes/workspace/orders?${query}`);
        assert.equal(r.status, 200, `${query}: ${JSON.stringify(r.body)}`);
      }
    });

    test('a cursor with year 0000 or a +20:00 offset, on every list that pages', async () => {
      const lists: [string, Record<string, string>][] = [
        ['/api/shop/orders', {}],
        ['/api/crm/orders', {}],
        ['/api/partner/v1/orders', PARTNER],
        ['/api/mes/orders', {}],
        ['/api/mes/workspace/orders', {}],
      ];
      for (const [path, headers] of lists) {
        for (const at of ['0000-01-01T00:00:00Z', '2026-01-01T00:00:00+20:00']) {
          assertError(
            await api('GET', `${path}?after=${cursor(at)}`, { headers }),
            400,
            'CURSOR_INVALID',
            '`after`',
          );
        }
        const oldest = await api('GET', `${path}?after=${cursor('0001-01-01T00:00:00Z')}`, { headers });
        assert.equal(oldest.status, 200, `${path}: ${JSON.stringify(oldest.body)}`);
      }
    });

    test('archive month 0000-01', async () => {
      assertError(
        await api('POST', '/api/mes/archive/0000-01/detach', { headers: ADMIN }),
        400,
        'VALIDATION_FAILED',
        'params/month',
      );
      assertError(
        await api('POST', '/api/mes/archive/0001-01/detach', { headers: ADMIN }),
        404,
        'ARCHIVE_MONTH_NOT_FOUND',
        '0001-01',
      );
    });
  });

  describe('ids larger than their column', () => {
    test('a price-list version beyond int', async () => {
      assertError(
        await api('GET', `${P}/price-lists/3000000000`),
        400,
        'VALIDATION_FAILED',
        'params/version',
      );
      assertError(await api('GET', `${P}/price-lists/2147483647`), 404, 'PRICE_LIST_NOT_FOUND', '2147483647');
    });

    test('a notification id beyond bigint', async () => {
      assertError(
        await api('GET', '/api/tracker/notifications?after=99999999999999999999'),
        400,
        'VALIDATION_FAILED',
        'querystring/after',
      );
      assertError(
        await api('GET', `/api/tracker/notifications?after=${Number.MAX_SAFE_INTEGER + 1}`),
        400,
        'VALIDATION_FAILED',
        'querystring/after',
      );
      const r = await api('GET', `/api/tracker/notifications?after=${Number.MAX_SAFE_INTEGER}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
    });
  });
});
