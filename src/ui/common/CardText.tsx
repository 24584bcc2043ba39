// Card text is shown as text nodes, never parsed as HTML, so it cannot run script.
export function CardText({ text, class: className }: { text: string; class?: string }) {
  return <div class={`card-text ${className ?? ''}`}>{text}</div>;
}
