import Foundation
import Hummingbird
import Record

/// Signing in by personal link, signing out, and the home page that sends each role to its pages.
enum SignInPages {
  static let templates: [String: String] = [
    "home-anonymous": """
    <p>Regroup plans the school's flexible groups. Open your personal sign-in link to use it;
    the scheduler gives each teacher, the scheduler and the principal their own.</p>
    """
  ]

  static func addRoutes(to router: Router<AppContext>, state: WebState) {
    // The link itself signs in: a valid, unrevoked token gets a fresh session cookie.
    router.get("/signin/:token") { _, context -> Response in
      guard let token = context.parameters.get("token"),
        let grant = try state.record.activeGrant(tokenHash: SchoolRecord.tokenHash(token))
      else {
        return html(
          state.layoutPage(
            title: "This link does not work",
            content:
              "<p class=\"error-page\">This sign-in link is not valid: it was revoked, replaced by a newer one, or mistyped. Ask the school's scheduler for a new link.</p>",
            context: nil, path: ""),
          status: .forbidden)
      }
      let expires = Int(Date().timeIntervalSince1970) + SessionCookie.lifetime
      var response = redirect("/")
      response.setCookie(SessionCookie.cookie(state.signer.sessionValue(grant: grant.id, expires: expires)))
      return response
    }

    router.post("/signout") { _, _ -> Response in
      var response = redirect("/")
      response.setCookie(SessionCookie.cookie("", maxAge: 0))
      return response
    }

    // Home: each role's first page; a visitor without a session gets the explanation.
    router.get("/") { _, context -> Response in
      switch context.person?.grant.role {
      case .staff: return redirect("/day")
      case .scheduler: return redirect("/status")
      case .principal: return redirect("/scenarios")
      case nil:
        return state.page("home-anonymous", title: "Welcome", [String: Any](), context: context, path: "/")
      }
    }
  }
}
