// offline.js - registers web/sw.js (see there) once the page has loaded and settled, so that its
// downloads never compete with the page's own start. Nothing happens where it is not allowed (a
// sandboxed iframe throws on navigator.serviceWorker itself; some embedders refuse registration).
export function registerOffline() {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  const go = () => setTimeout(() => {
    try {
      navigator.serviceWorker.register(new URL('../sw.js', import.meta.url)).catch(() => { /* not allowed here: online only */ });
    } catch { /* opaque origin: online only */ }
  }, 1500);
  if (document.readyState === 'complete') go(); else window.addEventListener('load', go, { once: true });
}
