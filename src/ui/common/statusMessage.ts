// A short confirmation that outlives the screen giving it, as the editor closes on Save: a
// snack bar outside the app's tree, which leaves by itself.

const shownMs = 4000;
let region: HTMLElement | undefined;
let hideTimer: ReturnType<typeof setTimeout> | undefined;

/** The live region the messages are said in; made once, and empty (and unseen) between them. */
export function statusRegion(): HTMLElement {
  if (!region) {
    region = document.createElement('div');
    region.className = 'snackbar status-message';
    region.setAttribute('role', 'status');
    document.body.append(region);
  }
  return region;
}

export function showStatus(text: string): void {
  const shown = statusRegion();
  shown.textContent = text;
  clearTimeout(hideTimer);
  hideTimer = setTimeout(() => (shown.textContent = ''), shownMs);
}
