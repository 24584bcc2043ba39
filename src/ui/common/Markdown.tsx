import type { ComponentChildren } from 'preact';
import { parseMarkdown, type Block, type Inline } from '../../domain/markdown.ts';

function renderInline(nodes: Inline[]): ComponentChildren {
  return nodes.map((node, index) => {
    switch (node.type) {
      case 'text':
        return node.text;
      case 'code':
        return <code key={index}>{node.text}</code>;
      case 'strong':
        return <strong key={index}>{renderInline(node.children)}</strong>;
      case 'em':
        return <em key={index}>{renderInline(node.children)}</em>;
      case 'link':
        return (
          <a key={index} href={node.href} target="_blank" rel="noopener noreferrer">
            {renderInline(node.children)}
          </a>
        );
      case 'break':
        return <br key={index} />;
    }
  });
}

function renderBlock(block: Block, index: number) {
  switch (block.type) {
    case 'paragraph':
      return <p key={index}>{renderInline(block.children)}</p>;
    case 'code':
      return (
        <pre key={index} tabIndex={0} aria-label={block.language ? `${block.language} code` : 'code'}>
          <code>{block.text}</code>
        </pre>
      );
    case 'list': {
      const List = block.ordered ? 'ol' : 'ul';
      return (
        <List key={index}>
          {block.items.map((item, itemIndex) => (
            <li key={itemIndex}>{renderInline(item)}</li>
          ))}
        </List>
      );
    }
  }
}

/** Card text as elements and text nodes only: nothing in it is ever parsed as HTML. */
export function Markdown({ text, class: className }: { text: string; class?: string }) {
  return <div class={`card-text ${className ?? ''}`}>{parseMarkdown(text).map(renderBlock)}</div>;
}
