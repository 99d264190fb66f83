import { mount } from 'svelte'
import './app.css'
import App from './App.svelte'
import { connectStudio } from './lib/api'
import { ConnectionStatus } from './stores/connection.svelte'
import { Studio } from './stores/studio.svelte'
import { messageOf } from '../../shared/errors'

const target = document.getElementById('app')
if (!target) throw new Error('index.html has no #app element')

// The connection is made before mounting so every component can rely on a live studio.
connectStudio().then(
  (connection) => {
    const studio = new Studio(connection)
    mount(App, { target, props: { studio, connection: new ConnectionStatus(connection) } })
    void studio.start()
  },
  (err: unknown) => {
    const message = document.createElement('p')
    message.className = 'connect-error'
    message.dataset.testid = 'connect-error'
    message.textContent = `Could not connect to the studio: ${messageOf(err)}`
    target.append(message)
  }
)
