import { render } from './render.js'

document.querySelector('#app').innerHTML = render(['tides', 'birds', 'weather'])
