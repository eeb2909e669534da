/** What an operator can do; an order names the skills it needs (required_skills). */
export const SKILLS = ['casting', 'stone_setting', 'engraving', 'polishing'] as const;
export type Skill = (typeof SKILLS)[number];

/** Every piece is cast and polished; set stones need a setter. */
export function skillsFor(order: { stones: number }): Skill[] {
  return order.stones > 0 ? ['casting', 'stone_setting', 'polishing'] : ['casting', 'polishing'];
}
