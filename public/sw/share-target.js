// Service-worker code, imported first into the worker Workbox generates (vite.config.ts,
// workbox.importScripts). Android's share sheet sends a file to the installed app as a POST
// to ./share-target (the manifest's share_target); Workbox's routes answer only GET. The file
// waits in a cache of its own, and the data screen imports it (src/pwa/sharedFile.ts).
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'POST' || url.pathname !== new URL('share-target', self.registration.scope).pathname) return;
  event.respondWith(
    (async () => {
      const form = await event.request.formData();
      const file = form.get('file');
      if (file instanceof File) {
        const cache = await caches.open('kubecards-shared-file');
        await cache.put('shared-file', new Response(file, { headers: { 'X-File-Name': encodeURIComponent(file.name) } }));
      }
      return Response.redirect(new URL('./#/data?shared', self.registration.scope).href, 303);
    })(),
  );
});
