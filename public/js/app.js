// Starts GOV.UK Frontend's components (no inline script: the CSP forbids it).
import { initAll } from '/vendor/govuk-frontend.min.js'
import { enhanceUploadForms } from './upload-progress.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
enhanceUploadForms(initAll)
