// Card Markdown as HTML text, for files other apps read (an Anki package's fields, CSV). The
// same tree the screens render (markdown.ts): text is escaped, nothing passes through as HTML.
import type { Block, Inline } from './markdown.ts';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char]!);
}

function inlineHtml(nodes: Inline[]): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case 'text':
          return escapeHtml(node.text);
        case 'break':
          return '<br>';
        case 'link':
          return `<a href="${escapeHtml(node.href)}">${inlineHtml(node.children)}</a>`;
        case 'cloze':
          return `<span class="cloze">${inlineHtml(node.children)}</span>`;
        default:
          return `<${node.type}>${inlineHtml(node.children)}</${node.type}>`;
      }
    })
    .join('');
}

export function markdownHtml(blocks: Block[]): string {
  return blocks
    .map((block) => {
      switch (block.type) {
        case 'paragraph':
          return block.tight ? inlineHtml(block.children) : `<p>${inlineHtml(block.children)}</p>`;
        case 'code':
          return `<pre><code>${inlineHtml(block.children)}</code></pre>`;
        case 'list': {
          const tag = block.ordered ? 'ol' : 'ul';
          const start = block.ordered && block.start !== 1 ? ` start="${block.start}"` : '';
          return `<${tag}${start}>${block.items.map((item) => `<li>${markdownHtml(item)}</li>`).join('')}</${tag}>`;
        }
      }
    })
    .join('');
}
