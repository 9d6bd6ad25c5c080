/**
 * The cookbook in the activity bar: sections, then recipes, with run and open actions.
 */
import * as vscode from 'vscode';
import { Recipe, RecipeSection } from '../host/recipeCatalog';

type Node = { section: RecipeSection } | { recipe: Recipe };

export class RecipeTreeProvider implements vscode.TreeDataProvider<Node> {
  constructor(private readonly recipes: () => Recipe[]) {}

  getTreeItem(node: Node): vscode.TreeItem {
    if ('section' in node) {
      const item = new vscode.TreeItem(node.section, vscode.TreeItemCollapsibleState.Expanded);
      item.contextValue = 'section';
      return item;
    }
    const r = node.recipe;
    const item = new vscode.TreeItem(r.title, vscode.TreeItemCollapsibleState.None);
    item.id = r.id;
    item.description = r.expectsDeadlock ? 'deadlocks on purpose' : undefined;
    item.tooltip = new vscode.MarkdownString(`**${r.title}**\n\n${r.demonstrates}\n\n*On the timeline:* ${r.lookFor}${r.seedBug ? `\n\n*Seed bug fixed:* ${r.seedBug}` : ''}`);
    item.contextValue = 'recipe';
    item.iconPath = new vscode.ThemeIcon(r.section === 'Processes' ? 'server-process' : r.section === 'Threads' ? 'debug-alt' : 'beaker');
    item.command = { command: 'parallelCookbook.openRecipeSource', title: 'Open Recipe Source', arguments: [r.id] };
    return item;
  }

  getChildren(node?: Node): Node[] {
    const recipes = this.recipes();
    if (!node) {
      const sections: RecipeSection[] = [];
      for (const r of recipes) if (!sections.includes(r.section)) sections.push(r.section);
      return sections.map((section) => ({ section }));
    }
    if ('section' in node) return recipes.filter((r) => r.section === node.section).map((recipe) => ({ recipe }));
    return [];
  }
}

/** A tree node or a recipe id, as commands receive them from the tree, the palette or tests. */
export function recipeIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (typeof arg === 'object' && arg !== null && 'recipe' in arg) return (arg as { recipe: Recipe }).recipe.id;
  return undefined;
}
