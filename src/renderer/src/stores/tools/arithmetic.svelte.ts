/**
 * Latent arithmetic: decode(A − B + C) where each term is one dataset image or the mean code of
 * a group ("smiling women" − "women" + "men"). Recipes keep the indices, not the codes, so a
 * saved recipe replays with whatever the model has learned since.
 */
import type { LatentRecipe, StudioApi } from '../../../../shared/contract'
import type { RawImage } from '../../../../shared/images'
import type { Notices } from '../notices.svelte'
import { PickSlot } from '../pick-slot.svelte'

export interface ArithmeticResult {
  z: number[]
  image: RawImage
  /** "A − B + C", or the recipe's name when one was replayed. */
  label: string
}

export class ArithmeticStore {
  readonly a = new PickSlot('arith-a', 'A', 'index', true)
  readonly b = new PickSlot('arith-b', 'B (subtracted)', 'index', true)
  readonly c = new PickSlot('arith-c', 'C (added)', 'index', true)
  readonly slots = [this.a, this.b, this.c]
  result = $state.raw<ArithmeticResult | null>(null)
  recipes = $state.raw<LatentRecipe[]>([])
  recipeName = $state('')
  busy = $state(false)

  constructor(
    private readonly api: StudioApi,
    private readonly notices: Notices
  ) {}

  ready = $derived(this.a.filled && this.b.filled && this.c.filled)

  async run(): Promise<void> {
    if (!this.ready) return
    await this.compute({ a: this.a.indices, b: this.b.indices, c: this.c.indices }, 'A − B + C')
  }

  picked(): void {
    if (this.ready) void this.run()
  }

  async loadRecipes(): Promise<void> {
    const recipes = await this.notices.guard('Could not list the recipes', () => this.api.recipeList())
    if (recipes) this.recipes = recipes
  }

  /** Saving under an existing name replaces that recipe (how an edited recipe is stored). */
  async save(): Promise<void> {
    const name = this.recipeName.trim()
    if (!name || !this.ready) return
    const req = { name, a: this.a.indices, b: this.b.indices, c: this.c.indices }
    const recipes = await this.notices.guard('Could not save the recipe', () => this.api.recipeSave(req))
    if (!recipes) return
    this.recipes = recipes
    this.notices.info('Saved the recipe', name)
  }

  replay(recipe: LatentRecipe): Promise<void> {
    return this.compute({ a: recipe.a, b: recipe.b, c: recipe.c }, recipe.name)
  }

  /** Loads a recipe into the pickers to change it; saving keeps its name unless renamed. */
  async edit(recipe: LatentRecipe): Promise<void> {
    this.a.setIndices(recipe.a)
    this.b.setIndices(recipe.b)
    this.c.setIndices(recipe.c)
    this.recipeName = recipe.name
    await this.run()
  }

  async remove(name: string): Promise<void> {
    const recipes = await this.notices.guard('Could not delete the recipe', () => this.api.recipeDelete({ name }))
    if (recipes) this.recipes = recipes
  }

  reset(): void {
    this.slots.forEach((s) => s.clear())
    this.result = null
    this.recipes = []
    this.recipeName = ''
  }

  private async compute(req: { a: number[]; b: number[]; c: number[] }, label: string): Promise<void> {
    this.busy = true
    try {
      const result = await this.notices.guard('Could not compute A − B + C', () => this.api.latentArithmetic(req))
      if (result) this.result = { ...result, label }
    } finally {
      this.busy = false
    }
  }
}
