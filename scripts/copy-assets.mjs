// tsc compiles TypeScript only; the SQL migrations ship beside the compiled code that loads them.
import { cpSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function copySql(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) copySql(p);
    else if (name.endsWith('.sql')) cpSync(p, join('dist', p));
  }
}
copySql('src');
