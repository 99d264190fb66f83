/** The project bar: the open project's name, New, Open and the recent projects. */
import { expect, type Locator } from '@playwright/test'
import { Part, type StudioContext } from './view'

export class ProjectBar extends Part {
  /** The open project's name. */
  readonly name: Locator
  readonly newButton: Locator
  readonly recent: Locator

  constructor(studio: StudioContext) {
    super(studio)
    this.name = this.byId('project-name')
    const bar = this.page.getByRole('navigation', { name: 'Project' })
    this.newButton = this.button('New project…', bar)
    this.recent = bar.getByRole('combobox', { name: 'Recent projects' })
  }

  /** New project `name` in the folder `parent`; it is open afterwards. */
  async create(parent: string, name: string): Promise<void> {
    await this.studio.folderChooser.pick(this.newButton, parent, name)
    await expect(this.name).toHaveText(name)
  }

  /** Picks a project from the recent-projects list. */
  async openRecent(name: string): Promise<void> {
    await this.recent.selectOption({ label: name })
  }
}
