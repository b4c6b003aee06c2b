package org.nbregistry.analytics;

import io.quarkus.test.junit.callback.QuarkusTestBeforeEachCallback;
import io.quarkus.test.junit.callback.QuarkusTestMethodContext;
import io.restassured.RestAssured;
import io.restassured.filter.Filter;
import io.restassured.filter.FilterContext;
import io.restassured.response.Response;
import io.restassured.specification.FilterableRequestSpecification;
import io.restassured.specification.FilterableResponseSpecification;
import org.nbregistry.contracts.TestTokens;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import java.util.List;

/**
 * Every /v1 endpoint wants an analyst's bearer token, so before each test of the module every RestAssured request
 * gets one: registered once (META-INF/services), not repeated in every call. A filter rather than a default request
 * specification, which would also fix the port of the moment. A test class that chooses each request's credentials
 * itself is marked {@link OwnCredentials} and sends none by default.
 */
public class AnalystByDefault implements QuarkusTestBeforeEachCallback {

    /** The test class sends its own Authorization header, or none, with each request. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.TYPE)
    public @interface OwnCredentials {
    }

    /** Adds a freshly signed analyst token to a request that has no Authorization header. */
    private static final class AnalystToken implements Filter {
        @Override
        public Response filter(FilterableRequestSpecification request, FilterableResponseSpecification response, FilterContext context) {
            if (!request.getHeaders().hasHeaderWithName("Authorization")) {
                request.header("Authorization", authorization());
            }
            return context.next(request, response);
        }
    }

    @Override
    public void beforeEach(QuarkusTestMethodContext context) {
        List<Filter> filters = new ArrayList<>(RestAssured.filters());
        filters.removeIf(f -> f instanceof AnalystToken);
        if (!context.getTestInstance().getClass().isAnnotationPresent(OwnCredentials.class)) {
            filters.add(new AnalystToken());
        }
        RestAssured.replaceFiltersWith(filters);
    }

    /** The header value for a client other than RestAssured, e.g. the stream reader. */
    static String authorization() {
        return "Bearer " + TestTokens.analyst();
    }
}
