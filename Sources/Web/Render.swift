import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import Record
import Reports

/// The app's Mustache templates, compiled once; each page family contributes its own.
///
/// `{{name}}` escapes HTML (every name and note goes through it); `{{{name}}}` is only for
/// HTML the app rendered itself.
struct Templates: Sendable {
  let library: MustacheLibrary

  init() throws {
    var library = MustacheLibrary()
    let families: [[String: String]] = [
      Layout.templates, SignInPages.templates, TeacherPages.templates, SchedulerPages.templates,
      PrincipalPages.templates,
    ]
    for family in families {
      for (name, text) in family { try library.register(text, named: name) }
    }
    self.library = library
  }

  /// Renders template `name` with `data` (a dictionary or a struct, read by reflection).
  func render(_ name: String, _ data: Any) -> String {
    guard let text = library.render(data, withTemplate: name) else {
      preconditionFailure("no template named \(name)")
    }
    return text
  }
}

/// Errors a page throws that the error pages turn into plain responses.
public enum WebError: Error, Sendable {
  /// A form's CSRF token was missing or wrong: 403, nothing changed.
  case csrf
  /// A plain 404 for an id that does not exist (a job, a date without a plan).
  case notFound
}

/// The pages' common frame: title, navigation for the person's role, sign-out form.
enum Layout {
  static let templates: [String: String] = [
    "layout": """
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{title}} · Regroup</title>
    <link rel="stylesheet" href="/static/app.css">
    {{#refresh}}<noscript><meta http-equiv="refresh" content="{{refresh}}"></noscript>{{/refresh}}
    </head>
    <body>
    <header class="top">
      <a class="brand" href="/">Regroup</a>
      {{#nav}}<a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a>{{/nav}}
      {{#person}}
      <span class="who">{{person}}</span>
      <form method="post" action="/signout" class="inline">
        <input type="hidden" name="_csrf" value="{{csrf}}">
        <button type="submit" id="signout">Sign out</button>
      </form>
      {{/person}}
    </header>
    <main>
    <h1>{{title}}</h1>
    {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
    {{{content}}}
    </main>
    <script src="/static/app.js"></script>
    </body>
    </html>
    """
  ]

  /// The navigation links of a role.
  static func nav(for role: AccessRole?, current path: String) -> [[String: Any]] {
    let links: [(String, String)]
    switch role {
    case .staff: links = [("/day", "My day"), ("/requests", "My requests")]
    case .scheduler:
      links = [
        ("/status", "Status"), ("/absences", "Absences"), ("/plan", "Plan"), ("/published", "Published"),
        ("/all-requests", "Requests"),
      ]
    case .principal:
      links = [("/status", "Status"), ("/published", "Published"), ("/scenarios", "Scenarios")]
    case nil: links = []
    }
    return links.map { ["href": $0.0, "label": $0.1, "current": $0.0 == path] }
  }
}

extension WebState {
  /// A whole page: template `name` rendered with `data`, inside the layout.
  ///
  /// - Parameters:
  ///   - notice: a one-line confirmation shown under the title ("Request REQ-0007 added.").
  ///   - refresh: seconds after which the browser reloads the page (progress pages).
  ///   - status: the HTTP status (e.g. 422 when a form comes back with errors).
  func page(
    _ name: String, title: String, _ data: Any, context: AppContext, path: String,
    notice: String? = nil, refresh: Int? = nil, status: HTTPResponse.Status = .ok
  ) -> Response {
    let content = templates.render(name, data)
    return html(
      layoutPage(
        title: title, content: content, context: context, path: path, notice: notice, refresh: refresh),
      status: status)
  }

  /// The layout around HTML the app already rendered.
  func layoutPage(
    title: String, content: String, context: AppContext?, path: String, notice: String? = nil,
    refresh: Int? = nil
  ) -> String {
    var frame: [String: Any] = [
      "title": title, "content": content, "nav": Layout.nav(for: context?.person?.grant.role, current: path),
    ]
    if let person = context?.person {
      frame["person"] = person.grant.label
      frame["csrf"] = person.csrf
    }
    if let notice { frame["notice"] = notice }
    if let refresh { frame["refresh"] = refresh }
    return templates.render("layout", frame)
  }
}

/// An HTML response with the app's safety headers (no caching of personal pages, no framing,
/// no referrer: a sign-in link never leaks).
func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
  var headers = securityHeaders
  headers[.contentType] = "text/html; charset=utf-8"
  return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
}

/// A JSON response with the app's safety headers.
func json(_ text: String) -> Response {
  var headers = securityHeaders
  headers[.contentType] = "application/json; charset=utf-8"
  return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
}

/// A download: `text` with its content type, saved as `filename`.
func download(_ text: String, contentType: String, filename: String) -> Response {
  var headers = securityHeaders
  headers[.contentType] = contentType
  headers[.contentDisposition] = "attachment; filename=\"\(filename)\""
  return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
}

/// A 303 to `location` (after a form: the browser then GETs the page).
func redirect(_ location: String) -> Response {
  var headers = securityHeaders
  headers[.location] = location
  return Response(status: .seeOther, headers: headers)
}

let securityHeaders: HTTPFields = [
  .cacheControl: "no-store",
  HTTPField.Name("X-Content-Type-Options")!: "nosniff",
  HTTPField.Name("X-Frame-Options")!: "DENY",
  HTTPField.Name("Referrer-Policy")!: "no-referrer",
  .contentSecurityPolicy:
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; form-action 'self'; frame-ancestors 'none'",
]

/// `text` with `&`, `<`, `>`, `"` and `'` escaped, for HTML built outside templates.
func escapeHTML(_ text: String) -> String { DaySheetHTML.escape(text) }

/// `text` made safe for a URL's query value.
func queryEscape(_ text: String) -> String {
  var allowed = CharacterSet.alphanumerics
  allowed.insert(charactersIn: "-._~")
  return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
}
