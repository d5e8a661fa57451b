// Assistant Markdown → sanitized DOM. marked renders, DOMPurify decides what survives; the result is
// inserted as nodes (never via innerHTML). Raw HTML from the model is shown as text unless allowBasicHtml.
import DOMPurify from 'dompurify'
import { Marked, type Tokens } from 'marked'

const MARKDOWN_TAGS = [
  'p', 'br', 'hr', 'strong', 'em', 'b', 'i', 'del', 's', 'code', 'pre', 'blockquote',
  'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'a',
  'table', 'thead', 'tbody', 'tr', 'th', 'td'
]
// The small extra allow-list when ui.allow_basic_html is on.
const BASIC_HTML_TAGS = ['u', 'sub', 'sup', 'kbd', 'mark', 'small', 'abbr', 'dl', 'dt', 'dd']
const ALLOWED_ATTR = ['href', 'title', 'align', 'start']
// Only absolute http(s) and mailto links keep their href; anything else (javascript:, data:, relative) goes.
const SAFE_URI = /^(?:https?:|mailto:)/i

let hooksInstalled = false

function installHooks (): void {
  if (hooksInstalled) return
  hooksInstalled = true
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName === 'A') {
      const href = node.getAttribute('href')
      if (href !== null && SAFE_URI.test(href.trim())) {
        node.setAttribute('rel', 'noopener noreferrer')
        node.setAttribute('target', '_blank')
      } else {
        node.removeAttribute('href')
      }
    } else if (node.nodeName === 'PRE') {
      // Wide code scrolls sideways; make it reachable by keyboard.
      node.setAttribute('tabindex', '0')
    }
  })
}

function escapeHtml (text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

// A start tag and its attributes (quoted values may contain '>').
const START_TAG = /<([a-zA-Z][^\s/>]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g
const HREF_ATTR = /[\s/]href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i

const SCRIPT_OR_STYLE_TAG = /<(\/?)(?:script|style)\b[^>]*>/gi
// An element name DOMPurify is told to drop together with its content.
const DROPPED = 'x-dropped'

/**
 * Defuses raw HTML before DOMPurify parses it: parsing a style= or on*= attribute or a <style> element,
 * even in an inert document, makes the browser report a CSP violation. So every attribute goes except an
 * <a>'s href, and <script>/<style> become an element that is dropped with its content. DOMPurify still
 * decides which elements and hrefs survive.
 */
function defuseHtml (html: string): string {
  return html
    .replace(START_TAG, (_tag, name: string, attrs: string) => {
      if (name.toLowerCase() !== 'a') return `<${name}>`
      const href = HREF_ATTR.exec(attrs)
      const value = href?.[1] ?? href?.[2] ?? href?.[3]
      return value === undefined ? '<a>' : `<a href="${escapeHtml(value)}">`
    })
    .replace(SCRIPT_OR_STYLE_TAG, (_tag, slash: string) => `<${slash}${DROPPED}>`)
}

export type MarkdownRenderer = (source: string) => DocumentFragment

export function createMarkdownRenderer (allowBasicHtml: boolean): MarkdownRenderer {
  installHooks()
  const marked = new Marked({ gfm: true, breaks: true, async: false })
  marked.use({
    renderer: {
      html (token: Tokens.HTML | Tokens.Tag): string {
        if (allowBasicHtml) return defuseHtml(token.text)
        const escaped = escapeHtml(token.text)
        return 'block' in token && token.block ? `<p>${escaped.trim().replace(/\n/g, '<br>')}</p>\n` : escaped
      },
      // No remote images (the CSP would block them anyway, and they can track): keep a link to it instead.
      image (token: Tokens.Image): string {
        const label = escapeHtml(token.text !== '' ? token.text : token.href)
        return SAFE_URI.test(token.href) ? `<a href="${escapeHtml(token.href)}">${label}</a>` : label
      }
    }
  })
  const purifyConfig = {
    ALLOWED_TAGS: allowBasicHtml ? [...MARKDOWN_TAGS, ...BASIC_HTML_TAGS] : MARKDOWN_TAGS,
    ALLOWED_ATTR,
    ALLOWED_URI_REGEXP: SAFE_URI,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
    ADD_FORBID_CONTENTS: [DROPPED],
    RETURN_DOM_FRAGMENT: true as const
  }
  return (source: string) => {
    const html = marked.parse(source, { async: false })
    return DOMPurify.sanitize(html, purifyConfig)
  }
}
