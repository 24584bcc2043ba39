import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Block, Inline } from '../../domain/markdown.ts';
import { plainTextBlocks } from '../../domain/plainText.ts';
import { reloadOnceForStaleChunk } from '../../pwa/staleChunk.ts';

type Parse = (text: string) => Block[];
let parse: Parse | undefined;
let loading: Promise<Parse> | undefined;

/** The Markdown parser, too big for the first screen: fetched once card text is on screen. */
function loadMarkdownParser(): Promise<Parse> {
  loading ??= import('../../domain/markdown.ts').then((module) => (parse = module.parseMarkdown));
  return loading;
}

function renderInline(nodes: Inline[]): ComponentChildren {
  return nodes.map((node, index) => {
    switch (node.type) {
      case 'text':
        return node.text;
      case 'code':
        return <code key={index}>{renderInline(node.children)}</code>;
      case 'strong':
        return <strong key={index}>{renderInline(node.children)}</strong>;
      case 'em':
        return <em key={index}>{renderInline(node.children)}</em>;
      case 'cloze':
        return (
          <strong key={index} class="cloze">
            {renderInline(node.children)}
          </strong>
        );
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
      return block.tight ? renderInline(block.children) : <p key={index}>{renderInline(block.children)}</p>;
    case 'code':
      return (
        <pre key={index} tabIndex={0} aria-label={block.language ? `${block.language} code` : 'code'}>
          <code>{renderInline(block.children)}</code>
        </pre>
      );
    case 'list': {
      const List = block.ordered ? 'ol' : 'ul';
      return (
        <List key={index} start={block.ordered && block.start !== 1 ? block.start : undefined}>
          {block.items.map((item, itemIndex) => (
            <li key={itemIndex}>{item.map(renderBlock)}</li>
          ))}
        </List>
      );
    }
  }
}

/** The parsed text as elements and text nodes: nothing in it is ever parsed as HTML. */
export function markdownElements(blocks: Block[]): ComponentChildren {
  return blocks.map(renderBlock);
}

/**
 * Card text: text with no Markdown in it at once, the rest once the parser has loaded (at
 * once after the first time), so that the first card does not wait for its download.
 */
export function Markdown({ text, class: className }: { text: string; class?: string }) {
  const [parser, setParser] = useState<{ parse?: Parse; failure?: string }>({ parse });
  const ready = parser.parse ?? parse;
  const blocks = ready ? ready(text) : plainTextBlocks(text);
  // After the first paint, also for plain text: the next side or card may need the parser.
  useEffect(() => {
    if (ready) return;
    loadMarkdownParser().then(
      (loaded) => setParser({ parse: loaded }),
      (error: unknown) => {
        if (!reloadOnceForStaleChunk()) setParser({ failure: error instanceof Error ? error.message : String(error) });
      },
    );
  }, []);
  return (
    <div class={`card-text ${className ?? ''}`} aria-busy={blocks || parser.failure ? undefined : 'true'}>
      {blocks && markdownElements(blocks)}
      {!blocks && parser.failure && <p class="error">The card text could not load ({parser.failure}). Reload to try again.</p>}
    </div>
  );
}
