// Media file names and types. Names come from packages (untrusted) and end up as keys that
// notes refer to and, on export, as file names on someone's disk, so a name that is a path,
// a device or unprintable is refused rather than repaired: a repaired name would no longer
// match the notes that use it.

export type MediaNameCheck = { ok: true; name: string } | { ok: false; reason: string };

const controlOrBrokenCharacter = /[\p{Cc}\p{Cs}]/u;
// As Anki's WINDOWS_DEVICE_NAME (rslib/src/media/files.rs): the device name alone or before a dot.
const windowsDeviceName = /^(?:con|prn|aux|nul|com[1-9]|lpt[1-9])(?:\.|$)/i;

const refusals: { refuses(name: string): boolean; reason: string }[] = [
  { refuses: (name) => name === '', reason: 'the name is empty' },
  { refuses: (name) => name.includes('/') || name.includes('\\'), reason: 'the name contains a path separator (/ or \\)' },
  { refuses: (name) => name === '.' || name === '..', reason: 'the name is a folder reference (. or ..)' },
  { refuses: (name) => controlOrBrokenCharacter.test(name), reason: 'the name contains control characters or broken Unicode' },
  { refuses: (name) => windowsDeviceName.test(name), reason: 'the name is reserved by Windows (CON, PRN, AUX, NUL, COM1–9, LPT1–9)' },
];

/** The name in NFC (as Anki keeps media names), or why it cannot be used. */
export function checkMediaName(name: string): MediaNameCheck {
  const normalised = name.normalize('NFC');
  const refusal = refusals.find(({ refuses }) => refuses(normalised));
  return refusal ? { ok: false, reason: refusal.reason } : { ok: true, name: normalised };
}

/** The normalised name, or undefined when the name is refused (see checkMediaName). */
export function safeMediaName(name: string): string | undefined {
  const check = checkMediaName(name);
  return check.ok ? check.name : undefined;
}

const typesByExtension: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  // Shown only through <img>, which runs no script inside the SVG.
  svg: 'image/svg+xml',
  avif: 'image/avif',
  bmp: 'image/bmp',
  ico: 'image/x-icon',
  mp3: 'audio/mpeg',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  opus: 'audio/ogg',
  wav: 'audio/wav',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  flac: 'audio/flac',
  webm: 'video/webm',
  mp4: 'video/mp4',
  '3gp': 'video/3gpp',
};

/** The MIME type for a media file's extension; application/octet-stream when it is not a common image, audio or video type. */
export function mediaType(name: string): string {
  const dot = name.lastIndexOf('.');
  const extension = dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
  return Object.hasOwn(typesByExtension, extension) ? typesByExtension[extension] : 'application/octet-stream';
}
