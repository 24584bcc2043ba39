import '../common/forms.css';
import { useState } from 'preact/hooks';
import { cardScales, saveDisplay, storedDisplay, type Display, type Theme } from '../display.ts';

const themes: [Theme, string][] = [
  ['system', "The device's"],
  ['light', 'Light'],
  ['dark', 'Dark'],
];
const scaleNames = ['Smaller', 'Default', 'Large', 'Larger', 'Largest'];

/** Theme and card text size for this device, applied at once. */
export function DisplaySettings() {
  const [display, setDisplay] = useState<Display>(storedDisplay);
  const change = (next: Partial<Display>) => {
    const changed = { ...display, ...next };
    setDisplay(changed);
    saveDisplay(changed);
  };
  return (
    <section aria-labelledby="display-title">
      <h2 id="display-title">Display on this device</h2>
      <div class="settings-form">
        <fieldset class="choices">
          <legend>Theme</legend>
          {themes.map(([theme, label]) => (
            <label key={theme} class="checkbox">
              <input type="radio" name="theme" value={theme} checked={display.theme === theme} onChange={() => change({ theme })} />
              {label}
            </label>
          ))}
        </fieldset>
        <label>
          Card text size
          <select value={String(display.cardScale)} onChange={(event) => change({ cardScale: Number((event.target as HTMLSelectElement).value) })}>
            {cardScales.map((scale, index) => (
              <option key={scale} value={String(scale)}>
                {scaleNames[index]}
              </option>
            ))}
          </select>
        </label>
      </div>
    </section>
  );
}
