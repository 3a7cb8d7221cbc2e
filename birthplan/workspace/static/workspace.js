// The workspace's only script. Everything works without it (plain form posts);
// it adds GOV.UK Frontend's components and the live checks and preview.
import { initAll } from './govuk/govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()

const form = document.getElementById('plan-form')
const frame = document.getElementById('preview-frame')
const DELAY_MS = 300

function showProblems (result) {
  for (const group of form.querySelectorAll('[data-field]')) {
    const message = result.errors[group.dataset.field]
    const error = group.querySelector(':scope > .govuk-error-message, :scope > fieldset > .govuk-error-message')
    if (!error) continue
    group.classList.toggle('govuk-form-group--error', Boolean(message))
    error.hidden = !message
    const text = error.querySelector('.bp-error-text')
    text.textContent = message ? message.text : ''
    // validate's own words are English in a Welsh page too: marked so, for screen readers
    if (message && message.lang !== document.documentElement.lang) text.lang = message.lang
    else text.removeAttribute('lang')
  }
  // Another tab changed the plan since this page was rendered: say so before Save refuses.
  const stale = document.getElementById('stale-note')
  if (stale) stale.hidden = !result.stale
  const total = document.getElementById('problem-total')
  if (total) total.textContent = result.summary
  const withheld = document.getElementById('withheld')
  if (withheld) {
    const items = result.withheld.length ? result.withheld : [result.withheld_none]
    withheld.replaceChildren(...items.map((words) => {
      const item = document.createElement('li')
      item.textContent = words
      return item
    }))
  }
}

let timer = null
let sent = 0
async function check () {
  timer = null
  const number = ++sent
  const response = await fetch(form.dataset.live, {
    method: 'POST',
    body: new FormData(form),
    credentials: 'same-origin'
  })
  if (!response.ok || number !== sent) return
  const result = await response.json()
  showProblems(result)
  if (frame) {
    const url = new URL(frame.src, window.location.href)
    url.searchParams.set('v', result.version)
    showPreview(url.pathname + url.search)
  }
}

// A new copy replaces the preview's document. Someone reading the preview by keyboard
// (the focus inside it) would lose their place, so the new copy waits until the focus is
// on an element of this page again. The focus is on no element while it moves into the
// preview (an answer arriving then would replace the document it lands in) and after it
// tabs out past the preview's end: the copy waits then too. (Chromium also drops a key
// press that reaches the focused, out-of-process preview as its new document commits,
// and never answers it: that froze the keyboard tests.)
let waitingSrc = null
function showPreview (src) {
  const focused = document.activeElement
  if (!focused || focused === document.body || focused === frame) {
    waitingSrc = src
  } else {
    waitingSrc = null
    frame.inert = true  // nobody tabs into it while it loads
    frame.src = src
  }
}
if (frame) {
  frame.addEventListener('load', () => { frame.inert = false })
  document.addEventListener('focusin', () => { if (waitingSrc) showPreview(waitingSrc) })
}

function later () {
  if (timer) clearTimeout(timer)
  timer = setTimeout(check, DELAY_MS)
}

// Reloading, closing or leaving the page (or the tab going to the background): what was
// typed since the last check goes to the draft now, not after the pause, so it is not lost.
// A beacon is sent even as the page unloads; it carries the form's CSRF token like any post.
// beforeunload comes before the browser asks for the next page (pagehide only after its
// answer), and the server lets a page wait for a check already under way (app.Pages.live).
function sendNow () {
  if (!timer) return
  clearTimeout(timer)
  timer = null
  navigator.sendBeacon(form.dataset.live, new FormData(form))
}

if (form && form.dataset.live) {
  form.addEventListener('input', later)
  form.addEventListener('change', later)
  form.addEventListener('submit', () => {
    // The form's own post carries every field: no check is owed any more.
    if (timer) clearTimeout(timer)
    timer = null
  })
  window.addEventListener('beforeunload', sendNow)
  window.addEventListener('pagehide', sendNow)
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') sendNow()
  })
  // Leaving the page: send what was typed first, so the draft holds it.
  for (const link of document.querySelectorAll('a[href^="/plan/"]')) {
    link.addEventListener('click', async (event) => {
      if (!timer) return
      event.preventDefault()
      clearTimeout(timer)
      await check()
      window.location.href = link.href
    })
  }
}
