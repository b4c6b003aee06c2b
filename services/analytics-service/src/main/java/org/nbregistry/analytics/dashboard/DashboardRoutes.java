package org.nbregistry.analytics.dashboard;

import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The analysts' dashboard: static files (META-INF/resources/dashboard/) that need no token, because the page only
 * holds code; every number it shows comes from /v1 with the token the analyst signs in with. Its answers carry a
 * strict Content-Security-Policy: scripts, styles and connections only from this service, no inline script, no
 * framing, so that a value in the data can never run as code nor the page be embedded elsewhere.
 */
@ApplicationScoped
public class DashboardRoutes {

    static final String PATH = "/dashboard";
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    void install(@Observes Router router) {
        router.route(PATH + "*").order(RouteConstants.ROUTE_ORDER_BEFORE_DEFAULT).handler(this::dashboard);
    }

    private void dashboard(RoutingContext ctx) {
        String path = ctx.request().path();
        if (path.equals(PATH)) {
            // The static handler serves the index only at the folder's own URL, with the slash.
            ctx.redirect(PATH + "/");
            return;
        }
        if (!path.startsWith(PATH + "/")) {
            ctx.next(); // e.g. /dashboards: not ours
            return;
        }
        // Set as the headers are written, so that the static handler's own caching headers cannot replace them.
        ctx.addHeadersEndHandler(ignored -> ctx.response().headers()
                .set("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .set("X-Content-Type-Options", "nosniff")
                .set("Referrer-Policy", "no-referrer")
                .set("X-Frame-Options", "DENY")
                // The page is small and changes with each release: always revalidated, never stale after an upgrade.
                .set(HttpHeaders.CACHE_CONTROL, "no-cache"));
        ctx.next();
    }
}
