import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { reloadOnceForStaleChunk } from '../../pwa/staleChunk.ts';

/**
 * A screen whose code loads only when it is first shown, so the first screen stays small.
 * A chunk gone after an update costs one reload; any other failure is shown.
 */
export function lazy<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | undefined;
  return function Lazy(props: P) {
    const [component, setComponent] = useState<{ current?: ComponentType<P> }>({ current: loaded });
    const [failure, setFailure] = useState<string>();
    useEffect(() => {
      if (loaded) return;
      load().then(
        (found) => {
          loaded = found;
          setComponent({ current: found });
        },
        (error: unknown) => {
          if (!reloadOnceForStaleChunk()) setFailure(error instanceof Error ? error.message : String(error));
        },
      );
    }, []);
    if (failure) return <main class="screen">This screen could not load ({failure}). Reload to try again.</main>;
    const Component = component.current;
    return Component ? <Component {...props} /> : <main class="screen" aria-busy="true" />;
  };
}

/**
 * A part of a screen that loads after the screen, with no placeholder: undefined until its
 * code is there (for parts that show nothing until they have news).
 */
export function useLazyComponent<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> | undefined {
  const [component, setComponent] = useState<{ current?: ComponentType<P> }>({});
  useEffect(() => {
    load().then((current) => setComponent({ current }), reloadOnceForStaleChunk);
  }, []);
  return component.current;
}
