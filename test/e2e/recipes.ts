/** The catalog entries the e2e tests run, read from recipes/catalog.json (never restated here). */
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from '../harness/paths';

export interface CatalogRecipe {
  id: string;
  title: string;
  section: string;
  file: string;
  expectsDeadlock: boolean;
  /** What a run must show (the recipe tests check the same against the CLI). */
  expect?: { threads?: string[]; processes?: number };
}

export function catalogRecipe(id: string): CatalogRecipe & { path: string } {
  const file = path.join(REPO_ROOT, 'recipes', 'catalog.json');
  const all = JSON.parse(fs.readFileSync(file, 'utf8')) as CatalogRecipe[];
  const r = all.find((x) => x.id === id);
  if (!r) throw new Error(`recipes/catalog.json has no recipe "${id}"`);
  return { ...r, path: path.join(REPO_ROOT, 'recipes', r.file) };
}

export const RUN_RECIPE_COMMAND = 'Parallel Cookbook: Run Recipe';
export const STOP_RUN_COMMAND = 'Parallel Cookbook: Stop Run';
/** Every wait for a condition in these tests; generous: the machine is shared and has 2 cores. */
export const CONDITION_TIMEOUT_MS = Number(process.env.PCB_E2E_TIMEOUT_MS ?? 120_000);
