/**
 * The cookbook's catalog (recipes/catalog.json): which recipes exist, in what order, with the
 * metadata shown in the quick pick and beside the timeline.
 */
import * as fs from 'fs';
import * as path from 'path';

export type RecipeSection = 'Threads' | 'Processes' | 'Beyond the seed';

export interface Recipe {
  id: string;
  title: string;
  section: RecipeSection;
  /** Path relative to the recipes folder. */
  file: string;
  description: string;
  demonstrates: string;
  lookFor: string;
  seedSection: string | null;
  seedBug: string | null;
  expectsDeadlock: boolean;
}

export class CatalogError extends Error {}

export function loadCatalog(recipesDir: string): Recipe[] {
  const file = path.join(recipesDir, 'catalog.json');
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CatalogError(`Cannot read the recipe catalog ${file}: ${(err as Error).message}`);
  }
  if (!Array.isArray(raw)) throw new CatalogError(`${file} must hold a JSON array of recipes`);
  return raw.map((entry, i) => toRecipe(entry, i, file));
}

function toRecipe(entry: unknown, index: number, file: string): Recipe {
  const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
  const text = (key: string): string => {
    const v = e[key];
    if (typeof v !== 'string' || v.length === 0) throw new CatalogError(`${file}: recipe #${index + 1} has no "${key}"`);
    return v;
  };
  const optional = (key: string): string | null => (typeof e[key] === 'string' ? (e[key] as string) : null);
  return {
    id: text('id'),
    title: text('title'),
    section: text('section') as RecipeSection,
    file: text('file'),
    description: text('description'),
    demonstrates: optional('demonstrates') ?? '',
    lookFor: optional('lookFor') ?? '',
    seedSection: optional('seedSection'),
    seedBug: optional('seedBug'),
    expectsDeadlock: e.expectsDeadlock === true,
  };
}

export function findRecipe(recipes: Recipe[], id: string): Recipe | undefined {
  return recipes.find((r) => r.id === id);
}
