/**
 * The Run Recipe quick pick: recipes grouped by section with separators, the last one run on top.
 */
import * as vscode from 'vscode';
import { Recipe } from '../host/recipeCatalog';

const LAST_RECIPE_KEY = 'parallelCookbook.lastRecipeId';

interface RecipeItem extends vscode.QuickPickItem {
  recipe?: Recipe;
}

export function buildRecipeItems(recipes: Recipe[], lastId: string | undefined): RecipeItem[] {
  const items: RecipeItem[] = [];
  const last = recipes.find((r) => r.id === lastId);
  if (last) {
    items.push({ label: 'Recently run', kind: vscode.QuickPickItemKind.Separator });
    items.push(toItem(last));
  }
  // Sections in order of first appearance; a recipe listed out of order still joins its section.
  const sections: string[] = [];
  for (const r of recipes) if (!sections.includes(r.section)) sections.push(r.section);
  for (const section of sections) {
    items.push({ label: section, kind: vscode.QuickPickItemKind.Separator });
    for (const r of recipes) if (r.section === section) items.push(toItem(r));
  }
  return items;
}

function toItem(recipe: Recipe): RecipeItem {
  return {
    label: recipe.title,
    description: recipe.expectsDeadlock ? '$(warning) deadlocks on purpose' : undefined,
    detail: recipe.description,
    recipe,
  };
}

export async function pickRecipe(recipes: Recipe[], state: vscode.Memento, title = 'Parallel Cookbook: Run Recipe'): Promise<Recipe | undefined> {
  const items = buildRecipeItems(recipes, state.get<string>(LAST_RECIPE_KEY));
  const picked = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: 'Pick a recipe',
    matchOnDetail: true,
  });
  return picked?.recipe;
}

export function rememberRecipe(state: vscode.Memento, id: string): Thenable<void> {
  return state.update(LAST_RECIPE_KEY, id);
}
