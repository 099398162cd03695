import Foundation
import HTTPTypes
import Hummingbird

/// Turns every error into a plain page: 401, 403, 404 and the like say what to do; anything
/// else is a 500 that shows no stack trace or personal data, and logs only the route.
struct ErrorPages: RouterMiddleware {
  typealias Context = AppContext
  let state: WebState

  func handle(
    _ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response
  ) async throws -> Response {
    do {
      return try await next(request, context)
    } catch WebError.csrf {
      return page(
        .forbidden, "The form has expired",
        "This form came from another page or an older session. Go back, reload the page and try again; nothing was changed.",
        context)
    } catch WebError.notFound {
      return page(.notFound, "Not found", "There is no such page.", context)
    } catch let error as HTTPError {
      switch error.status {
      case .unauthorized:
        return page(
          .unauthorized, "Please sign in",
          "Open your personal sign-in link to use Regroup. Ask the school's scheduler if you do not have one.",
          context)
      case .forbidden:
        return page(.forbidden, "Not allowed", "This page belongs to someone else.", context)
      case .notFound:
        return page(.notFound, "Not found", "There is no such page.", context)
      case .contentTooLarge:
        return page(.contentTooLarge, "Too large", "The form sent too much data.", context)
      default:
        return page(
          error.status, error.status.reasonPhrase, error.body ?? "The request could not be served.", context)
      }
    } catch {
      // Only the route and the error's type: never the URI (it may hold a search) or the message.
      context.logger.error(
        "internal error", metadata: ["route": "\(context.endpointPath ?? "?")", "type": "\(type(of: error))"])
      return page(
        .internalServerError, "Something went wrong",
        "The server could not finish this. Nothing was half-saved; try again, and tell the scheduler if it keeps happening.",
        context)
    }
  }

  private func page(_ status: HTTPResponse.Status, _ title: String, _ message: String, _ context: AppContext)
    -> Response
  {
    let content = "<p class=\"error-page\">\(escapeHTML(message))</p>"
    return html(state.layoutPage(title: title, content: content, context: context, path: ""), status: status)
  }
}
