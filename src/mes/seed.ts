import type { Db } from '../platform/db/types.js';
import { putOperator, type OperatorInput } from './operators/store.js';

/** Embedded mode's demo team: one of each kind, so every order has someone who can make it. */
const TEAM: Record<string, OperatorInput> = {
  olga: { name: 'Olga Caster', skills: ['casting', 'polishing'], capacity: 3 },
  sam: { name: 'Sam Setter', skills: ['casting', 'stone_setting', 'polishing'], capacity: 2 },
  eli: { name: 'Eli Engraver', skills: ['casting', 'engraving', 'polishing'], capacity: 2 },
};

export async function seedOperators(db: Db): Promise<void> {
  await db.tx(async (q) => {
    for (const [id, op] of Object.entries(TEAM)) {
      const exists = await q.query('SELECT 1 FROM operators WHERE id = $1', [id]);
      if (exists.rowCount === 0) await putOperator(q, id, op);
    }
  });
}
