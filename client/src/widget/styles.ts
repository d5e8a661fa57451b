// The launcher's and panel's styles, applied inside its shadow root as a constructed stylesheet: the host page's
// selectors cannot reach in, and none of these can reach out. Inherited properties do cross into a shadow tree, so
// :host resets everything; its !important beats the host page's own !important (CSS Cascade 5: for important
// declarations the inner context wins). A constructed stylesheet is not an inline <style>, so a host CSP without
// 'unsafe-inline' in style-src allows it.
export const WIDGET_CSS = `
:host {
  all: initial !important;
  display: block !important;
  position: static !important;
  visibility: visible !important;
}
.launcher, .panel, .bar, .close { all: initial; box-sizing: border-box; font: 600 15px/1.3 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
.launcher {
  position: fixed; bottom: 20px; right: 20px; z-index: 2147483000;
  width: 56px; height: 56px; border-radius: 50%;
  display: grid; place-items: center; cursor: pointer;
  background: #1d4ed8; color: #fff;
  box-shadow: 0 6px 20px rgb(15 23 42 / 28%);
}
.launcher:hover { background: #1e40af; }
.launcher:focus-visible, .close:focus-visible { outline: 3px solid #93c5fd; outline-offset: 3px; }
.launcher svg { width: 26px; height: 26px; fill: currentColor; }
.left .launcher { left: 20px; right: auto; }
.panel {
  position: fixed; bottom: 88px; right: 20px; z-index: 2147483001;
  width: 380px; height: min(620px, calc(100vh - 108px));
  display: flex; flex-direction: column; overflow: hidden;
  background: #fff; color: #111827; border-radius: 16px;
  box-shadow: 0 12px 40px rgb(15 23 42 / 30%);
}
.left .panel { left: 20px; right: auto; }
.panel[hidden] { display: none; }
.bar {
  flex: none; display: flex; align-items: center; justify-content: space-between; gap: 8px;
  padding: 6px 6px 6px 16px; background: #1d4ed8; color: #fff;
}
.title { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.close {
  width: 36px; height: 36px; border-radius: 8px; display: grid; place-items: center; cursor: pointer; color: #fff;
  font-size: 24px; line-height: 1;
}
.close:hover { background: rgb(255 255 255 / 16%); }
iframe { flex: 1; width: 100%; min-height: 0; border: 0; display: block; background: #fff; }
@media (max-width: 480px) {
  .panel, .left .panel { inset: 0; width: 100%; height: 100%; border-radius: 0; }
}
`
