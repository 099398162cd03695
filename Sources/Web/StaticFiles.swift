import Foundation
import HTTPTypes
import Hummingbird

/// The app's one stylesheet and one small script, served from memory (no CDN, no network).
enum StaticFiles {
  static func addRoutes(to router: Router<AppContext>) {
    router.get("/static/app.css") { _, _ in asset(css, "text/css; charset=utf-8") }
    router.get("/static/app.js") { _, _ in asset(script, "text/javascript; charset=utf-8") }
  }

  static func asset(_ text: String, _ type: String) -> Response {
    var headers = securityHeaders
    headers[.contentType] = type
    headers[.cacheControl] = "max-age=300"
    return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
  }

  static let css = """
    :root { --ink: #1d2430; --muted: #5b6573; --line: #d5dae1; --accent: #1f5fa8; --bad: #a32020; --ok: #1d6b35; }
    * { box-sizing: border-box; }
    body { margin: 0; font: 16px/1.45 system-ui, sans-serif; color: var(--ink); background: #fff; }
    header.top { display: flex; flex-wrap: wrap; gap: .4rem 1rem; align-items: center; padding: .6rem 1rem;
      border-bottom: 1px solid var(--line); background: #f6f8fa; }
    header.top a { color: var(--accent); text-decoration: none; }
    header.top a[aria-current] { font-weight: 600; text-decoration: underline; }
    header.top .brand { font-weight: 700; color: var(--ink); margin-right: .6rem; }
    header.top .who { margin-left: auto; color: var(--muted); }
    main { max-width: 72rem; margin: 0 auto; padding: 1rem; }
    h1 { font-size: 1.5rem; margin: .4rem 0 1rem; }
    h2 { font-size: 1.2rem; margin: 1.4rem 0 .5rem; }
    table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
    th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--line); vertical-align: top; }
    th { background: #f6f8fa; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
    form.inline { display: inline; }
    form.stack label { display: block; margin: .6rem 0 .2rem; font-weight: 600; }
    input[type=text], input[type=search], input[type=number], input[type=date], select, textarea {
      font: inherit; padding: .3rem .4rem; border: 1px solid #9aa3ad; border-radius: 4px; max-width: 100%; }
    textarea { width: 100%; min-height: 4rem; }
    button { font: inherit; padding: .35rem .9rem; border: 1px solid var(--accent); background: var(--accent);
      color: #fff; border-radius: 4px; cursor: pointer; }
    button.secondary { background: #fff; color: var(--accent); }
    .field-error { color: var(--bad); font-weight: 600; margin: .2rem 0; }
    .notice { background: #e8f4ec; border-left: 4px solid var(--ok); padding: .5rem .8rem; }
    .error-page { font-size: 1.1rem; }
    .muted { color: var(--muted); }
    .honored { color: var(--ok); font-weight: 600; }
    .not-honored { color: var(--bad); font-weight: 600; }
    .progress { font-family: ui-monospace, monospace; background: #f6f8fa; padding: .6rem; }
    @media print { header.top, form, button { display: none; } main { max-width: none; } }
    """

  /// Progressive help only: pages work without it (they reload themselves through a
  /// `<noscript>` refresh). Polls a progress page's `data-poll` URL (JSON with `done` and
  /// `line`), shows the line, and reloads the page when the job is done.
  static let script = """
    (function () {
      var el = document.querySelector('[data-poll]');
      if (!el) return;
      function tick() {
        fetch(el.getAttribute('data-poll'), { credentials: 'same-origin' })
          .then(function (r) { return r.json(); })
          .then(function (j) {
            if (j.done) { window.location.reload(); return; }
            el.textContent = j.line;
            setTimeout(tick, 1000);
          })
          .catch(function () { setTimeout(tick, 2000); });
      }
      setTimeout(tick, 1000);
    })();
    """
}
