// Progressive enhancement for upload forms marked `data-upload-progress` (multipart): the form is sent with
// XMLHttpRequest so a GOV.UK-styled progress bar can show how much has gone. The request says
// `X-Upload-Progress: 1`, so where the server would redirect it answers `{"redirect": url}` (see
// server/middleware/uploads.ts) and we go there; any other answer (the form again, with its errors) replaces the
// main content in place. Without JavaScript, or where XMLHttpRequest/FormData are missing, the form posts as usual.
// Loaded as a module by app.js: no inline script.

function formatSize(bytes) {
  if (bytes < 1024) return bytes + ' bytes'
  if (bytes < 1024 * 1024) return (bytes / 1024).toFixed(1) + ' KB'
  return (bytes / (1024 * 1024)).toFixed(1) + ' MB'
}

function chosenFiles(form) {
  const names = []
  form.querySelectorAll('input[type=file]').forEach(function (input) {
    for (const file of Array.from(input.files || [])) names.push(file.name + ' (' + formatSize(file.size) + ')')
  })
  return names
}

function progressPanel(form) {
  let panel = form.querySelector('.app-upload-progress')
  if (panel) return panel
  panel = document.createElement('div')
  panel.className = 'app-upload-progress govuk-!-margin-bottom-6'
  const label = document.createElement('p')
  label.className = 'govuk-body govuk-!-margin-bottom-2 app-upload-progress__label'
  label.setAttribute('aria-live', 'polite')
  const track = document.createElement('div')
  track.className = 'app-upload-progress__track'
  track.setAttribute('role', 'progressbar')
  track.setAttribute('aria-valuemin', '0')
  track.setAttribute('aria-valuemax', '100')
  // styles through the CSSOM, which the style-src 'self' policy allows
  Object.assign(track.style, { height: '20px', border: '2px solid #0b0c0c', background: '#ffffff' })
  const bar = document.createElement('div')
  bar.className = 'app-upload-progress__bar'
  Object.assign(bar.style, { height: '100%', width: '0%', background: '#1d70b8' })
  track.appendChild(bar)
  panel.appendChild(label)
  panel.appendChild(track)
  const button = form.querySelector('button[type=submit], button:not([type])')
  form.insertBefore(panel, button || null)
  return panel
}

function showProgress(form, percent, text) {
  const panel = progressPanel(form)
  panel.querySelector('.app-upload-progress__label').textContent = text
  panel.querySelector('.app-upload-progress__track').setAttribute('aria-valuenow', String(percent))
  panel.querySelector('.app-upload-progress__bar').style.width = percent + '%'
}

/** A same-site path the server asked us to go to, or undefined. */
function redirectFrom(xhr) {
  if (!/^application\/json/.test(xhr.getResponseHeader('Content-Type') || '')) return undefined
  try {
    const url = JSON.parse(xhr.responseText).redirect
    return typeof url === 'string' && /^\/(?![/\\])/.test(url) ? url : undefined
  } catch {
    return undefined
  }
}

/** Puts the server's page (the form again, with its errors) in place of this one: title and main content. */
function showPage(html, form, initAll) {
  const next = new window.DOMParser().parseFromString(html, 'text/html')
  const main = next.querySelector('main')
  if (!main) {
    form.removeAttribute('data-upload-sending')
    showProgress(form, 0, 'Something went wrong. Try again.')
    return
  }
  document.title = next.title
  document.querySelector('main').replaceWith(main)
  if (initAll) initAll({ scope: main })
  enhanceUploadForms(initAll, main)
  const focus = main.querySelector('.govuk-error-summary') || main.querySelector('h1')
  if (focus) {
    if (!focus.hasAttribute('tabindex')) focus.setAttribute('tabindex', '-1')
    focus.focus()
  }
}

function send(form, submitter, initAll) {
  const data = new window.FormData(form)
  if (submitter && submitter.name) data.append(submitter.name, submitter.value)
  const files = chosenFiles(form)
  const what = files.length ? files.join(', ') : 'your answers'
  const xhr = new window.XMLHttpRequest()
  xhr.open('POST', form.action)
  xhr.setRequestHeader('X-Upload-Progress', '1')
  xhr.upload.addEventListener('progress', function (event) {
    if (!event.lengthComputable) return
    const percent = Math.round((event.loaded / event.total) * 100)
    showProgress(form, percent, 'Uploading ' + what + ': ' + percent + '%')
  })
  xhr.addEventListener('load', function () {
    showProgress(form, 100, 'Uploaded ' + what)
    const redirect = redirectFrom(xhr)
    if (redirect) window.location.assign(redirect)
    else showPage(xhr.responseText, form, initAll)
  })
  xhr.addEventListener('error', function () {
    form.removeAttribute('data-upload-sending')
    showProgress(form, 0, 'The upload did not finish. Check your connection and try again.')
  })
  xhr.addEventListener('abort', function () {
    form.removeAttribute('data-upload-sending')
  })
  form.setAttribute('data-upload-sending', '')
  showProgress(form, 0, 'Uploading ' + what + ': 0%')
  xhr.send(data)
}

/** Enhances every `form[data-upload-progress]` under `root`. */
export function enhanceUploadForms(initAll, root) {
  if (!window.XMLHttpRequest || !window.FormData || !window.DOMParser) return
  ;(root || document).querySelectorAll('form[data-upload-progress]').forEach(function (form) {
    if (form.hasAttribute('data-upload-enhanced')) return
    form.setAttribute('data-upload-enhanced', '')
    form.querySelectorAll('input[type=file]').forEach(function (input) {
      input.addEventListener('change', function () {
        const names = chosenFiles(form)
        if (names.length) showProgress(form, 0, 'Selected ' + names.join(', '))
      })
    })
    form.addEventListener('submit', function (event) {
      event.preventDefault()
      if (form.hasAttribute('data-upload-sending')) return
      send(form, event.submitter, initAll)
    })
  })
}
