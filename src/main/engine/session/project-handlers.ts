/** Creating, opening and saving the engine's project. */
import type { EngineMethodsOf, Handlers } from '../../../shared/contract'
import { createProject, openProject, saveProject } from '../project/project-file'
import type { EngineSession } from './engine-session'

export function projectHandlers(session: EngineSession): Handlers<EngineMethodsOf<'project'>> {
  return {
    async projectCreate(req) {
      session.assertIdle('create a project')
      session.switchProject(req.path, await createProject(req.path, { name: req.name }))
      return session.announce()
    },
    async projectOpen(req) {
      session.assertIdle('open another project')
      session.switchProject(req.path, await openProject(req.path))
      return session.announce()
    },
    async projectSave() {
      const project = session.requireProject()
      project.file = await saveProject(project.dir, project.file)
      return session.summary()
    },
    projectCurrent: async () => (session.project ? session.summary() : null)
  }
}
