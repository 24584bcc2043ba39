import { useEffect, useState } from 'preact/hooks';
import { install, onInstallOffer } from '../../pwa/installPrompt.ts';
import { isIosBrowserTab } from '../../pwa/persistence.ts';

const declined = 'kubecards:install-declined';

/**
 * Installing, offered in words where the browser offers it (beforeinstallprompt), and on an
 * iPhone or iPad the way to do it there. A line in the page, never over it; "Not now" is
 * remembered on this device.
 */
export function InstallHint() {
  const [offer, setOffer] = useState<'prompt' | 'ios'>();
  useEffect(() => {
    if (localStorage.getItem(declined) !== null) return;
    if (isIosBrowserTab()) setOffer('ios');
    return onInstallOffer(() => setOffer('prompt'));
  }, []);
  if (!offer) return null;
  const notNow = () => {
    localStorage.setItem(declined, new Date().toISOString());
    setOffer(undefined);
  };
  return (
    <section class="install-hint" aria-label="Install">
      <p>
        {offer === 'prompt'
          ? 'Install Kubecards on this device: it opens like an app and works offline.'
          : 'Install Kubecards: tap Share, then Add to Home Screen. It then opens like an app, works offline, and Safari keeps its data.'}
      </p>
      <div class="install-actions">
        <button type="button" onClick={notNow}>
          Not now
        </button>
        {offer === 'prompt' && (
          <button
            type="button"
            class="primary"
            onClick={() => {
              setOffer(undefined);
              void install();
            }}
          >
            Install
          </button>
        )}
      </div>
    </section>
  );
}
