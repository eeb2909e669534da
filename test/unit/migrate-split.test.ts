import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitSql } from '../../src/platform/db/migrate.js';

test('splits on semicolons at line ends, one statement each, trimmed', () => {
  const sql = [
    'CREATE TABLE a (x int);',
    '',
    'CREATE TABLE b (',
    '  y int,',
    '  z text',
    ');',
    'CREATE INDEX b_y ON b (y);',
  ].join('\n');
  assert.deepEqual(splitSql(sql), [
    'CREATE TABLE a (x int);',
    'CREATE TABLE b (\n  y int,\n  z text\n);',
    'CREATE INDEX b_y ON b (y);',
  ]);
});

test('a semicolon inside a line does not split', () => {
  assert.deepEqual(splitSql("INSERT INTO t VALUES ('a;b');\nSELECT 1;"), [
    "INSERT INTO t VALUES ('a;b');",
    'SELECT 1;',
  ]);
});

test('trailing whitespace after the semicolon still ends the statement (and CRLF files work)', () => {
  assert.deepEqual(splitSql('SELECT 1;   \nSELECT 2;\t\n'), ['SELECT 1;', 'SELECT 2;']);
  assert.deepEqual(splitSql('SELECT 1;\r\nSELECT 2;\r\n'), ['SELECT 1;', 'SELECT 2;']);
});

test('comment lines are dropped, indented ones too', () => {
  const sql = [
    '-- Messaging tables',
    '-- second line of the header',
    'CREATE TABLE a (',
    '  -- the key',
    '  id uuid PRIMARY KEY',
    ');',
    '   -- between statements',
    'CREATE TABLE b (id int);',
    '-- trailing comment',
  ].join('\n');
  assert.deepEqual(splitSql(sql), [
    'CREATE TABLE a (\n  id uuid PRIMARY KEY\n);',
    'CREATE TABLE b (id int);',
  ]);
});

test('a $$-quoted function body with semicolons stays one statement', () => {
  const fn = [
    'CREATE FUNCTION notify_outbox() RETURNS trigger AS $$',
    'BEGIN',
    '  -- wake the relay',
    "  PERFORM pg_notify('outbox', NEW.id::text);",
    '  RETURN NEW;',
    'END;',
    '$$ LANGUAGE plpgsql;',
  ].join('\n');
  const trigger =
    'CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION notify_outbox();';
  const sql = ['CREATE TABLE outbox (id uuid);', fn, trigger].join('\n');
  assert.deepEqual(splitSql(sql), ['CREATE TABLE outbox (id uuid);', fn, trigger]);
});

test('a one-line $$ body does not flip the quoting state', () => {
  const one = 'CREATE FUNCTION one() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;';
  assert.deepEqual(splitSql(`${one}\nSELECT one();`), [one, 'SELECT one();']);
});

test('a DO block with $$ on its own lines stays whole', () => {
  const block = [
    'DO $$',
    'BEGIN',
    '  CREATE ROLE reader;',
    'EXCEPTION WHEN duplicate_object THEN NULL;',
    'END',
    '$$;',
  ].join('\n');
  assert.deepEqual(splitSql(`${block}\nSELECT 2;`), [block, 'SELECT 2;']);
});

test('a last statement without a semicolon is kept; empty input gives nothing', () => {
  assert.deepEqual(splitSql('SELECT 1;\nSELECT 2'), ['SELECT 1;', 'SELECT 2']);
  assert.deepEqual(splitSql(''), []);
  assert.deepEqual(splitSql('\n\n-- only a comment\n\n'), []);
});
