import type { DOMPurify } from 'dompurify';
import { useEffect, useRef, useState } from 'preact/hooks';
import { showsDark } from '../display.ts';
import type { CardRecord, MediaRecord } from '../../domain/types.ts';
import { reloadOnceForStaleChunk } from '../../pwa/staleChunk.ts';
import type { Storage } from '../../storage/index.ts';
import baseCss from './cardHtml.css?inline';

// An imported card is untrusted HTML. DOMPurify removes what runs; what is left is limited to
// what loads nothing from outside the app: media only from the collection, as blob: URLs, and
// styles only through the CSSOM (the page's CSP, style-src 'self', refuses inline styles).

type LoadMedia = (name: string) => Promise<MediaRecord | undefined>;

/** What the sanitiser's hooks set aside from one card, for after the media are read. */
interface SetAside {
  /** img elements with the src they were written with. */
  images: { element: Element; src: string }[];
  /** audio and video elements with the src of theirs (or of a source in them) that was first. */
  players: Map<Element, string>;
  styles: { element: Element; css: string }[];
}

let setAside: SetAside | undefined;

const safeLink = /^(?:https?|mailto):/i;

function createSanitiser(purify: DOMPurify): DOMPurify {
  purify.setConfig({
    RETURN_DOM_FRAGMENT: true,
    ALLOWED_URI_REGEXP: safeLink,
    FORBID_TAGS: [
      'script', 'style', 'link', 'meta', 'base', 'iframe', 'frame', 'frameset', 'object', 'embed', 'portal',
      'form', 'input', 'button', 'textarea', 'select', 'option', 'optgroup', 'datalist', 'template',
    ],
    FORBID_ATTR: ['srcset', 'poster', 'background', 'ping', 'action', 'formaction'],
  });
  purify.addHook('uponSanitizeAttribute', (node, data) => {
    const name = data.attrName;
    const tag = node.localName;
    if (name === 'style') {
      setAside!.styles.push({ element: node, css: data.attrValue });
      data.keepAttr = false;
    } else if (name === 'src') {
      if (tag === 'img') setAside!.images.push({ element: node, src: data.attrValue });
      const player = tag === 'source' ? node.parentElement : node;
      if (player && (player.localName === 'audio' || player.localName === 'video') && !setAside!.players.has(player)) {
        setAside!.players.set(player, data.attrValue);
      }
      data.keepAttr = false;
    } else if ((name === 'href' || name === 'xlink:href') && tag !== 'a' && tag !== 'area') {
      data.keepAttr = false; // SVG use, image, feImage… would fetch it
    } else if (/url\(/i.test(data.attrValue) && !/^\s*url\(\s*['"]?#/i.test(data.attrValue)) {
      data.keepAttr = false; // an SVG presentation attribute pointing outside the document
    }
  });
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (!node.hasAttribute('href')) return;
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  });
  return purify;
}

let sanitiser: DOMPurify | undefined;
let loading: Promise<DOMPurify> | undefined;

/** DOMPurify, only needed once an imported card is shown. */
export function loadSanitiser(): Promise<DOMPurify> {
  loading ??= import('dompurify').then((module) => (sanitiser = createSanitiser(module.default(window))));
  return loading;
}

function sanitise(purify: DOMPurify, html: string): { fragment: DocumentFragment } & SetAside {
  setAside = { images: [], players: new Map(), styles: [] };
  try {
    performance.mark('card-html-sanitise');
    const fragment = purify.sanitize(html) as unknown as DocumentFragment;
    performance.measure('card-html-sanitise', 'card-html-sanitise');
    return { fragment, ...setAside };
  } finally {
    setAside = undefined;
  }
}

/** The names a file may be stored under: as written, and percent-decoded (Anki writes both). */
function nameCandidates(written: string): string[] {
  try {
    const decoded = decodeURIComponent(written);
    return decoded === written ? [written] : [written, decoded];
  } catch {
    return [written]; // a lone % is part of the name
  }
}

async function findMedia(written: string, loadMedia: LoadMedia): Promise<MediaRecord | undefined> {
  for (const name of nameCandidates(written)) {
    const found = await loadMedia(name);
    if (found) return found;
  }
  return undefined;
}

// Values with a backslash may spell url( with escapes inside var() or custom properties, and
// image-set() and src() load plain strings: such declarations are dropped, never parsed here.
const unreadable = /\\|image-set\(|\bsrc\(/i;
const urlFunction = /url\(/gi;

/** Each url() of a CSSOM-serialised value (always `url("…")`), or undefined if one is not in that form. */
function urlsIn(value: string): { start: number; end: number; target: string }[] | undefined {
  const found: { start: number; end: number; target: string }[] = [];
  urlFunction.lastIndex = 0;
  for (let match = urlFunction.exec(value); match; match = urlFunction.exec(value)) {
    const open = match.index + 4;
    const close = value.indexOf('"', open + 1);
    if (value[open] !== '"' || close === -1 || value[close + 1] !== ')') return undefined;
    found.push({ start: match.index, end: close + 2, target: value.slice(open + 1, close) });
    urlFunction.lastIndex = close + 2;
  }
  return found;
}

/** The value with each url() made the blob: URL of a collection file; undefined if it would load anything else. */
function withMediaUrls(value: string, urlOf: (name: string) => string | undefined): string | undefined {
  if (!value.includes('(')) return value;
  if (unreadable.test(value)) return undefined;
  const urls = urlsIn(value);
  if (!urls) return undefined;
  let result = '';
  let from = 0;
  for (const { start, end, target } of urls) {
    const local = target.startsWith('#') ? target : urlOf(target);
    if (local === undefined) return undefined;
    result += `${value.slice(from, start)}url("${local}")`;
    from = end;
  }
  return result + value.slice(from);
}

function cleanDeclarations(style: CSSStyleDeclaration, urlOf: (name: string) => string | undefined): void {
  for (const property of Array.from(style)) {
    const value = style.getPropertyValue(property);
    const cleaned = withMediaUrls(value, urlOf);
    if (cleaned === undefined) style.removeProperty(property);
    else if (cleaned !== value) style.setProperty(property, cleaned, style.getPropertyPriority(property));
  }
}

/** Every declaration block of the sheet, nested ones included (rules of @media, @supports, nesting). */
function forEachStyle(rules: CSSRuleList, visit: (style: CSSStyleDeclaration) => void): void {
  for (const rule of Array.from(rules)) {
    if ('style' in rule) visit(rule.style as CSSStyleDeclaration);
    if ('cssRules' in rule) forEachStyle(rule.cssRules as CSSRuleList, visit);
  }
}

/**
 * Drops :host rules (they would style the host against the base sheet: cover the app, widen
 * the page) and @font-face (fonts load only from the app's origin, never from blob:).
 * replaceSync has already ignored every @import.
 */
function dropUnsafeRules(owner: CSSStyleSheet | CSSGroupingRule): void {
  for (let index = owner.cssRules.length - 1; index >= 0; index--) {
    const rule = owner.cssRules[index];
    if (rule instanceof CSSFontFaceRule || (rule instanceof CSSStyleRule && /:host/i.test(rule.selectorText))) owner.deleteRule(index);
    else if (rule instanceof CSSGroupingRule) dropUnsafeRules(rule);
  }
}

const svgNamespace = 'http://www.w3.org/2000/svg';

function replayButton(document: Document, name: string, found: boolean): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'replay-button';
  const icon = document.createElementNS(svgNamespace, 'svg');
  icon.setAttribute('viewBox', '0 0 48 48');
  icon.setAttribute('aria-hidden', 'true');
  const circle = document.createElementNS(svgNamespace, 'circle');
  circle.setAttribute('cx', '24');
  circle.setAttribute('cy', '24');
  circle.setAttribute('r', '21');
  const triangle = document.createElementNS(svgNamespace, 'path');
  triangle.setAttribute('d', 'M19 14v20l16-10z');
  icon.append(circle, triangle);
  button.append(icon);
  if (found) button.setAttribute('aria-label', `Play ${name}`);
  else {
    button.disabled = true;
    button.append(`Missing sound: ${name}`);
  }
  return button;
}

/** Anki's sound tags in the card's text, each with the text node it is in and where. */
function soundTags(fragment: DocumentFragment): { node: Text; start: number; end: number; name: string }[] {
  const tags: { node: Text; start: number; end: number; name: string }[] = [];
  const walker = fragment.ownerDocument.createTreeWalker(fragment, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
    const text = node.data;
    for (let start = text.indexOf('[sound:'); start !== -1; start = text.indexOf('[sound:', start + 1)) {
      const end = text.indexOf(']', start);
      if (end === -1) break;
      tags.push({ node, start, end: end + 1, name: text.slice(start + 7, end) });
      start = end;
    }
  }
  return tags;
}

let audioContext: AudioContext | undefined;

/** A card on screen: its blob: URLs and sound, released when it goes. */
interface Shown {
  urls: string[];
  /** The replay buttons that have a file. */
  sounds: Map<Element, MediaRecord>;
  playing?: AudioBufferSourceNode;
  decoded: Map<MediaRecord, Promise<AudioBuffer>>;
}

/** Plays a sound through Web Audio: bytes decoded in memory need no media-src in the CSP. */
async function play(shown: Shown, media: MediaRecord): Promise<void> {
  audioContext ??= new AudioContext();
  const context = audioContext;
  if (context.state === 'suspended') await context.resume();
  let decoding = shown.decoded.get(media);
  // decodeAudioData takes the buffer over, so it gets a copy.
  if (!decoding) shown.decoded.set(media, (decoding = context.decodeAudioData(media.bytes.slice().buffer)));
  const buffer = await decoding;
  shown.playing?.stop();
  const source = context.createBufferSource();
  source.buffer = buffer;
  source.connect(context.destination);
  source.start();
  shown.playing = source;
}

let baseSheet: CSSStyleSheet | undefined;

/** Renders the sanitised card into the shadow root; resolves once it is there. */
async function renderCard(root: ShadowRoot, html: string, css: string, loadMedia: LoadMedia, shown: Shown): Promise<HTMLDivElement> {
  const purify = sanitiser ?? (await loadSanitiser());
  const { fragment, images, players, styles } = sanitise(purify, html);
  const document = fragment.ownerDocument;
  const sounds = soundTags(fragment);

  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  dropUnsafeRules(sheet);
  // Inline styles are read by the CSSOM of detached elements: nothing loads, nothing is refused.
  const inline = styles.map(({ element, css: text }) => {
    const scratch = window.document.createElement('span');
    scratch.style.cssText = text;
    return { element, style: scratch.style };
  });
  const names = new Set<string>([...images.map((image) => image.src), ...players.values(), ...sounds.map((sound) => sound.name)]);
  const collectUrls = (style: CSSStyleDeclaration) => {
    for (const property of Array.from(style)) {
      for (const url of urlsIn(style.getPropertyValue(property)) ?? []) if (!url.target.startsWith('#')) names.add(url.target);
    }
  };
  forEachStyle(sheet.cssRules, collectUrls);
  for (const { style } of inline) collectUrls(style);

  const media = new Map<string, MediaRecord | undefined>();
  await Promise.all([...names].map(async (name) => media.set(name, await findMedia(name, loadMedia))));
  const blobUrls = new Map<MediaRecord, string>();
  const urlOf = (name: string) => {
    const file = media.get(name);
    if (!file) return undefined;
    let url = blobUrls.get(file);
    if (!url) {
      url = URL.createObjectURL(new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.type }));
      blobUrls.set(file, url);
      shown.urls.push(url);
    }
    return url;
  };

  for (const { element, src } of images) {
    const url = urlOf(src);
    if (url) {
      element.setAttribute('src', url);
      if (!element.hasAttribute('alt')) element.setAttribute('alt', media.get(src)!.name);
    }
  }
  const sounded = new Map<Element, MediaRecord>();
  const button = (name: string) => {
    const file = media.get(name);
    const made = replayButton(document, name, file !== undefined);
    if (file) sounded.set(made, file);
    return made;
  };
  // Players cannot play under the CSP (media-src is 'none'): each becomes a replay button.
  for (const player of fragment.querySelectorAll('audio, video')) {
    const name = players.get(player);
    if (name === undefined) player.remove();
    else player.replaceWith(button(name));
  }
  // Last tag first, so that each split leaves the earlier offsets of its node as they were.
  for (const { node, start, end, name } of sounds.reverse()) {
    const after = node.splitText(start);
    after.splitText(end - start);
    after.replaceWith(button(name));
  }
  forEachStyle(sheet.cssRules, (style) => cleanDeclarations(style, urlOf));

  const card = document.createElement('div');
  card.className = 'card';
  card.append(fragment);
  baseSheet ??= new CSSStyleSheet();
  if (baseSheet.cssRules.length === 0) baseSheet.replaceSync(baseCss);
  root.adoptedStyleSheets = [baseSheet, sheet];
  root.replaceChildren(card);
  // Set through the CSSOM once in the page: the CSP does not apply to it.
  for (const { element, style } of inline) {
    cleanDeclarations(style, urlOf);
    (element as HTMLElement).style.cssText = style.cssText;
  }
  shown.sounds = sounded;
  return card;
}

export interface CardHtmlProps {
  /** Untrusted HTML, such as a side of an imported card. */
  html: string;
  /** The note type's style sheet. */
  css: string;
  /** A media file of the collection, by name; read when `html` changes. */
  loadMedia: LoadMedia;
  class?: string;
}

/** Untrusted card HTML, sanitised and styled inside a shadow root; nothing in it runs or loads from elsewhere. */
export function CardHtml({ html, css, loadMedia, class: className }: CardHtmlProps) {
  const host = useRef<HTMLDivElement>(null);
  const media = useRef(loadMedia);
  media.current = loadMedia;
  const [state, setState] = useState<{ shown?: boolean; failure?: string }>({});
  useEffect(() => {
    const element = host.current!;
    const root = element.shadowRoot ?? element.attachShadow({ mode: 'open' });
    const shown: Shown = { urls: [], sounds: new Map(), decoded: new Map() };
    let gone = false;
    let card: HTMLDivElement | undefined;
    // Anki's night mode classes, which card style sheets test for, following the page's theme.
    const dark = matchMedia('(prefers-color-scheme: dark)');
    const onTheme = () => {
      card?.classList.toggle('nightMode', showsDark());
      card?.classList.toggle('night_mode', showsDark());
    };
    setState({});
    renderCard(root, html, css, media.current, shown).then(
      (rendered) => {
        if (gone) return;
        card = rendered;
        onTheme();
        setState({ shown: true });
      },
      (error: unknown) => {
        if (gone) return;
        if (!sanitiser && reloadOnceForStaleChunk()) return;
        setState({ failure: error instanceof Error ? error.message : String(error) });
      },
    );
    dark.addEventListener('change', onTheme);
    // Space or Enter on a button or link of the card is for it, not for the review screen's keys
    // (which see the host, not the button, as the event's target).
    const keepKeys = (event: Event) => {
      const key = (event as KeyboardEvent).key;
      if ((key === ' ' || key === 'Enter') && (event.target as Element).closest('button, a')) event.stopPropagation();
    };
    root.addEventListener('keydown', keepKeys);
    const onClick = (event: Event) => {
      const button = (event.target as Element).closest('button');
      const file = button && shown.sounds.get(button);
      if (!file) return;
      play(shown, file).catch((error: unknown) =>
        button.setAttribute('aria-label', `${file.name} could not be played (${error instanceof Error ? error.message : String(error)})`),
      );
    };
    root.addEventListener('click', onClick);
    return () => {
      gone = true;
      dark.removeEventListener('change', onTheme);
      root.removeEventListener('keydown', keepKeys);
      root.removeEventListener('click', onClick);
      shown.playing?.stop();
      for (const url of shown.urls) URL.revokeObjectURL(url);
    };
  }, [html, css]);
  return (
    <>
      {state.failure && <p class="error">The card could not be shown ({state.failure}). Reload to try again.</p>}
      <div ref={host} class={`card-html ${className ?? ''}`} aria-busy={state.shown || state.failure ? undefined : 'true'} />
    </>
  );
}

/** A side of an imported card, styled by its note type, its media read from storage. */
export function ImportedCardHtml({ storage, card, html }: { storage: Pick<Storage, 'noteType' | 'mediaFile'>; card: CardRecord; html: string }) {
  const noteTypeId = card.importedNote?.noteTypeId;
  const [css, setCss] = useState<{ of?: string; css?: string }>({});
  useEffect(() => {
    loadSanitiser().catch(() => {}); // meanwhile; a failure shows in CardHtml
    if (noteTypeId === undefined) return setCss({ of: noteTypeId, css: '' });
    let gone = false;
    storage.noteType(noteTypeId).then(
      (found) => gone || setCss({ of: noteTypeId, css: found?.css ?? '' }),
      () => gone || setCss({ of: noteTypeId, css: '' }), // shown unstyled rather than not at all
    );
    return () => {
      gone = true;
    };
  }, [storage, noteTypeId]);
  if (css.css === undefined || css.of !== noteTypeId) return <div class="card-html" aria-busy="true" />;
  return <CardHtml html={html} css={css.css} loadMedia={(name) => storage.mediaFile(name)} />;
}
